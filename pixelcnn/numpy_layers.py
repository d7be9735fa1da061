"""The arithmetic of both incremental steppers, in NumPy: a convolution at one position is a matrix product.

A convolution's output at one position reads one window of its input; flattening that window
(taps in (row, column) order, channels fastest, like a channels-last slice of a cache) turns the
kernel into one matrix, so the output is `window @ weight + bias`. `pixelcnn.incremental` (plain
model) and `pixelcnn.gated_incremental` (gated model) are written with only these pieces, from the
weights as NumPy arrays (a state_dict read with `safetensors.numpy`): serving never needs torch.

Why NumPy on the CPU: at batch 1 a step is ~20 tiny matrix products, where eager PyTorch's per-call
overhead dominates (measured here: 24 us per residual block step in PyTorch, 10.5 us in NumPy).
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Dense:
    """A convolution read at one position: out = window (..., taps * C_in) @ weight + bias -> (..., C_out)."""

    weight: np.ndarray  # (taps * C_in, C_out), taps in (row, column) order, channels fastest
    bias: np.ndarray  # (C_out,)

    def __call__(self, window: np.ndarray) -> np.ndarray:
        out = window @ self.weight
        out += self.bias
        return out


def dense(weight: np.ndarray, bias: np.ndarray, mask: np.ndarray | None = None, scale: float = 1.0) -> Dense:
    """A kernel (C_out, C_in, kh, kw), its bias and its (kh, kw) mask as a Dense; `scale` folds in an input
    scaling (the scaled product is rounded to float32 once, as torch's masked weight times a scale is)."""
    weight = np.asarray(weight, np.float32)
    if mask is not None:
        weight = weight * np.asarray(mask, np.float32)
    matrix = weight.transpose(2, 3, 1, 0).reshape(-1, weight.shape[0]) * np.float32(scale)  # (kh kw C_in, C_out)
    return Dense(np.ascontiguousarray(matrix, np.float32), np.ascontiguousarray(bias, np.float32))


def relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # the logistic function, without overflow


def gate(x: np.ndarray) -> np.ndarray:
    """The gated unit: (..., 2C) -> tanh(first half) * sigmoid(second half), (..., C)."""
    half = x.shape[-1] // 2
    return np.tanh(x[..., :half]) * sigmoid(x[..., half:])
