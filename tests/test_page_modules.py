"""The page's JavaScript is ES modules (demo/page/) that node imports as the page does: nothing runs at import but
declarations (a component runs when its mount() is called, by demo/mount.js), so a test can import any of them; and
the parts the components share, run in node: questions.js (one answer per question, the newest), loads.js (tried
again until had), grid_state.js (the grid's state, computed from itself alone)."""

import json
import random
from pathlib import Path

import pytest

from demo import i18n
from demo.ui import COMPONENTS, page_dir
from tests.test_engine import node

PAGE = Path(__file__).resolve().parent.parent / "demo" / "page"
HARNESS = Path(__file__).resolve().parent / "page_harness.mjs"
WORKERS = {"engine_worker.js", "upload_worker.js"}  # worker scripts: they listen on `self` (their modules are imported)


def ask(question: dict) -> dict:
    return node({**question, "folder": str(page_dir())}, harness=HARNESS)


def test_every_module_of_the_page_imports_in_node_and_each_component_exports_its_mount():
    files = sorted(path.name for path in PAGE.glob("*.js") if path.name not in WORKERS) + ["locales.js"]
    exported = ask({"imports": files})["imports"]
    failed = {name: names for name, names in exported.items() if isinstance(names, dict)}
    assert failed == {}
    for name in COMPONENTS:  # each mounted by its gr.HTML (demo/mount.js): its module, HTML and CSS
        assert exported[f"{name}.js"] == ["mount"], name
        assert (PAGE.parent / f"{name}.html").exists() and (PAGE.parent / f"{name}.css").exists()
    assert exported["i18n.js"] == exported["present.js"] == ["start"]  # started from the page's head
    assert exported["locales.js"] == ["TEXTS"]


def test_the_pages_texts_are_every_languages_texts_once_in_the_pages_folder_and_in_no_components_props():
    """The components' texts come in one module of the page's folder, which the browser may keep, not in each of the
    four components' props (they made 212 KB of the page's 358 KB config)."""
    from demo import ui
    from demo.handlers import DemoApp
    from demo.learning import Learning
    from tests.conftest import served

    assert ask({"texts": True})["texts"] == i18n.TEXTS
    app, learning = DemoApp({"pixelcnn": served("pixelcnn")}), Learning(["pixelcnn"])
    for props in (ui.page_props(app), ui.masks_props(app), ui.layers_props(app), ui.learning_props(app, learning)):
        assert "texts" not in props and i18n.TEXTS["en"]["status_no_answer"] not in json.dumps(props)


def test_a_question_is_sent_once_with_its_kind_id_page_and_language_and_only_the_newest_answer_is_shown():
    steps = [
        ["ask", "complete", {"seed": 1}],
        ["ask", "complete", {"seed": 1}],  # a double click: not sent again, the first asking shows the answer
        ["ask", "complete", {"seed": 2}],  # a newer question of the same kind
        ["ask", "gallery", {"seed": 1}],  # another kind: its own turn
        ["answer", 1, {"result": "second"}],
        ["answer", 0, {"result": "first"}],  # the older answer, come last: never shown
        ["answer", 2, {"result": "four"}],
    ]
    answer = ask({"questions": steps})["questions"]
    assert [(q["kind"], q["id"], q["seed"], q["page"], q["lang"]) for q in answer["sent"]] == [
        ("complete", 1, 1, "p1", "fr"), ("complete", 2, 2, "p1", "fr"), ("gallery", 1, 1, "p1", "fr")]  # fmt: skip
    assert answer["shown"] == [None, None, {"result": "second"}, {"result": "four"}]
    assert answer["open"] == []


def test_an_answer_lost_twice_is_asked_again_once_then_said_in_the_pages_sentence():
    steps = [["ask", "complete", {"seed": 1}], ["answer", 0, None], ["answer", 1, None]]
    answer = ask({"questions": steps})["questions"]
    assert len(answer["sent"]) == 2 and answer["sent"][0] == answer["sent"][1]  # the same question, once more
    assert answer["shown"] == [{"kind": "complete", "id": 1, "error": "no answer"}]


def test_a_load_that_fails_is_tried_again_by_itself_and_said_to_be_failing_until_it_comes():
    answer = ask({"loads": 2})["loads"]  # fails twice (1 s, then 2 s later), then comes
    assert answer["attempts"] == 3 and answer["first_wait_ms"] == 1000
    assert answer["seen"] == [{"failing": True, "loaded": None}, {"failing": True, "loaded": None},
                              {"failing": False, "loaded": "had"}]  # fmt: skip  (asked twice: loaded once)


def test_the_grids_state_functions_bars_add_up_trace_hides_later_pixels_and_strokes_leave_no_gaps():
    rng = random.Random(3)
    probs = []
    for _ in range(200):
        weights = [rng.random() ** 4 for _ in range(4)]
        probs.append([w / sum(weights) for w in weights])
    trace = [{"row": 9, "col": c, "level": 1 + c % 3} for c in range(16)]
    start = [[2] * 16 for _ in range(16)]
    hole = [[int(r == 5 and c >= 3) for c in range(16)] for r in range(16)]
    case = {"probs": probs, "trace": trace, "start": start, "cursor": 5, "hole": hole,
            "from": {"row": 5, "col": 3}, "to": {"row": 12, "col": 10}}  # fmt: skip
    state = ask({"state": case})["state"]
    for p, shown, one, zero in zip(probs, state["hundredths"], state["atOne"], state["atZero"]):
        assert round(sum(shown) * 100) == 100 and all(abs(s - q) < 0.01 for s, q in zip(shown, p))  # 1.00 in all
        assert all(abs(a - b) < 1e-12 for a, b in zip(one, p))
        assert zero == [float(q == max(p)) for q in p]
    assert state["shown"][9] == [1 + c % 3 if c < 5 else 0 for c in range(16)]  # 5 pixels shown, the rest blank
    assert state["shown"][8] == [2] * 16
    painted = {(r, c) for r, row in enumerate(state["line"]) for c, level in enumerate(row) if level == 3}
    assert len(painted) == 8 and all((5 + i, 3 + i) in painted for i in range(8))  # the diagonal, whole
    assert state["unused"] == [[r, c] for r in range(5, 16) for c in range(16) if (r, c) > (5, 3) and not hole[r][c]]
    assert state["blind"] == [[r, c] for r in range(16) for c in range(16) if (r, c) < (5, 3)]  # field all 0: unseen


@pytest.mark.app
def test_each_component_gets_its_data_as_one_json_string(running_app, demo_app):
    """Gradio 6.31's frontend proxies and clones every nested list of a prop on each page load: a component's data
    (the grid's test images, the layer view's wirings, ...) reach the page as one string, parsed once by mount.js."""
    import httpx

    from demo import ui

    config = httpx.get(running_app.local_url + "config").json()
    ours = {c["props"]["elem_id"]: c["props"]["props"] for c in config["components"]
            if c["props"].get("elem_id") in COMPONENTS}  # fmt: skip  (a gr.HTML's own props, beside Gradio's)
    assert set(ours) == set(COMPONENTS)
    for props in ours.values():
        assert set(props) == {"data"}
        data = json.loads(props["data"])
        assert data["page"] == ui.page_folder() and set(data["part_failed"]) == set(i18n.TEXTS)
    assert json.loads(ours["grid"]["data"])["samples"] == ui.page_props(demo_app)["samples"]
