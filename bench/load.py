"""30 students press Generate at the same moment: throughput and latency, batched vs not.

    python -m bench.load [--users 30] [--known-rows 0] [--delay 0]

Starts the app (`python app.py`, its own process) on localhost twice, with batches of up to 32
requests, then of 1; sends `users` simultaneous /complete calls through gradio_client (each its
own client and seed), and prints requests/s and p50/p95 latency from submit to the last frame.
"""

import argparse
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from gradio_client import Client

from bench.server import sample_sketch, serving


def one(url: str, sketch: dict, known_rows: int, delay: int, seed: int) -> tuple[float, bool]:
    client = Client(url, download_files=False, verbose=False)  # a separate client, like a separate student
    start = time.perf_counter()
    result = client.predict("pixelcnn", sketch, known_rows, 1.0, seed, delay, api_name="/complete")
    return time.perf_counter() - start, bool(result[2]["done"])


def run(max_batch: int, users: int, known_rows: int, delay: int, folder: Path) -> dict:
    with serving(max_batch) as (url, _):
        sketch = sample_sketch(folder)
        one(url, sketch, known_rows, delay, 0)  # warm-up
        start = time.perf_counter()
        with ThreadPoolExecutor(users) as pool:
            results = list(pool.map(lambda s: one(url, sketch, known_rows, delay, s), range(users)))
        wall = time.perf_counter() - start
        latencies = sorted(t for t, _ in results)
        return {
            "batching": f"up to {max_batch}",
            "done": sum(ok for _, ok in results),
            "wall_s": wall,
            "throughput": users / wall,
            "p50": statistics.median(latencies),
            "p95": latencies[max(0, round(0.95 * len(latencies)) - 1)],
        }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=30, help="simultaneous completions")
    parser.add_argument("--known-rows", type=int, default=0, help="rows kept from the test image")
    parser.add_argument("--delay", type=int, default=0, help="animation delay, ms per pixel (the page's is 8)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        rows = [run(batch, args.users, args.known_rows, args.delay, Path(folder)) for batch in (32, 1)]
    generated = 16 - args.known_rows
    print(f"\n{args.users} simultaneous /complete calls, {generated} rows generated each, delay {args.delay} ms/pixel")
    print("| batching | done | wall s | requests/s | p50 s | p95 s |\n|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['batching']} | {r['done']}/{args.users} | {r['wall_s']:.2f} | {r['throughput']:.1f} "
            f"| {r['p50']:.2f} | {r['p95']:.2f} |"
        )
    print(f"batched vs not: {rows[0]['throughput'] / rows[1]['throughput']:.2f}x throughput")


if __name__ == "__main__":
    main()
