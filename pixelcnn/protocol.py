"""The torch side's base of every model, whichever architecture it is: what training, evaluation and the
receptive field by gradients use. `pixelcnn.model.PixelCNN` (plain, with the blind spot, no classes) and
`pixelcnn.gated.GatedPixelCNN` (two stacks, no blind spot, classes) both derive from `Model`, which holds
what they share (the input scaling, the forward's outline, the garment names, the stepper and the wiring,
both taken from the serving side's table `pixelcnn.models.MODELS`); each model file keeps only its layers
and its masks. Serving never imports this (`pixelcnn.models.ServedModel` offers the same stepper and wiring).
"""

import numpy as np
import torch
from torch import nn

from pixelcnn.configs import ConfigBase
from pixelcnn.models import MODELS


class Model(nn.Module):
    """Integer levels (B, 1, H, W) and None / a class / one class per image -> logits (B, L, H, W).

    Its stepper and wiring are the serving side's (`pixelcnn.models.MODELS`), built from its own weights."""

    config: ConfigBase

    @property
    def has_blind_spot(self) -> bool:
        """Whether some earlier pixels can never reach a prediction (van den Oord et al., 2016b)."""
        return MODELS[self.config.name].has_blind_spot

    def scale(self, levels: torch.Tensor) -> torch.Tensor:
        """Integer levels 0..L-1 -> the network's input in [0, 1]."""
        return levels.float() / (self.config.levels - 1)

    def forward(self, levels: torch.Tensor, label=None) -> torch.Tensor:
        return self.forward_scaled(self.scale(levels), label)

    def forward_scaled(self, x: torch.Tensor, label=None) -> torch.Tensor:
        """Scaled input (B, 1, H, W) in [0, 1] -> logits (B, L, H, W); differentiable in x (receptive fields)."""
        raise NotImplementedError

    def numpy_state(self) -> dict[str, np.ndarray]:
        """Its state_dict as float32 NumPy arrays (what serving and the snapshots read)."""
        return {name: value.detach().cpu().float().numpy() for name, value in self.state_dict().items()}

    def served_weights(self):
        """Its weights as the serving side's stepper reads them (`pixelcnn.models.MODELS`), from its state now."""
        return MODELS[self.config.name].weights(self.config, self.numpy_state())

    def stepper(self, levels: np.ndarray, start: int, label=None):
        """An exact incremental sampler over (B, H, W) levels whose pixels before `start` are final: the
        serving side's NumPy stepper (`pixelcnn.incremental`, `pixelcnn.gated_incremental`) on these weights."""
        return self.served_weights().stepper(levels, start, label)

    def tensors(self) -> dict:
        """The stepper's weights by name, as the page's engine reads them (`pixelcnn.export`), as a served model's."""
        return self.served_weights().tensors()

    def masks(self) -> dict[str, torch.Tensor]:
        """The causal masks of type "A" and "B" its convolutions use, (k, k) 0/1 each; none if masked otherwise."""
        raise NotImplementedError

    @property
    def labels(self) -> tuple[str, ...]:
        """The garments it can be asked for, by class index (none for a model without classes)."""
        return self.config.labels

    def wiring(self):
        """Its layers as masks and the streams they connect: `pixelcnn.field` computes exact fields from it."""
        return MODELS[self.config.name].wiring(self.config)
