"""The running app, through gradio_client on localhost: streaming, reproducibility, bad input, load."""

import math
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from gradio_client import Client, handle_file
from PIL import Image

from demo.canvas import to_canvas

pytestmark = pytest.mark.app
TOP = np.tile(np.array([0, 1, 2, 3]), (16, 4))  # a striped image; the top rows are what we keep


@pytest.fixture(scope="module")
def client(running_app):
    return Client(running_app.local_url, download_files=False, verbose=False)


@pytest.fixture(scope="module")
def sketch(tmp_path_factory):
    path = tmp_path_factory.mktemp("sketch") / "top.png"
    Image.fromarray(to_canvas(TOP)).save(path)
    return {"background": handle_file(str(path)), "layers": [], "composite": None}


def complete(client, sketch, rows=8, temperature=1.0, seed=1, delay=0):
    return client.submit("pixelcnn", sketch, rows, temperature, seed, delay, api_name="/complete")


def test_a_streamed_completion_arrives_frame_by_frame(client, sketch):
    job = complete(client, sketch, delay=8)  # ~1 s of animation, at up to 30 frames a second
    frames = [out for out in job]
    assert len(frames) >= 15
    positions = [f[2]["row"] * 16 + f[2]["col"] for f in frames if f[2]["row"] is not None]
    assert positions == sorted(positions) and positions[-1] == 255
    final = np.array(job.outputs()[-1][2]["levels"])
    assert np.array_equal(final[:8], TOP[:8])
    assert "Done in" in job.outputs()[-1][1]


def test_same_seed_same_image_while_others_run(client, sketch):
    others = [complete(client, sketch, seed=s) for s in range(100, 106)]
    a, b = complete(client, sketch, seed=7), complete(client, sketch, seed=7)
    results = [job.result()[2]["levels"] for job in (a, b)]
    [job.result() for job in others]
    assert results[0] == results[1]
    assert complete(client, sketch, seed=8).result()[2]["levels"] != results[0]


@pytest.mark.parametrize(
    "rows,temperature,seed,message",
    [
        (-1, 1.0, 0, "Rows to keep"),
        (17, 1.0, 0, "Rows to keep"),
        (8, -0.5, 0, "Temperature"),
        (8, 1e9, 0, "Temperature"),
        (8, 1.0, -3, "seed"),
        (8, 1.0, 2**40, "seed"),
        (8, 1.0, None, "seed"),
    ],
)
def test_bad_input_gets_a_message_and_the_app_keeps_working(client, sketch, rows, temperature, seed, message):
    gradio_range = "|less than minimum value|greater than maximum value"  # the component's own check, also clear
    with pytest.raises(Exception, match=message + gradio_range):
        complete(client, sketch, rows, temperature, seed).result()
    assert complete(client, sketch, rows=15, seed=2).result()[2]["done"]


def test_non_finite_numbers_cannot_even_be_sent(client, sketch):
    with pytest.raises(ValueError, match="JSON"):  # the JSON encoder refuses; the handlers refuse them too
        complete(client, sketch, 8, math.inf, 0).result()
    assert complete(client, sketch, rows=15, seed=2).result()[2]["done"]


def test_a_fractional_seed_is_rounded_by_the_seed_box(client, sketch):
    assert complete(client, sketch, seed=1.6).result()[2] == complete(client, sketch, seed=2).result()[2]


def test_empty_drawing_through_the_api(client):
    with pytest.raises(Exception, match="Nothing is drawn"):
        complete(client, {"background": None, "layers": [], "composite": None}, rows=4).result()
    result = complete(client, {"background": None, "layers": [], "composite": None}, rows=0).result()
    assert result[2]["done"]


@pytest.mark.parametrize("mode,size", [("RGBA", (50, 70)), ("L", (16, 16)), ("P", (1000, 1000)), ("RGB", (3, 3))])
def test_odd_images_are_read(client, tmp_path, mode, size):
    path = tmp_path / "odd.png"
    Image.new("RGB", size, (200, 200, 200)).convert(mode).save(path)
    value = {"background": handle_file(str(path)), "layers": [], "composite": None}
    levels = np.array(complete(client, value, rows=15, seed=0).result()[2]["levels"])
    assert levels[:15].min() == levels[:15].max() == 2  # 200 is nearest to 170


def test_thirty_simultaneous_completions_all_finish(client, sketch):
    with ThreadPoolExecutor(30) as pool:
        results = list(pool.map(lambda s: complete(client, sketch, seed=s).result()[2], range(30)))
    assert all(r["done"] for r in results)
    assert len({str(r["levels"]) for r in results}) > 1


def test_a_cancelled_stream_frees_the_worker(client, sketch):
    slow = complete(client, sketch, rows=0, delay=100)  # would take ~26 s
    time.sleep(1.0)
    slow.cancel()
    started = time.monotonic()
    assert complete(client, sketch, rows=14, seed=3).result()[2]["done"]
    assert time.monotonic() - started < 10


def test_a_full_queue_refuses_politely(demo_app, sketch):
    from demo.ui import build, launch_options

    small = build(demo_app, stream_concurrency=1, queue_size=1)
    small.launch(prevent_thread_lock=True, server_name="127.0.0.1", quiet=True, **launch_options())
    try:
        client = Client(small.local_url, download_files=False, verbose=False)
        running = complete(client, sketch, rows=12, delay=100)  # ~6 s
        time.sleep(1.0)
        waiting = complete(client, sketch, rows=12, delay=100)
        time.sleep(0.5)
        with pytest.raises(Exception, match="(?i)queue is full"):
            complete(client, sketch, rows=15).result()
        running.cancel()
        waiting.cancel()
    finally:
        small.close()
