"""Causal masks as 0/1 arrays: what each convolution of a PixelCNN may read. NumPy only.

PixelCNN (van den Oord et al., 2016, "Pixel Recurrent Neural Networks", section 3.5) predicts pixel i
from pixels 1..i-1 in raster order. A convolution keeps that promise when its kernel is multiplied by a
mask that zeroes every tap at or after the centre:

    mask A (first layer)       mask B (later layers)
    1 1 1 1 1                  1 1 1 1 1
    1 1 1 1 1                  1 1 1 1 1
    1 1 0 0 0                  1 1 1 0 0
    0 0 0 0 0                  0 0 0 0 0
    0 0 0 0 0                  0 0 0 0 0

Mask A also hides the centre, so the first layer never sees the pixel it predicts. Mask B shows the
centre: from the second layer on, the centre feature already depends only on earlier pixels.

The gated PixelCNN's stacks are masked by their shapes (`pixelcnn.gated`): a vertical kernel of
k//2 + 1 rows (its last row, the pixel's own, masked in the first layer) and a horizontal one of
k//2 + 1 columns (its last column, the pixel itself, masked in the first layer).
"""

import numpy as np

MASK_TYPES = ("A", "B")


def causal_mask(kernel_size: int, mask_type: str) -> np.ndarray:
    """The (kernel_size, kernel_size) float32 0/1 mask of type "A" or "B" (see the module docstring)."""
    if mask_type not in MASK_TYPES:
        raise ValueError(f"mask_type must be 'A' or 'B', got {mask_type!r}")
    if kernel_size < 1 or kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be a positive odd number, got {kernel_size}")
    centre = kernel_size // 2
    mask = np.ones((kernel_size, kernel_size), np.float32)
    first_hidden = centre if mask_type == "A" else centre + 1
    mask[centre, first_hidden:] = 0  # the centre row from the first hidden tap on
    mask[centre + 1 :, :] = 0  # every row below the centre
    return mask


def vertical_mask(kernel_size: int, first: bool) -> np.ndarray:
    """(k//2 + 1, k): the rows above and the pixel's own row, which the first layer masks."""
    mask = np.ones((kernel_size // 2 + 1, kernel_size), np.float32)
    if first:
        mask[-1] = 0
    return mask


def horizontal_mask(kernel_size: int, first: bool) -> np.ndarray:
    """(1, k//2 + 1): the pixels to the left and the pixel itself, which the first layer masks."""
    mask = np.ones((1, kernel_size // 2 + 1), np.float32)
    if first:
        mask[0, -1] = 0
    return mask
