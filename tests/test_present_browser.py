"""Presentation mode in a real browser: at a projector's sizes nothing a teacher needs is cut, and the keys
listed on screen press the buttons they name."""

import pytest

from tests.test_browser import BOARD, browser, open_page, received, shots  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
NEEDED = [BOARD, ".pcnn-generate", ".pcnn-play", ".pcnn-back", ".pcnn-forward", ".pcnn-timeline", ".pcnn-status",
          ".pcnn-temperature", ".pcnn-seed", ".pcnn-inspect", ".pcnn-keys", ".pcnn-present-toggle"]  # fmt: skip


def shown(page, selector) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box


@pytest.mark.parametrize("width, height, lang", [(1280, 720, "en"), (1920, 1080, "fr"), (1280, 720, "fr")])
def test_presentation_mode_fits_a_projector_and_its_keys_press_the_buttons(
    browser, running_app, received, shots, width, height, lang
):
    page = open_page(browser, f"{running_app.local_url}?present=1&lang={lang}", width, height)
    assert page.evaluate("document.documentElement.classList.contains('pcnn-present')")
    assert not page.locator("#intro").is_visible() and not page.locator(".pcnn-help").first.is_visible()
    keys = shown(page, ".pcnn-keys")
    assert keys["y"] + keys["height"] <= height and "G" in page.locator(".pcnn-keys").inner_text()

    page.mouse.click(width - 5, height // 2)  # the page has the focus, no control
    asked = int(page.locator(BOARD).get_attribute("data-asked"))
    page.keyboard.press("g")
    page.wait_for_function(
        f"() => {{ const b = document.querySelector('{BOARD}'); return b.dataset.asked > {asked} && "
        "b.dataset.run === b.dataset.asked; }",
        timeout=30_000,
    )
    page.wait_for_function(f"() => document.querySelector('{BOARD}').dataset.cursor >= 5")  # it plays
    page.keyboard.press(" ")  # pause where it is
    page.wait_for_timeout(200)
    cursor = int(page.locator(BOARD).get_attribute("data-cursor"))
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")
    assert 5 <= cursor < 128 and int(page.locator(BOARD).get_attribute("data-cursor")) == cursor - 1
    page.screenshot(path=str(shots / f"present-{width}x{height}-{lang}.png"))

    for selector in NEEDED:  # nothing cut: inside the window, above the list of keys
        box = shown(page, selector)
        bottom = height if selector == ".pcnn-keys" else keys["y"]
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, selector
        assert box["y"] >= 0 and box["y"] + box["height"] <= bottom + 1, selector
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.locator(".pcnn-present-toggle").click()  # and back to the page for pupils
    assert not page.evaluate("document.documentElement.classList.contains('pcnn-present')")
    assert "present" not in page.url and page.locator(".pcnn-help").first.is_visible()
    assert page.errors == []
    page.close()
