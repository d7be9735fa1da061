"""What every model offers the rest of the package and the app, whichever architecture it is.

`sampling`, `checkpoint`, `receptive_field`, `likelihood` and the demo only use this; they never ask
which model they hold. `pixelcnn.model.PixelCNN` (plain, with the blind spot, no classes) and
`pixelcnn.gated.GatedPixelCNN` (two stacks, no blind spot, classes) both follow it.
"""

from typing import TYPE_CHECKING, Protocol

import numpy as np
import torch

if TYPE_CHECKING:
    from pixelcnn.field import Wiring


class Config(Protocol):
    name: str  # the architecture; checkpoint.build picks the class from it
    image_size: int  # images are image_size x image_size
    levels: int  # grey levels per pixel
    classes: int  # garment classes the model can be asked for; 0: none

    def to_dict(self) -> dict: ...

    def describe(self) -> str: ...


class Stepper(Protocol):
    def logits(self, levels: np.ndarray, row: int, col: int) -> np.ndarray:
        """Logits (B, L) of pixel (row, col); `levels` (B, H, W) holds every pixel before it."""


class Model(Protocol):
    config: Config

    def __call__(self, levels: torch.Tensor, label=None) -> torch.Tensor:
        """Integer levels (B, 1, H, W) and None / a class / one class per image -> logits (B, L, H, W)."""

    def scale(self, levels: torch.Tensor) -> torch.Tensor:
        """Integer levels -> the float input `forward_scaled` takes."""

    def forward_scaled(self, x: torch.Tensor, label=None) -> torch.Tensor:
        """Float input (B, 1, H, W) -> logits; differentiable in x (receptive fields use it)."""

    def stepper(self, levels: np.ndarray, start: int, label=None) -> Stepper:
        """An exact incremental sampler over (B, H, W) levels whose pixels before `start` are final."""

    def wiring(self) -> "Wiring":
        """Its layers as masks and the streams they connect: `pixelcnn.field` computes exact fields from it."""

    def parameters(self): ...
