"""The real app, started as its own process (`python app.py`) on a localhost port, for the serving benchmarks."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from gradio_client import handle_file
from PIL import Image

from demo.canvas import to_canvas
from demo.handlers import SAMPLES

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(max_batch: int, temp_dir: Path | None = None, timeout: float = 120):
    """Yields (url, process) for `python app.py --max-batch N` on a free localhost port.

    temp_dir: where Gradio keeps its files (GRADIO_TEMP_DIR), to watch them grow.
    """
    port = free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
    if temp_dir is not None:
        env["GRADIO_TEMP_DIR"] = str(temp_dir)
    command = [sys.executable, "app.py", "--port", str(port), "--max-batch", str(max_batch)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the app did not start (exit code {process.poll()})") from None
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/", process
    finally:
        process.terminate()
        process.wait(timeout=30)


def sample_sketch(folder: Path) -> dict:
    """A sketch value holding the first shipped test image, as an API caller would send it."""
    with np.load(SAMPLES, allow_pickle=False) as samples:
        levels = samples["images"][0]
    path = folder / "sketch.png"
    Image.fromarray(to_canvas(levels)).save(path)
    return {"background": handle_file(str(path)), "layers": [], "composite": None}
