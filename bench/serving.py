"""What serving costs, installed as a Space installs it (`requirements.txt` alone, no torch): the venv's size, the
time from `python app.py` to the first page, the server's memory at rest and after 100 API calls.

    python -m bench.serving [--venv .venv-serve]     (scripts/test.sh makes .venv-serve; or: python3 -m venv
                                                      .venv-serve && .venv-serve/bin/pip install -r requirements.txt)
"""

import argparse
import subprocess
import time
import urllib.request
from pathlib import Path

import psutil
from gradio_client import Client

from bench.server import ROOT, sample_levels, serving


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def first_page_seconds(python: str) -> tuple[float, float, float]:
    """(seconds from start to the first page, RSS MB at rest, RSS MB after 100 API calls)."""
    started = time.monotonic()
    with serving(python=python) as (url, process):
        while True:
            try:
                urllib.request.urlopen(url, timeout=5).read()
                break
            except OSError:
                time.sleep(0.05)
        seconds = time.monotonic() - started
        rest = psutil.Process(process.pid).memory_info().rss / 1e6
        client = Client(url, verbose=False, download_files=False)
        levels = sample_levels()
        for i in range(100):
            model = ("pixelcnn", "gated")[i % 2]
            client.predict(model, levels, 8, 1.0, i, "any", api_name="/complete")
        used = psutil.Process(process.pid).memory_info().rss / 1e6
    return seconds, rest, used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv-serve", help="a venv of requirements.txt alone")
    args = parser.parse_args()
    python = str(args.venv / "bin" / "python")
    has_torch = subprocess.run([python, "-c", "import torch"], capture_output=True).returncode == 0
    print(f"venv {args.venv}: {folder_mb(args.venv):.0f} MB, torch importable: {has_torch}")
    seconds, rest, used = first_page_seconds(python)
    print(f"first page after {seconds:.1f} s; RSS {rest:.0f} MB at rest, {used:.0f} MB after 100 /complete calls")


if __name__ == "__main__":
    main()
