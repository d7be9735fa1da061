"""How long the page's engine (demo/engine.js) takes to finish a completion: in node and in Chromium, both models.

    python -m bench.engine [--runs 9]

Each case is one 16x16 image at T = 1, from scratch or from 8 kept rows (a test garment), seeds 0, 1, ...;
the median of `runs` after one warm-up. "Slider" is the mean time of a redraw while the temperature slider
moves from 0.5 to 1.5 by steps of 0.02 (51 redraws of one Completion, which steps only what changed).
Python's own fast sampler (batch 1, the server's work for one Generate) is timed beside it. Chromium
loads engine.js and the exported weights from a local HTTP server, as the page does.
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
from pathlib import Path

import numpy as np
import torch

import pixelcnn
from pixelcnn.export import export

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = np.load(ROOT / "demo" / "assets" / "test_samples.npz")["images"][0]

# One function both JavaScript runtimes run: the milliseconds of each completion, after a warm-up.
TIMER = """
async function timings(engine, buffer, levels, keptRows, runs) {
  const model = engine.readWeights(buffer), kept = engine.keptCells(16, keptRows * 16), times = [];
  for (let run = -1; run < runs; run++) {
    const begin = performance.now();
    engine.trace(model, levels, kept, 1.0, run + 1);
    if (run >= 0) times.push(performance.now() - begin);
  }
  return times;
}

async function sweep(engine, buffer, levels, keptRows) { // the slider dragged from T = 0.5 to 1.5 by 0.02
  const model = engine.readWeights(buffer), kept = engine.keptCells(16, keptRows * 16);
  const completion = new engine.Completion(model), begin = performance.now();
  for (let i = 0; i <= 50; i++) completion.trace(levels, kept, 0.5 + 0.02 * i, 1);
  return [(performance.now() - begin) / 51];
}
"""


def node_times(path: Path, measure: str, kept_rows: int, runs: int) -> list[float]:
    """`measure` ("timings" or "sweep") run in node on the engine file at `path`."""
    script = TIMER + (
        "const fs = require('fs'), file = fs.readFileSync(process.argv[1]);\n"
        "const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.length);\n"
        f"{measure}(require(process.argv[2]), buffer, JSON.parse(process.argv[3]), Number(process.argv[4]),"
        " Number(process.argv[5])).then((t) => console.log(JSON.stringify(t)));"
    )
    args = [str(path), str(ROOT / "demo" / "engine.js"), json.dumps(SAMPLE.tolist()), str(kept_rows), str(runs)]
    done = subprocess.run(["node", "-e", script, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def chromium_times(folder: Path, cases: list, runs: int) -> dict:
    """{case: times} for each case (engine file, measure, kept rows), in one headless Chromium page served from
    `folder`, which loads engine.js and the engine files as the app's page does."""
    from playwright.sync_api import sync_playwright

    from tests.chromium import launch

    shutil.copy(ROOT / "demo" / "engine.js", folder / "engine.js")
    (folder / "index.html").write_text(f"<script src='engine.js'></script><script>{TIMER}</script>")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    results = {}
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
            for path, measure, kept_rows in cases:
                results[path, measure, kept_rows] = page.evaluate(
                    f"async ([file, levels, kept, runs]) => {measure}(engine,"
                    " await (await fetch(file)).arrayBuffer(), levels, kept, runs)",
                    [path.name, SAMPLE.tolist(), kept_rows, runs],
                )
            browser.close()
    finally:
        server.shutdown()
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
    args = parser.parse_args()
    torch.set_num_threads(2)
    print(f"load average at the start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        folder, models, files = Path(tmp), {}, {}
        for name in pixelcnn.available_models():
            models[name] = pixelcnn.load_pretrained(name)
            files[name] = export(models[name], name, folder)
        cases = [(files[name], measure, kept_rows) for name in files for measure in ("timings", "sweep")
                 for kept_rows in (0, 8)]  # fmt: skip
        browser = chromium_times(folder, cases, args.runs)
        print("| model | case | node ms | Chromium ms | Python (server, batch 1) ms |")
        print("|---|---|---|---|---|")
        for path, measure, kept_rows in cases:
            name = path.name.split("-")[0]
            node = statistics.median(node_times(path, measure, kept_rows, args.runs))
            chromium = statistics.median(browser[path, measure, kept_rows])
            rows = "from scratch" if kept_rows == 0 else f"from {kept_rows} kept rows"
            if measure == "timings":
                python = f"{statistics.median(python_times(models[name], kept_rows, args.runs)):.1f}"
                case = f"a completion, {rows}"
            else:
                python, case = "", f"slider: one redraw, {rows}"
            print(f"| {name} | {case} | {node:.1f} | {chromium:.1f} | {python} |")
        print("engine files: " + ", ".join(f"{p.name} {p.stat().st_size / 1e6:.2f} MB" for p in files.values()))
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
