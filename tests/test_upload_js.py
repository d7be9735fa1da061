"""The page reads an upload itself (demo/page/upload.js, in node here): the same levels, reading and refusal as the
server's /levels_from_image (demo.canvas.read_file, the reference), for every FashionMNIST test image saved as PNG
and for PNGs of every kind Pillow reads (bit depths 1-16, grey, grey+alpha, RGB, RGBA, palette with and without
transparency, interlaced, tiny, very wide), photo-like pictures, and files the server refuses."""

import io
import json
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bench.photos import photo_set
from demo.canvas import BUDGET, MAX_PIXELS, MAX_SIDE, read_file
from demo.errors import InputError
from pixelcnn.data import load_raw

HARNESS = Path(__file__).resolve().parent / "upload_harness.mjs"
ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # samples a pixel, per PNG colour type


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def filtered(lines: list[bytes], step: int) -> bytes:
    """Scanlines with PNG filters 0-4 in turn (the decoder undoes each), `step` bytes a pixel (at least 1)."""
    out, above = b"", bytes(len(lines[0])) if lines else b""
    for y, line in enumerate(lines):
        kind, row = y % 5, bytearray(len(line))
        for i, value in enumerate(line):
            left, up = line[i - step] if i >= step else 0, above[i]
            corner = above[i - step] if i >= step else 0
            p = left + up - corner
            paeth = min((abs(p - left), 0, left), (abs(p - up), 1, up), (abs(p - corner), 2, corner))[2]
            row[i] = (value - (0, left, up, (left + up) // 2, paeth)[kind]) & 255
        out += bytes([kind]) + bytes(row)
        above = line
    return out


def packed(samples: np.ndarray, depth: int) -> bytes:
    """(h, w, c) ints -> one PNG scanline per row, `depth` bits a sample, big-endian."""
    if depth == 16:
        return [row.astype(">u2").tobytes() for row in samples.reshape(len(samples), -1)]
    if depth == 8:
        return [row.astype(np.uint8).tobytes() for row in samples.reshape(len(samples), -1)]
    lines = []
    for row in samples.reshape(len(samples), -1):
        bits = np.unpackbits(row.astype(np.uint8)[:, None], axis=1)[:, 8 - depth :].reshape(-1)
        lines.append(np.packbits(bits).tobytes())
    return lines


def png(
    samples: np.ndarray,
    depth: int,
    colour: int,
    palette=None,
    trns: bytes | None = None,
    interlaced=False,
    size: tuple[int, int] | None = None,
):
    """A PNG written by hand, so that every bit depth, colour type and Adam7 interlacing is covered (Pillow writes
    neither interlaced PNGs nor 2- and 4-bit greys): samples (h, w, channels) ints."""
    height, width = samples.shape[:2]
    step = max(1, depth * CHANNELS[colour] // 8)
    if interlaced:
        raw = b""
        for x0, y0, dx, dy in ADAM7:
            part = samples[y0::dy, x0::dx]
            if part.size:
                raw += filtered(packed(part, depth), step)
    else:
        raw = filtered(packed(samples, depth), step)
    width, height = size or (width, height)  # a size other than the samples': a header that claims it
    head = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, int(interlaced)))
    body = (chunk(b"PLTE", bytes(palette)) if palette is not None else b"") + (chunk(b"tRNS", trns) if trns else b"")
    return b"\x89PNG\r\n\x1a\n" + head + body + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def jpeg_header(width: int, height: int, marker: int = 0xC0, components: int = 3) -> bytes:
    """A JPEG's start as far as its scan (SOF0 baseline, SOF2 progressive; the first component subsampled 2x2): what
    the size checks read, no picture after it."""
    layers = b"".join(bytes([i + 1, 0x22 if i == 0 else 0x11, 0]) for i in range(components))
    frame = struct.pack(">BBHBHHB", 0xFF, marker, 8 + 3 * components, 8, height, width, components) + layers
    scan = struct.pack(">BBHB", 0xFF, 0xDA, 6 + 2 * components, components)
    return b"\xff\xd8" + frame + scan + b"".join(bytes([i + 1, 0]) for i in range(components)) + b"\0\x3f\0\xff\xd9"


def bmp_header(width: int, height: int) -> bytes:
    return b"BM" + struct.pack("<IHHIIiiHHIIiiII", 0, 0, 0, 54, 40, width, height, 1, 24, 0, 0, 0, 0, 0, 0)


def saved(picture: Image.Image, form: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format=form, **options)
    return buffer.getvalue()


def odd_pictures(rng: np.random.Generator, data_root) -> list[tuple[str, bytes]]:
    """About 200 lossless pictures of every kind the server reads, and files it refuses: (name, bytes)."""
    files = []
    raw, _ = load_raw("test", data_root)
    shapes = [(1, 1), (3, 1000), (1000, 3), (5, 7), (33, 17), (64, 48), (100, 100), (28, 28)]  # (h, w)
    for n, (height, width) in enumerate(shapes * 2):
        blob = np.zeros((height, width))  # a bright blob on noise: something stands out (or not, if tiny)
        blob[height // 4 : height - height // 4, width // 3 : width - width // 3] = 1
        for depth, colour in [(1, 0), (2, 0), (4, 0), (8, 0), (16, 0), (8, 2), (16, 2), (8, 4), (16, 4), (8, 6),
                              (16, 6), (1, 3), (2, 3), (4, 3), (8, 3)]:  # fmt: skip
            top, channels = (1 << depth) - 1, CHANNELS[colour]
            samples = rng.integers(0, top + 1, (height, width, channels))
            if colour != 3:
                samples = np.where(blob[..., None] > 0, top - samples // 4, samples // 3)
            palette = trns = None
            if colour == 3:
                palette = rng.integers(0, 256, 3 * (top + 1)).astype(np.uint8)
                if n % 3 == 1:
                    trns = bytes(rng.integers(0, 256, top + 1).astype(np.uint8))  # an alpha for each entry
                elif n % 3 == 2:
                    trns = bytes([255] * (top // 2) + [0])  # one entry clear: Pillow keeps its index
            elif colour in (0, 2) and n % 2:
                trns = b"".join(struct.pack(">H", int(v)) for v in samples[0, 0, :channels])  # a colour made clear
            name = f"d{depth}-c{colour}-{width}x{height}-{'i' if n % 2 else 'n'}"
            files.append((name, png(samples, depth, colour, palette, trns, interlaced=bool(n % 2))))
    garment = raw[1]
    for i, (mode, size) in enumerate([("RGBA", (300, 400)), ("LA", (120, 90)), ("RGB", (240, 320)),
                                      ("L", (200, 200)), ("P", (150, 260)), ("1", (64, 100))]):  # fmt: skip
        picture = Image.fromarray(garment).resize(size, Image.BILINEAR).convert("RGB")
        tinted = np.asarray(picture) * np.array([1.0, 0.6, 0.3]) + np.array([20, 80, 40]) * (i % 3)
        files.append((f"pillow-{mode}", saved(Image.fromarray(np.clip(tinted, 0, 255).astype(np.uint8)).convert(mode))))
    cut = np.dstack(
        [np.full((80, 60, 3), (200, 30, 30), np.uint8), np.asarray(Image.fromarray(garment).resize((60, 80)))]
    )
    files.append(("cut-out", saved(Image.fromarray(cut, "RGBA"))))
    files.append(("palette-clear", saved(Image.fromarray(garment).convert("P"), transparency=0)))
    files.append(("grey-clear", saved(Image.fromarray(garment), transparency=0)))
    files.append(("rgb-clear", saved(Image.fromarray(garment).convert("RGB"), transparency=(0, 0, 0))))
    files.append(("grey16", saved(Image.fromarray(garment.astype(np.uint16) * 257))))
    files += [(f"photo-{index}", data) for index, data, form, _ in photo_set(24, data_root) if form == "png"]
    files += [
        ("text", b"not a picture at all"),
        ("png-start", b"\x89PNG\r\n\x1a\n" + b"not the rest of a picture" * 4),
        ("cut-short", png(rng.integers(0, 256, (40, 40, 3)), 8, 2)[:300]),
        ("huge", png(np.zeros((1, 1, 1)), 8, 0, size=(20000, 20000))),
        ("over-the-side", png(np.zeros((1, 1, 1)), 8, 0, size=(2049, 2049))),
        ("thin", png(np.zeros((1, 1, 1)), 8, 0, size=(1, 4194304))),
        ("damaged", png(np.zeros((8, 8, 1)), 8, 0, size=(16, 16))),
        ("jpeg-huge", jpeg_header(17000, 17000)),  # Pillow's bomb limit: on the whole size, before its draft
        ("jpeg-progressive", jpeg_header(9000, 9000, 0xC2)),  # read at 1/8, but its coefficients at full size
        ("jpeg-progressive-photo", jpeg_header(6000, 4000, 0xC2)),
        ("bmp-over-the-side", bmp_header(3000, 3000)),
        ("bad-mode", png(np.zeros((1, 1, 1)), 8, 0)[:24] + b"\x03\x00" + b"\0" * 40),
    ]
    return files


def server_answer(data: bytes) -> dict:
    """What /levels_from_image answers: levels and readings, or the refusal's key and fields."""
    try:
        reading = read_file(io.BytesIO(data))
    except InputError as error:
        return {"error": error.key, "fields": error.fields}
    return {"levels": reading.levels.tolist(), "asIs": reading.as_is.tolist(), "framed": reading.framed}


def page_answers(paths: list[Path]) -> list[dict]:
    executable = shutil.which("node")
    if executable is None:
        pytest.fail("node is missing: apt-get install nodejs (scripts/test.sh does)")
    command = [executable, str(HARNESS), str(MAX_PIXELS), str(MAX_SIDE), str(BUDGET)]
    done = subprocess.run(command, input=json.dumps([str(p) for p in paths]), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def written(files: list[tuple[str, bytes]], folder: Path) -> list[Path]:
    paths = []
    for i, (name, data) in enumerate(files):
        paths.append(folder / f"{i}-{name}.png")
        paths[-1].write_bytes(data)
    return paths


def test_every_test_image_saved_as_png_is_read_in_the_page_as_the_server_reads_it(data_root, tmp_path):
    raw, _ = load_raw("test", data_root)
    files = [(str(i), saved(Image.fromarray(image))) for i, image in enumerate(raw)]
    answers = page_answers(written(files, tmp_path))
    differ = [name for (name, data), answer in zip(files, answers) if answer != server_answer(data)]
    assert len(answers) == 10_000 and differ == []


REFUSALS = {"costly_picture": "costly_picture_page"}  # the page's own words for the server's memory: its memory


def test_pictures_of_every_kind_and_refused_files_get_the_servers_answer(data_root, tmp_path):
    files = odd_pictures(np.random.default_rng(0), data_root)
    assert len(files) >= 200
    answers = page_answers(written(files, tmp_path))
    differ = []
    for (name, data), answer in zip(files, answers):
        expected = server_answer(data)
        if "error" in expected:
            expected["error"] = REFUSALS.get(expected["error"], expected["error"])
            expected["fields"] = {k: float(v) if k == "limit" else v for k, v in expected["fields"].items()}
            expected["fields"] = {k: int(v) if k in ("cost", "budget") else v for k, v in expected["fields"].items()}
        if answer != expected:
            differ.append((name, answer.get("error") or answer["framed"], expected.get("error") or expected["framed"]))
    kinds = {name.split("-")[0] for name, data in files}
    assert {"d1", "d2", "d4", "d16", "photo", "text", "huge", "thin", "jpeg", "bmp"} <= kinds
    assert differ == []
