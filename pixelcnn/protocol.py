"""What every model offers the rest of the package and the app, whichever architecture it is.

`sampling`, `checkpoint`, `receptive_field`, `likelihood` and the demo only use this; they never ask
which model they hold. `pixelcnn.model.PixelCNN` (plain, with the blind spot, no classes) and
`pixelcnn.gated.GatedPixelCNN` (two stacks, no blind spot, classes) both derive from `Model`, which
holds what they share (the input scaling, the forward's outline, the garment names); each model file
keeps only its layers, its stepper, its masks and whether it has the blind spot.
"""

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
import torch
from torch import nn

from pixelcnn.data import CLASS_NAMES

if TYPE_CHECKING:
    from pixelcnn.field import Wiring


class Config(Protocol):
    name: str  # the architecture; checkpoint.build picks the class from it
    image_size: int  # images are image_size x image_size
    levels: int  # grey levels per pixel
    classes: int  # garment classes the model can be asked for; 0: none

    def to_dict(self) -> dict: ...

    def describe(self) -> str: ...

    def train_command(self, folder: Path | str) -> str:
        """The command that trains this architecture, with these sizes, into `folder`."""


class ConfigBase:
    """What both config dataclasses share: they are saved as their fields (`config.json`)."""

    def to_dict(self) -> dict:
        return asdict(self)


class Stepper(Protocol):
    def logits(self, levels: np.ndarray, row: int, col: int) -> np.ndarray:
        """Logits (B, L) of pixel (row, col); `levels` (B, H, W) holds every pixel before it."""

    def tensors(self) -> dict:
        """Its weights by name (a `pixelcnn.numpy_layers.Dense` or an array each), for the page's engine."""


class Model(nn.Module):
    """Integer levels (B, 1, H, W) and None / a class / one class per image -> logits (B, L, H, W)."""

    config: Config
    has_blind_spot: bool  # whether some earlier pixels can never reach a prediction (van den Oord et al., 2016b)

    def scale(self, levels: torch.Tensor) -> torch.Tensor:
        """Integer levels 0..L-1 -> the network's input in [0, 1]."""
        return levels.float() / (self.config.levels - 1)

    def forward(self, levels: torch.Tensor, label=None) -> torch.Tensor:
        return self.forward_scaled(self.scale(levels), label)

    def forward_scaled(self, x: torch.Tensor, label=None) -> torch.Tensor:
        """Scaled input (B, 1, H, W) in [0, 1] -> logits (B, L, H, W); differentiable in x (receptive fields)."""
        raise NotImplementedError

    def stepper(self, levels: np.ndarray, start: int, label=None) -> Stepper:
        """An exact incremental sampler over (B, H, W) levels whose pixels before `start` are final."""
        raise NotImplementedError

    def masks(self) -> dict[str, torch.Tensor]:
        """The causal masks of type "A" and "B" its convolutions use, (k, k) 0/1 each; none if masked otherwise."""
        raise NotImplementedError

    @property
    def labels(self) -> tuple[str, ...]:
        """The garments it can be asked for, by class index (none for a model without classes)."""
        return CLASS_NAMES[: self.config.classes]

    def wiring(self) -> "Wiring":
        """Its layers as masks and the streams they connect: `pixelcnn.field` computes exact fields from it."""
        raise NotImplementedError
