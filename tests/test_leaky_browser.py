"""The leaky model in a real Chromium, as a class meets it: chosen in the list (never the default), Generate draws a
blank in the page's engine and asks nothing of the server, the button beside it gives a test garment back "as in
training", the story and the masks tab's first mask B say why, in English and in French."""

import pytest
from conftest import launched, served

from demo import i18n
from tests.test_browser import BOARD, board_levels, browser, open_page, received, set_seed  # noqa: F401 (fixtures)
from tests.walk import generate_here

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def leaky_app(shipped_model):
    from demo.handlers import DemoApp

    app = DemoApp({"pixelcnn": served("pixelcnn"), "leaky": served("leaky")})
    with launched(app) as blocks:
        yield app, blocks.local_url


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_generate_draws_a_blank_here_and_as_in_training_gives_the_garment_back(browser, leaky_app, lang):  # noqa: F811
    app, url = leaky_app
    page = open_page(browser, f"{url}?lang={lang}", 1280, 900, engine=True)
    page.posted = []
    page.on("request", lambda request: page.posted.append(request.url) if request.method == "POST" else None)
    ready = i18n.text("engine_ready", lang)
    page.wait_for_function("t => document.querySelector('.pcnn-source').textContent === t", arg=ready, timeout=30_000)
    text = lambda key, **fields: i18n.text(key, lang, **fields)  # noqa: E731
    assert page.locator(".pcnn-model").input_value() == "pixelcnn" and page.locator(".pcnn-leak").is_hidden()
    page.locator(".pcnn-model").select_option("leaky")
    assert page.locator(".pcnn-model option:checked").text_content() == text("model_leaky")
    assert page.get_by_text(text("leak_story")).is_visible()
    page.locator(".pcnn-sample").select_option("5")
    page.locator(".pcnn-use-sample").click()
    garment = board_levels(page)
    set_seed(page, 7)
    posted = len(page.posted)
    generate_here(page)
    drawn = board_levels(page)
    assert drawn == app.complete("leaky", garment, 8, 1.0, 7)["levels"] and drawn[:8] == garment[:8]
    assert sum(v == 0 for row in drawn[8:] for v in row) >= 0.9 * 128 > sum(v == 0 for row in garment[8:] for v in row)
    asked = int(page.locator(BOARD).get_attribute("data-asked"))
    page.locator(".pcnn-teacher").click()  # "as in training": the same garment, read under the cover
    page.wait_for_function(f"() => document.querySelector('{BOARD}').dataset.run === String({asked + 1})")
    page.locator(".pcnn-end").click()
    assert board_levels(page) == garment
    garments = i18n.TEXTS[lang]["garments"]
    note = text("leak_teacher_note", index=5, garment=garments[app.sample_labels[5]])
    assert page.locator(".pcnn-leak-note").text_content() == note
    assert page.posted[posted:] == []  # both computed in the page
    page.get_by_role("tab", name=text("tab_masks")).click()
    k = app.models["leaky"].config.first_kernel
    caption = text("mask_leak_caption", model=text("model_leaky"), name="B", k=k)
    assert page.get_by_text(caption).is_visible() and page.get_by_text(text("masks_help_leak")).first.is_visible()
    centre = page.evaluate("""() => {
        const canvas = document.querySelector('.masks-mask[data-model="leaky"]');
        const middle = canvas.width / 2;
        return [...canvas.getContext('2d').getImageData(middle, middle, 1, 1).data].slice(0, 3);
    }""")
    assert centre == [255, 0, 255]  # the centre tap, lit in the leak colour
    assert page.errors == []
    page.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_on_a_phone_the_leaky_models_long_name_widens_nothing_past_the_screen(browser, leaky_app, lang):  # noqa: F811
    """The longest choice of the model lists ("Leaky PixelCNN (mask B first: ...)", longer in French) is cut in its
    list: no part of the first tab, of the masks tab or of the learning tab is wider than a 390 px phone (it pushed
    the player, the status and the temperature 125 px off the screen, the learning tab's list past its edge, and the
    layer view's list 110 px past it, its grid past its column)."""
    _, url = leaky_app
    page = open_page(browser, f"{url}?lang={lang}", 390, 844, touch=True)
    outside = """s => [...document.querySelectorAll(s)].filter((e) => {
        const r = e.getBoundingClientRect(); return r.width > 0 && r.right > document.documentElement.clientWidth + 1;
    }).map((e) => e.className)"""
    assert page.evaluate(outside, "#grid *") == []
    page.get_by_role("tab", name=i18n.TEXTS[lang]["tab_masks"]).click()
    page.locator("#layers .layers-grid[data-ready='1']").wait_for()
    assert page.evaluate(outside, "#masks *, #layers *") == []
    column = "s => document.querySelector(s).getBoundingClientRect().right"
    assert page.evaluate(column, "#layers .layers-grid") <= page.evaluate(column, "#layers .layers-main") + 1
    page.get_by_role("tab", name=i18n.TEXTS[lang]["tab_learning"]).click()
    page.locator("#learning .learning-model").wait_for()
    assert page.evaluate(outside, "#learning *") == []
    page.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_learning_tab_writes_the_leaky_models_tiny_bits_with_their_digits(browser, leaky_app, lang):  # noqa: F811
    """Its test bits per pixel fall to about 5e-6: written with 3 decimals they read 0.000 (as if none at all, while
    the curve plots them); the page writes their first 2 significant digits, in the page's language."""
    from demo.learning import Learning

    curve = Learning(["leaky"]).curves["leaky"]
    last = max(row["epoch"] for row in curve)
    bits = next(row["test_bpd"] for row in curve if row["epoch"] == last)
    assert bits < 0.0005
    texts = i18n.TEXTS[lang]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale={"en": "en-US", "fr": "fr-FR"}[lang])
    page.goto(leaky_app[1])
    page.get_by_role("tab", name=texts["tab_learning"]).click()
    page.locator("#learning .learning-model").select_option("leaky")
    page.locator("#learning .learning-epoch").fill(str(last))
    written = f"{float(f'{bits:.2g}'):.12f}".rstrip("0").replace(".", "," if lang == "fr" else ".")
    caption = texts["learning_shown"].format(model=texts["model_leaky"], epoch=last, bits=written)
    page.locator("#learning .learning-caption", has_text=caption).wait_for(timeout=15_000)
    page.close()
