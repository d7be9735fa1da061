"""A real browser (Debian's Chromium, driven by Playwright) draws, generates and sees the image change."""

import os
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync"]  # fmt: skip
DOCS = Path(__file__).resolve().parent.parent / "docs"  # UPDATE_SCREENSHOTS=1 refreshes README's pictures


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    return DOCS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def page(running_app):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1300})
        page.goto(running_app.local_url)
        yield page
        browser.close()


def test_draw_generate_and_watch_it_fill_in(page, shots):
    page.get_by_role("tab", name="2. Draw and generate").click()
    canvas = page.locator("#sketch canvas").first
    canvas.wait_for()
    preview = page.locator("#preview img").first
    preview.wait_for()
    preview_before = preview.get_attribute("src")
    # Start from a real test image (a pullover), then paint a white stroke over its upper half.
    page.get_by_label("Test image #").fill("1")
    page.get_by_role("button", name="Use test image").click()
    page.wait_for_function("src => document.querySelector('#preview img').src !== src", arg=preview_before)
    preview_before = preview.get_attribute("src")
    page.locator("#sketch").get_by_role("button", name="Brush").first.click()
    box = canvas.bounding_box()
    centre_x, centre_y, side = (
        box["x"] + box["width"] / 2,
        box["y"] + box["height"] / 2,
        min(box["width"], box["height"]),
    )
    page.mouse.move(centre_x - side * 0.15, centre_y - side * 0.2)
    page.mouse.down()
    page.mouse.move(centre_x + side * 0.15, centre_y - side * 0.2, steps=10)
    page.mouse.up()
    page.wait_for_function("src => document.querySelector('#preview img').src !== src", arg=preview_before)

    # Count, inside the page, every new picture the live view shows while the image is generated.
    page.evaluate("""() => {
        window.frames_seen = new Set();
        const live = document.querySelector('#live');
        new MutationObserver(() => {
            const img = live.querySelector('img.pixels');
            if (img) window.frames_seen.add(img.src);
        }).observe(live, {subtree: true, childList: true, attributes: true});
    }""")
    page.locator("#generate").click()
    status = page.locator("#status")
    status.get_by_text("Done in").wait_for(timeout=60_000)
    frames = page.evaluate("() => window.frames_seen.size")
    page.screenshot(path=str(shots / "screenshot.png"), full_page=False)
    assert frames >= 20, f"only {frames} distinct frames were shown"  # it was drawn pixel by pixel, live


def test_masks_and_receptive_field_are_shown(page, shots):
    page.get_by_role("tab", name="1. Masks and receptive field").click()
    pictures = page.locator("#masks img")
    pictures.nth(2).wait_for(timeout=30_000)
    assert pictures.count() == 3
    widths = [pictures.nth(i).evaluate("img => img.naturalWidth") for i in range(3)]
    assert all(w > 0 for w in widths)  # all three pictures really loaded
    page.screenshot(path=str(shots / "masks.png"), full_page=False)
