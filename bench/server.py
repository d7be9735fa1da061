"""The real app (or the do-nothing floor), started as its own process on a localhost port, for the benchmarks."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from demo.handlers import SAMPLES

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(
    *arguments: str,
    module: str | None = None,
    temp_dir: Path | None = None,
    timeout: float = 120,
    python: str = sys.executable,
    root: Path = ROOT,
):
    """Yields (url, process) for `python app.py ARGUMENTS` (or `python -m MODULE ARGUMENTS`) on a free port.

    temp_dir: where Gradio keeps its files (GRADIO_TEMP_DIR), to watch them grow; python: the interpreter (e.g. the
    serving-only venv's); root: the checkout whose app.py runs.
    """
    port = free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
    if temp_dir is not None:
        env["GRADIO_TEMP_DIR"] = str(temp_dir)
    program = ["-m", module] if module else ["app.py"]
    command = [python, *program, "--port", str(port), *arguments]
    process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{command} did not start (exit code {process.poll()})") from None
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/", process
    finally:
        process.terminate()
        process.wait(timeout=30)


def sample_levels() -> list[list[int]]:
    """The first shipped test image, as the 16x16 levels an API caller sends."""
    with np.load(SAMPLES, allow_pickle=False) as samples:
        return samples["images"][0].tolist()
