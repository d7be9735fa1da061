"""The PixelCNN network of van den Oord et al. (2016), as taught in the course it comes from.

    image levels (B, 1, H, W)
      -> 7x7 masked conv, type A, ReLU                    (B, F, H, W)
      -> 5 residual blocks: 1x1 -> 3x3 masked B -> 1x1, ReLU each, plus a skip
      -> 2 x (1x1 masked conv, type B, ReLU)
      -> 1x1 conv                                         (B, L, H, W) logits over L levels

Left out on purpose: the gated units and the separate vertical/horizontal stacks of
Gated PixelCNN (van den Oord et al., 2016b), so this network has the blind spot that
`pixelcnn.gradients` makes visible; and class conditioning.
"""

import torch
from torch import nn
from torch.nn import functional as F

from pixelcnn.configs import PixelCNNConfig
from pixelcnn.layers import MaskedConv2d, causal_mask
from pixelcnn.protocol import Model

__all__ = ["PixelCNN", "PixelCNNConfig"]


def no_label(label) -> None:
    """The plain model draws any garment: a label asked of it is a mistake, said clearly."""
    if label is not None:
        raise ValueError("this PixelCNN has no garment classes: pass label=None (or use the gated model)")


class ResidualBlock(nn.Module):
    """1x1 conv (F -> F/2), masked kxk conv of type B (F/2 -> F/2), 1x1 conv (F/2 -> F); x + that."""

    def __init__(self, filters: int, kernel_size: int):
        super().__init__()
        half = filters // 2
        self.reduce = nn.Conv2d(filters, half, 1)
        self.masked = MaskedConv2d(half, half, kernel_size, "B")
        self.expand = nn.Conv2d(half, filters, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, F, H, W) -> (B, F, H, W)
        h = F.relu(self.reduce(x))
        h = F.relu(self.masked(h))
        h = F.relu(self.expand(h))
        return x + h


class PixelCNN(Model):
    def __init__(self, config: PixelCNNConfig):
        super().__init__()
        self.config = config
        self.first = MaskedConv2d(1, config.filters, config.first_kernel, config.first_mask)
        self.blocks = nn.ModuleList(ResidualBlock(config.filters, config.block_kernel) for _ in range(config.blocks))
        self.head = nn.ModuleList(
            MaskedConv2d(config.filters, config.filters, 1, "B") for _ in range(config.head_layers)
        )
        self.out = nn.Conv2d(config.filters, config.levels, 1)

    def forward_scaled(self, x: torch.Tensor, label=None) -> torch.Tensor:
        no_label(label)
        h = F.relu(self.first(x))  # (B, F, H, W)
        for block in self.blocks:
            h = block(h)
        for layer in self.head:
            h = F.relu(layer(h))
        return self.out(h)

    def masks(self) -> dict[str, torch.Tensor]:
        k1, kb = self.config.first_kernel, self.config.block_kernel
        if self.config.first_mask == "B":  # mask B everywhere (the `leaky` model): the first layer's is shown
            return {"B": causal_mask(k1, "B")}
        return {"A": causal_mask(k1, "A"), "B": causal_mask(kb, "B")}
