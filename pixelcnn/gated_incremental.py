"""The gated PixelCNN for serving: its stepper, its wiring and its weights' shapes, in NumPy only.

Incremental sampling: the vertical stack once per row, the horizontal stack once per pixel (the caching
of Fast PixelCNN++, Ramachandran et al., 2017).

Why it is exact: the vertical stack's row i only holds input rows < i, so once row i - 1 is drawn,
row i of every vertical layer is final: it is computed, layer by layer, for the whole row at once,
from each layer's cached input rows i - k//2 .. i (the vertical convolutions never look down). Along
row i, the horizontal stack at column j only reads columns <= j of the layer below, plus the vertical
stack's row i; so each pixel computes, layer by layer, the horizontal activations at (i, j) alone,
from a cache of the row's earlier columns. As in `pixelcnn.incremental`, it all runs in NumPy on the
CPU (`pixelcnn.numpy_layers`; at batch 1 the row pass in PyTorch took 62 ms an image, in NumPy 34 ms,
measured), from a state_dict of NumPy arrays (`pixelcnn.gated.GatedPixelCNN`'s names).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pixelcnn.configs import GatedPixelCNNConfig
from pixelcnn.field import Connection, Wiring
from pixelcnn.masks import horizontal_mask, vertical_mask
from pixelcnn.numpy_layers import Dense, dense, gate, relu

Label = int | Sequence[int | None] | np.ndarray | None  # None: any garment; -1 or None in a sequence: any


def label_index(label: Label, batch: int, classes: int) -> np.ndarray:
    """None / an int / one label per image (None or -1 for "any") -> class indices (B,), `classes` = any."""
    if label is None:
        return np.full(batch, classes, np.int64)
    if isinstance(label, int | np.integer):
        index = np.full(batch, int(label), np.int64)
    else:
        values = np.asarray(label, dtype=object).reshape(-1)
        index = np.array([-1 if v is None else int(v) for v in values], np.int64)
    if index.size == 1 and batch != 1:
        index = np.repeat(index, batch)
    if index.size != batch:
        raise ValueError(f"got {index.size} labels for {batch} images")
    if ((index < -1) | (index >= classes)).any():
        raise ValueError(f"a label must be None, -1 (any garment) or 0..{classes - 1}, got {index.tolist()}")
    return np.where(index < 0, classes, index)


def _kernels(config: GatedPixelCNNConfig) -> list[tuple[int, int, bool]]:
    """(kernel, input channels, first) of each gated layer."""
    return [(config.first_kernel, 1, True)] + [(config.kernel, config.channels, False)] * config.layers


def shapes(config: GatedPixelCNNConfig) -> dict[str, tuple[int, ...]]:
    """name -> shape of every tensor of the model's state_dict (`pixelcnn.gated.GatedPixelCNN`)."""
    c, found = config.channels, {}
    for i, (k, c_in, _) in enumerate(_kernels(config)):
        rows = k // 2 + 1
        found |= {
            f"layers.{i}.vertical.weight": (2 * c, c_in, rows, k), f"layers.{i}.vertical.bias": (2 * c,),
            f"layers.{i}.vertical.mask": (rows, k),
            f"layers.{i}.horizontal.weight": (2 * c, c_in, 1, rows), f"layers.{i}.horizontal.bias": (2 * c,),
            f"layers.{i}.horizontal.mask": (1, rows),
            f"layers.{i}.to_horizontal.weight": (2 * c, 2 * c, 1, 1), f"layers.{i}.to_horizontal.bias": (2 * c,),
            f"layers.{i}.out.weight": (c, c, 1, 1), f"layers.{i}.out.bias": (c,),
            f"layers.{i}.class_bias.weight": (config.classes + 1, 4 * c),
        }  # fmt: skip
    return found | {
        "hidden.weight": (c, c, 1, 1), "hidden.bias": (c,),
        "logits.weight": (config.levels, c, 1, 1), "logits.bias": (config.levels,),
    }  # fmt: skip


def masks(config: GatedPixelCNNConfig) -> dict[str, np.ndarray]:
    """Each stack's mask, by the state_dict name of its buffer."""
    found = {}
    for i, (k, _, first) in enumerate(_kernels(config)):
        found[f"layers.{i}.vertical.mask"] = vertical_mask(k, first)
        found[f"layers.{i}.horizontal.mask"] = horizontal_mask(k, first)
    return found


def wiring(config: GatedPixelCNNConfig) -> Wiring:
    """The layers as `pixelcnn.field` reads them: the vertical stack, and the horizontal one (which the logits
    read) that also reads the vertical convolution through `to_horizontal`; the residual of the horizontal
    stack carries nothing that the centre tap of a later horizontal mask does not. A mask's anchor, the
    kernel cell over the output pixel, is its bottom row and (vertical) middle or (horizontal) last column."""
    layers = []
    for k, _, first in _kernels(config):
        kind = "A" if first else "B"
        v = (vertical_mask(k, first), (k // 2, k // 2))
        h = (horizontal_mask(k, first), (0, k // 2))
        layers.append((
            Connection("vertical", "vertical", "vertical", f"vertical_{kind}", *v),
            Connection("horizontal", "horizontal", "horizontal", f"horizontal_{kind}", *h),
            Connection("vertical", "horizontal", "vertical", f"vertical_{kind}", *v),
        ))  # fmt: skip
    return Wiring(tuple(layers), "horizontal")


@dataclass(frozen=True)
class GatedLayerWeights:
    """One gated layer (`pixelcnn.gated.GatedLayer`)."""

    kernel: int  # k: the vertical kernel is k//2 + 1 rows by k columns, the horizontal one k//2 + 1 columns
    channels_in: int  # C_in, of both stacks' inputs (1 for the first layer: the image)
    vertical: Dense  # (k//2 + 1) x k window of the layer's vertical input -> 2C
    to_horizontal: Dense  # 1x1, 2C -> 2C: what the vertical stack brings to the horizontal one
    horizontal: Dense  # 1 x (k//2 + 1) window of the layer's horizontal input -> 2C
    out: Dense  # 1x1 after the gate, C -> C
    class_bias: np.ndarray  # (classes + 1, 4C) per class: its bias of the vertical stack (2C), then the horizontal

    @property
    def pad(self) -> int:
        """k//2: the zero padding of the layer's input caches, above and on each side."""
        return self.kernel // 2

    def class_rows(self, index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each image's class bias, index (B,) -> vertical (B, 2C), horizontal (B, 2C)."""
        rows = self.class_bias[index]
        half = rows.shape[1] // 2
        return rows[:, :half], rows[:, half:]


def layer_weights(state: dict, name: str) -> GatedLayerWeights:
    def conv(part: str) -> Dense:
        return dense(state[f"{name}.{part}.weight"], state[f"{name}.{part}.bias"], state.get(f"{name}.{part}.mask"))

    vertical = state[f"{name}.vertical.weight"]
    return GatedLayerWeights(
        kernel=vertical.shape[3],
        channels_in=vertical.shape[1],
        vertical=conv("vertical"),
        to_horizontal=conv("to_horizontal"),
        horizontal=conv("horizontal"),
        out=conv("out"),
        class_bias=np.ascontiguousarray(state[f"{name}.class_bias.weight"], np.float32),
    )


@dataclass(frozen=True)
class GatedWeights:
    """The gated model's layers as a step reads them (`dense` matrices, masks applied)."""

    config: GatedPixelCNNConfig
    layers: tuple[GatedLayerWeights, ...]
    hidden: Dense  # 1x1, C -> C
    logit: Dense  # 1x1, C -> L

    @classmethod
    def from_state(cls, config: GatedPixelCNNConfig, state: dict[str, np.ndarray]) -> "GatedWeights":
        """From a state_dict of NumPy arrays (its shapes already checked against `shapes(config)`)."""
        layers = tuple(layer_weights(state, f"layers.{i}") for i in range(config.layers + 1))
        return cls(config, layers, dense(state["hidden.weight"], state["hidden.bias"]),
                   dense(state["logits.weight"], state["logits.bias"]))  # fmt: skip

    def tensors(self) -> dict[str, Dense | np.ndarray]:
        """Its weights by the names the page's engine reads (`pixelcnn.export`, demo/page/engine.js)."""
        tensors = {"hidden": self.hidden, "logits": self.logit}
        for i, layer in enumerate(self.layers):
            for name in ("vertical", "to_horizontal", "horizontal", "out", "class_bias"):
                tensors[f"layers.{i}.{name}"] = getattr(layer, name)
        return tensors

    def stepper(self, levels: np.ndarray, start: int, label: Label = None) -> "GatedStepper":
        return GatedStepper(self, levels, start, label)


class GatedStepper:
    """Logits for one pixel at a time, in raster order, for a GatedPixelCNN."""

    def __init__(self, weights: GatedWeights, levels: np.ndarray, start: int, label: Label = None):
        """levels: integer (B, H, W); pixels before position `start` are known and final (the vertical rows and
        the columns before a position are computed when it is first asked: no separate prefill)."""
        config, batch = weights.config, levels.shape[0]
        index = label_index(label, batch, config.classes)  # (B,)
        self.width, self.scale = config.image_size, 1.0 / (config.levels - 1)
        self.layers, self.hidden, self.logit = weights.layers, weights.hidden, weights.logit
        self.class_vertical, self.class_horizontal = zip(*(layer.class_rows(index) for layer in self.layers))
        # Each layer's vertical input rows so far, zero-padded: (B, k//2 + H, W + 2 (k//2), C_in)
        self.vertical_inputs = [
            np.zeros((batch, layer.pad + self.width, self.width + 2 * layer.pad, layer.channels_in), np.float32)
            for layer in self.layers
        ]
        self.row, self.done, self.rows_done = -1, 0, 0  # row being drawn, its columns computed, vertical rows done

    def vertical_row(self, row: int) -> list[np.ndarray]:
        """Row `row` of every vertical layer; returns each layer's contribution to the horizontal stack (B, W, 2C).

        Each layer's row reads rows row - k//2 .. row of its input (the first layer's bottom kernel row is
        masked): all computed before, so the rows are done once each, in order."""
        from_above, width = [], self.width
        layers = zip(self.layers, self.vertical_inputs, self.class_vertical, self.class_horizontal)
        for depth, (layer, inputs, class_vertical, class_horizontal) in enumerate(layers):
            batch, channels, k = inputs.shape[0], inputs.shape[3], layer.kernel
            rows = k // 2 + 1
            window = np.lib.stride_tricks.sliding_window_view(inputs[:, row : row + rows], k, axis=2)
            patches = window.transpose(0, 2, 1, 4, 3).reshape(batch * width, rows * k * channels)  # (B W, taps)
            v_pre = layer.vertical(patches).reshape(batch, width, -1) + class_vertical[:, None]  # (B, W, 2C)
            from_above.append(layer.to_horizontal(v_pre) + class_horizontal[:, None])
            if depth + 1 < len(self.layers):
                following, pad = self.vertical_inputs[depth + 1], self.layers[depth + 1].pad
                following[:, pad + row, pad : pad + width] = gate(v_pre)
        return from_above

    def start_row(self, levels: np.ndarray, row: int) -> None:
        """Rows < `row` of the image enter the first vertical layer; the vertical rows up to `row` are computed."""
        pad = self.layers[0].pad
        self.vertical_inputs[0][:, pad : pad + row, pad : pad + self.width, 0] = levels[:, :row] * self.scale
        for r in range(self.rows_done, row + 1):
            self.from_above = self.vertical_row(r)
        self.rows_done = row + 1
        # Each layer's horizontal inputs along this row, left-padded: (B, k//2 + W, C_in)
        batch = levels.shape[0]
        self.horizontal_inputs = [
            np.zeros((batch, layer.pad + self.width, layer.channels_in), np.float32) for layer in self.layers
        ]
        self.row, self.done = row, 0

    def column(self, levels: np.ndarray, col: int) -> np.ndarray:
        """The horizontal stack at (self.row, col), every layer; returns the top features (B, C)."""
        batch = levels.shape[0]
        pad = self.layers[0].pad  # the image is the first layer's input; pixel col is not drawn yet
        self.horizontal_inputs[0][:, pad : pad + col, 0] = levels[:, self.row, :col] * self.scale
        h = None
        for layer, inputs, above in zip(self.layers, self.horizontal_inputs, self.from_above):
            if h is not None:
                inputs[:, layer.pad + col] = h
            window = inputs[:, col : col + layer.pad + 1].reshape(batch, -1)  # (B, (k//2 + 1) * C_in)
            out = layer.out(gate(layer.horizontal(window) + above[:, col]))  # (B, C)
            h = out if h is None else h + out  # residual from the second layer on
        return h

    def logits(self, levels: np.ndarray, row: int, col: int) -> np.ndarray:
        """Logits (B, L) at (row, col); `levels` (B, H, W) holds every pixel before it."""
        if row != self.row:
            self.start_row(levels, row)
        for c in range(self.done, col + 1):  # columns not computed yet (all of them after a jump)
            h = self.column(levels, c)
        self.done = col + 1
        return self.logit(relu(self.hidden(relu(h))))  # (B, L)
