"""The PixelCNN network of van den Oord et al. (2016), as taught in the course it comes from.

    image levels (B, 1, H, W)
      -> 7x7 masked conv, type A, ReLU                    (B, F, H, W)
      -> 5 residual blocks: 1x1 -> 3x3 masked B -> 1x1, ReLU each, plus a skip
      -> 2 x (1x1 masked conv, type B, ReLU)
      -> 1x1 conv                                         (B, L, H, W) logits over L levels

Left out on purpose: the gated units and the separate vertical/horizontal stacks of
Gated PixelCNN (van den Oord et al., 2016b), so this network has the blind spot that
`pixelcnn.receptive_field` makes visible; and class conditioning.
"""

from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from pixelcnn.field import Connection, Wiring
from pixelcnn.layers import MaskedConv2d, causal_mask
from pixelcnn.protocol import ConfigBase, Model


@dataclass(frozen=True)
class PixelCNNConfig(ConfigBase):
    name: str = "pixelcnn"  # which architecture; the app lists models by this
    image_size: int = 16  # images are image_size x image_size pixels
    levels: int = 4  # grey levels per pixel; the network outputs one logit per level
    filters: int = 128  # channels of the residual stream (blocks work at filters // 2)
    blocks: int = 5  # residual blocks after the first layer
    first_kernel: int = 7  # kernel of the first, type-A masked convolution
    block_kernel: int = 3  # kernel of the type-B masked convolution inside each block
    head_layers: int = 2  # 1x1 type-B layers between the blocks and the output
    classes: int = 0  # the plain model takes no class (the gated one does)
    # mask of the first layer: "A" hides the pixel being predicted; "B" shows it, broken on purpose (the `leaky`
    # model: it learns to copy the pixel it is shown, and draws blank images, where that pixel is not drawn yet)
    first_mask: str = "A"

    def describe(self) -> str:
        k1, kb = self.first_kernel, self.block_kernel
        return (
            f"{k1}x{k1} masked conv {self.first_mask}, {self.blocks} residual blocks with {kb}x{kb} masked conv B, "
            f"{self.head_layers} 1x1 masked conv B, 1x1 output; ReLU; {self.filters} filters"
        )

    def train_command(self, folder: Path | str) -> str:
        sizes = f"--filters {self.filters} --blocks {self.blocks}"
        if self.first_mask != "A":
            sizes += f" --first-mask {self.first_mask}"
        return f"python -m pixelcnn.train --arch {self.name} {sizes} --out {folder}"


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
    has_blind_spot = True  # stacked masked convolutions never reach up and to the right (pixelcnn.receptive_field)

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

    def wiring(self) -> Wiring:
        """The masked layers as `pixelcnn.field` reads them: one stream, one mask each (a block's skip
        carries nothing that the centre tap of its mask B does not)."""
        masked = [self.first, *(block.masked for block in self.blocks), *self.head]
        return Wiring(
            tuple(
                (Connection("masked", "masked", "masked", m.mask_type, m.mask.cpu().numpy(), m.padding),)
                for m in masked
            ),
            "masked",
        )

    def stepper(self, levels, start: int, label=None):
        """The exact incremental sampler (`pixelcnn.incremental`) over (B, H, W) levels."""
        from pixelcnn.incremental import IncrementalStepper  # it builds on this module

        no_label(label)
        return IncrementalStepper(self, levels, start)

    def masks(self) -> dict[str, torch.Tensor]:
        k1, kb = self.config.first_kernel, self.config.block_kernel
        if self.config.first_mask == "B":  # mask B everywhere (the `leaky` model): the first layer's is shown
            return {"B": causal_mask(k1, "B")}
        return {"A": causal_mask(k1, "A"), "B": causal_mask(kb, "B")}
