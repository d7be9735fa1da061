"""One address cannot hold another's request up: the queue is shared by address, in turns, a few jobs each.

The address is uvicorn's (X-Forwarded-For trusted from 127.0.0.1, where these tests run from). The timing
of a real flood (an honest address's p95 while another sends 200 jobs) is measured by `python -m bench.hostile`;
here, the order and the refusals that make it so, on a small app whose jobs wait until the test lets them go.
"""

import random
import socket
import threading
import time
from collections import Counter

import gradio as gr
import httpx
import pytest
from starlette.middleware import Middleware

from bench import raw
from demo import limits
from demo.blocks import Guarded
from demo.errors import InputError
from demo.limits import UPLOAD_CAP, UPLOADS_OPEN, Doorman, InFlight, QueueShare, fair_position, waiting


def ranks(addresses: list[str]) -> list[int]:
    """Each job's rank: how many jobs of its address are ahead of it."""
    seen = {}
    return [seen.__setitem__(a, seen.get(a, -1) + 1) or seen[a] for a in addresses]


def test_a_new_address_goes_first_after_the_others_that_had_nothing_waiting():
    assert fair_position(["A"] * 8, "B") == 0  # A's jobs came while A had some running or waiting
    assert fair_position(["A"] * 8, "B", first=1) == 1  # A's first job came while A had nothing
    assert fair_position(["A", "B", "A", "B", "A"], "C", first=2) == 2
    assert fair_position(["A", "B", "A"], "B") == 3  # B's second job after A's second
    assert fair_position(["A", "A"], "A") == 2 and fair_position([], "A") == 0


def test_an_address_with_jobs_running_waits_behind_those_with_fewer():
    assert fair_position(["A"] * 8, "B", Counter(A=1)) == 0  # the flood's first waiting job is its second turn
    assert fair_position(["A", "A"], "B", Counter(A=1, B=1)) == 1
    assert fair_position(["A", "C", "A", "A"], "B", Counter(B=1)) == 3  # B has one running: rank 1, before A's third
    assert fair_position(["A", "B"], "C", Counter(C=2)) == 2


def test_jobs_joining_in_any_order_are_served_in_rounds():
    generator = random.Random(0)
    for _ in range(200):
        queue, first = [], 0
        for address in generator.choices("ABCD", weights=[10, 1, 1, 1], k=30):
            queue.insert(fair_position(queue, address, first=first), address)
            first += queue.count(address) == 1
        assert ranks(queue) == sorted(ranks(queue))  # round 0 of every address, then round 1, ...


def test_calls_outside_the_queue_are_capped_per_address():
    limit = InFlight(cap=2)
    with limit.admit("1.2.3.4"), limit.admit("1.2.3.4"):
        with pytest.raises(InputError, match="2 requests from your address"):
            with limit.admit("1.2.3.4"):
                pass
        with limit.admit("5.6.7.8"):
            assert limit.running == {"1.2.3.4": 2, "5.6.7.8": 1}
    assert not limit.running  # every call counted out, refused ones never counted in


@pytest.fixture(scope="module")
def held_app():
    """A one-event app whose jobs (one at a time) wait for `release`, with our queue share (3 waiting) and its
    doorman; `pushed` lists the address of every job that reached Gradio's queue."""
    release, pushed = threading.Event(), []

    def slow(x: float) -> float:
        release.wait(30)
        return x

    with Guarded() as blocks:
        gr.api(slow, api_name="slow", concurrency_limit=1)
    blocks.queue(api_open=False)
    push = blocks._queue.push

    async def counted(body, request, username):
        pushed.append(request.client.host)
        return await push(body, request, username)

    blocks._queue.push = counted
    QueueShare(blocks, cap=3).install()
    blocks.launch(prevent_thread_lock=True, quiet=True, app_kwargs={"middleware": [Middleware(Doorman)]})
    yield blocks, release, pushed
    release.set()
    blocks.close()


@pytest.mark.app
def test_a_flooding_address_is_refused_at_the_door_and_another_goes_next(held_app):
    blocks, release, pushed = held_app
    url, flooder, other = blocks.local_url, {"X-Forwarded-For": "10.0.0.66"}, {"X-Forwarded-For": "10.0.0.7"}
    assert raw.post(url, "slow", [0], flooder).status_code == 200
    while waiting(blocks):  # the first job has started: it waits for `release`
        time.sleep(0.01)
    statuses = [raw.post(url, "slow", [i], flooder).status_code for i in range(5)]
    reached = len(pushed)
    refused = raw.post(url, "slow", [9], flooder)
    assert refused.status_code == 422 and "3 requests from your address are waiting" in refused.text
    french = raw.post(url, "slow", [9], {**flooder, "Accept-Language": "fr"})
    assert "Requêtes de votre adresse déjà en attente : 3" in french.text
    assert len(pushed) == reached  # refused at the door: Gradio never read them
    assert raw.post(url, "slow", [7], other).status_code == 200
    order = [job.request.client.host for job in waiting(blocks)]
    assert order == ["10.0.0.7", "10.0.0.66", "10.0.0.66", "10.0.0.66"]  # nothing of its own running: it goes first
    assert statuses == [200, 200, 200, 422, 422]
    release.set()


@pytest.mark.app
def test_many_addresses_share_the_queue_and_a_newcomer_gets_in_first_or_our_sentence():
    """60 addresses x 8 jobs filled Gradio's queue of 256: 221 of 480 posts read Gradio's English "Queue is full",
    and a newcomer with nothing waiting was refused. Here in small: a queue of 40 jobs, shares of 8 up to 12 in all."""
    release = threading.Event()

    def slow(x: float) -> float:
        release.wait(30)
        return x

    with Guarded() as blocks:
        gr.api(slow, api_name="slow", concurrency_limit=1)
    blocks.queue(max_size=40, api_open=False)
    QueueShare(blocks, cap=8, total=12).install()
    blocks.launch(prevent_thread_lock=True, quiet=True, app_kwargs={"middleware": [Middleware(Doorman)]})
    try:
        url, by = blocks.local_url, lambda address: {"X-Forwarded-For": address, "Accept-Language": "fr"}
        raw.post(url, "slow", [0], by("10.6.0.1"))
        while waiting(blocks):  # the first job has started: it holds the others
            time.sleep(0.01)
        answers = [raw.post(url, "slow", [j], by(f"10.6.1.{i}")) for i in range(6) for j in range(8)]
        held = Counter(job.request.client.host for job in waiting(blocks))
        assert list(held.values()) == [8, 4, 1, 1, 1, 1]  # 8, then 12 in all: one more each
        newcomer = raw.post(url, "slow", [1], by("10.6.2.1"))
        order = [job.request.client.host for job in waiting(blocks)]
        assert newcomer.status_code == 200  # after each address's first job, before anyone's second
        assert order[:7] == [f"10.6.1.{i}" for i in range(6)] + ["10.6.2.1"] and order[7] == "10.6.1.0"
        answers += [newcomer] + [raw.post(url, "slow", [1], by(f"10.6.3.{i}")) for i in range(30)]
        assert len(waiting(blocks)) == 40
        refused = [answer.text for answer in answers if answer.status_code != 200]
        assert refused and not any("Queue is full" in text for text in refused)
        assert all("Requêtes de votre adresse" in text or "beaucoup de questions" in text for text in refused)
        assert "beaucoup de questions en attente" in refused[-1]  # the queue is full: our "busy"
    finally:
        release.set()
        blocks.close()


@pytest.mark.app
def test_the_address_is_the_last_one_a_trusted_proxy_saw(held_app):
    """X-Forwarded-For counts only from a trusted proxy (uvicorn's FORWARDED_ALLOW_IPS, 127.0.0.1 by default),
    and only its last untrusted entry: a client cannot choose its address by sending the header itself."""
    blocks, *_ = held_app
    seen = []
    push = blocks._queue.push

    async def spy(body, request, username):
        seen.append(request.client.host)
        return await push(body, request, username)

    blocks._queue.push = spy
    try:
        raw.post(blocks.local_url, "slow", [1], {"X-Forwarded-For": "10.0.0.1, 10.0.0.2"})
        httpx.post(f"{blocks.local_url}gradio_api/call/slow", json={"data": [1]}, timeout=30)
    finally:
        blocks._queue.push = push
    assert seen == ["10.0.0.2", "127.0.0.1"]  # the entry the proxy appended; without the header, the peer


def send_upload_head(url: str, address: str, length: int) -> "socket.socket":
    """Start an upload that says it is `length` bytes long and send none of them (a slow or lying client)."""
    host, port = url.split("//")[1].strip("/").split(":")
    connection = socket.create_connection((host, int(port)), timeout=10)
    head = (
        f"POST /gradio_api/upload HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-For: {address}\r\n"
        f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {length}\r\n\r\n"
    )
    connection.sendall(head.encode())
    return connection


def answer_of(connection: "socket.socket") -> str:
    """The first bytes the server answers on `connection`, waiting at most its timeout."""
    try:
        return connection.recv(4096).decode(errors="replace")
    except TimeoutError:
        return ""


@pytest.mark.app
def test_an_upload_too_large_or_one_too_many_is_refused_before_its_bytes_are_read(held_app):
    url = held_app[0].local_url
    lying = send_upload_head(url, "10.0.0.8", 200 << 20)  # says 200 MB, sends nothing: answered at once
    answer = answer_of(lying)
    assert answer.startswith("HTTP/1.1 413") and "This file is 200 MB; pictures up to 2 MB are read." in answer
    slow = [send_upload_head(url, "10.0.0.9", 1000) for _ in range(UPLOAD_CAP)]  # all open, their bytes to come
    time.sleep(0.3)
    third = send_upload_head(url, "10.0.0.9", 1000)
    third.settimeout(5)
    assert answer_of(third).startswith("HTTP/1.1 422")  # one too many from that address, refused at once
    elsewhere = send_upload_head(url, "10.0.0.10", 1000)
    elsewhere.settimeout(0.5)
    assert answer_of(elsewhere) == ""  # another address's upload is being read (it waits for its bytes)
    for connection in [lying, *slow, third, elsewhere]:
        connection.close()


@pytest.mark.app
def test_an_upload_that_does_not_arrive_in_time_frees_its_place(held_app, monkeypatch):
    """Uploads are held until whole: without a deadline, a few addresses sending nothing would keep every place."""
    monkeypatch.setattr(limits, "UPLOAD_S", 0.5)
    silent = send_upload_head(held_app[0].local_url, "10.7.8.8", 1000)
    answer = answer_of(silent)  # within its 10 s timeout
    assert answer.startswith("HTTP/1.1 408") and "did not arrive whole within 0.5 s" in answer
    silent.close()


@pytest.mark.app
def test_uploads_being_received_are_bounded_in_all_addresses_together(held_app):
    """Each upload is held in memory until whole (2 MB at most): UPLOADS_OPEN of them at once, from any addresses."""
    url = held_app[0].local_url
    slow = [send_upload_head(url, f"10.7.{i // 250}.{i % 250 + 1}", 1000) for i in range(UPLOADS_OPEN)]
    time.sleep(0.5)
    one_more = send_upload_head(url, "10.7.9.9", 1000)  # an address with nothing open
    one_more.settimeout(5)
    answer = answer_of(one_more)
    assert answer.startswith("HTTP/1.1 503") and "many questions waiting" in answer
    for connection in [*slow, one_more]:
        connection.close()


@pytest.fixture
def echo_app(request):
    """A one-event app (an echo) whose queue share keeps 5 finished sessions, unread answers `request.param` s."""

    def echo(x: float) -> float:
        return x

    with Guarded() as blocks:
        gr.api(echo, api_name="echo")
    blocks.queue(api_open=False)
    share = QueueShare(blocks, cap=3, kept=5)
    share.unread_s = request.param
    share.install()
    blocks.launch(prevent_thread_lock=True, quiet=True)
    yield blocks
    blocks.close()


def posted_by_30_sessions(blocks) -> None:
    """30 jobs, each its own session and address, the answer never read; returns once all are done."""
    for i in range(30):
        assert raw.post(blocks.local_url, "echo", [i], {"X-Forwarded-For": f"10.3.0.{i + 1}"}).status_code == 200
    deadline = time.monotonic() + 10
    while blocks._queue.event_ids_to_events and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.app
@pytest.mark.parametrize("echo_app", [0], indirect=True)  # unread answers kept no longer than read ones
def test_answers_nobody_reads_are_kept_for_a_bounded_number_of_sessions(echo_app):
    """A script that posts jobs and never reads their answers made Gradio keep every answer for good."""
    posted_by_30_sessions(echo_app)
    url, sessions = echo_app.local_url, echo_app._queue.pending_messages_per_session
    assert raw.call(url, "echo", [7], {"X-Forwarded-For": "10.3.1.1"}) == ""  # a new job: the old are forgotten
    assert len(sessions) <= 6  # the 5 kept and the one just answered (forgotten by the next job)


@pytest.mark.app
@pytest.mark.parametrize("echo_app", [10], indirect=True)
def test_an_answer_is_kept_until_read_while_other_sessions_come_and_go(echo_app):
    """60 addresses flooding made another client lose 5 answers of 20: its session, the oldest, was forgotten
    between its answer and its reading."""
    url = echo_app.local_url
    event = raw.post(url, "echo", [42], {"X-Forwarded-For": "10.3.2.1"}).json()["event_id"]
    posted_by_30_sessions(echo_app)  # 30 later sessions, more than the 5 kept
    stream = httpx.get(f"{url}gradio_api/call/echo/{event}", timeout=30).text
    assert raw.answer_of(stream) == [42]


@pytest.mark.app
def test_a_page_question_beyond_its_address_share_is_answered_at_the_door(held_app):
    blocks, *_ = held_app
    share = QueueShare.installed[blocks]
    share.functions = InFlight(cap=2)
    share.functions.running["10.0.0.70"] = 2  # two questions open from that address
    try:
        url = f"{blocks.local_url}gradio_api/component_server"
        body = {"session_hash": "s", "component_id": 0, "fn_name": "ask", "data": {"kind": "field"}}
        full = httpx.post(url, json=body, headers={"X-Forwarded-For": "10.0.0.70", "Accept-Language": "fr"})
        assert full.status_code == 200
        assert full.json()["error"].startswith("Requêtes de votre adresse déjà en attente : 2.")
        other = httpx.post(url, json=body, headers={"X-Forwarded-For": "10.0.0.71"})
        assert "waiting" not in other.text  # another address's question goes on to Gradio
    finally:
        share.functions = None
