"""Does the page stay responsive while its engine computes? Measured in a real Chromium on the app itself.

    python -m bench.responsive [--runs 5] [--url http://127.0.0.1:7860/]

Starts the app with both shipped models (or uses `--url`), opens the page with the model in it, and measures for
each model (gated, then plain):
- Generate: the engine's own time (the page's source line), the time to the first pixel (the click to the first
  frame that shows a pixel of the new completion), and meanwhile the longest gap between two frames of the page
  (a requestAnimationFrame probe) and its longest task (the page's thread busy without a break, from the Long
  Tasks API, which sees only those over 50 ms: 0 means none). A gap or a task is a frozen page: clicks, painting
  and the player wait for it;
- the temperature slider after a result, whole completions redrawn a second: dragged with the mouse through
  Playwright (40 moves, each one sent once the page has taken the last: a busy page slows the mouse down), and
  swept at a steady pace as a hand moves it (T from 0.5 to 4.5 in 2 s, one move a frame while the page is free),
  with the longest frame gap and task during the sweep.
Each case is run `runs` times: the median, and the worst in brackets. `--query "" worker=off` measures the page
as it is and with the engine on the page's own thread (the fallback without a Web Worker) in one run.
"""

import argparse
import os
import re
import statistics
import time

# The probe: each frame's time, and the click on Generate (captured before the page's own handler runs).
PROBE = """() => {
  const probe = window.probe = { frames: [], tasks: [], clicked: null, first: null, on: true };
  new PerformanceObserver((list) => { // the page's thread's tasks over 50 ms: [start, end]
    for (const task of list.getEntries()) probe.tasks.push([task.startTime, task.startTime + task.duration]);
  }).observe({ type: 'longtask' });
  const board = document.querySelector('#grid .pcnn-board');
  document.querySelector('#grid .pcnn-generate').addEventListener('click', () => {
    probe.clicked = performance.now(); probe.first = null; probe.asked = Number(board.dataset.asked) + 1;
  }, true);
  const frame = (now) => {
    probe.frames.push(performance.now());
    if (probe.clicked !== null && probe.first === null && board.dataset.run === String(probe.asked)
        && Number(board.dataset.cursor) >= 1) probe.first = performance.now() - probe.clicked;
    if (probe.on) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}"""
GAP = """(since) => { const f = window.probe.frames.filter((t) => t >= since); let gap = 0;
  for (let i = 1; i < f.length; i++) gap = Math.max(gap, f[i] - f[i - 1]);
  const tasks = window.probe.tasks.filter(([, end]) => end >= since).map(([start, end]) => end - start);
  return [gap, Math.max(0, ...tasks)]; }"""


def open_page(browser, url: str, query: str):
    from demo import i18n

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + ("?" + query if query else ""))
    page.locator("#grid .pcnn-board").wait_for(timeout=60_000)
    ready = [i18n.TEXTS["en"][key] for key in ("engine_ready", "engine_ready_thread") if key in i18n.TEXTS["en"]]
    page.wait_for_function("r => r.includes(document.querySelector('.pcnn-source').textContent)", arg=ready,
                           timeout=60_000)  # fmt: skip
    page.locator(".pcnn-sample").select_option("5")
    page.locator(".pcnn-use-sample").click()
    page.locator(".pcnn-live").uncheck()  # no completion computed under the painting before Generate
    page.evaluate(PROBE)
    return page


def generate(page, seed: int) -> dict:
    """One Generate of a completion not computed before (a new seed, out of the result shown first, so that no
    live redraw computes it): the longest frame gap and task from the click until its first pixel shows, that
    time, and the engine's own time (the page's source line)."""
    page.locator(".pcnn-level[data-level='3']").click()
    page.locator(".pcnn-seed").fill(str(seed))
    page.wait_for_timeout(300)  # quiet before
    since = page.evaluate("performance.now()")
    page.locator(".pcnn-generate").click()
    page.wait_for_function("() => window.probe.first !== null", timeout=60_000)
    page.wait_for_timeout(200)
    gap, task = page.evaluate(GAP, since)
    engine = float(re.search(r"(\d+) ms", page.locator(".pcnn-source").text_content()).group(1))
    return {"gap": gap, "task": task, "first": page.evaluate("window.probe.first"), "engine": engine}


def drag(page) -> dict:
    """The temperature slider dragged from its left end over 60% of its width in 40 moves, after a result."""
    page.locator(".pcnn-end").click()
    slider = page.locator(".pcnn-temperature").bounding_box()
    y = slider["y"] + slider["height"] / 2
    page.mouse.move(slider["x"] + 4, y)
    page.mouse.down()
    redraws = int(page.locator("#grid .pcnn-board").get_attribute("data-redraws"))
    since = page.evaluate("performance.now()")
    begin = time.perf_counter()
    page.mouse.move(slider["x"] + slider["width"] * 0.6, y, steps=40)
    elapsed = time.perf_counter() - begin
    page.mouse.up()
    redrawn = int(page.locator("#grid .pcnn-board").get_attribute("data-redraws")) - redraws
    gap, task = page.evaluate(GAP, since)
    return {"rate": redrawn / elapsed, "gap": gap, "task": task}


# The slider moved at a steady pace, as a hand moves it: T from 0.5 to 4.5 in 2 s (80 steps of the slider), its
# value set from the clock every 16 ms (a frame) while the page's thread is free, each move an input event.
SWEEP = """() => new Promise((done) => {
  const slider = document.querySelector('#grid .pcnn-temperature'), board = document.querySelector('#grid .pcnn-board');
  const redraws = Number(board.dataset.redraws), begin = performance.now();
  const timer = setInterval(() => {
    const t = Math.min(1, (performance.now() - begin) / 2000);
    slider.value = (0.5 + 4 * t).toFixed(2);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    if (t < 1) return;
    clearInterval(timer);
    done((Number(board.dataset.redraws) - redraws) / ((performance.now() - begin) / 1000));
  }, 16);
})"""


def sweep(page) -> dict:
    """The slider moved at a steady pace after a result (SWEEP): redraws a second, the longest frame gap and task."""
    page.locator(".pcnn-end").click()
    page.locator(".pcnn-temperature").fill("0.5")
    page.wait_for_timeout(500)
    since = page.evaluate("performance.now()")
    rate = page.evaluate(SWEEP)
    gap, task = page.evaluate(GAP, since)
    return {"rate": rate, "gap": gap, "task": task}


def summary(cases: list[dict], key: str, digits: int = 0) -> str:
    """The median of `key` over the cases, and the worst (largest)."""
    values = [case[key] for case in cases]
    return f"{statistics.median(values):.{digits}f} ({max(values):.{digits}f})"


def measure(browser, url: str, query: str, runs: int) -> None:
    page = open_page(browser, url, query)
    for first, model in ((100, "gated"), (200, "pixelcnn")):  # seeds apart: choosing a model redraws the seed shown
        page.locator(".pcnn-model").select_option(model)
        generates, drags, sweeps = [], [], []
        for run in range(runs):
            generates.append(generate(page, first + run))
            drags.append(drag(page))
            sweeps.append(sweep(page))
            page.locator(".pcnn-temperature").fill("1")
        columns = [summary(generates, key) for key in ("engine", "first", "gap", "task")]
        columns += [
            summary(drags, "rate", 1),
            summary(sweeps, "rate", 1),
            summary(sweeps, "gap"),
            summary(sweeps, "task"),
        ]
        print(f"| {query or 'default'} | {model} | " + " | ".join(columns) + " |")
    page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="Generates and drags per model (medians reported)")
    parser.add_argument("--url", default=None, help="a running app (default: start one with both shipped models)")
    parser.add_argument("--query", nargs="+", default=[""], help="page addresses' queries to measure, e.g. worker=off")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.chromium import launch

    print(f"load average at the start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    url, blocks = args.url, None
    if url is None:
        from demo.handlers import DemoApp
        from demo.ui import build, launch_options
        from pixelcnn import models

        blocks = build(DemoApp({name: models.load(models.WEIGHTS_DIR / name) for name in ("pixelcnn", "gated")}))
        blocks.launch(prevent_thread_lock=True, server_name="127.0.0.1", quiet=True, **launch_options())
        url = blocks.local_url
    print(
        "| page | model | Generate: engine ms | first pixel ms | longest frame gap ms | longest task ms "
        "| slider redraws/s: mouse drag | steady sweep | sweep: longest frame gap ms | longest task ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    try:
        with sync_playwright() as p:
            browser = launch(p)
            for query in args.query:
                measure(browser, url, query, args.runs)
            browser.close()
    finally:
        if blocks is not None:
            blocks.close()
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
