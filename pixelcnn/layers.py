"""The masked convolution of PixelCNN: a Conv2d whose kernel is multiplied by a causal mask
(`pixelcnn.masks` draws masks A and B and says why each exists).
"""

import torch
from torch import nn
from torch.nn import functional as F

from pixelcnn import masks


def causal_mask(kernel_size: int, mask_type: str) -> torch.Tensor:
    """The (kernel_size, kernel_size) 0/1 mask of type "A" or "B" as a tensor (`pixelcnn.masks.causal_mask`)."""
    return torch.from_numpy(masks.causal_mask(kernel_size, mask_type))


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
