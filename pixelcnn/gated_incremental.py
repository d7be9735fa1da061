"""Incremental sampling for the gated PixelCNN: the vertical stack once per row, the horizontal
stack once per pixel (the caching of Fast PixelCNN++, Ramachandran et al., 2017).

Why it is exact: the vertical stack's row i only holds input rows < i, so once row i - 1 is drawn,
row i of every vertical layer is final: it is computed in one PyTorch pass over the rows drawn so
far (cropped at row i, since the vertical convolutions never look down). Along row i, the horizontal
stack at column j only reads columns <= j of the layer below, plus the vertical stack's row i; so
each pixel computes, layer by layer, the horizontal activations at (i, j) alone, from a cache of the
row's earlier columns. As in `pixelcnn.incremental`, the per-pixel work runs in NumPy on the CPU.
"""

import numpy as np
import torch

from pixelcnn.gated import GatedPixelCNN, Label, gate, label_index


def _numpy(tensor: torch.Tensor) -> np.ndarray:
    return np.ascontiguousarray(tensor.detach().float().cpu().numpy())


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # the logistic function, without overflow


class GatedStepper:
    """Logits for one pixel at a time, in raster order, for a GatedPixelCNN."""

    @torch.no_grad()
    def __init__(self, model: GatedPixelCNN, levels: np.ndarray, start: int, label: Label = None):
        """levels: integer (B, H, W); pixels before position `start` are known and final."""
        self.model, config = model, model.config
        self.device = next(model.parameters()).device
        self.index = label_index(label, levels.shape[0], config.classes, self.device)  # (B,)
        self.width, self.scale = config.image_size, 1.0 / (config.levels - 1)
        self.layers = []  # per layer: (padding on the left, horizontal (bias, weight), out (bias, weight))
        for layer in model.layers:
            w = layer.horizontal.masked_weight()  # (2C, C_in, 1, cols), taps ordered (col, channel) below
            horizontal = (_numpy(layer.horizontal.bias), _numpy(w[:, :, 0].permute(2, 1, 0).reshape(-1, w.shape[0])))
            out = (_numpy(layer.out.bias), _numpy(layer.out.weight[:, :, 0, 0].t()))
            self.layers.append((w.shape[-1] - 1, horizontal, out))
        self.hidden = (_numpy(model.hidden.bias), _numpy(model.hidden.weight[:, :, 0, 0].t()))
        self.logit = (_numpy(model.logits.bias), _numpy(model.logits.weight[:, :, 0, 0].t()))
        self.row, self.done = -1, 0  # the row being drawn, and how many of its columns are computed

    @torch.no_grad()
    def _start_row(self, levels: np.ndarray, row: int) -> None:
        """Row `row` of every vertical layer, as its contribution to the horizontal stack (B, W, 2C)."""
        x = torch.from_numpy(levels[:, None, : row + 1]).to(self.device).float() * self.scale  # rows <= row
        self.from_above, v = [], x
        for layer in self.model.layers:
            class_v, class_h = layer.class_bias(self.index)[:, :, None, None].chunk(2, dim=1)
            v_pre = layer.vertical(v) + class_v  # (B, 2C, row + 1, W)
            self.from_above.append(_numpy((layer.to_horizontal(v_pre) + class_h)[:, :, row].transpose(1, 2)))
            v = gate(v_pre)
        batch = levels.shape[0]
        self.caches = [np.zeros((batch, self.width + pad, len(h[1]) // (pad + 1)), np.float32)
                       for pad, h, _ in self.layers]  # fmt: skip  # (B, pad + W, C_in): inputs of each layer
        self.row, self.done = row, 0

    def _column(self, levels: np.ndarray, col: int) -> np.ndarray:
        """The horizontal stack at (self.row, col), every layer; returns the top features (B, C)."""
        batch = levels.shape[0]
        first_pad = self.layers[0][0]  # the image itself is the first layer's input; pixel col is not drawn yet
        self.caches[0][:, first_pad : first_pad + col, 0] = levels[:, self.row, :col] * self.scale
        h = None
        for (pad, (bias, weight), (out_bias, out_weight)), cache, above in zip(
            self.layers, self.caches, self.from_above
        ):
            if h is not None:
                cache[:, pad + col] = h
            window = cache[:, col : col + pad + 1].reshape(batch, -1)  # (B, (pad + 1) * C_in)
            pre = window @ weight + bias + above[:, col]  # (B, 2C)
            half = pre.shape[1] // 2
            out = (np.tanh(pre[:, :half]) * _sigmoid(pre[:, half:])) @ out_weight + out_bias  # (B, C)
            h = out if h is None else h + out
        return h

    def logits(self, levels: np.ndarray, row: int, col: int) -> np.ndarray:
        """Logits (B, L) at (row, col); `levels` (B, H, W) holds every pixel before it."""
        if row != self.row:
            self._start_row(levels, row)
        for c in range(self.done, col + 1):  # columns not computed yet (all of them after a jump)
            h = self._column(levels, c)
        self.done = col + 1
        hidden = np.maximum(np.maximum(h, 0) @ self.hidden[1] + self.hidden[0], 0)
        return hidden @ self.logit[1] + self.logit[0]  # (B, L)
