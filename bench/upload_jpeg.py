"""How often the page's reading of a JPEG (Chromium's decoder, demo/page/upload.js) gives the server's levels (Pillow's
decoder, demo.canvas): decoders differ by a unit here and there, so a cell at a level's boundary may differ.

    python -m bench.upload_jpeg [--count 200]   # prints the share of pictures with equal levels, and of equal cells

The pictures: half photo-like garments on backgrounds (bench.photos, saved as JPEG), half FashionMNIST test images
saved as JPEG (quality 75-95). Chromium loads upload.js from a page served by Playwright itself (no app running).
"""

import argparse
import base64
import io
import mimetypes
from pathlib import Path

import numpy as np
from PIL import Image

from bench.photos import photo
from demo.canvas import BUDGET, MAX_PIXELS, MAX_SIDE, read_file
from pixelcnn.data import DEFAULT_ROOT, load_raw
from tests import chromium

PAGE = Path(__file__).resolve().parent.parent / "demo" / "page"
ORIGIN = "http://bench.local"
READ = """async ([pictures, limits]) => {
  const { readUpload } = await import('/upload.js');
  const answers = [];
  for (const data of pictures) {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    answers.push(await readUpload(bytes, limits));
  }
  return answers;
}"""


def jpegs(count: int, root=DEFAULT_ROOT) -> list[bytes]:
    """`count` JPEG files: photo-like pictures and test images, alternately (the same ones at every run)."""
    raw, _ = load_raw("test", root)
    files = []
    for i in range(count):
        if i % 2 == 0:
            picture = Image.open(io.BytesIO(photo(raw[i], i)[0])).convert("RGB")
        else:
            picture = Image.fromarray(raw[i]).resize((28 * (1 + i % 8),) * 2, Image.BILINEAR)
        buffer = io.BytesIO()
        picture.save(buffer, format="JPEG", quality=75 + i % 21)
        files.append(buffer.getvalue())
    return files


def serve(route):
    """The page's modules, from demo/page, at ORIGIN; an empty page at its root."""
    path = route.request.url[len(ORIGIN) :].split("?")[0]
    if path == "/":
        return route.fulfill(body="<!doctype html><title>bench</title>", content_type="text/html")
    file = (PAGE / path.lstrip("/")).resolve()
    if not file.is_relative_to(PAGE) or not file.is_file():
        return route.fulfill(status=404)
    route.fulfill(body=file.read_bytes(), content_type=mimetypes.guess_type(file.name)[0] or "text/plain")


def page_readings(browser, files: list[bytes]) -> list[dict]:
    """The page's reading of each file, in Chromium."""
    page = browser.new_page()
    page.route(f"{ORIGIN}/**", serve)
    page.goto(f"{ORIGIN}/")
    limits = {"maxPixels": MAX_PIXELS, "maxSide": MAX_SIDE, "budget": BUDGET}
    answers = []
    for start in range(0, len(files), 20):  # a few MB of base64 per call
        batch = [base64.b64encode(data).decode() for data in files[start : start + 20]]
        answers += page.evaluate(READ, [batch, limits])
    page.close()
    return answers


def agreement(browser, count: int) -> tuple[float, float]:
    """(share of files whose levels equal the server's, share of equal cells over all files)."""
    files = jpegs(count)
    answers = page_readings(browser, files)
    same, cells = [], []
    for data, answer in zip(files, answers):
        expected = read_file(io.BytesIO(data)).levels
        shown = np.array(answer["levels"])
        same.append(np.array_equal(shown, expected))
        cells.append((shown == expected).mean())
    return float(np.mean(same)), float(np.mean(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description="The page's JPEG reading (Chromium) against the server's (Pillow).")
    parser.add_argument("--count", type=int, default=200, help="JPEG files to read")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = chromium.launch(p)
        pictures, cells = agreement(browser, args.count)
        browser.close()
    print(f"{args.count} JPEGs: {pictures:.1%} read with the server's levels exactly, {cells:.2%} of cells equal")


if __name__ == "__main__":
    main()
