"""From an uploaded picture to the 16x16 grid of levels the model reads.

The rule, shown in the page too: the picture is laid on black (transparent = black), turned
to grey, shrunk to 16x16 by averaging each block of pixels, and each block takes the nearest
of the 4 levels (0, 85, 170, 255). Greys with more than 8 bits are scaled to 0-255 first:
16- and 32-bit integers by 255/65535, floats in [0, 1] by 255 (other floats are clipped to 0-255).

Hostile files: the size is read from the header before anything is decoded, and pictures
above MAX_PIXELS are refused, so a small file claiming 13000x13000 pixels costs nothing.
"""

import warnings

import numpy as np
from PIL import Image, UnidentifiedImageError

from demo.texts import TEXTS

LEVELS = 4
SIZE = 16
GREYS = [round(i * 255 / (LEVELS - 1)) for i in range(LEVELS)]  # 0, 85, 170, 255
MAX_PIXELS = 4096 * 4096  # ~16.8 M pixels: ~67 MB decoded as RGBA, the worst case per request
FORMATS = ["PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP"]  # what Pillow may open; no exotic decoders
WIDE_GREYS = ("I;16", "I;16B", "I;16L", "I;16N", "I")  # integer greys of more than 8 bits


class InputError(ValueError):
    """Something the user sent that we cannot use; the message says what to do."""


def open_picture(path) -> Image.Image:
    """The decoded picture in `path`, or InputError: not a picture, too many pixels, or damaged."""
    if path is None:
        raise InputError(TEXTS["no_picture"])
    limit = f"{MAX_PIXELS / 1e6:.1f}"
    try:
        with warnings.catch_warnings():  # Pillow's own bomb warning: we check the size just below
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            picture = Image.open(path, formats=FORMATS)  # reads the header only
    except Image.DecompressionBombError:  # over twice Pillow's limit: refused by Pillow before decoding
        raise InputError(TEXTS["huge_picture_any"].format(limit=limit)) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise InputError(TEXTS["not_a_picture"]) from None
    with picture:
        width, height = picture.size
        if width * height > MAX_PIXELS:
            raise InputError(TEXTS["huge_picture"].format(width=width, height=height, limit=limit))
        try:
            picture.load()
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
            raise InputError(TEXTS["broken_picture"]) from None
        return picture.copy()


def eight_bit(picture: Image.Image) -> Image.Image:
    """Greys of 16/32-bit integers or floats scaled to an 8-bit "L" picture; other modes unchanged."""
    if picture.mode not in (*WIDE_GREYS, "F"):
        return picture
    values = np.asarray(picture, dtype=np.float64)
    values = np.nan_to_num(values, nan=0.0, posinf=255.0, neginf=0.0)
    if picture.mode in WIDE_GREYS:
        values = values * 255 / 65535
    elif values.size and values.min() >= 0 and values.max() <= 1:
        values = values * 255
    return Image.fromarray(np.clip(np.rint(values), 0, 255).astype(np.uint8), mode="L")


def to_levels(picture: Image.Image) -> np.ndarray:
    """A picture of any size and mode -> integer levels (16, 16) by the rule above."""
    picture = eight_bit(picture)
    on_black = Image.new("RGBA", picture.size, (0, 0, 0, 255))
    on_black.alpha_composite(picture.convert("RGBA"))
    grey = on_black.convert("L").resize((SIZE, SIZE), Image.Resampling.BOX)  # block averages
    return np.rint(np.asarray(grey, np.float64) / 255 * (LEVELS - 1)).astype(np.int64)


def levels_from_file(path) -> np.ndarray:
    return to_levels(open_picture(path))
