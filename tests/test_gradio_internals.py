"""Gradio's internals the app relies on (demo/gradio_internals.py) are there and behave as read in Gradio 6.31.

Gradio changes its internals between versions without notice; this file fails first and names what moved, so that
an upgrade breaks here, loudly, not as a silently unfair queue or uploads kept for good.
"""

import inspect
import re
import tempfile
import threading
import time
from pathlib import Path

import gradio as gr
import httpx
import pytest
from gradio.components.base import server
from gradio.data_classes import _StaticFiles

from bench import raw
from demo import gradio_internals as internals

pytestmark = pytest.mark.app


def test_the_gradio_version_is_the_one_the_adapter_was_checked_on():
    assert gr.__version__ == internals.CHECKED_ON, (
        f"Gradio {gr.__version__} is installed; demo/gradio_internals.py was checked on {internals.CHECKED_ON}: "
        "re-read each name it uses in the new version, run this file, then update CHECKED_ON"
    )


def test_the_methods_wrapped_take_the_arguments_assumed():
    process_api = list(inspect.signature(gr.Blocks.process_api).parameters)
    assert process_api[:5] == ["self", "block_fn", "inputs", "state", "request"]
    from gradio.queueing import Queue

    assert list(inspect.signature(Queue.push).parameters) == ["self", "body", "request", "username"]
    assert isinstance(internals.InvalidPathError("x"), Exception)


class Seen(internals.CallBlocks):
    """CallBlocks that records what `call` was given."""

    def __init__(self, *args, **kwargs):
        self.calls = []
        super().__init__(*args, **kwargs)

    def upload_set(self) -> set:
        self.made = Added()
        return self.made

    async def call(self, inputs, expected, request, run):
        self.calls.append((inputs, expected, request.client.host))
        return await run()


class Added(set):
    """A set that records what `update` added (Gradio's /upload route adds the uploads' paths so)."""

    def update(self, *paths):
        super().update(*paths)
        self.added = [p for group in paths for p in group]


@pytest.fixture(scope="module")
def held():
    """An app of one held event (one job at a time, waiting for `release`), a server function and a static folder;
    `refused` says which addresses the wrapped push refuses, `accepted` lists (event id, session) of jobs in."""
    release, refused, accepted = threading.Event(), set(), []
    folder = tempfile.mkdtemp()

    def slow(x: float) -> float:
        release.wait(30)
        return x

    def ping(payload: dict) -> dict:
        return {"pong": payload}

    with Seen() as blocks:
        html = gr.HTML("", server_functions=[ping])
        gr.api(slow, api_name="slow", concurrency_limit=1)
    blocks.queue(max_size=17, api_open=False)
    internals.poll_calmly(blocks)  # its jobs below still run
    internals.wrap_push(
        blocks,
        lambda request: [{"message": "no"}] if request.client.host in refused else None,
        lambda event_id, session: accepted.append((event_id, session)),
    )
    blocks.launch(prevent_thread_lock=True, quiet=True, allowed_paths=[folder])
    yield blocks, release, refused, accepted, html, folder
    release.set()
    blocks.close()


def test_the_routes_named_exist(held):
    """Each route the middleware recognises answers as Gradio's own (a body it cannot read: 400 or 422; a file in an
    allowed folder: the file), not as a route that is gone (404)."""
    blocks, *_, folder = held
    url, routes = blocks.local_url, internals.ROUTES
    (Path(folder) / "a.txt").write_text("hi")
    for route in [*routes["join"], routes["upload"], routes["functions"]]:
        path = route + "slow" if route.endswith("/call/") else route
        assert httpx.post(url + path.lstrip("/"), json={}, timeout=30).status_code in (400, 422), route
    for route in routes["files"]:
        assert httpx.get(f"{url}{route.lstrip('/')}{folder}/a.txt", timeout=30).text == "hi", route
    assert httpx.get(url + routes["monitoring"].lstrip("/"), timeout=30).status_code == 200
    assert httpx.get(f"{url}gradio_api/no_such_route", timeout=30).status_code == 404  # what a route gone answers
    assert internals.blocks_of({"app": blocks.app}) is blocks and internals.blocks_of({"app": object()}) is None
    named = re.findall(r"/assets/[\w.-]+\.js", httpx.get(url, timeout=30).text)  # the frontend the page loads
    assert named and routes["assets"] == "/assets/"
    for name in named[:3]:  # Gradio's route answers each with the file of that name in ASSETS_FOLDER
        file = internals.ASSETS_FOLDER / name[len(routes["assets"]) :]
        assert httpx.get(url + name.lstrip("/"), timeout=30).content == file.read_bytes(), name


def test_the_queue_is_seen_and_wrapped_as_assumed(held):
    blocks, release, refused, accepted, *_ = held
    url = blocks.local_url
    assert internals.queue_size(blocks) == 17
    first = raw.post(url, "slow", [1], {"X-Forwarded-For": "10.9.0.1"}).json()["event_id"]
    deadline = time.monotonic() + 10
    while not internals.running(blocks) and time.monotonic() < deadline:
        time.sleep(0.01)
    second = raw.post(url, "slow", [2], {"X-Forwarded-For": "10.9.0.2"}).json()["event_id"]
    refused.add("10.9.0.3")
    no = raw.post(url, "slow", [3], {"X-Forwarded-For": "10.9.0.3"})
    assert no.status_code == 422 and "no" in no.text  # refused by our wrapper, in Gradio's form of a refused job
    assert [event_id for event_id, _ in accepted[-2:]] == [first, second]  # `accepted` ran for each job let in
    (running,) = internals.running(blocks)
    (waiting,) = internals.waiting(blocks)
    assert internals.job_request(running).client.host == "10.9.0.1" and internals.job_inputs(waiting) == [2]
    event, line = internals.line_of(blocks, second)
    assert event is waiting and line[-1] is waiting and isinstance(line, list)  # the list itself: it can be reordered
    assert internals.is_pending(blocks, first) and internals.is_pending(blocks, second)
    session = accepted[-1][1]
    assert session in internals.kept_sessions(blocks) and second in internals.unread(blocks, session)
    release.set()
    while internals.is_pending(blocks, second) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not internals.waiting(blocks) and not internals.running(blocks)
    internals.forget_session(blocks, session)
    assert session not in internals.kept_sessions(blocks) and not internals.unread(blocks, session)
    assert [(inputs, expected) for inputs, expected, _ in blocks.calls[-2:]] == [([1], 1), ([2], 1)]  # `call` saw both


def test_the_queue_polls_as_read_until_told_to_poll_calmly(held):
    """Gradio 6.31's queue looks for a job every 1 ms and for progress every 10 ms while idle; its loops read the two
    intervals poll_calmly sets (a name gone would leave an idle app at 6-10% of a core, silently)."""
    from gradio.queueing import Queue

    default = gr.Blocks().queue()._queue
    assert (default.sleep_when_free, default.progress_update_sleep_when_free) == (0.001, 0.01)
    assert "self.sleep_when_free" in inspect.getsource(Queue.start_processing)
    assert "self.progress_update_sleep_when_free" in inspect.getsource(Queue.start_progress_updates)
    calm = held[0]._queue
    assert (calm.sleep_when_free, calm.progress_update_sleep_when_free) == (0.005, 0.1)


def test_uploads_land_in_the_set_made_and_delete_cache_walks_it(held):
    blocks = held[0]
    assert blocks.uploads is blocks.made and blocks.made in blocks.temp_file_sets
    files = {"files": ("a.txt", b"hello", "text/plain")}
    (path,) = httpx.post(f"{blocks.local_url}gradio_api/upload", files=files, timeout=30).json()
    assert blocks.made.added == [path] and path in blocks.uploads


def test_server_functions_and_served_folders_are_found(held, monkeypatch):
    blocks, *_, html, folder = held
    assert internals.is_server_function(blocks, html._id, "ping")
    assert not internals.is_server_function(blocks, html._id, "slow") and not internals.is_server_function(
        blocks, 10**9, "ping"
    )
    assert Path(folder).resolve() in [Path(f).resolve() for f in internals.served_folders(blocks)]
    monkeypatch.setattr(_StaticFiles, "all_paths", [])  # the process's list, put back after the test
    gr.set_static_paths([folder])
    assert Path(folder).resolve() in internals.served_folders(blocks)
    marked = server(lambda: None)
    assert marked._is_server_fn  # the mark is_server_function reads
