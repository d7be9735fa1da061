"""The plain PixelCNN for serving: its stepper, its wiring and its weights' shapes, in NumPy only.

Incremental evaluation, one pixel's worth of work per sampling step. Why it is exact: every
activation of a causal network at position q depends only on the input pixels before q in raster
order. So when pixel p is about to be drawn, the activations of every layer at position p can be
computed, and they never change again. Each step therefore computes, layer by layer, only the
activations at p, reading the lower layer's cached activations in the kernel's window (all at
positions <= p, already computed). Over a 16x16 image that is the arithmetic of about one forward
pass, instead of one full pass per pixel. The same idea, with queues, is Fast PixelCNN++
(Ramachandran et al., 2017); here the whole (small) activation maps are simply kept.

Only the inputs of the spatial (k x k) convolutions need caching: the image for the first layer, and
each residual block's reduced features for its masked convolution. The pixels already known (the rows a
user drew) are handled by one batched pass over every position (the "prefill", `PlainStepper.prefill`),
whose activations before the first unknown pixel are already final.

A first mask B (the `leaky` model, broken on purpose) shows the first layer the pixel itself. While it is
drawn, that pixel is 0 (not drawn yet); once drawn, the activations at its position see its level, so the
step after recomputes them there (twice the work per pixel, for that model only): the naive loop, a full
pass over the image with every pixel from the one drawn on set to 0, gives the same logits.

The weights are a state_dict as NumPy arrays (`pixelcnn.model.PixelCNN`'s names): the training side's
torch model and serving share this one stepper.
"""

from dataclasses import dataclass

import numpy as np

from pixelcnn.configs import PixelCNNConfig
from pixelcnn.field import Connection, Wiring
from pixelcnn.masks import causal_mask
from pixelcnn.numpy_layers import Dense, dense, relu


def shapes(config: PixelCNNConfig) -> dict[str, tuple[int, ...]]:
    """name -> shape of every tensor of the model's state_dict (`pixelcnn.model.PixelCNN`)."""
    f, half, k1, kb = config.filters, config.filters // 2, config.first_kernel, config.block_kernel
    found = {"first.weight": (f, 1, k1, k1), "first.bias": (f,), "first.mask": (k1, k1)}
    for i in range(config.blocks):
        found |= {
            f"blocks.{i}.reduce.weight": (half, f, 1, 1), f"blocks.{i}.reduce.bias": (half,),
            f"blocks.{i}.masked.weight": (half, half, kb, kb), f"blocks.{i}.masked.bias": (half,),
            f"blocks.{i}.masked.mask": (kb, kb),
            f"blocks.{i}.expand.weight": (f, half, 1, 1), f"blocks.{i}.expand.bias": (f,),
        }  # fmt: skip
    for i in range(config.head_layers):
        found |= {f"head.{i}.weight": (f, f, 1, 1), f"head.{i}.bias": (f,), f"head.{i}.mask": (1, 1)}
    return found | {"out.weight": (config.levels, f, 1, 1), "out.bias": (config.levels,)}


def masks(config: PixelCNNConfig) -> dict[str, np.ndarray]:
    """Each masked layer's mask, by the state_dict name of its buffer."""
    found = {"first.mask": causal_mask(config.first_kernel, config.first_mask)}
    found |= {f"blocks.{i}.masked.mask": causal_mask(config.block_kernel, "B") for i in range(config.blocks)}
    return found | {f"head.{i}.mask": causal_mask(1, "B") for i in range(config.head_layers)}


def wiring(config: PixelCNNConfig) -> Wiring:
    """The masked layers as `pixelcnn.field` reads them: one stream, one mask each (a block's skip carries
    nothing that the centre tap of its mask B does not)."""
    kernels = [(config.first_mask, config.first_kernel)] + [("B", config.block_kernel)] * config.blocks
    kernels += [("B", 1)] * config.head_layers
    return Wiring(
        tuple(
            (Connection("masked", "masked", "masked", kind, causal_mask(k, kind), (k // 2, k // 2)),)
            for kind, k in kernels
        ),
        "masked",
    )


def causal_rows(state: dict, name: str, scale: float = 1.0) -> Dense:
    """A masked k x k conv over the rows up to the centre (the rows below are masked out)."""
    weight = state[f"{name}.weight"]
    rows = weight.shape[2] // 2 + 1
    return dense(weight[:, :, :rows], state[f"{name}.bias"], state[f"{name}.mask"][:rows], scale)


def one_by_one(state: dict, name: str) -> Dense:
    mask = state.get(f"{name}.mask")
    return dense(state[f"{name}.weight"], state[f"{name}.bias"], mask)


@dataclass(frozen=True)
class BlockLayers:
    """One residual block's layers (`pixelcnn.model.ResidualBlock`)."""

    reduce: Dense  # 1x1, F -> F/2
    masked: Dense  # k x k masked B over the rows up to the centre, F/2 -> F/2
    expand: Dense  # 1x1, F/2 -> F


@dataclass(frozen=True)
class PlainWeights:
    """The plain model's layers as a step reads them (`dense` matrices, masks applied, scaling folded in)."""

    config: PixelCNNConfig
    first: Dense  # k1 x k1 masked A over the rows up to the centre, raw levels -> F
    blocks: tuple[BlockLayers, ...]
    head: tuple[Dense, ...]  # 1x1 masked B, F -> F
    out: Dense  # 1x1, F -> L

    @classmethod
    def from_state(cls, config: PixelCNNConfig, state: dict[str, np.ndarray]) -> "PlainWeights":
        """From a state_dict of NumPy arrays (its shapes already checked against `shapes(config)`)."""
        return cls(
            config,
            # The image cache holds raw levels; the input scaling is folded into the first weights.
            causal_rows(state, "first", scale=1.0 / (config.levels - 1)),
            tuple(
                BlockLayers(
                    one_by_one(state, f"blocks.{i}.reduce"),
                    causal_rows(state, f"blocks.{i}.masked"),
                    one_by_one(state, f"blocks.{i}.expand"),
                )
                for i in range(config.blocks)
            ),
            tuple(one_by_one(state, f"head.{i}") for i in range(config.head_layers)),
            one_by_one(state, "out"),
        )

    def tensors(self) -> dict[str, Dense]:
        """Its weights by the names the page's engine reads (`pixelcnn.export`, demo/page/engine.js)."""
        tensors = {"first": self.first}
        for i, block in enumerate(self.blocks):
            for name in ("reduce", "masked", "expand"):
                tensors[f"blocks.{i}.{name}"] = getattr(block, name)
        for i, layer in enumerate(self.head):
            tensors[f"head.{i}"] = layer
        tensors["out"] = self.out
        return tensors

    def stepper(self, levels: np.ndarray, start: int, label=None) -> "IncrementalStepper":
        if label is not None:
            raise ValueError("this PixelCNN has no garment classes: pass label=None (or use the gated model)")
        return IncrementalStepper(self, levels, start)


def windows(padded: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Every position's window: padded (B, H + rows - 1, W + cols - 1, C) -> (B, H, W, rows * cols * C),
    taps in (row, column) order, channels fastest (the order of `dense`)."""
    view = np.lib.stride_tricks.sliding_window_view(padded, (rows, cols), axis=(1, 2))  # (B, H, W, C, rows, cols)
    batch, height, width = view.shape[:3]
    return view.transpose(0, 1, 2, 4, 5, 3).reshape(batch, height, width, -1)


class IncrementalStepper:
    """Logits for one pixel at a time, for positions start, start + 1, ... in raster order."""

    def __init__(self, weights: PlainWeights, levels: np.ndarray, start: int):
        """levels: integer (B, H, W); pixels before position `start` are known and final."""
        config = weights.config
        self.weights, self.start, self.width = weights, start, config.image_size
        self.leaks = config.first_mask == "B"  # the first layer sees the pixel itself (the `leaky` model)
        self.r1, self.rb = config.first_kernel // 2, config.block_kernel // 2
        r1, rb = self.r1, self.rb
        # The caches: the inputs of the spatial convolutions, zero-padded above, left and right (never below:
        # a window stops at the centre row).
        self.image = np.pad(levels.astype(np.float32), ((0, 0), (r1, 0), (r1, r1)))  # (B, H + r1, W + 2 r1)
        batch, height, width = levels.shape
        half = config.filters // 2
        self.caches = [np.zeros((batch, height + rb, width + 2 * rb, half), np.float32) for _ in weights.blocks]
        if start > 0:  # with nothing known every cached value is computed by the steps themselves
            self.prefill()

    def prefill(self) -> None:
        """Every cache at every position in one batched pass over the whole image (a forward pass in NumPy):
        the values before `start` are final; those after are rewritten by the steps before they are read."""
        r1, rb, w = self.r1, self.rb, self.weights
        h = relu(w.first(windows(self.image[..., None], r1 + 1, 2 * r1 + 1)))  # (B, H, W, F)
        height, width = h.shape[1:3]
        for block, cache in zip(w.blocks, self.caches):
            cache[:, rb:, rb : rb + width] = relu(block.reduce(h))  # (B, H, W, F/2)
            h = h + relu(block.expand(relu(block.masked(windows(cache, rb + 1, 2 * rb + 1)))))

    def logits(self, levels: np.ndarray, row: int, col: int) -> np.ndarray:
        """Logits (B, L) at (row, col); `levels` (B, H, W) holds every pixel before it."""
        previous = row * self.width + col - 1
        if previous >= self.start:  # the pixel drawn at the last step enters the image cache
            prow, pcol = divmod(previous, self.width)
            self.image[:, prow + self.r1, pcol + self.r1] = levels[:, prow, pcol]
            if self.leaks:  # its activations saw it as 0 while it was drawn: now they see its level
                self.features(prow, pcol)
        self.image[:, row + self.r1, col + self.r1] = 0  # the pixel itself, not drawn yet (mask A never reads it)
        return self.weights.out(self.features(row, col))  # (B, L)

    def features(self, row: int, col: int) -> np.ndarray:
        """The features (B, F) under the output layer at (row, col), from the image cache; each block's reduced
        features there enter its cache."""
        batch, r1, rb, w = self.image.shape[0], self.r1, self.rb, self.weights
        window = self.image[:, row : row + r1 + 1, col : col + 2 * r1 + 1]  # (B, r1 + 1, k1)
        h = relu(w.first(window.reshape(batch, -1)))  # (B, F)
        for block, cache in zip(w.blocks, self.caches):
            cache[:, row + rb, col + rb] = relu(block.reduce(h))  # (B, F/2)
            window = cache[:, row : row + rb + 1, col : col + 2 * rb + 1]  # (B, rb + 1, kb, F/2)
            h = h + relu(block.expand(relu(block.masked(window.reshape(batch, -1)))))  # (B, F)
        for layer in w.head:
            h = relu(layer(h))
        return h
