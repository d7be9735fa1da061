"""Negative log-likelihood in bits per dimension: the figure PixelCNN papers report.

bits/dim = -log2 p(x) / (number of pixels), where p(x) = prod_i p(x_i | x_<i).
Lower is better; a model that knows nothing scores log2(levels) = 2 bits/dim on 4 levels.
"""

import math

import torch
from torch.nn import functional as F


def nll_per_pixel(logits: torch.Tensor, levels: torch.Tensor) -> torch.Tensor:
    """Logits (B, L, H, W) and integer levels (B, 1, H, W) -> -log p(x_i | x_<i) in nats, (B, H, W)."""
    return F.cross_entropy(logits, levels[:, 0].long(), reduction="none")


def bits_per_pixel(model: torch.nn.Module, levels: torch.Tensor, label=None) -> torch.Tensor:
    """How surprising each pixel is to the model: (B, 1, H, W) levels -> (B, H, W) bits.

    label: None (any garment), an int, or one per image, for a model with classes."""
    with torch.no_grad():
        return nll_per_pixel(model(levels, label), levels) / math.log(2)


def bits_per_dim(model: torch.nn.Module, levels: torch.Tensor, label=None) -> torch.Tensor:
    """One figure per image: (B, 1, H, W) integer levels -> (B,) bits/dim."""
    return bits_per_pixel(model, levels, label).flatten(1).mean(1)


def copy_rate(model: torch.nn.Module, levels: torch.Tensor, label=None) -> float:
    """Teacher-forced, as the loss is scored: the share of pixels of `levels` (B, 1, H, W) whose most likely level
    is the pixel's own level. An honest model guesses it from the pixels before; the `leaky` model (first mask B)
    reads it, and copies it."""
    with torch.no_grad():
        return (model(levels, label).argmax(1) == levels[:, 0]).float().mean().item()
