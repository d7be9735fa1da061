"""A pupil's whole script (tests/walk.py: upload, Generate with both models, GIF, link, layer view and why-not,
learning tab) computed in the page: once the page's engine is ready it sends no POST to the server, and with the
network cut after load everything but a snapshot not yet fetched still works, so a class behind one school address
is never refused (the server's per-address limits are for scripts: bench.classroom prints both)."""

import io

import numpy as np
import pytest
from PIL import Image

from demo import i18n
from tests.test_browser import browser, received, two_models  # noqa: F401 (fixtures)
from tests.walk import engine_ready, student_script

pytestmark = pytest.mark.browser


def garment_png() -> bytes:
    """A light garment on black, 64x64 (a FashionMNIST-like picture, read as it is)."""
    picture = np.zeros((64, 64), np.uint8)
    picture[8:56, 16:48] = 200
    picture[8:20, 4:60] = 170  # sleeves
    buffer = io.BytesIO()
    Image.fromarray(picture).save(buffer, "PNG")
    return buffer.getvalue()


def counted(browser, url):  # noqa: F811
    """A page in its own context (clipboard allowed: Copy link), its engine ready; every POST it sends from then on
    recorded in page.posts, every error of its scripts in page.errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.errors, page.posts = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url)
    engine_ready(page)
    page.wait_for_load_state("networkidle")
    page.on("request", lambda request: page.posts.append(request.url) if request.method == "POST" else None)
    return context, page


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_whole_script_sends_no_post_once_the_engine_is_ready(browser, two_models, lang):  # noqa: F811
    _, url = two_models
    context, page = counted(browser, f"{url}?lang={lang}")
    seen = student_script(page, garment_png(), i18n.TEXTS[lang])
    assert seen["upload"] != "0" * 256 and seen["gif"].startswith(b"GIF89a") and "seed=" in seen["link"]
    assert seen["why"] in ("chain", "sentence") and len(seen["learning"]) > 256
    assert page.posts == [], page.posts
    assert page.errors == [], page.errors
    context.close()


def test_with_the_network_cut_after_load_the_script_still_works(browser, two_models):  # noqa: F811
    _, url = two_models
    context, page = counted(browser, url)
    context.set_offline(True)
    texts = i18n.TEXTS["en"]
    seen = student_script(page, garment_png(), texts, learning=False)
    assert seen["upload"] != "0" * 256 and seen["gif"].startswith(b"GIF89a") and seen["why"] in ("chain", "sentence")
    page.get_by_role("tab", name=texts["tab_learning"]).click()  # a snapshot never fetched: it needs the network
    status = page.locator("#learning").get_by_text(texts["learning_needs_network"].split("{")[0].strip(), exact=False)
    status.first.wait_for(timeout=30_000)
    assert page.posts == [] and page.errors == [], (page.posts, page.errors)
    context.close()
