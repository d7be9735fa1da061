"""Hostile requests against the running app: the server's peak memory above idle, crashes, and recovery.

    python -m bench.hostile [--crowd 30]

Starts `python app.py` as its own process on localhost, samples its resident memory every 10 ms,
and sends, one at a time, the worst requests we know of (a tiny PNG declaring 13000x13000 pixels,
a 200 MB upload, oversized or malformed levels, a text file sent as a PNG, a truncated PNG, /layers
of a pixel far outside the grid, page questions that are not questions), then `crowd` of the huge-PNG
and oversized-levels requests at once, then a flood of 400 page questions (the page's server function
`ask`, outside Gradio's queue).
After each stage it checks that the process is alive and that a normal /complete still answers.
Prints one table; targets: under 300 MB above idle for any single request, under 1 GB for the crowd,
0 crashes.
"""

import argparse
import json
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
from gradio_client import Client, handle_file
from PIL import Image

from bench.server import serving

NORMAL = dict(model="pixelcnn", levels=[[0] * 16 for _ in range(16)], known_rows=0, temperature=1.0, seed=0)


class PeakMemory:
    """Resident memory of a process (and its children), sampled every 10 ms in a thread, in MB."""

    def __init__(self, pid: int):
        self.process, self.peak, self._stop = psutil.Process(pid), 0.0, threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()

    def now(self) -> float:
        processes = [self.process, *self.process.children(recursive=True)]
        return sum(p.memory_info().rss for p in processes) / 2**20

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, self.now())
            except psutil.Error:
                return
            time.sleep(0.01)

    def reset(self) -> float:
        self.peak = self.now()
        return self.peak


def files(folder: Path) -> dict[str, Path]:
    """The hostile files: built here, never downloaded."""
    made = {}
    made["huge_png"] = folder / "huge.png"  # 13000x13000 1-bit: a few KB on disk, 169 M pixels decoded
    Image.new("1", (13000, 13000)).save(made["huge_png"], optimize=True)
    made["big_upload"] = folder / "big.png"  # 200 MB of zeros named .png
    with open(made["big_upload"], "wb") as f:
        f.truncate(200 * 2**20)
    made["text_as_png"] = folder / "text.png"
    made["text_as_png"].write_text("this is not a picture\n" * 100)
    good = folder / "good.png"
    Image.new("L", (64, 64), 200).save(good)
    made["truncated_png"] = folder / "truncated.png"
    made["truncated_png"].write_bytes(good.read_bytes()[:60])
    return made


def attempt(url: str, api_name: str, *args) -> str:
    """Send one request; returns 'answered' or the first line of the error the client got."""
    try:
        Client(url, download_files=False, verbose=False).predict(*args, api_name=api_name)
        return "answered"
    except Exception as error:  # what a hostile caller sees is what we report
        return (str(error).splitlines() or [type(error).__name__])[0][:90]


def ask_page(url: str, question) -> str:
    """One question to the page's server function `ask` (as the page's JavaScript sends it); its answer's gist."""
    with urllib.request.urlopen(url + "config") as response:
        grid = next(c["id"] for c in json.load(response)["components"] if c.get("props", {}).get("elem_id") == "grid")
    body = json.dumps({"data": question, "component_id": grid, "fn_name": "ask", "session_hash": "hostile"}).encode()
    request = urllib.request.Request(url + "gradio_api/component_server/", body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            answer = json.load(response)
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    return next((k for k in ("error", "superseded", "result") if k in answer), "other")[:90]


def normal_works(url: str) -> bool:
    return attempt(url, "/complete", *NORMAL.values()) == "answered"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--crowd", type=int, default=30, help="hostile requests sent at once")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, serving() as (url, process):
        made, memory, crashes = files(Path(tmp)), PeakMemory(process.pid), 0
        normal_works(url)  # warm-up
        time.sleep(1)
        idle = memory.reset()
        huge_levels = [[3] * 100_000 for _ in range(16)]  # 1.6 M numbers where 256 are expected
        singles = {
            "PNG of 13000x13000 pixels": ("/levels_from_image", handle_file(str(made["huge_png"]))),
            "200 MB upload": ("/levels_from_image", handle_file(str(made["big_upload"]))),
            "text file sent as PNG": ("/levels_from_image", handle_file(str(made["text_as_png"]))),
            "truncated PNG": ("/levels_from_image", handle_file(str(made["truncated_png"]))),
            "levels 16 x 100000": ("/complete", "pixelcnn", huge_levels, 0, 1.0, 0),
            "levels of text": ("/complete", "pixelcnn", "x" * 1_000_000, 0, 1.0, 0),
            "known_rows 10**12": ("/complete", "pixelcnn", NORMAL["levels"], 10**12, 1.0, 0),
            "layers of pixel (10**12, text)": ("/layers", "gated", 10**12, "x" * 1000),
            "page question: why, layer 10**12": (
                "ask",
                {"kind": "why", "id": 1, "page": "p", "model": "gated", "row": 8, "col": 8, "layer": 10**12},
            ),
            "page question of text": ("ask", "x" * 60_000),
            "page question of an unknown kind": ("ask", {"kind": "delete", "id": 1, "page": "p"}),
            "page question, levels 16 x 1000": ("ask", {**NORMAL, "kind": "complete", "levels": [[3] * 1000] * 16}),
        }
        print(f"idle server: {idle:.0f} MB\n")
        print("| request | answer | peak above idle (MB) | next normal request |\n|---|---|---|---|")
        for name, (api, *inputs) in singles.items():
            memory.reset()
            answer = ask_page(url, *inputs) if api == "ask" else attempt(url, api, *inputs)
            time.sleep(0.3)
            alive = process.poll() is None
            crashes += not alive
            ok = alive and normal_works(url)
            print(f"| {name} | {answer} | {memory.peak - idle:.0f} | {'works' if ok else 'FAILS'} |", flush=True)

        memory.reset()
        hostile = [singles["PNG of 13000x13000 pixels"], singles["levels 16 x 100000"]]
        start = time.perf_counter()
        with ThreadPoolExecutor(args.crowd) as pool:
            answers = list(pool.map(lambda i: attempt(url, *hostile[i % 2]), range(args.crowd)))
        seconds = time.perf_counter() - start
        time.sleep(0.3)
        crashes += process.poll() is not None
        ok = process.poll() is None and normal_works(url)
        print(
            f"| {args.crowd} at once (huge PNG, huge levels) | {len(set(answers))} distinct answers in {seconds:.1f} s "
            f"| {memory.peak - idle:.0f} | {'works' if ok else 'FAILS'} |"
        )

        memory.reset()
        flood = [{**NORMAL, "kind": "complete", "id": i, "page": "flood"} for i in range(400)]
        start = time.perf_counter()
        with ThreadPoolExecutor(64) as pool:
            answers = list(pool.map(lambda question: ask_page(url, question), flood))
        seconds = time.perf_counter() - start
        crashes += process.poll() is not None
        ok = process.poll() is None and normal_works(url)
        counts = ", ".join(f"{answers.count(a)} {a}" for a in sorted(set(answers)))
        print(f"| 400 page questions from one page | {counts} in {seconds:.1f} s | {memory.peak - idle:.0f} "
              f"| {'works' if ok else 'FAILS'} |")  # fmt: skip
        print(f"\ncrashes: {crashes}; server memory after: {memory.now():.0f} MB (idle {idle:.0f} MB)")


if __name__ == "__main__":
    main()
