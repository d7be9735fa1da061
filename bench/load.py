"""A class presses Generate at the same moment: 30, then 100 simultaneous /complete calls, each its own client.

    python -m bench.load [--users 30 100] [--known-rows 0] [--batch 32]

For each number of users, three servers in turn, each its own process on localhost (clients and server
share this machine): the do-nothing floor (`bench.floor`), the app answering one request at a time,
and the app with Gradio's batching (`app.py --batch N`). Prints p50/p95 latency (submit to answer),
completions per second, and the ratios to the floor's p95.
"""

import argparse
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from gradio_client import Client

from bench.server import sample_levels, serving


def one(url: str, levels: list, known_rows: int, seed: int) -> tuple[float, bool]:
    # a separate client at its own address, like a separate student (127.0.0.1 is a trusted proxy: demo/limits.py)
    address = {"X-Forwarded-For": f"10.0.{seed // 250}.{seed % 250 + 1}"}
    client = Client(url, download_files=False, verbose=False, headers=address)
    start = time.perf_counter()
    result = client.predict("pixelcnn", levels, known_rows, 1.0, seed, "any", api_name="/complete")
    return time.perf_counter() - start, result["seed"] == seed


def measure(url: str, users: int, known_rows: int) -> dict:
    levels = sample_levels()
    one(url, levels, known_rows, 0)  # warm-up
    start = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        results = list(pool.map(lambda s: one(url, levels, known_rows, s), range(users)))
    wall = time.perf_counter() - start
    latencies = sorted(t for t, _ in results)
    return {
        "done": sum(ok for _, ok in results),
        "per_s": users / wall,
        "p50": statistics.median(latencies),
        "p95": latencies[max(0, round(0.95 * len(latencies)) - 1)],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, nargs="+", default=[30, 100], help="simultaneous completions")
    parser.add_argument("--known-rows", type=int, default=0, help="rows kept from the test image")
    parser.add_argument("--batch", type=int, default=32, help="Gradio's max_batch_size for the batched app")
    args = parser.parse_args(argv)
    servers = {
        "floor (does nothing)": {"module": "bench.floor"},
        "one request at a time": {},
        f"Gradio batch=True, up to {args.batch}": {"arguments": ("--batch", str(args.batch))},
    }
    print(f"/complete, {16 - args.known_rows} rows generated each; p50/p95 in seconds")
    print("| users | server | done | completions/s | p50 | p95 | p95 / floor's |\n|---|---|---|---|---|---|---|")
    for users in args.users:
        floor = None
        for name, how in servers.items():
            with serving(*how.get("arguments", ()), module=how.get("module")) as (url, _):
                r = measure(url, users, args.known_rows)
            floor = floor or r["p95"]
            print(
                f"| {users} | {name} | {r['done']}/{users} | {r['per_s']:.1f} | {r['p50']:.2f} | {r['p95']:.2f} "
                f"| {r['p95'] / floor:.2f}x |",
                flush=True,
            )


if __name__ == "__main__":
    main()
