"""A class of 30 behind one school address, each pupil running the whole script at once: before, the server computes
every action (as with ?engine=off or an old browser); after, the page computes and the server only sends files.

    python -m bench.classroom [--users 30]

The script (one pupil): upload a picture, Generate with both models, the layer view and a why-not click, the measured
field, the learning tab (an epoch's pictures, complete my grid), the animated GIF.

Before: each pupil sends the script's questions to the server as the page without its engine does (the public API
`/levels_from_image`, `/complete`, `/layers`, `/learning`, and the page's `ask` for the GIF), all 30 from one
address (X-Forwarded-For, which the app trusts from 127.0.0.1). Printed per action: answered and refused.

After: one real Chromium walks the script in the page once, recording every request it sends; it must send no POST
once the engine is ready (else the benchmark stops and says which). Then 30 pupils from one address fetch exactly
the files that walk fetched, at once (a browser without them in its cache). Printed: requests, refused, bytes.

For both: the server process's CPU seconds (user + system, psutil) and the wall time, measured in one run.
"""

import argparse
import io
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
import psutil
from PIL import Image

from bench import raw
from bench.server import sample_levels, serving

SCHOOL = {"X-Forwarded-For": "10.20.0.1"}  # one address for the whole class


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()  # every thread of the server process
    return times.user + times.system


def refused(answer: str) -> bool:
    """Whether a call's outcome ('' answered, else our message or 'HTTP ...') is the per-address refusal."""
    return "HTTP 422" in answer or "HTTP 429" in answer or "wait for their answers" in answer


def picture_png() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray((np.array(sample_levels(), np.uint8) * 85).repeat(4, 0).repeat(4, 1)).save(buffer, "PNG")
    return buffer.getvalue()


def script_on_server(url: str, levels: list, picture: Path) -> dict[str, str]:
    """One pupil's script asked of the server: {action: '' if answered, else what came back}."""
    done = {}
    done["upload"] = raw.call(url, "levels_from_image", [{"path": str(picture), "meta": {"_type": "gradio.FileData"}}],
                              SCHOOL)  # fmt: skip
    for model in ("pixelcnn", "gated"):
        done[f"generate {model}"] = raw.call(url, "complete", [model, levels, 8, 1.0, 3, "any"], SCHOOL)
    done["layers"] = raw.call(url, "layers", ["gated", 9, 9], SCHOOL)
    done["learning"] = raw.call(url, "learning", ["pixelcnn", 5, 0], SCHOOL)
    question = {"what": "gif", "kind": "gif", "id": 1, "model": "pixelcnn", "levels": levels, "known_rows": 8,
                "temperature": 1.0, "seed": 3, "label": "any", "lang": "en"}  # fmt: skip
    answer = raw.ask(url, question, SCHOOL)
    done["gif"] = answer.get("error", "") if isinstance(answer, dict) else ""
    return done


def before(url: str, server: psutil.Process, users: int, tmp: Path) -> None:
    levels, picture = sample_levels(), tmp / "garment.png"
    picture.write_bytes(picture_png())
    uploaded = httpx.post(f"{url}gradio_api/upload", files={"files": ("garment.png", picture.read_bytes())},
                          headers=SCHOOL, timeout=60).json()[0]  # fmt: skip
    cpu, start = cpu_seconds(server), time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        outcomes = list(pool.map(lambda _: script_on_server(url, levels, Path(uploaded)), range(users)))
    wall, cpu = time.perf_counter() - start, cpu_seconds(server) - cpu
    print(f"before: the server computes ({users} pupils, one address)   server CPU {cpu:6.2f} s   wall {wall:6.2f} s")
    for action in outcomes[0]:
        answers = [o[action] for o in outcomes]
        no = sum(refused(a) for a in answers)
        other = sorted({a[:60] for a in answers if a and not refused(a)})
        print(f"  {action:<20} answered {answers.count(''):3d}   refused {no:3d}", f"other: {other}" if other else "")


def walk(url: str) -> list[str]:
    """The script walked once in Chromium with the page's engine: the URLs of every GET it sent (files), in order.
    Raises if the page sent a POST once its engine was ready."""
    from playwright.sync_api import sync_playwright

    from demo import i18n
    from tests.chromium import launch
    from tests.walk import engine_ready, student_script

    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        fetched, posted = [], []
        page.on("request", lambda r: fetched.append(r.url) if r.method == "GET" else None)
        page.goto(url)
        engine_ready(page)
        page.wait_for_load_state("networkidle")
        page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
        student_script(page, picture_png(), i18n.TEXTS["en"])
        browser.close()
    if posted:
        raise SystemExit(f"the page sent {len(posted)} POSTs once its engine was ready: {posted[:3]}")
    return fetched


def after(url: str, server: psutil.Process, users: int) -> None:
    files = [u for u in walk(url) if u.startswith(url) and "/gradio_api/heartbeat" not in u]
    print(f"after: the page computes; one pupil's walk fetched {len(files)} files, no POST once the engine was ready")

    def pupil(_):
        with httpx.Client(headers=SCHOOL, timeout=120) as client:
            answers = [client.get(u) for u in files]
        return [a.status_code for a in answers], sum(len(a.content) for a in answers)

    cpu, start = cpu_seconds(server), time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        outcomes = list(pool.map(pupil, range(users)))
    wall, cpu = time.perf_counter() - start, cpu_seconds(server) - cpu
    codes = [c for statuses, _ in outcomes for c in statuses]
    bad = sorted({c for c in codes if c != 200})
    print(f"after: {users} pupils, one address, fetch those files   server CPU {cpu:6.2f} s   wall {wall:6.2f} s")
    print(f"  requests {len(codes)}   refused {sum(c in (422, 429) for c in codes)}   other than 200: {bad or 'none'}"
          f"   {sum(b for _, b in outcomes) / users / 1e6:.1f} MB per pupil")  # fmt: skip
    print("  then every action of the script: 0 requests, 0 server CPU (the walk above sent no POST)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30, help="pupils behind the school's one address")
    args = parser.parse_args()
    with serving() as (url, process), tempfile.TemporaryDirectory() as tmp:
        server = psutil.Process(process.pid)
        time.sleep(2)
        print(f"{args.users} pupils, one address; the server on this machine ({psutil.cpu_count()} cores, "
              f"load {psutil.getloadavg()[0]:.1f})")  # fmt: skip
        before(url, server, args.users, Path(tmp))
        after(url, server, args.users)


if __name__ == "__main__":
    main()
