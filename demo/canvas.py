"""From an uploaded picture to the 16x16 grid of levels the model reads.

The rule, shown in the page too: the picture is laid on black (transparent = black) and turned
to grey, then goes through the training data's own rule, `pixelcnn.rule.to_levels` (antialiased
bilinear shrink to 16x16, level = floor(4 x grey / white)): a FashionMNIST test image uploaded as a
PNG gives exactly the levels the model was trained on. White is 255 for 8-bit greys, 65535 for 16-
and 32-bit integers, 1 for floats in [0, 1] (other floats are clipped to 0-255).

Hostile files: the header is read first, and nothing is decoded if the picture has more than MAX_PIXELS
pixels or if reading it would take more than BUDGET bytes of memory (`reading_cost`: what the decoder,
the greys and the shrink hold at the peak, computed from the width, height, mode, format and scale), so
a small file claiming 13000x13000 pixels costs nothing. Measured before: a 660 KB progressive JPEG of
13000x13000, read at 1/8 scale, took +328 MB (the decoder keeps every coefficient at full size); a 8 KB PNG
of 1x4,194,304 greys +309 MB (the shrink's first pass widens every line to 16 floats). A JPEG is decoded at
a reduced scale (a 12 M pixel photo is read).

A photo is first read as a garment (`pixelcnn.photo`): its background removed, the garment light on black,
cropped and framed as FashionMNIST's are, then the same rule. A picture already light on black and square
(a test image), a grid the page saved, or a picture where nothing stands out is read as it is; `Reading`
keeps both readings, so the page can offer the other one. Measured on a 2048x2048 RGBA PNG: the photo's reading
adds 10 MB to the peak (62 -> 72 MB) and 0.14 s (0.15 -> 0.29 s on a loaded machine).

The page reads an upload itself with the same answer (its twin, demo/page/upload.js: tests/test_upload_js.py runs
both); this reading serves /levels_from_image for scripts, and the page with ?engine=off.
"""

import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageChops, UnidentifiedImageError

from demo.errors import InputError
from pixelcnn.photo import WORK, garment_picture
from pixelcnn.rule import to_levels

LEVELS = 4
SIZE = 16
GREYS = [round(i * 255 / (LEVELS - 1)) for i in range(LEVELS)]  # 0, 85, 170, 255
MAX_SIDE = 2048  # the largest square picture read
MAX_PIXELS = MAX_SIDE**2  # ~4.2 M pixels: ~17 MB decoded as RGBA; a JPEG at its reduced scale
FORMATS = ["PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP"]  # what Pillow may open; no exotic decoders
WIDE_GREYS = ("I;16", "I;16B", "I;16L", "I;16N", "I")  # integer greys of more than 8 bits
BUDGET = 64 * 2**20  # bytes that reading one picture may take (reading_cost)
STORED = {
    "1": 1,
    "L": 1,
    "P": 1,
    "I;16": 2,
    "I;16B": 2,
    "I;16L": 2,
    "I;16N": 2,
}  # bytes a pixel takes in Pillow; else 4
LINE = 8  # bytes Pillow adds per line of a picture (its pointer): a picture one pixel wide costs 9 per grey pixel


def open_picture(path) -> Image.Image:
    """The decoded picture in `path` (close it after use), or InputError: not a picture, too big, or damaged."""
    if path is None:
        raise InputError("no_picture")
    limit = f"{MAX_PIXELS / 1e6:.1f}"
    try:
        with warnings.catch_warnings():  # Pillow's own bomb warning: we check the size just below
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            picture = Image.open(path, formats=FORMATS)  # reads the header only
    except Image.DecompressionBombError:  # over twice Pillow's limit: refused by Pillow before decoding
        raise InputError("huge_picture_any", limit=limit) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise InputError("not_a_picture") from None
    width, height = picture.size
    if picture.format == "JPEG":  # decoded at 1/2 to 1/8 scale, still >= 256 pixels a side: a photo is read
        picture.draft("RGB", (SIZE * 16, SIZE * 16))
    if picture.size[0] * picture.size[1] > MAX_PIXELS:
        picture.close()
        raise InputError("huge_picture", width=width, height=height, side=MAX_SIDE)
    cost = reading_cost(picture, (width, height))
    if cost > BUDGET:
        picture.close()
        mb = {"cost": f"{cost / 2**20:.0f}", "budget": f"{BUDGET / 2**20:.0f}"}
        raise InputError("costly_picture", width=width, height=height, **mb)
    try:
        picture.load()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        picture.close()
        raise InputError("broken_picture") from None
    return picture


def reading_cost(picture: Image.Image, full_size: tuple[int, int]) -> int:
    """The bytes that reading `picture` (its header read, at the scale its decoder will use) into levels holds at
    the peak: the decoded picture and its grey copies, or later the greys and the shrink's floats, whichever is
    more. `full_size`: its size before a reduced scale. Measured against it (tests/test_decoders.py): within 15%."""
    width, height = picture.size
    pixels, lines = width * height, LINE * height
    decoded = pixels * STORED.get(picture.mode, 4) + lines
    if picture.format == "WEBP":  # libwebp's frames and Pillow's copy: 19 bytes a pixel, measured
        decoded = 19 * pixels
    if picture.format == "TIFF":  # libtiff may decode into a buffer of its own before Pillow copies it
        decoded += 4 * pixels
    if picture.format == "JPEG" and picture.info.get("progressive"):
        decoded += coefficients(picture, full_size)
    wide = picture.mode in WIDE_GREYS or picture.mode == "F"
    greying = 3 * 4 * pixels if wide else 4 * (pixels + lines)  # grey, alpha, their product, the array
    if picture.mode not in ("L", "LA", "RGB", "RGBA") and not wide:  # through RGBA first (grey_on_black)
        greying += 4 * pixels + lines
    greys = pixels * (4 if wide else 1)
    # pixelcnn.rule: the float64 copy, scaled in place; its first pass (16 values for each line of the shorter side)
    # with the gathered taps and their product beside it; the filters (16 bytes per input line)
    shrink = 8 * pixels + 3 * 128 * min(width, height) + 16 * (width + height)
    # pixelcnn.photo: the picture as RGBA and its array, then a strip at a time; or, no larger than WORK a side, the
    # whole picture premultiplied (32 bytes a pixel)
    photo = 8 * pixels + 2 * lines + (32 * pixels if max(width, height) <= WORK else 0)
    kept = pixels * STORED.get(picture.mode, 4) + lines  # the picture as Pillow keeps it, for the photo's reading
    return max(decoded + greying, kept + greys + shrink, kept + photo)


def coefficients(picture: Image.Image, full_size: tuple[int, int]) -> int:
    """The bytes of a progressive JPEG's coefficients, which libjpeg keeps at full size whatever the scale it
    outputs: 64 coefficients of 2 bytes per 8x8 block of each component (chroma subsampled per its factors)."""
    width, height = full_size
    most_h, most_v = max(h for _, h, _, _ in picture.layer), max(v for _, _, v, _ in picture.layer)
    blocks = sum(-(-width * h // (8 * most_h)) * -(-height * v // (8 * most_v)) for _, h, v, _ in picture.layer)
    return 128 * blocks


def grey_on_black(picture: Image.Image) -> tuple[np.ndarray, float]:
    """A picture of any size and mode -> its greys (h, w) laid on black, and the value of white."""
    if picture.mode in WIDE_GREYS:
        return np.asarray(picture, np.float32), 65535
    if picture.mode == "F":
        greys = np.nan_to_num(np.asarray(picture), nan=0.0, posinf=255, neginf=0)
        white = 1 if 0 <= greys.min() and greys.max() <= 1 else 255
        return np.clip(greys, 0, white), white
    if picture.mode not in ("L", "LA", "RGB", "RGBA"):
        picture = picture.convert("RGBA")  # palette, 1-bit, CMYK, ...
    if picture.mode in ("RGBA", "LA"):  # grey x alpha: laid on black (luma is linear, so grey first is the same)
        return np.asarray(ImageChops.multiply(picture.convert("L"), picture.getchannel("A"))), 255
    return np.asarray(picture.convert("L")), 255  # colours -> grey with Pillow's ITU-R 601-2 luma


def greys_to_levels(greys: np.ndarray, white: float) -> np.ndarray:
    """Greys (h, w) laid on black -> integer levels (16, 16), by the training data's rule."""
    return to_levels(greys, white, SIZE, LEVELS).astype(np.int64)


@dataclass(frozen=True)
class Reading:
    """An uploaded picture's 16x16 levels: read as a garment when that changed it, and read as it is."""

    levels: np.ndarray  # (16, 16) ints: the garment framed if `framed`, else as it is
    as_is: np.ndarray  # (16, 16) ints: the picture laid on black, grey, by the rule alone
    framed: bool  # the background was removed and the garment framed (pixelcnn.photo)


def read_picture(picture: Image.Image) -> Reading:
    greys, white = grey_on_black(picture)
    as_is = greys_to_levels(greys, white)
    del greys  # freed before the photo is read
    garment = None if picture.mode in (*WIDE_GREYS, "F") else garment_picture(np.asarray(picture.convert("RGBA")))
    if garment is None:
        return Reading(as_is, as_is, False)
    return Reading(greys_to_levels(garment, 255), as_is, True)


def picture_levels(picture: Image.Image) -> np.ndarray:
    return read_picture(picture).levels


def read_file(path) -> Reading:
    with open_picture(path) as picture:
        return read_picture(picture)


def levels_from_file(path) -> np.ndarray:
    return read_file(path).levels
