"""What a class of 30 pressing Generate at once costs the server, before and after the model ran in the page.

    python -m bench.classroom [--users 30] [--model pixelcnn]

Before (the server computes, as with ?engine=off or an old browser): 30 simultaneous /complete calls, each its
own client and address. After (the model in the page): a Generate sends nothing; what the server does for the
class is send each student the engine's weights file once (the browser keeps it afterwards). Prints the
server process's CPU seconds (user + system, psutil) and the wall time of each, measured in one run.
"""

import argparse
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import psutil
from gradio_client import Client

from bench.server import sample_levels, serving
from demo.ui import ENGINE_DIR


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()  # every thread of the server process
    return times.user + times.system


def generate_on_server(url: str, model: str, levels: list, seed: int) -> None:
    address = {"X-Forwarded-For": f"10.1.{seed // 250}.{seed % 250 + 1}"}  # a student each (127.0.0.1 is trusted)
    client = Client(url, download_files=False, verbose=False, headers=address)
    client.predict(model, levels, 8, 1.0, seed, "any", api_name="/complete")


def fetch_weights(url: str, path: str) -> int:
    return len(httpx.get(url + path, timeout=60).content)


def measure(label: str, server: psutil.Process, users: int, work) -> None:
    before, start = cpu_seconds(server), time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        list(pool.map(work, range(users)))
    wall, cpu = time.perf_counter() - start, cpu_seconds(server) - before
    print(f"{label:<58} server CPU {cpu:6.2f} s   wall {wall:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30, help="students pressing Generate at the same moment")
    parser.add_argument("--model", default="pixelcnn", help="the model they use")
    args = parser.parse_args()
    levels = sample_levels()
    with serving() as (url, process):
        server = psutil.Process(process.pid)
        file = max(ENGINE_DIR.glob(f"{args.model}-*"), key=lambda f: f.stat().st_mtime)  # written at start-up
        path = f"gradio_api/file={file}"
        time.sleep(2)
        print(f"{args.users} students, model {args.model}, 8 rows kept; the server on this machine "
              f"({psutil.cpu_count()} cores, load {psutil.getloadavg()[0]:.1f})")  # fmt: skip
        measure("before: each Generate is a /complete", server, args.users,
                lambda i: generate_on_server(url, args.model, levels, i))  # fmt: skip
        measure(f"after: each student loads the weights once ({file.stat().st_size / 1e6:.2f} MB)", server,
                args.users, lambda i: fetch_weights(url, path))  # fmt: skip
        print("after: each Generate (and each redraw at a new temperature): 0 requests, 0 server CPU")


if __name__ == "__main__":
    main()
