"""Every bad request, on every route it can take, gets our sentence and one log line, never a traceback.

The routes: the named endpoints through raw `/call/`, the page's private events through the queue, the
gr.HTML server function on `/component_server`; `/run/` is closed for all of them (it skipped the queue).
"""

import json
import logging

import httpx
import pytest

pytestmark = pytest.mark.app
GRID = [[0] * 16 for _ in range(16)]
BIG = 10**400  # JSON allows it; float() of it overflows
FILE = {"meta": {"_type": "gradio.FileData"}}


def answer_of(stream: str) -> dict:
    """The last `data:` line of a server-sent event stream, as JSON."""
    lines = [line[len("data:") :] for line in stream.splitlines() if line.startswith("data:")]
    return json.loads(lines[-1])


def call(url: str, name: str, data, headers=None) -> str:
    """A named endpoint through raw /call/: our error message, or '' if it answered."""
    posted = httpx.post(f"{url}gradio_api/call/{name}", json={"data": data}, headers=headers, timeout=30)
    assert posted.status_code == 200, posted.text
    stream = httpx.get(f"{url}gradio_api/call/{name}/{posted.json()['event_id']}", timeout=60).text
    return (answer_of(stream) or {}).get("error") or "" if "event: error" in stream else ""


def private_event(url: str, blocks, name: str, data: list) -> dict:
    """A private event of the page (by its handler's name) through the queue, as the page sends it."""
    fn = next(fn for fn in blocks.fns.values() if fn.name == name)
    session = f"test-{name}-{id(data)}"
    body = {"data": data, "fn_index": fn._id, "session_hash": session, "trigger_id": None, "event_data": None}
    assert httpx.post(f"{url}gradio_api/queue/join", json=body, timeout=30).status_code == 200
    with httpx.stream("GET", f"{url}gradio_api/queue/data", params={"session_hash": session}, timeout=60) as events:
        for line in events.iter_lines():
            if line.startswith("data:") and '"process_completed"' in line:
                return json.loads(line[len("data:") :])["output"]
    raise AssertionError("no answer")


def server_function(url: str, blocks, body) -> httpx.Response:
    grid = next(block for block in blocks.blocks.values() if getattr(block, "elem_id", None) == "grid")
    question = {"session_hash": "fields", "component_id": grid._id, "fn_name": "receptive_field", "data": body}
    sent = json.dumps(question)  # NaN allowed, as a script may send it
    return httpx.post(f"{url}gradio_api/component_server", content=sent, headers={"content-type": "application/json"})


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


def test_the_page_events_refuse_with_our_sentence_and_one_line(running_app, one_line_each):
    url, asked = running_app.local_url, {"what": "complete", "id": 3, "model": "pixelcnn", "levels": GRID}
    answer = private_event(url, running_app, "page", [{**asked, "known_rows": 8, "temperature": 1.0, "seed": BIG}])
    assert answer["data"][0]["kind"] == "error" and "seed must be" in answer["data"][0]["message"]
    answer = private_event(url, running_app, "learning_grid", ["pixelcnn", 5, BIG, "0" * 256, 8])
    assert "seed must be" in answer["error"]
    answer = private_event(url, running_app, "learning_grid", ["pixelcnn", 5, 0])  # 3 values where 5 are needed
    assert "does not fit the endpoint" in answer["error"]
    one_line_each.extend(["page", "grid", "arguments"])


@pytest.mark.parametrize(
    "body,message",
    [
        ({"model": "pixelcnn", "row": 16, "col": 0}, "row must be a whole number from 0 to 15, not 16"),
        ({"model": "pixelcnn", "row": -1, "col": 0}, "not -1"),
        ({"model": "pixelcnn", "row": 15.5, "col": 0}, "not 15.5"),
        ({"model": "pixelcnn", "row": "3", "col": 0}, "not '3'"),
        ({"model": "pixelcnn", "row": None, "col": 0}, "not None"),
        ({"model": "pixelcnn", "row": float("nan"), "col": 0}, "not nan"),
        ({"model": "pixelcnn", "row": BIG, "col": 0}, "row must be a whole number from 0 to 15"),
        ({"model": "pixelcnn", "row": 3, "col": 99}, "column must be"),
        ({"model": "nope", "row": 3, "col": 3}, "Unknown model 'nope'"),
        ([1, 2], "Unknown model None"),
    ],
)
def test_the_server_function_refuses_with_our_sentence_and_one_line(running_app, one_line_each, body, message):
    answer = server_function(running_app.local_url, running_app, body)
    assert answer.status_code == 422 and message in answer.json()["detail"]
    one_line_each.append(body)


def test_the_server_function_still_answers(running_app):
    field = server_function(running_app.local_url, running_app, {"model": "pixelcnn", "row": 3, "col": 3}).json()
    assert len(field) == 16 and field[3][3] == 0 and max(map(max, field)) == 1  # it cannot see itself


@pytest.mark.parametrize("name", ["complete", "fill", "learning", "levels_from_image", "page", "learning_pictures"])
def test_no_route_skips_the_queue(running_app, name):
    answer = httpx.post(f"{running_app.local_url}gradio_api/run/{name}", json={"data": []}, timeout=30)
    assert answer.status_code == 404
