"""demo.i18n in a real browser, on a small page built like ours (static labels, two tabs, a handler's text).

What it protects: the browser's language decides; `?lang=` overrides it (our head script, which leans on
Gradio 6.31's frontend: a Gradio upgrade that changes it fails here); hidden tab labels and the page
title follow every change of language, Gradio's own Settings menu included; a handler answers in the
page's language.
"""

import socket

import gradio as gr
import pytest
from playwright.sync_api import sync_playwright

from demo import i18n
from demo.ui import ENGINE_DIR, page_folder
from tests import chromium

pytestmark = [pytest.mark.browser, pytest.mark.app]
EN, FR = i18n.TEXTS["en"], i18n.TEXTS["fr"]


def answer(request: gr.Request) -> str:
    return i18n.text("status_done", i18n.language_of(request), model="PixelCNN", seed=3, bits="0.40")


@pytest.fixture(scope="module")
def url():
    labels = i18n.gr_i18n()
    with gr.Blocks(title=EN["title"]) as demo:
        gr.HTML(i18n.SWITCH)
        with gr.Tab(labels("tab_generate")):
            button = gr.Button(labels("generate"), elem_id="go")
            reply = gr.Textbox(label=labels("seed"), elem_id="reply")
        with gr.Tab(labels("tab_masks")):
            gr.Markdown(labels("masks_help_a"))
        button.click(answer, None, reply)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo.launch(server_port=port, prevent_thread_lock=True, i18n=labels, head=i18n.head(page_folder()),
                allowed_paths=[str(ENGINE_DIR)], quiet=True)  # the head's modules, from the page's folder
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        yield browser
        browser.close()


def open_page(browser, url: str, locale: str, query: str, texts: dict, also: tuple = ()):
    """A page in a browser set to `locale`, then the languages `also` (what navigator.languages and the
    Accept-Language header then say, as a browser whose user added them)."""
    tags = [locale, *also]
    header = ",".join(f"{tag};q={1 - i / 10:.1f}" if i else tag for i, tag in enumerate(tags))
    context = browser.new_context(locale=locale, extra_http_headers={"Accept-Language": header} if also else {})
    if also:
        context.add_init_script(f"Object.defineProperty(Navigator.prototype, 'languages', {{get: () => {tags!r}}})")
    page = context.new_page()
    page.goto(url + query)
    page.locator("#go").wait_for()
    page.wait_for_function("t => document.querySelector('#go').textContent.trim() === t", arg=texts["generate"])
    return page


def shown(page) -> dict:
    page.wait_for_timeout(300)  # let a late relabel land
    return {
        "tabs": [t.strip() for t in page.locator("button[role=tab]").all_text_contents()],
        # the hidden copy Gradio measures to fit the tabs in a row holds the same labels
        "measured": sorted({t.strip() for t in page.locator(".tab-wrapper button").all_text_contents()} - {""}),
        "title": page.title(),
        "lang": page.evaluate("document.documentElement.lang"),
        "footer": page.locator("footer").inner_text(),  # Gradio's own words ("Use via API", "Settings")
    }


@pytest.fixture(scope="module")
def footers(browser, url) -> dict:
    """Gradio's footer as an English and a French browser show it."""
    found = {}
    for code, locale, texts in (("en", "en-US", EN), ("fr", "fr-FR", FR)):
        page = open_page(browser, url, locale, "", texts)
        found[code] = shown(page)["footer"]
        page.context.close()
    assert found["en"] != found["fr"]  # so the comparisons below can fail
    return found


@pytest.mark.parametrize(
    "locale, query, texts, also",
    [
        ("en-US", "", EN, ()),
        ("fr-FR", "", FR, ()),
        ("en-US", "?lang=fr", FR, ()),
        ("fr-FR", "?lang=en", EN, ()),
        ("fr-FR", "?lang=de", FR, ()),
        ("de-DE", "", EN, ()),  # a language we do not have: English, Gradio's own words too (they were German)
        ("de-DE", "", EN, ("de", "ja")),
        # German first, then French: French everywhere, as the server answers (the page was English, the
        # server's messages French)
        ("de-DE", "", FR, ("de", "fr", "en")),
        ("de-DE", "?lang=de", FR, ("fr",)),
    ],
)
def test_the_page_and_a_handler_speak_the_chosen_language(browser, url, footers, locale, query, texts, also):
    """What a person sees: our texts, the tabs, the title, Gradio's own footer, and a handler's answer, in one
    language."""
    page = open_page(browser, url, locale, query, texts, also)
    code = "fr" if texts is FR else "en"
    tabs = [texts["tab_generate"], texts["tab_masks"]]
    expected = {"tabs": tabs, "measured": sorted(tabs), "title": texts["title"], "lang": code, "footer": footers[code]}
    assert shown(page) == expected
    page.locator("#go").click()
    page.wait_for_function("() => document.querySelector('#reply textarea').value.length > 0")
    assert page.locator("#reply textarea").input_value() == i18n.text(
        "status_done", code, model="PixelCNN", seed=3, bits="0.40"
    )
    page.context.close()


def test_the_switch_reloads_the_page_in_the_other_language(browser, url):
    page = open_page(browser, url, "en-US", "", EN)
    page.get_by_role("link", name=i18n.LANGUAGES["fr"]).click()
    page.wait_for_url("**?lang=fr")
    page.locator("#go").wait_for()
    page.wait_for_function("t => document.querySelector('#go').textContent.trim() === t", arg=FR["generate"])
    assert shown(page)["tabs"] == [FR["tab_generate"], FR["tab_masks"]]
    page.context.close()


def test_gradios_settings_menu_relabels_the_hidden_tab_too(browser, url, footers):
    page = open_page(browser, url, "en-US", "", EN)
    page.get_by_text("Settings").last.click()
    page.get_by_label("Language").click()
    page.get_by_role("option", name="Français").click()
    page.wait_for_function("t => document.querySelector('#go').textContent.trim() === t", arg=FR["generate"])
    tabs = [FR["tab_generate"], FR["tab_masks"]]
    expected = {"tabs": tabs, "measured": sorted(tabs), "title": FR["title"], "lang": "fr", "footer": footers["fr"]}
    assert shown(page) == expected
    page.context.close()
