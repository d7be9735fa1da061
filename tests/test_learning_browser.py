"""'Watch it learn' in a real browser: the tab computes everything in the page (curves, the 16 pictures, 'complete
my grid') with the answers of demo/learning.py, sends nothing to the server once loaded, loads a snapshot only
when its tab or epoch is chosen, and says in the page's language what an epoch not loaded yet needs offline."""

import json
import math

import numpy as np
import pytest

from demo import i18n
from demo.learning import Learning
from tests.test_browser import browser, received, two_models  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
SAMPLES = "#learning .learning-samples"
SNAPSHOT = "-epoch"  # in the name of every snapshot's engine file (pixelcnn.export.export_snapshot)
WAIT_MS = 90_000  # the gated model's 16 pictures, computed on a machine busy elsewhere


@pytest.fixture(scope="module")
def learning():
    return Learning(["pixelcnn", "gated"])


def open_tab(browser, url, lang="en", width=1280, height=900, query=""):  # noqa: F811
    """The page loaded (the main grid shown, the network quiet), the files and POSTs it sends counted from then."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale=lang)
    page = context.new_page()
    page.errors, page.snapshots, page.posts = [], [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("request", lambda r: page.snapshots.append(r.url) if SNAPSHOT in r.url else None)
    page.goto(url + query)
    page.locator("#grid .pcnn-board").wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    page.on("request", lambda r: page.posts.append(r.url) if r.method != "GET" else None)  # after load
    return context, page


def pictures(page, key: str) -> list:
    """The 16 pictures drawn for snapshot `key` ("gated@2"), once all are drawn."""
    page.locator(f"{SAMPLES}[data-key='{key}']:not([data-levels=''])").wait_for(state="attached", timeout=WAIT_MS)
    return json.loads(page.locator(SAMPLES).get_attribute("data-levels"))


def test_the_tab_draws_pythons_pictures_and_grid_in_the_page_and_sends_nothing(browser, two_models, learning):  # noqa: F811
    """Epoch, model and seed changed, a curve pointed at, 'complete my grid' pressed: every picture equals the
    API's (demo/learning.py), no POST is sent, and no snapshot is fetched before the tab is opened, then only the
    ones chosen."""
    texts = i18n.TEXTS["en"]
    context, page = open_tab(browser, two_models[1])
    page.locator(".pcnn-use-sample").click()  # a test image on the first tab's grid
    page.locator(".pcnn-model").select_option("gated")  # the tab keeps its own choice, as its label says
    page.wait_for_timeout(500)
    assert page.snapshots == []  # none at page load
    last = {name: max(found) for name, found in learning.epochs.items()}
    page.get_by_role("tab", name=texts["tab_learning"]).click()
    assert page.locator("#learning .learning-model").input_value() == "pixelcnn"
    assert page.locator("#learning .learning-epoch").get_attribute("max") == str(last["pixelcnn"])
    assert (
        pictures(page, f"pixelcnn@{last['pixelcnn']}") == learning.learning("pixelcnn", last["pixelcnn"], 0)["samples"]
    )
    bits = next(r["test_bpd"] for r in learning.curves["pixelcnn"] if r["epoch"] == last["pixelcnn"])
    caption = texts["learning_shown"].format(model=texts["model_pixelcnn"], epoch=last["pixelcnn"], bits=f"{bits:.3f}")
    assert page.locator("#learning .learning-caption").inner_text() == caption  # one figure, its model named

    page.locator("#learning .learning-epoch").fill("2")
    assert pictures(page, "pixelcnn@2") == learning.learning("pixelcnn", 2, 0)["samples"]
    assert page.locator("#learning .learning-mark").get_attribute("data-epoch") == "2"  # the epoch marked
    page.locator("#learning .learning-model").select_option("gated")  # epoch 2 stays: gated was trained longer
    assert page.locator("#learning .learning-epoch").get_attribute("max") == str(last["gated"])
    page.locator("#learning .learning-seed").fill("5")
    page.locator("#learning .learning-seed").press("Enter")
    assert pictures(page, "gated@2") == learning.learning("gated", 2, 5)["samples"]

    box = page.locator("#learning .learning-curve").bounding_box()  # epoch 10 on the curves' frame (480 wide,
    # from 44 to 470; epochs on a symmetric log scale: linear to 1, then log10)
    last_epoch = max(max(r["epoch"] for r in c) for c in learning.curves.values())
    x = 44 + (1 + math.log10(10)) / (1 + math.log10(last_epoch)) * 426
    page.mouse.move(box["x"] + x / 480 * box["width"], box["y"] + box["height"] / 2)
    readout = " ".join(
        texts["learning_readout"].format(
            model=texts[f"model_{name}"], epoch=10, test=f"{row['test_bpd']:.3f}", train=f"{row['train_bpd']:.3f}"
        )  # fmt: skip
        for name in ("pixelcnn", "gated")
        for row in learning.curves[name]
        if row["epoch"] == 10
    )
    assert page.locator("#learning .learning-readout").inner_text() == readout  # both models, named
    page.locator("#learning .learning-curve").focus()
    page.keyboard.press("ArrowLeft")  # the keyboard reads the epoch before
    nine = next(r for r in learning.curves["pixelcnn"] if r["epoch"] == 9)
    assert (
        page.locator("#learning .learning-readout")
        .inner_text()
        .startswith(
            texts["learning_readout"].format(
                model=texts["model_pixelcnn"], epoch=9, test=f"{nine['test_bpd']:.3f}", train=f"{nine['train_bpd']:.3f}"
            )
        )
    )

    board = page.evaluate("() => { const b = document.querySelector('#grid .pcnn-board');"
                          " return [b.dataset.levels, Number(b.dataset.keptRows)]; }")  # fmt: skip
    page.get_by_role("button", name=texts["learning_grid"]).click()
    # computed in the page: no Gradio queue, so never its "queue: 6/6 | 3.1/7.4s" (issue 31)
    assert page.locator("#learning").locator(".eta-bar, .progress-text, .progress-level").count() == 0
    assert "queue" not in page.locator("#learning").inner_text()
    page.locator("#learning .learning-grid:not([data-levels=''])").wait_for(state="attached", timeout=WAIT_MS)
    mine = json.loads(page.locator("#learning .learning-grid").get_attribute("data-levels"))
    assert mine == learning.complete_grid("gated", 2, 5, *board)
    caption = texts["learning_grid_caption"].format(model=texts["model_gated"], epoch=2, rows=board[1], seed=5)
    assert page.locator("#learning .learning-mine figcaption").inner_text() == caption

    samples = page.locator(SAMPLES).bounding_box()["width"]  # the 16 pictures, large enough for a projector
    assert samples * 128 / 536 >= 100
    assert page.posts == [] and page.errors == [], (page.posts, page.errors)
    assert len(page.snapshots) == 3 and all(f"{k}-" in u for k, u in zip(
        (f"pixelcnn-epoch{last['pixelcnn']}", "pixelcnn-epoch2", "gated-epoch2"), page.snapshots))  # fmt: skip
    page.locator("#learning .learning-model").select_option("pixelcnn")
    page.locator("#learning .learning-epoch").fill(str(last["pixelcnn"]))
    page.locator("#learning .learning-model").select_option("gated")  # not trained that long: its last epoch
    assert page.locator("#learning .learning-epoch").input_value() == str(last["gated"])
    assert pictures(page, f"gated@{last['gated']}") == learning.learning("gated", last["gated"], 5)["samples"]
    assert page.posts == [] and page.errors == [], (page.posts, page.errors)
    context.close()


def test_with_engine_off_the_server_draws_the_same_pictures_and_grid_and_no_snapshot_is_fetched(
    browser, two_models, learning,  # noqa: F811
):
    texts = i18n.TEXTS["en"]
    context, page = open_tab(browser, two_models[1], query="?engine=off")
    page.locator(".pcnn-use-sample").click()  # a test image on the first tab's grid
    page.get_by_role("tab", name=texts["tab_learning"]).click()
    page.locator("#learning .learning-epoch").fill("2")
    assert pictures(page, "pixelcnn@2") == learning.learning("pixelcnn", 2, 0)["samples"]
    board = page.evaluate("() => { const b = document.querySelector('#grid .pcnn-board');"
                          " return [b.dataset.levels, Number(b.dataset.keptRows)]; }")  # fmt: skip
    page.get_by_role("button", name=texts["learning_grid"]).click()
    page.locator("#learning .learning-grid:not([data-levels=''])").wait_for(state="attached", timeout=WAIT_MS)
    assert json.loads(page.locator("#learning .learning-grid").get_attribute("data-levels")) == learning.complete_grid(
        "pixelcnn", 2, 0, *board)
    assert page.snapshots == [] and len(page.posts) >= 2 and page.errors == []  # asked of the server, both
    context.close()


def test_where_no_worker_can_start_the_server_draws_the_same_pictures(browser, two_models, learning):  # noqa: F811
    texts = i18n.TEXTS["en"]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/engine_worker.js*", lambda route: route.abort())  # the workers' script never comes
    page.goto(two_models[1])
    page.get_by_role("tab", name=texts["tab_learning"]).click()
    page.locator("#learning .learning-epoch").fill("2")
    assert pictures(page, "pixelcnn@2") == learning.learning("pixelcnn", 2, 0)["samples"]
    assert errors == []
    context.close()


def test_offline_an_epoch_not_loaded_says_it_needs_the_network_and_a_loaded_one_works(browser, two_models, learning):  # noqa: F811
    """In French: the network cut after four epochs came; another epoch says it needs the network (in full, under
    the controls), the first one loaded (its worker stopped since, started again from the files kept in memory)
    still draws and completes the grid; back online, the other one loads by itself."""
    fr = i18n.TEXTS["fr"]
    context, page = open_tab(browser, two_models[1], lang="fr-FR")
    page.get_by_role("tab", name=fr["tab_learning"]).click()
    last = max(learning.epochs["pixelcnn"])
    assert pictures(page, f"pixelcnn@{last}") == learning.learning("pixelcnn", last, 0)["samples"]
    assert page.locator("#learning .learning-epoch-label").inner_text().startswith(fr["learning_epoch"])
    bits = next(r["test_bpd"] for r in learning.curves["pixelcnn"] if r["epoch"] == last)
    caption = fr["learning_shown"].format(model=fr["model_pixelcnn"], epoch=last, bits=f"{bits:.3f}".replace(".", ","))
    assert page.locator("#learning .learning-caption").inner_text() == caption  # 0,400 in French
    for epoch in (2, 5, 10):  # more snapshots than the page keeps workers for: the first one's worker stops
        page.locator("#learning .learning-epoch").fill(str(epoch))
        pictures(page, f"pixelcnn@{epoch}")
    context.set_offline(True)
    page.locator("#learning .learning-epoch").fill("1")
    status = page.locator("#learning .learning-status")
    status.filter(has_text=fr["learning_needs_network"].format(epoch=1)).wait_for(timeout=10_000)
    assert status.is_visible() and status.bounding_box()["height"] > 0
    page.locator("#learning .learning-epoch").fill(str(last))
    assert pictures(page, f"pixelcnn@{last}") == learning.learning("pixelcnn", last, 0)["samples"]
    samples_alt = fr["learning_samples_alt"].format(model=fr["model_pixelcnn"], epoch=last, first=0, last=15)
    assert page.locator(SAMPLES).get_attribute("aria-label") == samples_alt  # what the pictures show, in French
    page.get_by_role("button", name=fr["learning_grid"]).click()
    page.locator("#learning .learning-grid:not([data-levels=''])").wait_for(state="attached", timeout=WAIT_MS)
    caption = fr["learning_grid_caption"].format(model=fr["model_pixelcnn"], epoch=last, rows=8, seed=0)
    assert page.locator("#learning .learning-mine figcaption").inner_text() == caption
    assert page.locator("#learning .learning-grid").get_attribute("aria-label") == caption
    page.locator("#learning .learning-seed").fill("-1")
    page.locator("#learning .learning-seed").press("Enter")
    refusal = fr["bad_seed"].format(high=learning_max_seed(), value="-1")
    status.filter(has_text=refusal).wait_for(timeout=WAIT_MS)  # a bad seed: the server's sentence, in French
    page.locator("#learning .learning-seed").fill("0x10")
    page.locator("#learning .learning-seed").press("Enter")  # never read as 16
    status.filter(has_text=fr["bad_seed"].format(high=learning_max_seed(), value="'0x10'")).wait_for(timeout=WAIT_MS)
    page.locator("#learning .learning-seed").fill("0")
    page.locator("#learning .learning-seed").press("Enter")
    context.set_offline(False)
    page.locator("#learning .learning-epoch").fill("1")
    assert pictures(page, "pixelcnn@1") == learning.learning("pixelcnn", 1, 0)["samples"]  # retried by itself
    assert page.posts == [] and page.errors == [], (page.posts, page.errors)
    context.close()


def test_a_snapshot_refused_says_so_in_full_and_comes_by_itself(browser, two_models, learning):  # noqa: F811
    """The chosen epoch's file answered 503 twice (a busy host): the sentence says so under the controls, in full,
    and the pictures come once the file does, with nothing pressed."""
    texts = i18n.TEXTS["en"]
    context, page = open_tab(browser, two_models[1])
    refused = []

    def flaky(route):
        if len(refused) < 2:
            refused.append(route.request.url)
            route.fulfill(status=503, body="busy")
        else:
            route.continue_()

    page.route("**/*-epoch5-*", flaky)
    page.get_by_role("tab", name=texts["tab_learning"]).click()
    page.locator("#learning .learning-epoch").fill("5")
    status = page.locator("#learning .learning-status")
    status.filter(has_text=texts["learning_snapshot_failed"].format(epoch=5)).wait_for(timeout=10_000)
    line = status.bounding_box()
    assert status.is_visible() and line["height"] >= 16 and line["width"] > 300  # not hidden under a label
    assert pictures(page, "pixelcnn@5") == learning.learning("pixelcnn", 5, 0)["samples"]
    assert len(refused) == 2 and status.inner_text() == "" and page.errors == []
    context.close()


def test_dragging_the_epoch_from_the_last_to_0_loads_one_snapshot(browser, two_models, learning):  # noqa: F811
    """While dragged the epoch and its figures follow; the snapshot is asked for when the slider is let go, so a
    drag across every epoch loads the one it ends on, not the eight it passes."""
    context, page = open_tab(browser, two_models[1])
    page.get_by_role("tab", name=i18n.TEXTS["en"]["tab_learning"]).click()
    last = max(learning.epochs["pixelcnn"])
    pictures(page, f"pixelcnn@{last}")
    box = page.locator("#learning .learning-epoch").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] - 4, y)
    page.mouse.down()
    page.mouse.move(box["x"] - 20, y, steps=30)
    assert page.locator("#learning .learning-epoch-value").inner_text() == "0"  # followed while dragged
    page.mouse.up()
    assert pictures(page, "pixelcnn@0") == learning.learning("pixelcnn", 0, 0)["samples"]
    assert len(page.snapshots) == 2 and "pixelcnn-epoch0-" in page.snapshots[1], page.snapshots
    context.close()


def learning_max_seed() -> int:
    from demo.handlers import MAX_SEED

    return MAX_SEED


def test_on_a_phone_the_legend_and_pictures_are_readable(browser, two_models):  # noqa: F811
    """The curves' legend is text of the page (not letters drawn small in a picture), and the 16 pictures fill the
    phone's width."""
    context, page = open_tab(browser, two_models[1], width=390, height=844)
    page.get_by_role("tab", name=i18n.TEXTS["en"]["tab_learning"]).click()
    page.locator("#learning .learning-legend li").first.wait_for()
    size = "e => parseFloat(getComputedStyle(e.querySelector('li')).fontSize)"  # the list stays, its items are redrawn
    assert page.locator("#learning .learning-legend").evaluate(size) >= 12
    box = page.locator(SAMPLES).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["width"] >= 280
    context.close()


def test_an_epoch_whose_snapshot_is_broken_says_so_and_the_others_work(browser, tmp_path):  # noqa: F811
    """A snapshot whose weights hold a NaN (the app starts: its config is sound): choosing its epoch says so in
    full, in the page's language, and shows none of another epoch's pictures; the next epoch draws as the API does."""
    import shutil

    from safetensors import safe_open
    from safetensors.numpy import load_file, save_file

    from demo.handlers import DemoApp
    from demo.learning import Learning
    from pixelcnn import snapshots
    from pixelcnn.models import WEIGHTS_DIR
    from tests.conftest import launched, served

    shutil.copytree(WEIGHTS_DIR / "pixelcnn", tmp_path / "pixelcnn")
    path = tmp_path / "pixelcnn" / snapshots.SNAPSHOTS / "epoch_001.safetensors"
    with safe_open(path, "np") as f:
        metadata = f.metadata()
    tensors = load_file(path)
    tensors["out.bias"] = np.full_like(tensors["out.bias"], np.nan)
    save_file(tensors, path, metadata=metadata)
    with launched(DemoApp({"pixelcnn": served("pixelcnn")}), Learning(["pixelcnn"], tmp_path)) as blocks:
        fr = i18n.TEXTS["fr"]
        context, page = open_tab(browser, blocks.local_url, lang="fr-FR")
        page.get_by_role("tab", name=fr["tab_learning"]).click()
        page.locator(f"{SAMPLES}:not([data-levels=''])").wait_for(state="attached", timeout=WAIT_MS)
        page.locator("#learning .learning-epoch").fill("1")
        status = page.locator("#learning .learning-status")
        assert status.inner_text() == fr["broken_snapshot"].format(epoch=1)
        assert page.locator(SAMPLES).get_attribute("data-drawn") == "0"  # no other epoch's pictures under it
        page.locator("#learning .learning-epoch").fill("2")
        learning = Learning(["pixelcnn"], tmp_path)
        assert pictures(page, "pixelcnn@2") == learning.learning("pixelcnn", 2, 0)["samples"]
        assert page.posts == [] and page.errors == [], (page.posts, page.errors)
        context.close()
