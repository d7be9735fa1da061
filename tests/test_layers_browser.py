"""The masks tab's layer view in a real browser: mouse, keyboard only, a touch phone, English and French.

Each test checks what the page shows against the server's own answers (`demo.layers.LayerView`): the
layer on the slider, the colours drawn on the picture's cells, the chain's hops, the sentence.
"""

import pytest

from demo import i18n
from demo.layers import LayerView
from tests.test_browser import browser, open_page, received, shots, two_models  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
GRID = "#layers .layers-grid"
FIELD, EMPTY, ADDED = (46, 134, 171), (25, 25, 30), (250, 210, 60)


def masks_tab(page, lang="en"):
    page.get_by_role("tab", name=i18n.TEXTS[lang]["tab_masks"]).click()
    page.locator(f"{GRID}[data-ready='1']").wait_for(timeout=30_000)


def shown(page, attribute) -> str:
    return page.locator(GRID).get_attribute(f"data-{attribute}")


def cell_colour(page, row, col) -> tuple[int, int, int]:
    """The colour drawn at the centre of a cell of the picture."""
    return tuple(page.evaluate(
        "([r, c]) => { const g = document.querySelector('#layers .layers-grid');"
        " const cell = g.width / 16; return [...g.getContext('2d').getImageData(c * cell + cell / 2,"
        " r * cell + cell / 2, 1, 1).data].slice(0, 3); }", [row, col]))  # fmt: skip


def near(colour, expected, tolerance=3) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected))


def blend(top, bottom, alpha=0.75):
    return tuple(round(alpha * t + (1 - alpha) * b) for t, b in zip(top, bottom))


def tap_cell(page, row, col, shift=False, touch=False):
    box = page.locator(GRID).bounding_box()
    position = {"x": box["width"] * (col + 0.5) / 16, "y": box["height"] * (row + 0.5) / 16}
    if touch:
        page.locator(GRID).tap(position=position)
    else:
        page.locator(GRID).click(position=position, modifiers=["Shift"] if shift else [])


def page_refusing(chromium, url, pattern):
    """A page with ?engine=off whose requests for `pattern` are refused: those files never come."""
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.route(pattern, lambda route: route.abort())
    page.goto(url + "?engine=off")
    return page


def why_state(page, state):
    page.locator(f"#layers .layers-why[data-state='{state}']").wait_for(state="attached", timeout=10_000)


def test_mouse_plays_the_layers_and_asks_why_in_english(browser, two_models, shots):  # noqa: F811
    app, url = two_models
    view = LayerView(app)
    page = open_page(browser, url, 1280, 900)
    masks_tab(page)
    assert (shown(page, "pixel"), shown(page, "layer")) == ("8,8", "1")
    assert page.locator("#layers .layers-slider").get_attribute("max") == str(
        len(view.layers("pixelcnn", 8, 8)["layers"])
    )
    layers = view.layers("pixelcnn", 8, 8)["layers"]
    for row, col in [(5, 5), (7, 11), (8, 7), (8, 9), (9, 8)]:  # layer 1: exactly mask A's cells, all new
        assert near(cell_colour(page, row, col), blend(ADDED, FIELD) if layers[0]["field"][row][col] else EMPTY)

    page.locator("#layers .pcnn-layer-next").click()
    assert shown(page, "layer") == "2"
    ring = [(r, c) for r in range(16) for c in range(16) if layers[1]["field"][r][c] and not layers[0]["field"][r][c]]
    assert near(cell_colour(page, *ring[0]), blend(ADDED, FIELD)) and near(cell_colour(page, 6, 8), FIELD)

    page.locator("#layers .layers-play").click()  # one layer a second
    page.wait_for_function(f"() => document.querySelector('{GRID}').dataset.layer === '4'", timeout=5_000)
    assert page.locator("#layers .layers-play").inner_text() == i18n.TEXTS["en"]["pause"]
    page.locator("#layers .layers-play").click()
    page.wait_for_timeout(1300)
    paused = shown(page, "layer")
    assert paused in ("4", "5") and page.locator("#layers .layers-play").inner_text() == i18n.TEXTS["en"]["play"]

    page.locator("#layers .layers-slider").fill(str(len(layers)))
    assert shown(page, "layer") == str(len(layers))
    assert near(cell_colour(page, 7, 15), EMPTY) and layers[-1]["blind_spot"][7][15]  # the blind spot, unseen
    assert page.get_by_text(i18n.TEXTS["en"]["layers_legend_blind"], exact=True).is_visible()

    tap_cell(page, 7, 15, shift=True)
    why_state(page, "sentence")
    expected = view.why("pixelcnn", 8, 8, len(layers), 7, 15, "en")
    assert expected["reason"] == "why_blind_spot"
    assert page.locator("#layers .layers-sentence").inner_text() == expected["sentence"]

    tap_cell(page, 5, 3, shift=True)
    why_state(page, "chain")
    hops = view.why("pixelcnn", 8, 8, len(layers), 5, 3, "en")["chain"]
    items = page.locator("#layers .layers-why li")
    items.nth(len(hops) - 1).wait_for(timeout=5_000)  # drawn hop by hop
    assert items.count() == len(hops)
    first = i18n.TEXTS["en"]["layers_hop"].format(
        layer=1, mask="mask A", source_row=5, source_col=3, row=hops[0]["to"][0], col=hops[0]["to"][1]
    )
    assert items.first.inner_text().strip() == first

    page.locator("#layers .layers-measured[data-ready='1']").wait_for(timeout=30_000)
    assert page.get_by_text(i18n.TEXTS["en"]["layers_measured_help"]).is_visible()
    page.locator("#layers").screenshot(path=str(shots / "layers.png"))

    tap_cell(page, 10, 4)  # a new pixel: its own layers, the chain forgotten
    page.wait_for_function(f"() => document.querySelector('{GRID}').dataset.pixel === '10,4'")
    why_state(page, "none")
    assert page.errors == []
    page.close()


def test_keyboard_only_moves_the_pixel_the_layer_and_the_probe(browser, two_models):  # noqa: F811
    app, url = two_models
    view = LayerView(app)
    page = open_page(browser, url, 1280, 900)
    masks_tab(page)
    for _ in range(80):  # Tab, as a person would, until the picture has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('layers-grid')"):
            break
    else:
        pytest.fail("the layer picture never gets the focus with Tab")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowLeft")
    page.locator(f"{GRID}[data-pixel='9,7'][data-ready='1']").wait_for()
    last = len(view.layers("pixelcnn", 9, 7)["layers"])
    for _ in range(last - 1):
        page.keyboard.press("l")
    assert shown(page, "layer") == str(last)
    page.keyboard.press("L")  # after the last layer, the first again
    assert shown(page, "layer") == "1"
    for key in ["Shift+ArrowUp", "Shift+ArrowUp", "Shift+ArrowRight", "Enter"]:  # probe (7, 8)
        page.keyboard.press(key)
    expected = view.why("pixelcnn", 9, 7, 1, 7, 8, "en")
    why_state(page, "chain" if "chain" in expected else "sentence")
    if "sentence" in expected:
        assert page.locator("#layers .layers-sentence").inner_text() == expected["sentence"]
    page.keyboard.press("l")  # the answer follows the layer
    expected = view.why("pixelcnn", 9, 7, 2, 7, 8, "en")
    assert "chain" in expected and len(expected["chain"]) == 2
    page.locator("#layers .layers-why li").nth(1).wait_for(timeout=5_000)
    assert page.errors == []
    page.close()


def test_a_touch_phone_in_french_shows_the_gated_stacks_and_a_chain(browser, two_models, shots):  # noqa: F811
    app, url = two_models
    view = LayerView(app)
    page = open_page(browser, f"{url}?lang=fr", 390, 844, touch=True)
    masks_tab(page, "fr")
    page.locator("#layers .layers-model").select_option("gated")
    page.locator(f"{GRID}[data-ready='1']").wait_for()
    fr = i18n.TEXTS["fr"]
    legend = page.locator("#layers .layers-legend").inner_text()
    for key in ("layers_legend_vertical", "layers_legend_horizontal", "layers_legend_union"):
        assert fr[key] in legend
    layers = view.layers("gated", 8, 8)["layers"]
    page.locator("#layers .layers-slider").fill("3")
    VERTICAL, HORIZONTAL = (59, 91, 219), (232, 89, 12)
    for row, col in [(5, 8), (7, 5), (8, 6), (8, 2)]:
        now = layers[2]
        colour = VERTICAL if now["vertical"][row][col] else HORIZONTAL if now["horizontal"][row][col] else EMPTY
        if now["field"][row][col] and not layers[1]["field"][row][col]:
            colour = blend(ADDED, colour)
        assert near(cell_colour(page, row, col), colour), (row, col)

    page.locator("#layers [data-mode='why']").tap()
    tap_cell(page, 6, 12, touch=True)
    why_state(page, "chain")
    hops = view.why("gated", 8, 8, 3, 6, 12, "fr")["chain"]
    page.locator("#layers .layers-why li").nth(len(hops) - 1).wait_for(timeout=5_000)
    assert page.locator("#layers .layers-why li").first.inner_text().strip().startswith("couche 1 : masque vertical A")
    assert fr["layers_stacks_note"] in page.locator("#layers .layers-why").inner_text()
    tap_cell(page, 8, 9, touch=True)  # after the pixel: the sentence, in French
    why_state(page, "sentence")
    assert page.locator("#layers .layers-sentence").inner_text() == fr["why_after"]

    page.locator("#layers .layers-play").tap()
    page.wait_for_function(f"() => document.querySelector('{GRID}').dataset.layer === '5'", timeout=5_000)
    page.locator("#layers .layers-play").tap()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    grid = page.locator(GRID).bounding_box()
    assert grid["x"] >= 0 and grid["x"] + grid["width"] <= 390
    page.locator(GRID).scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "layers-phone.png"))
    assert page.errors == []
    page.close()


def test_the_layer_view_why_and_measured_fields_send_nothing_to_the_server(browser, two_models):  # noqa: F811
    """Everything the masks tab shows is computed or read in the page: after load, no POST at all, whatever is
    clicked; the measured fields come once per model, as files."""
    app, url = two_models
    view = LayerView(app)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    files, sent, errors = [], [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda r: files.append(r.url) if "-measured-" in r.url else None)
    page.goto(url + "?engine=off")
    page.locator("#grid .pcnn-board").wait_for(timeout=30_000)
    page.on("request", lambda r: sent.append(r.url) if r.method != "GET" else None)  # after load
    masks_tab(page)
    fields = page.locator(".masks-field")
    fields.last.click(position={"x": 30, "y": 30})  # the masks tab's fields: a pixel of the gated model
    page.wait_for_function("() => [...document.querySelectorAll('.masks-field')].every(f => f.dataset.ready === '1')")
    for model, (row, col), probe in [("pixelcnn", (9, 4), (6, 2)), ("gated", (12, 10), (8, 14))]:
        page.locator("#layers .layers-model").select_option(model)
        tap_cell(page, row, col)
        page.locator(f"{GRID}[data-pixel='{row},{col}'][data-ready='1']").wait_for()
        page.locator("#layers .layers-measured[data-ready='1']").wait_for()
        for layer in (1, 3):
            page.locator("#layers .layers-slider").fill(str(layer))
            tap_cell(page, *probe, shift=True)
            expected = view.why(model, row, col, layer, *probe, "en")
            why_state(page, "chain" if "chain" in expected else "sentence")
            if "sentence" in expected:
                assert page.locator("#layers .layers-sentence").inner_text() == expected["sentence"]
    assert sent == [] and len(files) == 2 and errors == [], (sent, files, errors)
    page.close()


def test_a_view_whose_files_failed_says_so_and_recovers_by_itself(browser, two_models):  # noqa: F811
    """The fields module and a model's measured fields refused once (as a flaky network would): the layer view and
    the masks tab say so, the field is hatched (never black like "unseen"), and both come by themselves."""
    app, url = two_models
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    refused = []

    def once(route):
        if route.request.url.split("?")[0] in refused:
            return route.continue_()
        refused.append(route.request.url.split("?")[0])
        route.abort()

    page.route("**/fields.js*", once)
    page.route("**/pixelcnn-measured-*", once)
    page.goto(url + "?engine=off")
    masks_tab(page)  # the layer view ready: the module came on its second try
    page.get_by_text(i18n.TEXTS["en"]["layers_failed"]).wait_for(state="detached", timeout=10_000)
    texts = i18n.TEXTS["en"]
    failed = texts["field_failed"].format(model=texts["model_pixelcnn"])
    page.locator("#layers .layers-measured[data-ready='1']").wait_for(timeout=15_000)
    assert len(refused) == 2  # the measured fields are asked for by the module, so only once it has come
    # the masks tab's other model failed too (its fields need the module) and comes on its own retry, maybe later
    page.locator("#masks .masks-status").wait_for(state="hidden", timeout=15_000)
    assert failed not in page.locator("#masks").inner_text()
    page.close()


def test_while_a_field_is_missing_the_view_says_so_and_hatches_it(browser, two_models):  # noqa: F811
    """D10: a measured field not yet had was drawn dark grey, like "unseen"; now hatched, with the sentence."""
    app, url = two_models
    page = page_refusing(browser, url, "**/pixelcnn-measured-*")  # never comes
    page.get_by_role("tab", name=i18n.TEXTS["en"]["tab_masks"]).click()
    texts = i18n.TEXTS["en"]
    failed = texts["field_failed"].format(model=texts["model_pixelcnn"])
    page.locator("#masks .masks-status", has_text=failed).wait_for(timeout=10_000)
    page.locator("#layers .layers-status", has_text=failed).wait_for(timeout=10_000)
    field = page.locator(".masks-field").first
    greys = """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] > 70 && Math.abs(d[i] - d[i + 1]) < 8) n++; return n; }"""
    assert field.get_attribute("data-ready") == "0" and field.evaluate(greys) > 1000  # stripes over it
    assert page.locator(".masks-field").last.get_attribute("data-ready") == "1"  # the other model's came
    page.close()


def test_without_the_fields_module_the_views_say_so(browser, two_models):  # noqa: F811
    app, url = two_models
    page = page_refusing(browser, url, "**/fields.js*")  # never comes
    page.get_by_role("tab", name=i18n.TEXTS["en"]["tab_masks"]).click()
    texts = i18n.TEXTS["en"]
    page.locator("#layers .layers-status", has_text=texts["layers_failed"]).wait_for(timeout=10_000)
    for model in app.models:  # the measured fields are read by the module too
        failed = texts["field_failed"].format(model=texts[f"model_{model}"])
        page.locator("#masks .masks-status", has_text=failed).wait_for(timeout=10_000)
    assert shown(page, "ready") == "0"
    page.close()


def test_with_the_network_cut_after_load_the_layer_view_and_why_still_work(browser, two_models):  # noqa: F811
    """Everything the masks tab needs comes with the page: cut the network once it has loaded, then open the tab."""
    app, url = two_models
    view = LayerView(app)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url + "?engine=off")
    page.locator("#grid .pcnn-board").wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    context.set_offline(True)
    masks_tab(page)
    page.locator("#layers .layers-model").select_option("gated")
    tap_cell(page, 9, 9)
    page.locator(f"{GRID}[data-pixel='9,9'][data-ready='1']").wait_for()
    page.locator("#layers .layers-measured[data-ready='1']").wait_for(timeout=10_000)
    tap_cell(page, 7, 13, shift=True)
    hops = view.why("gated", 9, 9, 1, 7, 13, "en")
    why_state(page, "chain" if "chain" in hops else "sentence")
    context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_chain_of_one_tap_is_said_in_the_singular(browser, two_models, lang):  # noqa: F811
    """At the first layer a chain has one tap: its title says so ("A chain of one tap", "Un chemin d'une case"), not
    "A chain of 1 taps"; from two taps on, the plural."""
    app, url = two_models
    view = LayerView(app)
    page = open_page(browser, f"{url}?lang={lang}", 1280, 900)
    masks_tab(page, lang)
    assert (shown(page, "pixel"), shown(page, "layer")) == ("8,8", "1")
    assert len(view.why("pixelcnn", 8, 8, 1, 6, 9, lang)["chain"]) == 1
    tap_cell(page, 6, 9, shift=True)
    why_state(page, "chain")
    title = page.locator("#layers .layers-why p").first
    assert title.inner_text() == i18n.text("layers_chain_one", lang, row=6, col=9)
    page.locator("#layers .pcnn-layer-next").click()  # the same probe at layer 2: two taps
    page.locator("#layers .layers-why li").nth(1).wait_for(timeout=5_000)
    assert title.inner_text() == i18n.text("layers_chain", lang, count=2, row=6, col=9)
    assert page.errors == []
    page.close()
