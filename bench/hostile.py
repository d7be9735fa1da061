"""Hostile and clumsy requests against the running app: answers, the server's memory, files, fairness.

    python -m bench.hostile [--crowd 30] [--flood 200] [--files 1000]

Starts `python app.py` as its own process on localhost (Gradio's files in a folder of its own), samples
its resident memory every 10 ms, and sends, one at a time, the worst requests we know of on every route
(named endpoints through gradio_client and raw /call/, the page's server function `ask` that every
question of the page goes through, /learning (the learning tab asks nothing now), /run/, Gradio's own routes, chunked
uploads, decoder bombs), then `crowd` of the costliest at once (the decoder bombs while another address
asks), 400 questions from one page, then two floods over kept-open connections (X-Forwarded-For through
127.0.0.1, a trusted proxy) while another address sends 20 requests one after another: waves of `flood`
jobs from one address, then 60 addresses keeping 8 jobs each; then 2,000 raw /call/ sessions and `files`
uploads and /learning answers. After each stage it checks that the process is alive and that a normal
/complete still answers. Prints tables; targets: any single request under 150 MB above idle, a crowd under
1 GB, nothing written past the upload limit, the honest address's p95 within 2x its idle p95 plus one
completion (one address) or plus 1.5 s (60 addresses), no refusal in Gradio's words, no file left per
call, memory back near idle 60 s after.
"""

import argparse
import multiprocessing
import statistics
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil
from gradio_client import Client, handle_file
from PIL import Image

from bench import raw
from bench.server import serving
from demo.gradio_internals import ASSETS_FOLDER
from demo.ui import page_folder

GRID = [[0] * 16 for _ in range(16)]
NORMAL = dict(model="pixelcnn", levels=GRID, known_rows=0, temperature=1.0, seed=0)
BIG = 10**400
FILE = {"meta": {"_type": "gradio.FileData"}}


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
    made["good"] = good
    made["truncated_png"] = folder / "truncated.png"
    made["truncated_png"].write_bytes(good.read_bytes()[:60])
    made["webp_4096"] = folder / "big.webp"  # a few hundred bytes declaring 4096x4096 pixels
    Image.new("L", (4096, 4096)).save(made["webp_4096"], lossless=True)
    made["webp_2048"] = folder / "2048.webp"  # 2048x2048: under the pixel limit, over the memory budget
    Image.new("L", (2048, 2048)).save(made["webp_2048"], lossless=True)
    made["webp_largest"] = folder / "largest.webp"  # the costliest pictures read: just under demo.canvas.BUDGET
    Image.new("L", (1700, 1700)).save(made["webp_largest"], lossless=True)
    made["thin_largest"] = folder / "thin-largest.png"
    Image.new("L", (4, 580_000), 90).save(made["thin_largest"], optimize=True)
    made["progressive_largest"] = folder / "progressive-largest.jpg"
    Image.new("L", (5000, 5000), 90).save(made["progressive_largest"], progressive=True, quality=10)
    made["line_png"] = folder / "line.png"  # 1 x 16,000,000 pixels, ~30 KB
    Image.new("1", (16_000_000, 1)).save(made["line_png"], optimize=True)
    made["progressive"] = folder / "progressive.jpg"  # ~660 KB; read at 1/8 scale, its coefficients at full size
    Image.new("L", (13000, 13000), 90).save(made["progressive"], progressive=True, quality=10)
    made["thin_rgba"] = folder / "thin.png"  # 1 x 4,194,304 pixels (the pixel limit), ~30 KB
    Image.new("RGBA", (1, 4 * 2**20), (9, 9, 9, 200)).save(made["thin_rgba"], optimize=True)
    made["thin_grey"] = folder / "thin-grey.png"  # the same in greys, ~8 KB
    Image.new("L", (1, 4 * 2**20), 90).save(made["thin_grey"], optimize=True)
    return made


def chunked_upload(url: str, files: int, size: int, headers: dict) -> str:
    """One upload of `files` files of `size` bytes each in a multipart body sent in chunks (no length declared):
    'HTTP <status> <answer>'."""
    boundary = "hostile"

    def body():
        for i in range(files):
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="f{i}.png"\r\n\r\n'
            yield head.encode()
            yield b"\0" * size
            yield b"\r\n"
        yield f"--{boundary}--\r\n".encode()

    kind = {"Content-Type": f"multipart/form-data; boundary={boundary}", **headers}
    try:
        answer = httpx.post(f"{url}gradio_api/upload", content=body(), headers=kind, timeout=120)
    except httpx.HTTPError as error:  # the server answered and closed while the body was still being sent
        return f"{type(error).__name__}"
    return f"HTTP {answer.status_code} {answer.text[:70]}"


def read_back(url: str, picture: Path, headers: dict) -> str:
    """Upload a picture, then ask Gradio's file route for it by the path the upload answered: 'HTTP <status>'."""
    with open(picture, "rb") as file:
        path = httpx.post(f"{url}gradio_api/upload", files={"files": file}, headers=headers, timeout=30).json()[0]
    return f"HTTP {httpx.get(f'{url}gradio_api/file={path}', headers=headers, timeout=30).status_code}"


def security_headers(url: str, path: str) -> str:
    """The security headers of the answer to GET `path`."""
    answer = httpx.get(f"{url}{path}", timeout=30)
    names = ("content-security-policy", "x-content-type-options", "referrer-policy")
    return f"HTTP {answer.status_code}; " + "; ".join(f"{name}: {answer.headers.get(name)}" for name in names)


def attempt(url: str, headers: dict, api_name: str, *args) -> str:
    """Send one request through gradio_client; 'answered' or the last line of the error the client got."""
    try:
        Client(url, download_files=False, verbose=False, headers=headers).predict(*args, api_name=api_name)
        return "answered"
    except Exception as error:  # what a hostile caller sees is what we report
        return (str(error).splitlines() or [type(error).__name__])[-1][:90]


def short(answer: str) -> str:
    """An answer as one cell of a Markdown table: one line, no bar, 90 characters at most."""
    return " ".join((answer or "answered").replace("|", "/").split())[:90]


def normal_works(url: str, address: str = "10.9.9.9") -> bool:
    return raw.call(url, "complete", [*NORMAL.values(), "any"], {"X-Forwarded-For": address}) == ""


def latencies(url: str, address: str, count: int) -> list[float]:
    """`count` /complete requests from `address`, one after another (each waits for its answer): seconds each."""
    client = Client(url, download_files=False, verbose=False, headers={"X-Forwarded-For": address})
    times = []
    for seed in range(count):
        start = time.perf_counter()
        try:
            client.predict(*{**NORMAL, "seed": seed}.values(), "any", api_name="/complete")
            times.append(time.perf_counter() - start)
        except Exception:  # refused: counted as never answered
            times.append(float("inf"))
    return times


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, round(0.95 * len(times)) - 1)]


def flood(url: str, jobs: int, addresses: int, started, stop, counts) -> None:
    """In its own process (so that the honest client's timing does not share this one's interpreter): raw /call/
    posts from `addresses` addresses in turn, each post its own session, 16 at a time over kept-open connections,
    never waiting for an answer, in waves of `jobs` until `stop` is set; puts (queued, refused in our words,
    other, refused in Gradio's words: "Queue is full") in `counts`."""
    answers = []

    def post(seed: int) -> tuple[int, bool]:
        flooder = {"X-Forwarded-For": f"10.0.{seed % addresses}.66"}
        answer = raw.post(url, "complete", [*{**NORMAL, "seed": seed}.values(), "any"], flooder, session)
        return answer.status_code, "Queue is full" in answer.text

    with httpx.Client(limits=httpx.Limits(max_connections=16)) as session, ThreadPoolExecutor(16) as pool:
        while not stop.is_set():
            answers += pool.map(post, range(jobs))
            started.set()
    statuses = [status for status, _ in answers]
    queued, refused = statuses.count(200), statuses.count(422)
    counts.put((queued, refused, len(statuses) - queued - refused, sum(gradios for _, gradios in answers)))


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def fairness(url: str, server: psutil.Process, jobs: int = 200, honest: int = 20, addresses: int = 1) -> dict:
    """An honest address's latency alone, then while `addresses` other addresses flood the queue (waves of `jobs`),
    and the server's CPU time: per completion alone, and in all during the flood (completions and refusals)."""
    latencies(url, "10.0.0.7", 3)  # warm-up
    before = cpu_seconds(server)
    idle = latencies(url, "10.0.0.7", honest)
    per_completion = (cpu_seconds(server) - before) / honest
    context = multiprocessing.get_context("spawn")
    started, stop, counts = context.Event(), context.Event(), context.Queue()
    flooder = context.Process(target=flood, args=(url, jobs, addresses, started, stop, counts))
    flooder.start()
    started.wait(60)
    before, start = cpu_seconds(server), time.perf_counter()
    during = latencies(url, "10.0.0.7", honest)
    stop.set()
    queued, refused, other, gradios = counts.get(timeout=120)
    flooder.join()
    time.sleep(2)  # the flood's queued jobs finish
    flood_cpu = cpu_seconds(server) - before
    return {
        "idle_p95": p95(idle),
        "completion": statistics.median(idle),
        "flood_p95": p95(during),
        "answered": sum(t < float("inf") for t in during),
        "accepted": queued,
        "refused": refused,
        "other": other,
        "gradios": gradios,
        "seconds": time.perf_counter() - start,
        "flood_cpu": flood_cpu,
        "completion_cpu": per_completion,
    }


def files_under(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def bytes_under(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--crowd", type=int, default=30, help="hostile requests sent at once")
    parser.add_argument("--flood", type=int, default=200, help="jobs one address sends at once")
    parser.add_argument("--files", type=int, default=1000, help="uploads, and learning-tab answers, one after another")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as cache:
        with serving(temp_dir=Path(cache)) as (url, process):
            run(url, process, Path(tmp), Path(cache), args)


def run(url: str, process, tmp: Path, cache: Path, args) -> None:
    made, memory, crashes = files(tmp), PeakMemory(process.pid), 0
    normal_works(url)  # warm-up
    time.sleep(1)
    idle = memory.reset()
    field = {"kind": "field", "id": 1, "page": "p", "model": "pixelcnn", "row": 3, "col": 3}
    question = {"kind": "complete", "id": 1, "page": "p", **NORMAL}
    upload = lambda name: ("upload", "/levels_from_image", handle_file(str(made[name])))  # noqa: E731
    singles = {
        "PNG of 13000x13000 pixels": upload("huge_png"),
        "200 MB upload": upload("big_upload"),
        "text file sent as PNG": upload("text_as_png"),
        "truncated PNG": upload("truncated_png"),
        "WebP of 700 bytes, 4096x4096 pixels": upload("webp_4096"),
        "PNG of 30 KB, 1x16,000,000 pixels": upload("line_png"),
        "progressive JPEG of 660 KB, 13000x13000 pixels": upload("progressive"),
        "RGBA PNG of 30 KB, 1x4,194,304 pixels": upload("thin_rgba"),
        "grey PNG of 8 KB, 1x4,194,304 pixels": upload("thin_grey"),
        "one chunked upload of 100 files of 1.9 MB": ("chunked", 100, 1_900_000),
        "one chunked upload of 20 files of 10 KB": ("chunked", 20, 10_000),
        "an upload read back by the path it was given": ("readback", made["good"]),
        "WebP of 300 bytes, 2048x2048 pixels": upload("webp_2048"),
        "WebP of 1700x1700 pixels (the costliest read)": upload("webp_largest"),
        "grey PNG of 4x580,000 pixels (the costliest read)": upload("thin_largest"),
        "progressive JPEG of 5000x5000 pixels (the costliest read)": upload("progressive_largest"),
        "levels 16 x 100000": ("client", "/complete", "pixelcnn", [[3] * 100_000] * 16, 0, 1.0, 0),
        "levels of text": ("client", "/complete", "pixelcnn", "x" * 1_000_000, 0, 1.0, 0),
        "known_rows 10**12": ("client", "/complete", "pixelcnn", GRID, 10**12, 1.0, 0),
        "seed 10**400 (raw /call/)": ("call", "complete", ["pixelcnn", GRID, 8, 1.0, BIG, "any"]),
        "/complete with 4 arguments": ("call", "complete", ["pixelcnn", GRID, 8, 1.0]),
        "/learning with model []": ("call", "learning", [[], 5, 0]),
        "a file path /etc/passwd": ("call", "levels_from_image", [{"path": "/etc/passwd", **FILE}]),
        "a file given by URL": ("call", "levels_from_image", [{"path": "http://example.com/a.png", **FILE}]),
        "layers of pixel (10**12, text)": ("client", "/layers", "gated", 10**12, "x" * 1000),
        "/fill with a hole of 16 x 100000": ("client", "/fill", "pixelcnn", GRID, [[1] * 100_000] * 16, 1.0, 0),
        "/fill with an empty hole, seed 10**400": (
            "call",
            "fill",
            ["pixelcnn", GRID, [[0] * 16] * 16, 1.0, BIG, "any"],
        ),
        "page question: fill, a hole of text": ("ask", {**question, "what": "fill", "hole": "x" * 1000}),
        "page question: seed 10**400": ("ask", {**question, "seed": BIG}),
        "page question: field of row 16": ("ask", {**field, "row": 16}),
        "page question: field of row NaN": ("ask", {**field, "row": float("nan")}),
        "page question: why, layer 10**12": (
            "ask",
            {**field, "kind": "why", "model": "gated", "row": 8, "col": 8, "layer": 10**12, "source_row": 2}
            | {"source_col": 2},
        ),
        "page question: learning, epoch 10**12": ("ask", {"kind": "learning", "id": 1, "page": "p",
                                                          "model": "pixelcnn", "epoch": 10**12, "seed": 0}),
        "page question: learning_grid, a board of text": ("ask", {"kind": "learning_grid", "id": 1, "page": "p",
                                                                  "model": "pixelcnn", "epoch": 1, "seed": 0,
                                                                  "board": "x" * 50_000, "known_rows": 8}),
        "page question of text": ("ask", "x" * 60_000),
        "page question: a list": ("ask", [1, 2]),
        "page question of an unknown kind": ("ask", {"kind": "delete", "id": 1, "page": "p"}),
        "page question, levels 16 x 1000": ("ask", {**question, "levels": [[3] * 1000] * 16}),
        "/run/complete": ("run", "complete"),
        "server function of component 99999": (
            "http",
            "POST",
            "component_server",
            {"session_hash": "h", "component_id": 99999, "fn_name": "ask"},
        ),
        "/queue/join with fn_index 10**9": (
            "http",
            "POST",
            "queue/join",
            {"data": [], "fn_index": 10**9, "session_hash": "h"},
        ),
        "/call/ of a name that does not exist": ("http", "POST", "call/no_such_name", {"data": []}),
        "the stream of an event that never was": ("http", "GET", "call/complete/no_such_event", None),
        "/monitoring/summary": ("http", "GET", "/monitoring/summary", None),
        "Gradio's file route given a web address": ("http", "GET", "file=https://example.com/a.png", None),
        "a Range from byte 100 to byte 50 of the page's engine": ("range", "bytes=100-50"),
        "/learning with model 'nope'": ("call", "learning", ["nope", 5, 0]),  # the tab itself asks nothing now
        "/learning with a value too many": ("call", "learning", ["pixelcnn", 5, 0, 7]),
        "/complete with 7 arguments (raw /call/)": ("call", "complete", ["pixelcnn", GRID, 8, 1.0, 1, "any", 0]),
        "the page's security headers": ("headers", ""),
        "every file of Gradio's frontend (919, 21 MB), each as br, gzip and whole": ("assets",),
        "a file out of Gradio's frontend by /assets/../": ("http", "GET", "/assets/%2e%2e%2findex.html", None),
        "a file name of 300 letters under /assets/": ("http", "GET", "/assets/" + "a" * 300 + ".js", None),
    }
    print(f"idle server: {idle:.0f} MB\n")
    print("| request | answer | peak above idle (MB) | next normal request |\n|---|---|---|---|")
    for name, (route, *inputs) in singles.items():
        memory.reset()
        answer = send(url, route, inputs, 0)
        time.sleep(0.3)
        crashes += process.poll() is not None
        ok = process.poll() is None and normal_works(url)
        print(f"| {name} | {short(answer)} | {memory.peak - idle:.0f} | {'works' if ok else 'FAILS'} |", flush=True)
    print(f"\nGradio's files after these: {bytes_under(cache) / 2**20:.1f} MB\n")

    row = lambda name, i: send(url, singles[name][0], list(singles[name][1:]), i)  # noqa: E731
    new_field = lambda i: {**field, "page": f"p{i}", "model": "gated", "row": 4 + i // 16, "col": i % 16}  # noqa: E731
    crowds = {
        "huge PNG and huge levels": lambda i: row(["PNG of 13000x13000 pixels", "levels 16 x 100000"][i % 2], i),
        "WebP 1700x1700, 30 addresses": lambda i: row("WebP of 1700x1700 pixels (the costliest read)", i),
        "WebP 1700x1700, one address": lambda i: row("WebP of 1700x1700 pixels (the costliest read)", 0),
        "page question: fields not cached yet": lambda i: send(url, "ask", [new_field(i)], i),
        "/run/complete": lambda i: row("/run/complete", i),
        "progressive JPEG 13000x13000, 30 addresses": lambda i: row(
            "progressive JPEG of 660 KB, 13000x13000 pixels", i
        ),
        "thin RGBA PNG, 30 addresses": lambda i: row("RGBA PNG of 30 KB, 1x4,194,304 pixels", i),
        "chunked uploads of 100 x 1.9 MB, one address": lambda i: row("one chunked upload of 100 files of 1.9 MB", 0),
    }
    for name, one in crowds.items():
        memory.reset()
        written = bytes_under(cache)
        start = time.perf_counter()
        with ThreadPoolExecutor(args.crowd + 1) as pool:
            honest = pool.submit(latencies, url, "10.0.0.8", 3)  # another address asks meanwhile
            answers = list(pool.map(one, range(args.crowd)))
        seconds, slowest = time.perf_counter() - start, max(honest.result())
        written = (bytes_under(cache) - written) / 2**20
        time.sleep(0.3)
        crashes += process.poll() is not None
        ok = process.poll() is None and normal_works(url)
        kinds = ", ".join(f"{answers.count(a)} {short(a)}" for a in dict.fromkeys(answers))
        print(
            f"| {args.crowd} at once: {name} | in {seconds:.1f} s: {kinds}; another address's slowest of 3: "
            f"{slowest:.2f} s; {written:.0f} MB written | {memory.peak - idle:.0f} | {'works' if ok else 'FAILS'} |",
            flush=True,
        )

    memory.reset()
    start = time.perf_counter()
    with ThreadPoolExecutor(64) as pool:  # one page asking 400 times at once, as a stuck key would
        answers = list(pool.map(lambda i: send(url, "ask", [{**question, "id": i, "page": "flood"}], 0), range(400)))
    seconds, ok = time.perf_counter() - start, process.poll() is None and normal_works(url)
    kinds = ", ".join(f"{answers.count(a)} {short(a)}" for a in dict.fromkeys(answers))
    print(f"| 400 page questions from one page | in {seconds:.1f} s: {kinds} | {memory.peak - idle:.0f} "
          f"| {'works' if ok else 'FAILS'} |")  # fmt: skip

    memory.reset()
    fair = fairness(url, psutil.Process(process.pid), args.flood)
    flood_peak = memory.peak
    print(
        f"\nfairness: one address sends waves of {args.flood} jobs for {fair['seconds']:.1f} s ({fair['accepted']} "
        f"queued, {fair['refused']} refused at once, {fair['other']} other; the server's CPU meanwhile "
        f"{fair['flood_cpu']:.1f} s, a completion alone {1000 * fair['completion_cpu']:.0f} ms); another "
        f"address's 20 requests: p95 {fair['idle_p95']:.2f} s idle, "
        f"{fair['flood_p95']:.2f} s during the flood (target {2 * fair['idle_p95'] + fair['completion']:.2f} s: "
        f"2x idle p95 + one completion {fair['completion']:.2f} s); {fair['answered']}/20 answered"
    )

    memory.reset()
    crowded = fairness(url, psutil.Process(process.pid), 480, addresses=60)
    flood_peak = max(flood_peak, memory.peak)
    print(
        f"fairness: 60 addresses send waves of 8 jobs each for {crowded['seconds']:.1f} s ({crowded['accepted']} "
        f"queued, {crowded['refused']} refused in our words, {crowded['gradios']} in Gradio's, {crowded['other']} "
        f"other); another address's 20 requests: p95 {crowded['idle_p95']:.2f} s idle, {crowded['flood_p95']:.2f} s "
        f"during the flood (target {2 * crowded['idle_p95'] + 1.5:.2f} s: 2x idle p95 + 1.5 s); "
        f"{crowded['answered']}/20 answered"
    )

    memory.reset()
    nothing_to_draw = ["pixelcnn", GRID, 16, 1.0, 0, "any"]
    kept = lambda i: raw.call(url, "complete", nothing_to_draw, {"X-Forwarded-For": f"10.2.{i % 8}.1"})  # noqa: E731
    with ThreadPoolExecutor(8) as pool:  # 2,000 sessions: one per raw /call/ (nothing to draw), 8 addresses
        list(pool.map(kept, range(2000)))
    with httpx.Client() as session, ThreadPoolExecutor(8) as pool:  # 1,000 jobs whose answers nobody reads
        job = lambda i: [*{**NORMAL, "seed": i}.values(), "any"]  # noqa: E731
        unread = lambda i: raw.post(url, "complete", job(i), {"X-Forwarded-For": f"10.4.{i % 125}.1"}, session)  # noqa: E731
        statuses = [response.status_code for response in pool.map(unread, range(1000))]
    time.sleep(5)
    sessions_peak, unread_after = memory.peak, memory.now()
    before = files_under(cache)
    client = Client(url, download_files=False, verbose=False)
    levels = []  # the server's memory after each quarter: it levels off (bounded caches) or grows (a leak)
    for i in range(args.files):
        client.predict(handle_file(str(made["good"])), api_name="/levels_from_image")
        raw.private_event(url, "learning", ["pixelcnn", 1, i], f"learning-{i}")  # each its own session
        if (i + 1) % max(1, args.files // 4) == 0:
            levels.append(f"{memory.now() - idle:+.0f}")
    print(
        f"sessions: 2,000 raw /call/ answered, then 1,000 jobs never read ({statuses.count(200)} queued), peak "
        f"{sessions_peak - idle:+.0f} MB above idle, {unread_after - idle:+.0f} MB 5 s after; "
        f"Gradio's files: {before} before, {files_under(cache)} after {args.files} uploads and {args.files} "
        f"learning-tab answers, {(time.sleep(11), files_under(cache))[1]} 11 s later; memory above idle after "
        f"each quarter of them: {', '.join(levels)} MB"
    )
    under_flood = max(flood_peak, sessions_peak)
    time.sleep(60)
    after = memory.now()
    print(
        f"\ncrashes: {crashes}; server memory: idle {idle:.0f} MB, under the flood {under_flood:.0f} MB, "
        f"60 s after {after:.0f} MB"
    )


def send(url: str, route: str, inputs: list, i: int) -> str:
    """One request of a table's row on its route, from address 10.1.x.y for the i-th of a crowd."""
    address = {"X-Forwarded-For": f"10.1.{i // 250}.{i % 250 + 1}"}
    if route == "client" or route == "upload":
        return attempt(url, address, *inputs)
    if route == "call":
        return raw.call(url, *inputs, address)
    if route == "ask":
        answer = raw.ask(url, inputs[0], address)
        return answer.get("error") or ("superseded" if answer.get("superseded") else "answered")
    if route == "http":  # Gradio's own routes, as a script may call them
        method, path, body = inputs  # a path from the root starts with "/", else it is under gradio_api/
        target = url + (path[1:] if path.startswith("/") else f"gradio_api/{path}")
        answer = httpx.request(method, target, json=body, headers=address, timeout=30)
        return f"HTTP {answer.status_code} {answer.text[:70]}"
    if route == "chunked":
        return chunked_upload(url, *inputs, address)
    if route == "readback":
        return read_back(url, inputs[0], address)
    if route == "private":
        answer = raw.private_event(url, *inputs, f"hostile-{i}", address)
        return answer.get("error", "answered") if isinstance(answer, dict) else "answered"
    if route == "headers":
        return security_headers(url, inputs[0])
    if route == "assets":  # the answers kept in memory (demo.kept_files) stay within their budget
        statuses = Counter()
        with httpx.Client(headers=address, timeout=30) as client:
            for file in sorted(path for path in ASSETS_FOLDER.rglob("*") if path.is_file()):
                for accepted in ("br", "gzip", "identity"):
                    asked = f"{url}assets/{file.relative_to(ASSETS_FOLDER)}"
                    statuses[client.get(asked, headers={"Accept-Encoding": accepted}).status_code] += 1
        return ", ".join(f"{count} HTTP {status}" for status, count in sorted(statuses.items()))
    if route == "range":
        worker = url + page_folder() + "engine_worker.js"
        answer = httpx.get(worker, headers={**address, "Range": inputs[0]}, timeout=30)
        return f"HTTP {answer.status_code}, {len(answer.content)} bytes"
    answer = httpx.post(f"{url}gradio_api/run/{inputs[0]}", json={"data": []}, headers=address, timeout=30)
    return f"HTTP {answer.status_code}"


if __name__ == "__main__":
    main()
