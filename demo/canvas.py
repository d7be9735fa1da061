"""From what the user drew (or uploaded) to the 16x16 grid of levels the model reads.

The rule, shown in the page too: the picture is laid on black (transparent = black),
turned to grey, shrunk to 16x16 by averaging each block of pixels (a 320x320 canvas gives
20x20 blocks), and each block takes the nearest of the 4 levels (0, 85, 170, 255).
"""

import numpy as np
from PIL import Image

LEVELS = 4
SIZE = 16
CANVAS = 320  # the drawing canvas, SIZE cells of CANVAS // SIZE pixels
GREYS = [round(i * 255 / (LEVELS - 1)) for i in range(LEVELS)]  # 0, 85, 170, 255


class InputError(ValueError):
    """Something the user sent that we cannot use; the message says what to do."""


def _as_image(value) -> Image.Image | None:
    if value is None:
        return None
    if isinstance(value, Image.Image):
        return value
    array = np.asarray(value)
    if array.ndim not in (2, 3) or array.size == 0 or (array.ndim == 3 and array.shape[2] not in (1, 3, 4)):
        raise InputError(f"The picture has shape {array.shape}; send a greyscale, RGB or RGBA image.")
    if array.dtype != np.uint8:
        array = np.clip(np.nan_to_num(array.astype(np.float64)), 0, 255).astype(np.uint8)
    return Image.fromarray(array[..., 0] if array.ndim == 3 and array.shape[2] == 1 else array)


def sketch_image(value) -> Image.Image | None:
    """The picture in a Sketchpad value (a dict of background, layers, composite) or a plain image."""
    if isinstance(value, dict):
        if value.get("composite") is not None:
            return _as_image(value["composite"])
        parts = [_as_image(p) for p in [value.get("background"), *(value.get("layers") or [])] if p is not None]
        if not parts:
            return None
        picture = Image.new("RGBA", parts[0].size, (0, 0, 0, 255))
        for part in parts:
            picture.alpha_composite(part.convert("RGBA").resize(picture.size))
        return picture
    return _as_image(value)


def to_levels(value) -> np.ndarray | None:
    """A drawing or image (any size and mode) -> integer levels (16, 16), or None if there is none."""
    picture = sketch_image(value)
    if picture is None:
        return None
    on_black = Image.new("RGBA", picture.size, (0, 0, 0, 255))
    on_black.alpha_composite(picture.convert("RGBA"))
    grey = on_black.convert("L").resize((SIZE, SIZE), Image.Resampling.BOX)  # block averages
    return np.rint(np.asarray(grey, np.float64) / 255 * (LEVELS - 1)).astype(np.int64)


def to_canvas(levels: np.ndarray) -> np.ndarray:
    """Levels (16, 16) -> an RGBA canvas picture (CANVAS, CANVAS, 4) to draw over."""
    grey = np.array(GREYS, np.uint8)[levels].repeat(CANVAS // SIZE, 0).repeat(CANVAS // SIZE, 1)
    return np.dstack([grey, grey, grey, np.full_like(grey, 255)])
