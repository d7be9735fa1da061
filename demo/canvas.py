"""From an uploaded picture to the 16x16 grid of levels the model reads.

The rule, shown in the page too: the picture is laid on black (transparent = black), turned
to grey, shrunk to 16x16 by averaging each block of pixels, and each block takes the nearest
of the 4 levels (0, 85, 170, 255). Greys with more than 8 bits are scaled to 0-255 first:
16- and 32-bit integers by 255/65535, floats in [0, 1] by 255 (other floats are clipped to 0-255).

Hostile files: the size is read from the header before anything is decoded, and pictures
above MAX_PIXELS are refused, so a small file claiming 13000x13000 pixels costs nothing. The
largest accepted picture costs about 150 MB at its peak (a 4096x4096 RGBA or palette PNG; a
16-bit grey one about 35 MB); JPEGs are decoded at a reduced scale.
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


def _shortened(field, most: int = 120):
    """A field as the message shows it: a value sent as 10**400 or 60 KB of text is cut, in the log too."""
    return field if not isinstance(field, str) or len(field) <= most else field[: most - 1] + "…"


class InputError(ValueError):
    """Something the user sent that we cannot use; the message says what to do.

    `key` names the message (demo/texts.py, demo/locales/) and `fields` fill it: the boundary (demo.ui)
    words it in the request's language; `str(error)` is the English message (logs, tests)."""

    def __init__(self, key: str, **fields):
        fields = {name: _shortened(value) for name, value in fields.items()}
        super().__init__(TEXTS[key].format(**fields))
        self.key, self.fields = key, fields


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
    if width * height > MAX_PIXELS:
        picture.close()
        raise InputError("huge_picture", width=width, height=height, limit=limit)
    if picture.format == "JPEG":
        picture.draft("RGB", (SIZE * 16, SIZE * 16))  # decode at 1/2 to 1/8 scale, still >= 256 pixels a side
    try:
        picture.load()
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        picture.close()
        raise InputError("broken_picture") from None
    return picture


def to_levels(picture: Image.Image) -> np.ndarray:
    """A picture of any size and mode -> integer levels (16, 16) by the rule above.

    Memory: the full-size picture is converted at most twice (to RGBA, then to premultiplied RGBa,
    whose colours are exactly the picture laid on black); averaging and grey come after the shrink."""
    if picture.mode not in ("L", "LA", "RGB", "RGBA", "F", *WIDE_GREYS):
        picture = picture.convert("RGBA")  # palette, 1-bit, CMYK, ...
    if picture.mode in ("RGBA", "LA"):
        picture = picture.convert(picture.mode[:-1] + "a")  # colour x alpha: laid on black
    values = np.asarray(picture.resize((SIZE, SIZE), Image.Resampling.BOX), np.float64)  # block averages
    if picture.mode in WIDE_GREYS:
        values = values * 255 / 65535
    elif picture.mode == "F":
        low, high = picture.getextrema()
        values = np.nan_to_num(values * 255 if 0 <= low and high <= 1 else values, nan=0.0, posinf=255, neginf=0)
    if values.ndim == 3:  # colours -> grey with Pillow's "L" weights (ITU-R 601-2 luma)
        values = values[..., :3] @ np.array([0.299, 0.587, 0.114]) if values.shape[2] >= 3 else values[..., 0]
    return np.rint(np.clip(values, 0, 255) / 255 * (LEVELS - 1)).astype(np.int64)


def levels_from_file(path) -> np.ndarray:
    with open_picture(path) as picture:
        return to_levels(picture)
