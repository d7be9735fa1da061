"""Each component of the page is an ES module that its gr.HTML imports and mounts (demo/mount.js). What it protects:
a module that does not come at first (the network cut or a request lost while the page loads) leaves no blank
component: the component says so in the page's language, tries again by itself, and mounts when the module comes
(inert until then: nothing pressed or typed is lost);
and a tab Gradio mounts only when it is opened finds its module in the page (asked for with the first one)."""

import pytest

from demo import i18n
from tests.test_browser import BOARD, browser, received, two_models  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_module_refused_at_first_is_said_in_the_pages_language_then_mounts_by_itself(browser, two_models, lang):  # noqa: F811
    _, url = two_models
    context = browser.new_context(locale={"en": "en-US", "fr": "fr-FR"}[lang], viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors, refused = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def once(route):  # the grid's own module: refused the first time it is asked for, served after
        if refused:
            return route.continue_()
        refused.append(route.request.url)
        route.abort()

    page.route("**/page-*/grid.js*", once)
    page.goto(url)
    note = page.locator("#grid .page-part-failed")
    note.wait_for(timeout=30_000)
    assert note.inner_text() == i18n.TEXTS[lang]["page_part_failed"]
    assert page.locator(f"{BOARD}[data-levels]").count() == 0  # not mounted: said, not blank
    inert = "button => button.closest('[inert]') !== null"
    assert page.locator("#grid .pcnn-generate").evaluate(inert)  # nothing can be pressed (it would be lost)
    page.locator(f"{BOARD}[data-levels]").wait_for(timeout=15_000)  # tried again after 1 s: mounted
    assert not page.locator("#grid .pcnn-generate").evaluate(inert)
    assert note.count() == 0 and len(refused) == 1 and errors == []
    context.close()


def test_a_tab_opened_with_the_network_cut_finds_its_module(browser, two_models):  # noqa: F811
    _, url = two_models
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.locator(f"{BOARD}[data-levels]").wait_for(timeout=30_000)
    page.wait_for_function("""() => performance.getEntriesByType('resource')
        .filter((entry) => /\\/(masks|layers|learning)\\.js$/.test(entry.name)).length === 3""", timeout=15_000)
    context.set_offline(True)
    page.get_by_role("tab", name=i18n.TEXTS["en"]["tab_masks"]).click()
    page.locator("#layers .layers-grid[data-ready='1']").wait_for(timeout=15_000)
    assert page.locator(".masks-field").count() > 0 and page.locator(".page-part-failed").count() == 0
    context.close()
