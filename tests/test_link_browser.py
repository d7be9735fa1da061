"""Save GIF and Copy link in a real Chromium, with the model in the page: the GIF is encoded in the page (no request
at all) and shows the picture on the board; a copied link opened in a new browser context (nothing shared: no
storage, no cache) shows the same picture, tab, pixel and layer, computed again in that page without a request;
the clipboard refused, the link is selected in a box; a mangled link gets its sentence and the page works."""

import io

import numpy as np
import pytest
from PIL import Image

from demo import i18n
from demo.canvas import GREYS
from tests import chromium
from tests.test_browser import BOARD, board_levels, set_seed, two_models  # noqa: F401 (two_models: a fixture)
from tests.test_engine_browser import garment
from tests.walk import generate_here

pytestmark = pytest.mark.browser
LAYERS = "#layers .layers-grid"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            yield chromium.launch(p)
        except RuntimeError as error:
            pytest.fail(str(error))


def open_here(browser, url: str, clipboard: bool = True):
    """A page in a context of its own, with the models loaded in the page (unless ?engine=off); every POST it sends
    recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if clipboard:
        context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.errors, page.posted = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("request", lambda request: page.posted.append(request.url) if request.method == "POST" else None)
    page.goto(url)
    page.locator(BOARD).wait_for(state="attached", timeout=30_000)  # on another tab than the grid's, if the link says
    if "engine=off" not in url:
        page.wait_for_function("() => document.querySelector('.pcnn-engine').dataset.models === 'gated,pixelcnn'",
                               timeout=30_000)  # fmt: skip
    return page


def status(page) -> str:
    return page.locator(".pcnn-status").text_content()


def test_a_copied_link_opened_elsewhere_shows_the_same_picture_tab_pixel_and_layer(browser, two_models):  # noqa: F811
    _, url = two_models
    page = open_here(browser, url)
    garment(page, 5)
    page.locator(".pcnn-kept").fill("6")
    page.locator(".pcnn-model").select_option("gated")
    page.locator(".pcnn-garment").select_option("3")
    set_seed(page, 4321)
    page.locator(".pcnn-temperature").fill("0.75")
    generate_here(page)
    shown = board_levels(page)
    page.get_by_role("tab", name=i18n.text("tab_masks", "en")).click()
    page.locator(LAYERS).wait_for()
    page.locator("#layers .layers-model").select_option("gated")
    box = page.locator(LAYERS).bounding_box()
    page.locator(LAYERS).click(position={"x": box["width"] * 9.5 / 16, "y": box["height"] * 5.5 / 16})  # pixel (5, 9)
    page.locator("#layers .layers-slider").fill("3")
    assert page.locator(LAYERS).get_attribute("data-pixel") == "5,9"
    page.get_by_role("tab", name=i18n.text("tab_generate", "en")).click()
    page.locator(".pcnn-copy-link").click()  # from the generate tab: the masks tab is what the link will open on
    page.wait_for_function("t => document.querySelector('.pcnn-status').textContent === t",
                           arg=i18n.text("link_copied", "en"))  # fmt: skip
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.url and "tab=generate" in link and "&grid=" in link
    page.get_by_role("tab", name=i18n.text("tab_masks", "en")).click()
    page.get_by_role("tab", name=i18n.text("tab_generate", "en")).click()
    assert page.posted == [] and page.errors == []
    page.context.close()

    other = open_here(browser, link)  # a new context: as the teacher's browser
    other.wait_for_function(f"() => document.querySelector('{BOARD}').dataset.run !== ''", timeout=30_000)
    other.wait_for_function(f"() => document.querySelector('{BOARD}').dataset.cursor > 0")
    assert board_levels(other) == shown  # the same picture, computed again in this page
    assert other.locator(".pcnn-model").input_value() == "gated" and other.locator(".pcnn-garment").input_value() == "3"
    assert other.locator(".pcnn-seed").input_value() == "4321"
    assert other.locator(".pcnn-kept").input_value() == "6"
    selected = other.locator("[role=tab][aria-selected=true]")
    assert selected.text_content().strip() == i18n.text("tab_generate", "en")
    other.get_by_role("tab", name=i18n.text("tab_masks", "en")).click()
    other.wait_for_function(f"() => document.querySelector('{LAYERS}')?.dataset.layer === '3'")
    assert other.locator(LAYERS).get_attribute("data-pixel") == "5,9"
    assert other.locator("#layers .layers-model").input_value() == "gated"
    assert other.posted == [] and other.errors == []
    other.context.close()


def test_a_link_opens_on_its_tab(browser, two_models):  # noqa: F811
    _, url = two_models
    page = open_here(browser, f"{url}?tab=masks&pixel=2,3&layer=2")
    page.wait_for_function(f"() => document.querySelector('{LAYERS}')?.dataset.layer === '2'", timeout=30_000)
    assert page.locator("[role=tab][aria-selected=true]").text_content().strip() == i18n.text("tab_masks", "en")
    assert page.locator(LAYERS).get_attribute("data-pixel") == "2,3"
    assert page.errors == []
    page.context.close()


def test_save_gif_is_encoded_in_the_page_once_for_a_double_click_even_offline(browser, two_models):  # noqa: F811
    _, url = two_models
    page = open_here(browser, url)
    garment(page, 2)
    set_seed(page, 9)
    generate_here(page)
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    page.context.set_offline(True)  # the network cut after load: the page has all it needs
    page.locator(".pcnn-save-gif").dblclick()
    page.wait_for_timeout(1500)
    assert len(downloads) == 1 and page.posted == []  # once, and nothing asked of the server
    gif = Image.open(io.BytesIO(open(downloads[0].path(), "rb").read()))
    trace_length = int(page.locator(".pcnn-timeline").get_attribute("max"))
    assert gif.n_frames == 1 + trace_length and gif.size == (512, 512)  # 128 pixels drawn: one frame each
    gif.seek(gif.n_frames - 1)
    last = np.asarray(gif.convert("L"))[16::32, 16::32]
    assert last.tolist() == [[GREYS[v] for v in row] for row in board_levels(page)]  # ends on the board's picture
    page.context.close()


def test_the_link_is_selected_in_a_box_when_the_clipboard_is_refused(browser, two_models):  # noqa: F811
    _, url = two_models
    page = open_here(browser, url, clipboard=False)
    refuse = "() => { navigator.clipboard.writeText = () => Promise.reject(new DOMException('', 'NotAllowedError')); }"
    page.evaluate(refuse)
    page.locator(".pcnn-copy-link").click()
    box = page.locator(".pcnn-link-box")
    box.wait_for()
    assert box.input_value() == page.url and "grid=" in page.url
    selected = "b => document.activeElement === b && b.selectionEnd - b.selectionStart === b.value.length"
    assert box.evaluate(selected)
    assert status(page) == i18n.text("link_copy_by_hand", "en")
    page.context.close()


@pytest.mark.parametrize("query,lang", [
    ("?seed=1e99", "en"), ("?grid=AAAA&model=gated", "en"), ("?model=%3Cscript%3Ealert(1)%3C/script%3E", "en"),
    ("?temperature=NaN&lang=fr", "fr"), ("?seed=1&seed=2&lang=fr", "fr"),
])  # fmt: skip
def test_a_mangled_link_says_so_and_the_page_works(browser, two_models, query, lang):  # noqa: F811
    _, url = two_models
    page = open_here(browser, url + query)
    key = "link_unreadable" if "seed=1&seed=2" in query else "link_broken"
    problem = {"link_unreadable": {}, "link_broken": {"part": query[1:].split("=")[0]}}[key]
    page.wait_for_function("t => document.querySelector('.pcnn-status').textContent === t",
                           arg=i18n.text(key, lang, **problem))  # fmt: skip
    assert page.locator(".pcnn-seed").input_value() == "0" and board_levels(page) == [[0] * 16] * 16  # defaults
    garment(page, 1)
    generate_here(page)  # the page works: Generate computes here
    assert page.locator(BOARD).get_attribute("data-run") != "" and page.posted == [] and page.errors == []
    page.context.close()


def test_with_the_engine_off_a_link_is_computed_by_the_server(browser, two_models):  # noqa: F811
    """?engine=off stays in the link and works as before: the server computes the picture the link names."""
    from tests.test_link_js import packed

    app, url = two_models
    levels = app.samples[4].tolist()
    page = open_here(browser, f"{url}?engine=off&model=pixelcnn&seed=77&rows=9&grid={packed(levels)}&shown=1")
    page.wait_for_function(f"() => document.querySelector('{BOARD}').dataset.run !== ''", timeout=30_000)
    page.wait_for_function(f"() => document.querySelector('{BOARD}').dataset.cursor > 0")
    assert board_levels(page) == app.complete("pixelcnn", levels, 9, 1.0, 77)["levels"]
    assert page.errors == []
    page.context.close()
