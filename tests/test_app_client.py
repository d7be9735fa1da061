"""The running app through gradio_client on localhost: /complete and /levels_from_image, good and hostile input."""

import io
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import psutil
import pytest
from conftest import api_client
from gradio_client import Client, handle_file
from PIL import Image

pytestmark = pytest.mark.app
TOP = (np.arange(256).reshape(16, 16) % 4).tolist()  # a striped image; its top rows are kept
GENERIC = "^error$"  # what Gradio says when a handler fails without our message


@pytest.fixture
def client(running_app):
    """A fresh client (its own session) per test, so no test uses up another's share."""
    return api_client(running_app.local_url)


def complete(client, *args, **changes):
    values = {"model": "pixelcnn", "levels": TOP, "known_rows": 8, "temperature": 1.0, "seed": 1, "label": "any"}
    values.update(changes)
    return client.submit(*values.values(), *args, api_name="/complete")


def still_works(client):
    result = complete(client, known_rows=14, seed=2).result()
    assert result["levels"][:14] == TOP[:14] and len(result["trace"]) == 32


def test_a_completion_is_one_answer_with_its_whole_trace(client):
    result = complete(client).result()
    assert result["seed"] == 1 and result["levels"][:8] == TOP[:8]
    assert [(e["row"], e["col"]) for e in result["trace"]] == [(r, c) for r in range(8, 16) for c in range(16)]
    assert all(len(e["probs"]) == len(e["probs_t1"]) == 4 for e in result["trace"])


def test_same_seed_same_trace_while_others_run(running_app):
    clients = [api_client(running_app.local_url) for _ in range(4)]
    others = [complete(c, seed=100 + i) for i, c in enumerate(clients[2:])]
    a, b = complete(clients[0], seed=7), complete(clients[1], seed=7)
    assert a.result() == b.result()
    assert [job.result()["seed"] for job in others] == [100, 101]


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"known_rows": None}, "Rows to keep"),
        ({"known_rows": 17}, "Rows to keep"),
        ({"known_rows": "8"}, "Rows to keep"),
        ({"temperature": -0.5}, "Temperature"),
        ({"temperature": "hot"}, "Temperature"),
        ({"seed": "12"}, "seed must be a whole number"),
        ({"seed": None}, "Give a seed"),
        ({"seed": 2**40}, "seed must be"),
        ({"levels": None}, "16 rows of 16"),
        ({"levels": [[4] * 16] * 16}, "16 rows of 16"),
        ({"levels": [[0] * 15] * 16}, "16 rows of 16"),
        ({"levels": "a picture"}, "16 rows of 16"),
        ({"model": "nope"}, "Unknown model"),
        ({"model": None}, "Unknown model"),
        ({"label": "dog"}, "knows no garment classes"),  # the plain model takes no garment, named or not
        ({"label": 3}, "knows no garment classes"),
    ],
)
def test_every_mistake_gets_our_message_and_the_app_keeps_working(client, changes, message):
    with pytest.raises(Exception, match=message) as error:
        complete(client, **changes).result()
    assert "error" != str(error.value).strip().lower()
    still_works(client)


@pytest.mark.parametrize(
    "hole, message", [([[0] * 16] * 16, "The hole is empty"), ([[3] * 16] * 16, "1 for a cell to fill"), (None, "hole")]
)
def test_fill_answers_the_hole_and_names_mistakes(client, hole, message):
    ring = [[int(4 <= r < 12 and 4 <= c < 12) for c in range(16)] for r in range(16)]
    result = client.predict("pixelcnn", TOP, ring, 1.0, 5, "any", api_name="/fill")
    assert len(result["trace"]) == 64 and result["levels"][:4] == TOP[:4] and result["seed"] == 5
    with pytest.raises(Exception, match=message):
        client.predict("pixelcnn", TOP, hole, 1.0, 5, "any", api_name="/fill")
    still_works(client)


def levels_of(client, path):
    return client.predict(handle_file(str(path)), api_name="/levels_from_image")["levels"]


def test_an_uploaded_picture_becomes_levels(client, tmp_path):
    path = tmp_path / "grey.png"
    Image.new("RGBA", (50, 70), (200, 200, 200, 255)).save(path)
    assert levels_of(client, path) == [[3] * 16] * 16  # the training rule: floor(4 * 200 / 255) = 3


def test_sixteen_bit_and_float_pictures_are_scaled(client, tmp_path):
    sixteen, floats = tmp_path / "sixteen.png", tmp_path / "floats.tiff"
    Image.fromarray(np.full((32, 32), 85 * 257, np.uint16)).save(sixteen)
    Image.fromarray(np.full((32, 32), 170 / 255, np.float32), mode="F").save(floats)
    assert levels_of(client, sixteen) == [[1] * 16] * 16
    assert levels_of(client, floats) == [[2] * 16] * 16


def test_a_huge_picture_is_refused_before_decoding_and_memory_stays_low(client, tmp_path):
    path = tmp_path / "huge.png"
    Image.new("1", (13000, 13000)).save(path, optimize=True)  # ~20 KB on disk, 169 M pixels
    server = psutil.Process(os.getpid())  # the app runs in this process
    before = server.memory_info().rss
    with pytest.raises(Exception, match="13000x13000 pixels"):
        levels_of(client, path)
    assert server.memory_info().rss - before < 100e6
    still_works(client)


@pytest.mark.parametrize("content,message", [(b"I am a text file", "not a picture"), ("half a png", "damaged")])
def test_broken_files_get_our_message(client, tmp_path, content, message):
    path = tmp_path / "sent.png"
    if content == "half a png":
        buffer = io.BytesIO()
        Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64), np.uint8)).save(buffer, format="PNG")
        content = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    path.write_bytes(content)
    with pytest.raises(Exception, match=message):
        levels_of(client, path)
    still_works(client)


def test_uploads_above_2_mb_are_refused(client, tmp_path):
    path = tmp_path / "big.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (1200, 1200, 3), np.uint8)).save(path)
    assert path.stat().st_size > 2e6
    with pytest.raises(Exception, match="(?i)too large|size"):
        levels_of(client, path)


def client_at(running_app, address: str) -> Client:
    """A client whose requests come from `address`: the test talks to the app from 127.0.0.1, a trusted proxy."""
    return api_client(running_app.local_url, headers={"X-Forwarded-For": address})


def test_one_address_flooding_the_queue_does_not_hold_up_another(running_app):
    flooder, other = client_at(running_app, "10.0.0.66"), client_at(running_app, "10.0.0.7")
    flood = [complete(flooder, seed=s) for s in range(40)]
    still_works(other)
    outcomes = [job.exception() for job in flood]
    refused = [e for e in outcomes if e is not None]
    assert refused and all("requests from your address are waiting" in str(e) for e in refused)
    assert len(refused) < len(flood)  # its first requests were served


def test_a_client_that_waits_for_each_answer_is_never_refused(client):
    for seed in range(30):
        assert complete(client, known_rows=15, seed=seed).result()["seed"] == seed


def test_thirty_simultaneous_clients_are_all_served(running_app):
    def one(seed):
        client = client_at(running_app, f"10.0.1.{seed}")  # thirty students, thirty addresses
        return complete(client, known_rows=0, seed=seed).result()["seed"]

    with ThreadPoolExecutor(30) as pool:
        assert sorted(pool.map(one, range(30))) == list(range(30))
