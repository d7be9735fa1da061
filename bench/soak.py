"""A long session: many completions in a row; does the server's memory or its temporary files grow?

    python -m bench.soak [--requests 300]

Starts `python app.py` on localhost, warms it up, then sends `requests` /complete calls one after
another (rotating seeds, kept rows and temperatures, and an uploaded picture every 25), and prints
the server's resident memory and Gradio's temporary files at the start and at the end.
"""

import argparse
import tempfile
import time
from pathlib import Path

import psutil
from gradio_client import Client, handle_file
from PIL import Image

from bench.server import sample_levels, serving


def files_under(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300, help="completions in a row")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        temp = Path(work) / "gradio"
        with serving(temp_dir=temp) as (url, process):
            server = psutil.Process(process.pid)
            client = Client(url, download_files=False, verbose=False)
            levels, picture = sample_levels(), Path(work) / "picture.png"
            Image.new("RGB", (300, 200), (200, 120, 40)).save(picture)
            for seed in range(10):  # warm-up: allocator pools, caches, first upload
                client.predict("pixelcnn", levels, seed % 16, 1.0, seed, api_name="/complete")
            client.predict(handle_file(str(picture)), api_name="/levels_from_image")
            rss0, files0, failures, start = server.memory_info().rss, files_under(temp), 0, time.perf_counter()
            latencies = []
            for i in range(args.requests):
                t = time.perf_counter()
                try:
                    out = client.predict("pixelcnn", levels, i % 16, 0.5 + (i % 4) / 2, 1000 + i, api_name="/complete")
                    failures += out["seed"] != 1000 + i
                    if i % 25 == 0:
                        client.predict(handle_file(str(picture)), api_name="/levels_from_image")
                except Exception as error:  # count and go on: the soak measures the server, not one call
                    failures += 1
                    print(f"request {i} failed: {error}")
                latencies.append(time.perf_counter() - t)
            rss1, files1 = server.memory_info().rss, files_under(temp)
    latencies.sort()
    print(f"{args.requests} completions in {time.perf_counter() - start:.1f} s, {failures} failed")
    print(f"latency p50 {latencies[len(latencies) // 2]:.2f} s, p95 {latencies[int(0.95 * len(latencies)) - 1]:.2f} s")
    print(f"server RSS: {rss0 / 2**20:.1f} MB -> {rss1 / 2**20:.1f} MB ({(rss1 - rss0) / 2**20:+.1f} MB)")
    print(f"Gradio temporary files: {files0} -> {files1}")


if __name__ == "__main__":
    main()
