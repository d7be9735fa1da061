"""What serving costs, installed as a Space installs it (`requirements.txt` alone, no torch): the venv's size, the
time from `python app.py` to the first page, the server's memory at rest and after 100 API calls.

    python -m bench.serving [--venv .venv-serve]     (scripts/test.sh makes .venv-serve; or: python3 -m venv
                                                      .venv-serve && .venv-serve/bin/pip install -r requirements.txt)
    python -m bench.serving --before OLD_CHECKOUT --before-venv .venv   (the same figures for another checkout's
                                                      app, e.g. `git worktree add /tmp/before 69ef0b1`, in one run)
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


def first_page_seconds(python: str, root: Path = ROOT) -> tuple[float, float, float]:
    """(seconds from start to the first page, RSS MB at rest, RSS MB after 100 API calls)."""
    started = time.monotonic()
    with serving(python=python, root=root) as (url, process):
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
    parser.add_argument("--before", type=Path, help="another checkout whose app to measure first (the old code)")
    parser.add_argument("--before-venv", type=Path, default=ROOT / ".venv", help="the venv the --before app runs in")
    args = parser.parse_args()
    runs = [(args.before, args.before_venv)] if args.before else []
    for root, venv in [*runs, (ROOT, args.venv)]:
        python = str(venv / "bin" / "python")
        has_torch = subprocess.run([python, "-c", "import torch"], capture_output=True).returncode == 0
        print(f"{root} in {venv}: {folder_mb(venv):.0f} MB, torch importable: {has_torch}")
        seconds, rest, used = first_page_seconds(python, root)
        print(f"  first page after {seconds:.1f} s; RSS {rest:.0f} MB at rest, {used:.0f} MB after 100 /complete calls")


if __name__ == "__main__":
    main()
