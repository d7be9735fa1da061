"""The one quantization rule: a grey picture -> size x size levels, as the training data was made. NumPy only.

FashionMNIST's 28x28 greys in [0, 1] are shrunk to 16x16 by antialiased bilinear interpolation (the filter
of Pillow's and torch's `interpolate(..., antialias=True)`: a triangle stretched over the shrink factor),
then level = floor(levels * x), at most levels - 1. The training data, an uploaded picture on the server, and
the page's twin (demo/page/rule.js) all go through this function, written so that both languages give the
same levels bit for bit: float64 throughout, one pass along the rows then one along the columns (the columns
first for a picture taller than wide, so that the pass in between is small: 16 values for each line of the
shorter side), and every sum taken tap by tap in increasing order (no BLAS, whose order of sums varies).

Torch computes the same filter in float32: on all 70,000 FashionMNIST images the two differ at a handful of
pixels, each one at a level boundary (tests/test_rule.py counts them).
"""

import functools

import numpy as np

KEPT_UP_TO = 4096  # samples: the longest side whose filter is kept (16 x 514 taps, 66 KB; 64 sizes at most)


def filter_taps(source: int, target: int) -> tuple[np.ndarray, np.ndarray]:
    """The antialiased bilinear filter from `source` samples to `target`: for each output, the first input it
    reads (target,) and its normalised weights (target, taps), zero past each output's own taps.

    Read-only. A short one is kept for the next picture of its size (computing it took a third of the time of
    reading a 28x28 picture); a long one (a picture 580,000 pixels tall: 9 MB) is freed after use."""
    return _kept_taps(source, target) if source <= KEPT_UP_TO else _taps(source, target)


def _taps(source: int, target: int) -> tuple[np.ndarray, np.ndarray]:
    scale = source / target
    support = scale if scale >= 1.0 else 1.0  # the triangle's half-width, in input samples
    stretch = 1.0 / scale if scale >= 1.0 else 1.0
    starts = np.zeros(target, np.int64)
    table = np.zeros((target, min(int(2 * support) + 2, source)), np.float64)  # every output's taps fit
    for i in range(target):
        centre = scale * (i + 0.5)
        first = max(int(centre - support + 0.5), 0)  # int() truncates toward zero, as C++'s cast
        last = min(int(centre + support + 0.5), source)
        weights = np.maximum(0.0, 1.0 - np.abs((np.arange(last - first) + first - centre + 0.5) * stretch))
        total = np.cumsum(weights)[-1] if len(weights) else 0.0  # summed in order (np.sum pairs them up)
        starts[i] = first
        table[i, : len(weights)] = weights / total if total != 0 else weights
    starts.flags.writeable = table.flags.writeable = False
    return starts, table


_kept_taps = functools.lru_cache(maxsize=64)(_taps)


def shrink(x: np.ndarray, axis: int, target: int) -> np.ndarray:
    """x (..., n, ...) float64 -> (..., target, ...) along `axis`, sums tap by tap in order."""
    x = np.moveaxis(x, axis, -1)
    starts, table = filter_taps(x.shape[-1], target)
    out = np.zeros(x.shape[:-1] + (target,), np.float64)
    for tap in range(table.shape[1]):
        index = np.minimum(starts + tap, x.shape[-1] - 1)  # past an output's taps the weight is 0
        out += table[:, tap] * x[..., index]
    return np.moveaxis(out, -1, axis)


BLOCK = 256  # pictures shrunk at a time: their floats stay in the processor's cache (7x faster on 60,000, measured)


def to_levels(greys: np.ndarray, white: float = 255, size: int = 16, levels: int = 4) -> np.ndarray:
    """Greys (..., h, w) from 0 (black) to `white` (255 for 8-bit pictures) -> levels (..., size, size), uint8."""
    greys = np.asarray(greys)
    if greys.ndim > 2 and greys.size > BLOCK * greys.shape[-2] * greys.shape[-1]:  # many pictures: a block at a time
        flat = greys.reshape(-1, *greys.shape[-2:])
        blocks = [_levels(flat[i : i + BLOCK], white, size, levels) for i in range(0, len(flat), BLOCK)]
        return np.concatenate(blocks).reshape(*greys.shape[:-2], size, size)
    return _levels(greys, white, size, levels)


def _levels(greys: np.ndarray, white: float, size: int, levels: int) -> np.ndarray:
    x = np.array(greys, np.float64)  # a copy, scaled in place: one float array at a time
    x /= white  # in [0, 1]
    if x.shape[-2] > x.shape[-1]:  # taller than wide: along each column first
        return quantize(shrink(shrink(x, -2, size), -1, size), levels)
    return quantize(shrink(shrink(x, -1, size), -2, size), levels)  # along each row, then along each column


def quantize(small: np.ndarray, levels: int) -> np.ndarray:
    """Greys in [0, 1] -> level = floor(levels * x), at most levels - 1, uint8."""
    return np.clip(np.floor(small * levels), 0, levels - 1).astype(np.uint8)
