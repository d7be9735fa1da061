"""A pupil's whole script in the page, as one function: for the browser test of the page computing everything
(tests/test_student_browser.py) and the classroom benchmark (bench/classroom.py).

The script: upload a picture, Generate with both models, save the GIF, copy the link, the layer view and a why-not
click (the masks tab, with its measured field), the learning tab (an epoch's 16 pictures, complete my grid). Each step
waits for what the page shows, never for a fixed time.
"""

BOARD = "#grid .pcnn-board"
WAIT_MS = 60_000


def engine_ready(page) -> None:
    """Every model of the page loaded in the page's engine (its workers)."""
    page.locator(BOARD).wait_for(timeout=WAIT_MS)
    every = "[...document.querySelectorAll('.pcnn-model option')].map((o) => o.value).sort().join(',')"
    page.wait_for_function(f"() => document.querySelector('.pcnn-engine').dataset.models === {every}",
                           timeout=WAIT_MS)  # fmt: skip


def generate_here(page, timeout: int = 30_000) -> None:
    """Press Generate and wait for that run to be drawn (by the page's engine or the server), then show it whole."""
    asked = int(page.locator(BOARD).get_attribute("data-asked"))
    page.locator(".pcnn-generate").click()
    page.wait_for_function(f"() => document.querySelector('{BOARD}').dataset.run === String({asked + 1})",
                           timeout=timeout)  # fmt: skip
    page.locator(".pcnn-end").click()


def generate(page, model: str) -> None:
    """Generate with `model`, waiting for the run to be drawn, shown whole."""
    page.locator(".pcnn-model").select_option(model)
    generate_here(page, WAIT_MS)


def student_script(page, picture: bytes, texts: dict, learning: bool = True) -> dict:
    """Walk the script on a page whose engine is ready; `texts` are the page's language's (demo.i18n.TEXTS[lang]);
    without `learning`, the learning tab is left out (its snapshots come from the network when first chosen).
    Returns what it saw: {"upload": board levels, "gif": bytes, "link": the copied address, "why": the why state,
    "learning": the 16 pictures' levels}."""
    seen = {}
    page.locator(".pcnn-file").set_input_files(files=[{"name": "garment.png", "mimeType": "image/png",
                                                        "buffer": picture}])  # fmt: skip
    page.wait_for_function(f"() => document.querySelector('{BOARD}').dataset.levels !== '{'0' * 256}'",
                           timeout=WAIT_MS)  # fmt: skip
    seen["upload"] = page.locator(BOARD).get_attribute("data-levels")
    generate(page, "pixelcnn")
    generate(page, "gated")
    with page.expect_download(timeout=WAIT_MS) as download:
        page.locator(".pcnn-save-gif").click()
    seen["gif"] = open(download.value.path(), "rb").read()
    page.locator(".pcnn-copy-link").click()
    page.wait_for_function("() => location.search.includes('seed=')", timeout=WAIT_MS)
    seen["link"] = page.url

    page.get_by_role("tab", name=texts["tab_masks"]).click()
    grid = page.locator("#layers .layers-grid[data-ready='1']")
    grid.wait_for(timeout=WAIT_MS)
    page.locator("#layers .layers-model").select_option("gated")
    box = grid.bounding_box()
    at = lambda row, col: {"x": box["width"] * (col + 0.5) / 16, "y": box["height"] * (row + 0.5) / 16}  # noqa: E731
    grid.click(position=at(9, 9))
    page.locator("#layers .layers-grid[data-pixel='9,9'][data-ready='1']").wait_for(timeout=WAIT_MS)
    page.locator("#layers .layers-measured[data-ready='1']").wait_for(timeout=WAIT_MS)
    grid.click(position=at(7, 13), modifiers=["Shift"])  # why does (9, 9) not see (7, 13) at this layer?
    why = page.locator("#layers .layers-why[data-state='chain'], #layers .layers-why[data-state='sentence']")
    why.wait_for(state="attached", timeout=WAIT_MS)
    seen["why"] = why.get_attribute("data-state")

    if not learning:
        return seen
    page.get_by_role("tab", name=texts["tab_learning"]).click()
    samples = page.locator("#learning .learning-samples:not([data-levels=''])")
    samples.wait_for(state="attached", timeout=WAIT_MS)
    seen["learning"] = samples.get_attribute("data-levels")
    page.get_by_role("button", name=texts["learning_grid"]).click()
    page.locator("#learning .learning-grid:not([data-levels=''])").wait_for(state="attached", timeout=WAIT_MS)
    return seen
