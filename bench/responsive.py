"""Does the page stay responsive while its engine computes? Measured in a real Chromium on the app itself.

    python -m bench.responsive [--runs 5] [--url http://127.0.0.1:7860/]

Starts the app with both shipped models (or uses `--url`), opens the page with the model in it, and measures:
- the longest gap between two frames of the page's main thread (a requestAnimationFrame probe) while a
  gated Generate computes, from the click to the result shown: a gap is a frozen page (clicks, painting and
  the player wait for it);
- the time to the first pixel: the click to the first frame that shows a pixel of the new completion;
- the temperature slider dragged with the mouse after a result (plain, then gated): the whole completions
  redrawn a second, and the longest frame gap during the drag.
Each case is run `runs` times (median, and the worst gap). `--query worker=off` measures the page's thread
engine (the fallback) in the same run.
"""

import argparse
import os
import statistics
import time

# The probe: each frame's time, and the click on Generate (captured before the page's own handler runs).
PROBE = """() => {
  const probe = window.probe = { frames: [], clicked: null, first: null, on: true };
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
  for (let i = 1; i < f.length; i++) gap = Math.max(gap, f[i] - f[i - 1]); return gap; }"""


def open_page(browser, url: str, query: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url + ("?" + query if query else ""))
    page.locator("#grid .pcnn-board").wait_for(timeout=60_000)
    from demo import i18n

    ready = i18n.text("engine_ready", "en")
    page.wait_for_function("t => document.querySelector('.pcnn-source').textContent === t", arg=ready, timeout=60_000)
    page.locator(".pcnn-sample").select_option("5")
    page.locator(".pcnn-use-sample").click()
    page.locator(".pcnn-live").uncheck()  # no completion computed under the painting before Generate
    page.evaluate(PROBE)
    return page


def generate(page, seed: int) -> dict:
    """One Generate of a completion not computed before (a new seed, out of the result shown first, so that no
    live redraw computes it); the longest frame gap from the click until its first pixel shows, and that time."""
    page.locator(".pcnn-level[data-level='3']").click()
    page.locator(".pcnn-seed").fill(str(seed))
    page.wait_for_timeout(300)  # quiet before
    since = page.evaluate("performance.now()")
    page.locator(".pcnn-generate").click()
    page.wait_for_function("() => window.probe.first !== null", timeout=60_000)
    page.wait_for_timeout(200)
    return {"gap": page.evaluate(GAP, since), "first": page.evaluate("window.probe.first")}


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
    return {"rate": redrawn / elapsed, "gap": page.evaluate(GAP, since)}


def measure(browser, url: str, query: str, runs: int) -> None:
    page = open_page(browser, url, query)
    for first, model in ((100, "gated"), (200, "pixelcnn")):  # seeds apart: choosing a model redraws the seed shown
        page.locator(".pcnn-model").select_option(model)
        generates, drags = [], []
        for run in range(runs):
            generates.append(generate(page, first + run))
            drags.append(drag(page))
            page.locator(".pcnn-temperature").fill("1")
        gaps = [g["gap"] for g in generates]
        firsts = [g["first"] for g in generates]
        print(
            f"| {query or 'default'} | {model} | {statistics.median(gaps):.0f} (worst {max(gaps):.0f}) "
            f"| {statistics.median(firsts):.0f} | {statistics.median(d['rate'] for d in drags):.1f} "
            f"| {statistics.median(d['gap'] for d in drags):.0f} (worst {max(d['gap'] for d in drags):.0f}) |"
        )
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
        import pixelcnn
        from demo.handlers import DemoApp
        from demo.ui import build, launch_options

        blocks = build(DemoApp({name: pixelcnn.load_pretrained(name) for name in ("pixelcnn", "gated")}))
        blocks.launch(prevent_thread_lock=True, server_name="127.0.0.1", quiet=True, **launch_options())
        url = blocks.local_url
    print(
        "| page | model | Generate: longest frame gap ms | first pixel ms | slider: redraws/s "
        "| slider: longest frame gap ms |"
    )
    print("|---|---|---|---|---|---|")
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
