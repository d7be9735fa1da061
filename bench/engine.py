"""How long the page's engine takes to finish a completion: both engines (demo/page/engine.js's JavaScript, and the
WebAssembly of demo/page/engine_wasm.js), in node and in Chromium (also at 6x CPU throttle: a school laptop), both
models.

    python -m bench.engine [--runs 9] [--throttled-runs 3]

Each case is one 16x16 image at T = 1, from scratch or from 8 kept rows (a test garment), seeds 0, 1, ...;
the median of `runs` after one warm-up. "Slider" is the mean time of a redraw while the temperature slider
moves from 0.5 to 1.5 by steps of 0.02 (51 redraws of one Completion, which steps only what changed).
Python's own fast sampler (batch 1, the server's work for one Generate) is timed beside it. Chromium
loads the engine's files and the exported weights from a local HTTP server, as the page does; at 6x throttle
(DevTools' Emulation.setCPUThrottlingRate) each case is timed `throttled-runs` times. "4 side by side" is the
page's Web Workers (demo/page/engine_worker.js) computing 4 completions from 8 kept rows: all in one worker, or
shared out between 2 (wall time, Chromium, WebAssembly).
"""

import argparse
import functools
import http.server
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import torch

import pixelcnn
from demo import i18n
from demo.handlers import MAX_SEED, MAX_TEMPERATURE
from pixelcnn.export import export

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo"
PAGE = DEMO / "page"  # the page's modules: the engine and its worker import each other from one folder
SAMPLE = np.load(DEMO / "assets" / "test_samples.npz")["images"][0]
ENGINES = ("js", "wasm")
ENGINE_FILES = ("engine.js", "rng.js", "engine_wasm.js", "engine_worker.js")

# What both JavaScript runtimes run: `model(engine, engineWasm, buffer, wasm, kind)` reads the weights and gives them
# the WebAssembly stepper (kind "wasm") or not; then the milliseconds of each completion, after a warm-up.
TIMER = """
async function model(engine, engineWasm, buffer, wasm, kind) {
  const weights = engine.readWeights(buffer);
  if (kind === "wasm") (await engineWasm.WasmEngine.create(wasm)).attach(weights);
  return weights;
}

function timings(engine, weights, levels, keptRows, runs) {
  const kept = engine.keptCells(16, keptRows * 16), times = [];
  for (let run = -1; run < runs; run++) {
    const begin = performance.now();
    engine.trace(weights, levels, kept, 1.0, run + 1);
    if (run >= 0) times.push(performance.now() - begin);
  }
  return times;
}

function sweep(engine, weights, levels, keptRows) { // the slider dragged from T = 0.5 to 1.5 by 0.02
  const kept = engine.keptCells(16, keptRows * 16);
  const completion = new engine.Completion(weights), begin = performance.now();
  for (let i = 0; i <= 50; i++) completion.trace(levels, kept, 0.5 + 0.02 * i, 1);
  completion.free();
  return [(performance.now() - begin) / 51];
}
"""

# In Chromium: the page's workers, started as grid.js starts them; 4 completions in one, or shared out.
WORKERS = """
async function workers(count, start) {
  const started = [];
  for (let i = 0; i < count; i++) {
    const worker = new Worker("engine_worker.js", { type: "module" });
    await new Promise((ready) => {
      let models = 0;
      const all = Object.keys(start.load).length;
      worker.onmessage = ({ data }) => { if ("loaded" in data && ++models === all) ready(); }; // then only `ask`
      worker.postMessage(start);
    });
    started.push(worker);
  }
  return started;
}

let asked = 0; // questions sent to the workers: each one's id

function ask(worker, question) { // its reply (several questions may be on their way to one worker)
  const id = ++asked;
  return new Promise((done) => {
    const listener = ({ data }) => {
      if (data.id !== id) return;
      worker.removeEventListener("message", listener);
      done(data.reply);
    };
    worker.addEventListener("message", listener);
    worker.postMessage({ id, question });
  });
}

async function sideBySide(started, question, runs) { // ms: 4 completions in worker 0, then shared by all
  // new seeds each time: no Completion a worker keeps is asked again. The first WARM runs are not counted (each
  // worker's WebAssembly is compiled fast first, optimised in the background: V8's tiers), but the first shared
  // one is kept apart as "cold": a pupil's first press of 4 side by side
  const WARM = 3, times = { one: [], shared: [], cold: null };
  for (let run = -WARM; run < runs; run++) {
    let begin = performance.now();
    await ask(started[0], { ...question, seed: 100 + 10 * run });
    if (run >= 0) times.one.push(performance.now() - begin);
    begin = performance.now();
    await Promise.all([0, 1, 2, 3].map((i) =>
      ask(started[i % started.length], { ...question, seed: 1000 + 10 * run, only: i })));
    if (run >= 0) times.shared.push(performance.now() - begin);
    else if (run === -WARM) times.cold = performance.now() - begin;
  }
  return times;
}
"""


def node_times(path: Path, engine: str, measure: str, kept_rows: int, runs: int) -> list[float]:
    """`measure` ("timings" or "sweep") run in node on the engine file at `path`, stepped by `engine`."""
    script = TIMER + (
        "const fs = await import('node:fs'), read = (f) => { const b = fs.readFileSync(f);"
        " return b.buffer.slice(b.byteOffset, b.byteOffset + b.length); };\n"
        "const [file, dir, wasmFile, levels, kept, runs, kind, measure] = process.argv.slice(1);\n"
        "const engine = await import(dir + '/engine.js'), engineWasm = await import(dir + '/engine_wasm.js');\n"
        "model(engine, engineWasm, read(file), read(wasmFile), kind).then((weights) => console.log("
        "JSON.stringify(globalThis[measure](engine, weights, JSON.parse(levels), Number(kept), Number(runs)))));"
    )
    script = script.replace("function timings", "globalThis.timings = function timings")
    script = script.replace("function sweep", "globalThis.sweep = function sweep")
    args = [str(path), str(PAGE), str(DEMO / "engine.wasm"), json.dumps(SAMPLE.tolist()), str(kept_rows), str(runs),
            engine, measure]  # fmt: skip
    done = subprocess.run(["node", "--input-type=module", "-e", script, "--", *args], capture_output=True, text=True,
                          check=True)  # fmt: skip
    return json.loads(done.stdout)


@contextmanager
def served(folder: Path):
    """`folder` served over HTTP on localhost while inside; yields its address."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm"}

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def engine_folder(folder: Path) -> None:
    """The engine's files copied into `folder` beside the weights, and a page that loads them as the app's does."""
    for name in ENGINE_FILES:
        shutil.copy(PAGE / name, folder / name)
    shutil.copy(DEMO / "engine.wasm", folder / "engine.wasm")
    modules = "import * as engine from './engine.js'; import * as engineWasm from './engine_wasm.js';"
    (folder / "index.html").write_text(
        f"<script type='module'>{modules} Object.assign(window, {{ engine, engineWasm }});</script>"
        f"<script>{TIMER}{WORKERS}</script>"
    )


def chromium_times(folder: Path, cases: list, runs: int, throttle: float, gallery: dict | None = None) -> dict:
    """{case: times} for each case (engine file, engine, measure, kept rows), in one headless Chromium page served
    from `folder` at `throttle` x CPU slowdown; with `gallery` ({weights: {name: file}, question}), also
    {"side by side": {"one": times, "shared": times}} from 2 of the page's workers."""
    from playwright.sync_api import sync_playwright

    from tests.chromium import launch

    results = {}
    with served(folder) as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.goto(f"{url}/index.html")
        if throttle != 1:
            page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        for path, engine, measure, kept_rows in cases:
            results[path, engine, measure, kept_rows] = page.evaluate(
                f"async ([file, kind, levels, kept, runs]) => {measure}(engine, await model(engine, engineWasm,"
                " await (await fetch(file)).arrayBuffer(), await (await fetch('engine.wasm')).arrayBuffer(), kind),"
                " levels, kept, runs)",
                [path.name, engine, SAMPLE.tolist(), kept_rows, runs],
            )
        if gallery:
            start = {"limits": gallery["limits"], "texts": i18n.TEXTS, "wasm": f"{url}/engine.wasm",
                     "load": {name: f"{url}/{file.name}" for name, file in gallery["weights"].items()}}  # fmt: skip
            results["side by side"] = page.evaluate(
                "async ([start, question, runs]) => sideBySide(await workers(2, start), question, runs)",
                [start, gallery["question"], runs],
            )
        browser.close()
    return results


def python_times(model, kept_rows: int, runs: int) -> list[float]:
    x, times = torch.from_numpy(SAMPLE)[None, None], []
    for run in range(-1, runs):
        begin = time.perf_counter()
        pixelcnn.complete(model, x, kept_rows, 1.0, run + 1)
        if run >= 0:
            times.append((time.perf_counter() - begin) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9, help="completions timed per case (median reported)")
    parser.add_argument("--throttled-runs", type=int, default=3, help="the same at 6x CPU throttle")
    args = parser.parse_args()
    torch.set_num_threads(2)
    print(f"load average at the start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        folder, models, files = Path(tmp), {}, {}
        for name in pixelcnn.available_models():
            models[name] = pixelcnn.load_pretrained(name)
            files[name] = export(models[name], name, folder)
        engine_folder(folder)
        cases = [(files[name], engine, measure, kept_rows) for name in files for measure in ("timings", "sweep")
                 for kept_rows in (0, 8) for engine in ENGINES]  # fmt: skip
        labels = {name: list(model.labels) for name, model in models.items()}
        question = {"kind": "gallery", "id": 1, "model": "gated", "levels": SAMPLE.tolist(), "known_rows": 8,
                    "temperature": 1.0, "label": None}  # fmt: skip
        limits = {"maxSeed": MAX_SEED, "maxTemperature": MAX_TEMPERATURE, "labels": labels}
        gallery = {"weights": files, "question": question, "limits": limits}
        browser = chromium_times(folder, cases, args.runs, 1, gallery)
        throttled = chromium_times(folder, cases, args.throttled_runs, 6)
        print("| model | case | engine | node ms | Chromium ms | Chromium at 6x throttle ms | Python (server) ms |")
        print("|---|---|---|---|---|---|---|")
        for case in cases:
            path, engine, measure, kept_rows = case
            name = path.name.split("-")[0]
            node = statistics.median(node_times(path, engine, measure, kept_rows, args.runs))
            chromium, slow = statistics.median(browser[case]), statistics.median(throttled[case])
            rows = "from scratch" if kept_rows == 0 else f"from {kept_rows} kept rows"
            if measure == "timings":
                python = (
                    ""
                    if engine != "js"
                    else f"{statistics.median(python_times(models[name], kept_rows, args.runs)):.1f}"
                )
                case_name = f"a completion, {rows}"
            else:
                python, case_name = "", f"slider: one redraw, {rows}"
            print(f"| {name} | {case_name} | {engine} | {node:.1f} | {chromium:.1f} | {slow:.0f} | {python} |")
        side = browser["side by side"]
        one, shared = statistics.median(side["one"]), statistics.median(side["shared"])
        print(f"4 side by side (gated, from 8 kept rows, Chromium, wasm): one worker {one:.1f} ms, "
              f"2 workers {shared:.1f} ms ({shared / one:.2f}x); the first press, cold: {side['cold']:.1f} ms")
        print("engine files: " + ", ".join(f"{p.name} {p.stat().st_size / 1e6:.2f} MB" for p in files.values()))
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
