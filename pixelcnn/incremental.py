"""Incremental PixelCNN evaluation: one pixel's worth of work per sampling step.

Why it is exact: every activation of a causal network at position q depends only on the
input pixels before q in raster order. So when pixel p is about to be drawn, the
activations of every layer at position p can be computed, and they never change again.
Each step therefore computes, layer by layer, only the activations at p, reading the
lower layer's cached activations in the kernel's window (all at positions <= p, already
computed). Over a 16x16 image that is the arithmetic of about one forward pass, instead
of one full pass per pixel. The same idea, with queues, is Fast PixelCNN++ (Ramachandran
et al., 2017); here the whole (small) activation maps are simply kept.

Only the inputs of the spatial (k x k) convolutions need caching: the image for the
first layer, and each residual block's reduced features for its masked convolution.
The pixels already known (the rows a user drew) are handled by one ordinary forward pass
(the "prefill"), whose activations before the first unknown pixel are already final.

A first mask B (the `leaky` model, broken on purpose) shows the first layer the pixel itself. While it is
drawn, that pixel is 0 (not drawn yet); once drawn, the activations at its position see its level, so the
step after recomputes them there (twice the work per pixel, for that model only): the naive loop, a full
pass over the image with every pixel from the one drawn on set to 0, gives the same logits.

The per-pixel steps run in NumPy on the CPU (`pixelcnn.numpy_layers` says why); the weights and
the prefill are PyTorch.
"""

from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional as F

from pixelcnn.layers import MaskedConv2d
from pixelcnn.model import PixelCNN
from pixelcnn.numpy_layers import Dense, as_numpy, dense, relu


def causal_rows(conv: MaskedConv2d, scale: float = 1.0) -> Dense:
    """A masked k x k conv over the rows up to the centre (the rows below are masked out)."""
    rows = conv.kernel_size[0] // 2 + 1
    return dense(conv.masked_weight()[:, :, :rows], conv.bias, scale)


@dataclass(frozen=True)
class BlockLayers:
    """One residual block's layers (`pixelcnn.model.ResidualBlock`)."""

    reduce: Dense  # 1x1, F -> F/2
    masked: Dense  # k x k masked B over the rows up to the centre, F/2 -> F/2
    expand: Dense  # 1x1, F/2 -> F


class IncrementalStepper:
    """Logits for one pixel at a time, for positions start, start + 1, ... in raster order."""

    @torch.no_grad()
    def __init__(self, model: PixelCNN, levels: np.ndarray, start: int):
        """levels: integer (B, H, W); pixels before position `start` are known and final."""
        config = model.config
        self.start, self.width = start, config.image_size
        self.r1, self.rb = config.first_kernel // 2, config.block_kernel // 2
        self.leaks = model.first.mask_type == "B"  # the first layer sees the pixel itself (the `leaky` model)
        # The image cache holds raw levels; the input scaling is folded into the first weights.
        self.first = causal_rows(model.first, scale=1.0 / (config.levels - 1))
        self.blocks = [
            BlockLayers(
                dense(b.reduce.weight, b.reduce.bias), causal_rows(b.masked), dense(b.expand.weight, b.expand.bias)
            )
            for b in model.blocks
        ]
        self.head = [dense(layer.masked_weight(), layer.bias) for layer in model.head]
        self.out = dense(model.out.weight, model.out.bias)

        # Prefill: one ordinary forward pass, keeping the inputs of the spatial convolutions,
        # zero-padded above, left and right (never below: a window stops at the centre row).
        # With nothing known (start == 0) every cached value is computed by the steps themselves.
        r1, rb = self.r1, self.rb
        batch, height, width = levels.shape
        self.image = np.pad(levels.astype(np.float32), ((0, 0), (r1, 0), (r1, r1)))  # (B, H + r1, W + 2 r1)
        self.caches = []
        x = torch.from_numpy(levels).to(next(model.parameters()).device)[:, None]  # (B, 1, H, W)
        h = F.relu(model.first(model.scale(x))) if start > 0 else None  # (B, F, H, W)
        for block in model.blocks:
            if start > 0:
                reduced = as_numpy(F.relu(block.reduce(h)).permute(0, 2, 3, 1))  # (B, H, W, F/2)
                h = block(h)
            else:
                reduced = np.zeros((batch, height, width, block.reduce.out_channels), np.float32)
            self.caches.append(np.pad(reduced, ((0, 0), (rb, 0), (rb, rb), (0, 0))))  # (B, H+rb, W+2rb, F/2)

    def tensors(self) -> dict[str, Dense]:
        """Its weights by the names the page's engine reads (`pixelcnn.export`, demo/engine.js)."""
        tensors = {"first": self.first}
        for i, block in enumerate(self.blocks):
            for name in ("reduce", "masked", "expand"):
                tensors[f"blocks.{i}.{name}"] = getattr(block, name)
        for i, layer in enumerate(self.head):
            tensors[f"head.{i}"] = layer
        tensors["out"] = self.out
        return tensors

    def logits(self, levels: np.ndarray, row: int, col: int) -> np.ndarray:
        """Logits (B, L) at (row, col); `levels` (B, H, W) holds every pixel before it."""
        previous = row * self.width + col - 1
        if previous >= self.start:  # the pixel drawn at the last step enters the image cache
            prow, pcol = divmod(previous, self.width)
            self.image[:, prow + self.r1, pcol + self.r1] = levels[:, prow, pcol]
            if self.leaks:  # its activations saw it as 0 while it was drawn: now they see its level
                self.features(prow, pcol)
        self.image[:, row + self.r1, col + self.r1] = 0  # the pixel itself, not drawn yet (mask A never reads it)
        return self.out(self.features(row, col))  # (B, L)

    def features(self, row: int, col: int) -> np.ndarray:
        """The features (B, F) under the output layer at (row, col), from the image cache; each block's reduced
        features there enter its cache."""
        batch, r1, rb = self.image.shape[0], self.r1, self.rb
        window = self.image[:, row : row + r1 + 1, col : col + 2 * r1 + 1]  # (B, r1 + 1, k1)
        h = relu(self.first(window.reshape(batch, -1)))  # (B, F)
        for block, cache in zip(self.blocks, self.caches):
            cache[:, row + rb, col + rb] = relu(block.reduce(h))  # (B, F/2)
            window = cache[:, row : row + rb + 1, col : col + 2 * rb + 1]  # (B, rb + 1, kb, F/2)
            h = h + relu(block.expand(relu(block.masked(window.reshape(batch, -1)))))  # (B, F)
        for layer in self.head:
            h = relu(layer(h))
        return h
