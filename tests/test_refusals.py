"""Every bad request, on every route it can take, gets our sentence and one log line, never a traceback.

The routes: the named endpoints through raw `/call/` and through the queue as a page's event would send them,
the page's questions through its gr.HTML server function `ask` on `/component_server`; `/run/` is closed
for all of them (it skipped the queue).
"""

import logging

import httpx
import pytest

from bench.raw import ask, call, config, private_event
from demo.errors import InputError
from demo.refusals import Hush

pytestmark = pytest.mark.app
GRID = [[0] * 16 for _ in range(16)]
BIG = 10**400  # JSON allows it; float() of it overflows
FILE = {"meta": {"_type": "gradio.FileData"}}


@pytest.fixture
def one_line_each(caplog, capfd):
    """Checks, after the test, one 'refused' log line per refusal the test counted and no traceback."""
    caplog.set_level(logging.WARNING, logger="demo")
    counted = []
    yield counted
    refusals = [r for r in caplog.get_records("call") if r.getMessage().startswith("refused")]
    assert len(refusals) == len(counted), [r.getMessage() for r in refusals]
    assert "Traceback" not in capfd.readouterr().err


ENDPOINTS = [
    ("complete", ["pixelcnn", GRID, 8, 1.0, BIG, "any"], "seed must be a whole number from 0"),
    ("complete", ["pixelcnn", GRID, BIG, 1.0, 1, "any"], "Rows to keep must be a whole number from 0"),
    ("complete", ["pixelcnn", GRID, 8, BIG, 1, "any"], "Temperature must be a number from 0"),
    ("complete", ["pixelcnn", GRID, 8, 1.0], "does not fit the endpoint"),
    ("fill", ["pixelcnn", GRID, [[1] * 16] * 16, 1.0, BIG, "any"], "seed must be a whole number from 0"),
    ("learning", [[], 5, 0], "No snapshots for the model []"),
    ("learning", [{}, 5, 0], "No snapshots for the model {}"),
    ("learning", ["pixelcnn", BIG, 0], "epoch must be a number from 0"),
    ("learning", ["pixelcnn", 5, BIG], "seed must be a whole number from 0"),
    ("levels_from_image", [{"path": "/etc/passwd", **FILE}], "not uploaded to this app"),
    ("levels_from_image", [{"path": "", **FILE}], "not uploaded to this app"),
    ("levels_from_image", [{"path": "https://example.com/a.png", **FILE}], "not fetched from web addresses"),
    ("levels_from_image", [{"path": "file:///etc/passwd", **FILE}], "not fetched from web addresses"),
    ("levels_from_image", ["/etc/passwd"], "does not fit the endpoint"),
]


@pytest.mark.parametrize("name,data,message", ENDPOINTS)
def test_a_named_endpoint_refuses_with_our_sentence_and_one_line(running_app, one_line_each, name, data, message):
    assert message in call(running_app.local_url, name, data)
    one_line_each.append(name)


def test_the_refusal_is_in_the_request_language(running_app, one_line_each):
    french = call(running_app.local_url, "complete", ["pixelcnn", GRID, 8, 1.0], {"Accept-Language": "fr"})
    assert "ne correspond pas au point d'accès" in french
    one_line_each.append("fr")


def test_learning_through_the_queue_refuses_with_our_sentence_and_one_line(running_app, one_line_each):
    """/learning as a page's event would send it (the learning tab itself asks nothing now: demo/page/learning.js)."""
    url = running_app.local_url
    answer = private_event(url, "learning", ["pixelcnn", 5, BIG], "b")
    assert "seed must be" in answer["error"]
    answer = private_event(url, "learning", ["pixelcnn"], "c")  # 1 value where 3 are taken
    assert "does not fit the endpoint" in answer["error"]
    one_line_each.extend(["grid", "arguments"])


def test_learning_checks_the_model_name_and_the_number_of_values(running_app, one_line_each, capfd):
    """A name not a model's is refused in the caller's language; a value too many is refused, not dropped."""
    url = running_app.local_url
    answer = private_event(url, "learning", ["nope", 5, 0], "d", {"Accept-Language": "fr"})
    assert answer["error"].startswith("Aucun instantané pour le modèle 'nope'")
    answer = private_event(url, "learning", ["pixelcnn", 5, 0, 7], "f")
    assert answer["error"] == "This call sends 4 values; the endpoint takes 3: send the arguments its API page lists."
    assert "sends 7 values; the endpoint takes 6" in call(url, "complete", ["pixelcnn", GRID, 8, 1.0, 1, "any", 0])
    assert "Traceback" not in capfd.readouterr().err
    one_line_each.extend(["name", "values", "values"])


FIELD = {"kind": "field", "id": 1, "page": "test", "model": "pixelcnn"}


@pytest.mark.parametrize(
    "question,message",
    [
        ({**FIELD, "row": 16, "col": 0}, "row must be a whole number from 0 to 15, not 16"),
        ({**FIELD, "row": -1, "col": 0}, "not -1"),
        ({**FIELD, "row": 15.5, "col": 0}, "not 15.5"),
        ({**FIELD, "row": "3", "col": 0}, "not '3'"),
        ({**FIELD, "row": None, "col": 0}, "not None"),
        ({**FIELD, "row": float("nan"), "col": 0}, "not nan"),
        ({**FIELD, "row": BIG, "col": 0}, "row must be a whole number from 0 to 15"),
        ({**FIELD, "row": 3, "col": 99}, "column must be"),
        ({**FIELD, "model": "nope", "row": 3, "col": 3}, "Unknown model 'nope'"),
        ({**FIELD, "kind": "complete", "levels": GRID, "known_rows": 8, "temperature": 1.0, "seed": BIG}, "seed must"),
        ([1, 2], "not one the page sends"),
    ],
)
def test_the_page_questions_refuse_with_our_sentence_and_one_line(running_app, one_line_each, question, message):
    """Every question of the page goes through one server function, `ask`, outside Gradio's queue."""
    assert message in ask(running_app.local_url, question)["error"]
    one_line_each.append(question)


def test_the_page_questions_still_answer(running_app):
    field = ask(running_app.local_url, {**FIELD, "row": 3, "col": 3})["field"]
    assert len(field) == 16 and field[3][3] == 0 and max(map(max, field)) == 1  # it cannot see itself


@pytest.mark.parametrize("name", ["complete", "fill", "learning", "layers", "levels_from_image"])
def test_no_route_skips_the_queue(running_app, name):
    answer = httpx.post(f"{running_app.local_url}gradio_api/run/{name}", json={"data": []}, timeout=30)
    assert answer.status_code == 404


def test_a_huge_value_is_cut_in_the_message_and_the_log(running_app, one_line_each, caplog):
    """60 KB of digits in a seed must not come back whole, nor fill the log: the value is cut at 120 characters."""
    message = call(running_app.local_url, "complete", ["pixelcnn", GRID, 8, 1.0, 10**4000, "any"])
    assert "seed must be" in message and len(message) < 300
    assert all(len(r.getMessage()) < 400 for r in caplog.records)
    one_line_each.append("cut")


def test_a_flood_of_the_same_refusal_writes_one_line_per_address_and_ten_seconds():
    now = [0.0]
    hush, flood = Hush(seconds=10, clock=lambda: now[0]), InputError("too_many", count=8)
    lines = [hush.line(flood, "10.0.0.66") for _ in range(500)] + [hush.line(flood, "10.0.0.7")]
    assert [line for line in lines if line] == [f"refused 10.0.0.66: {flood}", f"refused 10.0.0.7: {flood}"]
    now[0] = 10.0
    assert hush.line(flood, "10.0.0.66") == f"refused 10.0.0.66: {flood} (and 499 more alike, not logged)"
    other = InputError("file_url")
    assert all(hush.line(other, "10.0.0.66") for _ in range(3))  # a refusal a flood cannot repeat at the door


@pytest.mark.parametrize(
    "call",
    [
        {"component_id": 99999, "fn_name": "ask"},  # no such component: Gradio's route raised KeyError (HTTP 500)
        {"component_id": "grid", "fn_name": "ask"},
        {"fn_name": "ask"},
        {"component_id": None, "fn_name": ["ask"]},
    ],
)
def test_a_server_function_call_naming_no_function_of_the_page_gets_our_sentence(running_app, one_line_each, call):
    url = f"{running_app.local_url}gradio_api/component_server"
    answer = httpx.post(url, json={"session_hash": "s", "data": {}, **call}, timeout=30)
    assert answer.status_code == 404 and "not one the page sends" in answer.json()["detail"]
    one_line_each.append(call)


def test_a_server_function_call_naming_a_component_without_that_function_gets_our_sentence(running_app, one_line_each):
    grid = next(
        c["id"] for c in config(running_app.local_url)["components"] if c.get("props", {}).get("elem_id") == "grid"
    )
    url = f"{running_app.local_url}gradio_api/component_server"
    answer = httpx.post(url, json={"session_hash": "s", "component_id": grid, "fn_name": "__init__", "data": {}})
    assert answer.status_code == 404 and "not one the page sends" in answer.json()["detail"]
    one_line_each.append("__init__")
    assert "field" in ask(running_app.local_url, {**FIELD, "row": 3, "col": 3})  # the page's own still answers


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("POST", "gradio_api/queue/join", {"data": [], "fn_index": 10**9, "session_hash": "s"}),  # KeyError in Gradio
        ("POST", "gradio_api/queue/join", {"data": [], "fn_index": -1, "session_hash": "s"}),
        ("POST", "gradio_api/call/no_such_name", {"data": []}),  # FnIndexInferError
    ],
)
def test_what_gradio_routes_raise_on_unchecked_input_is_answered_in_our_words(running_app, capfd, method, path, body):
    answer = httpx.request(method, f"{running_app.local_url}{path}", json=body, headers={"Accept-Language": "fr"})
    assert answer.status_code == 400 and "n'est pas de celles qu'envoie la page" in answer.json()["detail"]
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize("path", ["gradio_api/call/complete/no_such_event", "gradio_api/queue/data?session_hash=none"])
def test_a_stream_of_nothing_ends_without_a_traceback(running_app, capfd, path):
    with httpx.stream("GET", f"{running_app.local_url}{path}", timeout=30) as answer:
        answer.read()  # it raised once its response had started: the stream is ended where it is
    assert "Traceback" not in capfd.readouterr().err
