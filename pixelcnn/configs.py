"""The models' configurations: plain data, saved beside the weights (`config.json`), read by training and serving.

A config says everything needed to rebuild a model's shapes: the torch model for training (`pixelcnn.model`,
`pixelcnn.gated`) and the NumPy steppers for serving (`pixelcnn.incremental`, `pixelcnn.gated_incremental`) are
both built from it. Which config a name means is `pixelcnn.models.MODELS`' business. No torch here.
"""

from dataclasses import asdict, dataclass
from pathlib import Path

CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip  # FashionMNIST's classes, by index


class ConfigBase:
    """What every config shares: it is saved as its fields (`config.json`)."""

    name: str  # the architecture; `pixelcnn.models.MODELS` picks the model from it
    image_size: int  # images are image_size x image_size
    levels: int  # grey levels per pixel
    classes: int  # garment classes the model can be asked for; 0: none

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def labels(self) -> tuple[str, ...]:
        """The garments it can be asked for, by class index (none for a model without classes)."""
        return CLASS_NAMES[: self.classes]


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


@dataclass(frozen=True)
class GatedPixelCNNConfig(ConfigBase):
    name: str = "gated"  # which architecture; the app lists models by this
    image_size: int = 16  # images are image_size x image_size pixels
    levels: int = 4  # grey levels per pixel; one logit per level
    classes: int = 10  # garment classes; index `classes` is "no class"
    channels: int = 64  # channels C of each stack (the convolutions make 2C, halved by the gate)
    layers: int = 12  # gated layers after the first
    first_kernel: int = 7  # kernel of the first layer (its vertical part is first_kernel // 2 rows high)
    kernel: int = 3  # kernel of the later layers

    def describe(self) -> str:
        k1, k = self.first_kernel, self.kernel
        return (
            f"gated PixelCNN: a first {k1}x{k1} gated layer (vertical and horizontal stacks, current pixel "
            f"excluded), {self.layers} gated layers with {k}x{k} kernels, {self.channels} channels per stack, "
            f"a per-class bias in every layer ({self.classes} classes + 'any'), 1x1 head"
        )

    def train_command(self, folder: Path | str) -> str:
        sizes = f"--channels {self.channels} --layers {self.layers}"
        return f"python -m pixelcnn.train --arch {self.name} {sizes} --out {folder}"
