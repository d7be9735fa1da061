"""Causal masks and the masked convolution of PixelCNN.

PixelCNN (van den Oord et al., 2016, "Pixel Recurrent Neural Networks", section 3.5)
predicts pixel i from pixels 1..i-1 in raster order. A convolution keeps that promise
when its kernel is multiplied by a mask that zeroes every tap at or after the centre:

    mask A (first layer)       mask B (later layers)
    1 1 1 1 1                  1 1 1 1 1
    1 1 1 1 1                  1 1 1 1 1
    1 1 0 0 0                  1 1 1 0 0
    0 0 0 0 0                  0 0 0 0 0
    0 0 0 0 0                  0 0 0 0 0

Mask A also hides the centre, so the first layer never sees the pixel it predicts.
Mask B shows the centre: from the second layer on, the centre feature already depends
only on earlier pixels, so using it is safe.
"""

import torch
from torch import nn
from torch.nn import functional as F

MASK_TYPES = ("A", "B")


def causal_mask(kernel_size: int, mask_type: str) -> torch.Tensor:
    """The (kernel_size, kernel_size) 0/1 mask of type "A" or "B" (see the module docstring)."""
    if mask_type not in MASK_TYPES:
        raise ValueError(f"mask_type must be 'A' or 'B', got {mask_type!r}")
    if kernel_size < 1 or kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be a positive odd number, got {kernel_size}")
    centre = kernel_size // 2
    mask = torch.ones(kernel_size, kernel_size)
    first_hidden = centre if mask_type == "A" else centre + 1
    mask[centre, first_hidden:] = 0  # the centre row from the first hidden tap on
    mask[centre + 1 :, :] = 0  # every row below the centre
    return mask


class MaskedConv2d(nn.Conv2d):
    """A 'same'-padded Conv2d whose kernel is multiplied by a causal mask at every call.

    The mask is a registered buffer, so it travels with `.to()` and the state_dict;
    the weight itself is never edited, so optimisers see the plain parameter.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, mask_type: str):
        super().__init__(in_channels, out_channels, kernel_size, padding=kernel_size // 2)
        self.mask_type = mask_type
        self.register_buffer("mask", causal_mask(kernel_size, mask_type))

    def masked_weight(self) -> torch.Tensor:
        return self.weight * self.mask  # (C_out, C_in, k, k)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(x, self.masked_weight(), self.bias, padding=self.padding)
