"""Gated PixelCNN (van den Oord et al., 2016b, "Conditional Image Generation with PixelCNN
Decoders"): no blind spot, and a class to ask for.

A plain PixelCNN stacks masked kxk convolutions; their composition never reaches the pixels
up and to the right of the one predicted (the blind spot). The gated PixelCNN splits every
layer in two stacks that together see the whole past:

    vertical stack, first layer         vertical stack, later layers
    (every row above, none of row i)    (rows above + its own row i, which
                                         itself only holds rows above)
    1 1 1 1 1 1 1                        1 1 1
    1 1 1 1 1 1 1                        1 1 1   <- row i of the vertical features
    1 1 1 1 1 1 1                        . . .
    . . . . . . .   <- row i
    . . . . . . .

    horizontal stack, first layer       horizontal stack, later layers
    (pixels to the left, not the        (features to the left and the centre,
     centre: the role of mask A)         which already exclude pixel (i, j): mask B)
    1 1 1 . . . .                        1 1 .

The vertical stack at row i only ever holds rows < i; a 1x1 convolution hands it to the
horizontal stack at the same position, which adds the pixels to the left in row i. Both
grow every layer, up and sideways for the vertical stack, leftwards for the horizontal one,
so the receptive field is the full triangle of the past, without the blind spot.

Each layer is gated, out = tanh(a) * sigmoid(b) (a and b: the two halves of the convolution's
2C channels), and a learned per-class bias is added to a and b before the gate in both stacks.
Class index `classes` means "no class": training uses it for a share of the images, so the one
network draws any garment, or the one asked. The horizontal stack is residual from the second
layer on. Left out: the paper's skip connections to the output and dilations.
"""

import torch
from torch import nn
from torch.nn import functional as F

from pixelcnn import gated_incremental
from pixelcnn.configs import GatedPixelCNNConfig
from pixelcnn.masks import horizontal_mask, vertical_mask
from pixelcnn.protocol import Model

__all__ = ["GatedPixelCNN", "GatedPixelCNNConfig", "Label", "label_index"]

Label = gated_incremental.Label | torch.Tensor


def label_index(label: Label, batch: int, classes: int, device=None) -> torch.Tensor:
    """None / an int / one label per image (None or -1 for "any") -> class indices (B,), `classes` = any
    (`pixelcnn.gated_incremental.label_index`, the one rule)."""
    if isinstance(label, torch.Tensor):
        label = label.cpu().numpy()
    return torch.from_numpy(gated_incremental.label_index(label, batch, classes)).to(device)


class VerticalConv(nn.Conv2d):
    """kxk convolution that sees rows above (and, unless `first`, its own row) and nothing below.

    Implemented as a (k//2 + 1) x k kernel padded k//2 rows on top and none below; the first
    layer's bottom kernel row is zeroed by a mask buffer, so its row-i output only holds rows < i.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, first: bool):
        rows = kernel_size // 2 + 1
        super().__init__(in_channels, out_channels, (rows, kernel_size))
        self.pad = (kernel_size // 2, kernel_size // 2, kernel_size // 2, 0)  # left, right, top, bottom
        self.register_buffer("mask", torch.from_numpy(vertical_mask(kernel_size, first)))

    def masked_weight(self) -> torch.Tensor:
        return self.weight * self.mask  # (C_out, C_in, k//2 + 1, k)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(F.pad(x, self.pad), self.masked_weight(), self.bias)


class HorizontalConv(nn.Conv2d):
    """1 x (k//2 + 1) convolution over the pixels to the left and the centre (centre masked if `first`)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, first: bool):
        cols = kernel_size // 2 + 1
        super().__init__(in_channels, out_channels, (1, cols))
        self.pad = (kernel_size // 2, 0, 0, 0)
        self.register_buffer("mask", torch.from_numpy(horizontal_mask(kernel_size, first)))

    def masked_weight(self) -> torch.Tensor:
        return self.weight * self.mask  # (C_out, C_in, 1, k//2 + 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(F.pad(x, self.pad), self.masked_weight(), self.bias)


def gate(x: torch.Tensor) -> torch.Tensor:
    """(B, 2C, H, W) -> tanh(first half) * sigmoid(second half), (B, C, H, W)."""
    a, b = x.chunk(2, dim=1)
    return torch.tanh(a) * torch.sigmoid(b)


class GatedLayer(nn.Module):
    """One layer of both stacks; `first` makes it exclude the current pixel (mask A's role).

    v_pre = vertical(v) + class_v                       (B, 2C, H, W)
    h_pre = horizontal(h) + to_horizontal(v_pre) + class_h
    v' = gate(v_pre);   h' = out(gate(h_pre)) (+ h, after the first layer)
    """

    def __init__(self, in_channels: int, channels: int, kernel_size: int, classes: int, first: bool):
        super().__init__()
        self.first = first
        self.vertical = VerticalConv(in_channels, 2 * channels, kernel_size, first)
        self.horizontal = HorizontalConv(in_channels, 2 * channels, kernel_size, first)
        self.to_horizontal = nn.Conv2d(2 * channels, 2 * channels, 1)
        self.out = nn.Conv2d(channels, channels, 1)
        self.class_bias = nn.Embedding(classes + 1, 4 * channels)  # last row: no class
        nn.init.zeros_(self.class_bias.weight)

    def forward(self, v: torch.Tensor, h: torch.Tensor, label: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        class_v, class_h = self.class_bias(label)[:, :, None, None].chunk(2, dim=1)  # (B, 2C, 1, 1) each
        v_pre = self.vertical(v) + class_v
        h_pre = self.horizontal(h) + self.to_horizontal(v_pre) + class_h
        h_out = self.out(gate(h_pre))
        return gate(v_pre), h_out if self.first else h + h_out


class GatedPixelCNN(Model):
    """levels (B, 1, H, W) and a class -> logits (B, L, H, W), one gated layer after another."""

    def __init__(self, config: GatedPixelCNNConfig):
        super().__init__()
        self.config = config
        c = config.channels
        self.layers = nn.ModuleList(
            [GatedLayer(1, c, config.first_kernel, config.classes, first=True)]
            + [GatedLayer(c, c, config.kernel, config.classes, first=False) for _ in range(config.layers)]
        )
        self.hidden = nn.Conv2d(c, c, 1)
        self.logits = nn.Conv2d(c, config.levels, 1)

    def forward_scaled(self, x: torch.Tensor, label: Label = None) -> torch.Tensor:
        index = label_index(label, x.shape[0], self.config.classes, x.device)
        v = h = x
        for layer in self.layers:
            v, h = layer(v, h, index)  # (B, C, H, W) each
        return self.logits(F.relu(self.hidden(F.relu(h))))

    def masks(self) -> dict[str, torch.Tensor]:
        return {}  # its stacks are masked by their shapes, not by the (k, k) masks A and B
