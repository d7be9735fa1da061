"""Drawing pixels in raster order, the way PixelCNN generates: the loop under every sampler, NumPy only.

Randomness: pixel p of image b takes the uniform number `pixelcnn.rng.uniforms` gives for
(seeds[b], p) (an int seed s means seeds s, s+1, s+2, ...), a pure function that the page's
JavaScript computes bit for bit alike. So an image depends only on its own seed, inputs and
temperature: never on a global RNG, on the rest of its batch, or on other requests running at
the same time; and the page and the server draw the same image. The level is the first whose
cumulative probability at temperature T exceeds the uniform (`draw`); T = 0 means the argmax.

What is kept: whole rows (`known_rows`), the first pixels in raster order (`known_pixels`, the page's
"resample from here"), or every pixel outside a `hole` (any set of cells, filled in raster order). In
every case a drawn pixel is conditioned on every pixel before it, kept or drawn, and never on one after:
the cells of a hole below and to the right of a hole cell are known, yet unused (that is what an
autoregressive model cannot do). A hole of every row from k on is known_rows = k, with the same draws.

`label` picks a garment class for a model that has classes (`model.config.classes > 0`):
None for any garment, an int for all images, or one per image (None or -1: any).

The model is anything with a `config` and a `stepper(levels, start, label)` (`pixelcnn.models.ServedModel`
for serving, the torch models for training); `pixelcnn.sampling` wraps this loop for torch tensors.
"""

import math
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from pixelcnn.rng import uniforms


def random_seed() -> int:
    """A fresh seed from the OS, for callers who give none (never the global RNG)."""
    return secrets.randbelow(2**31)


def per_image(value, batch: int, dtype) -> np.ndarray:
    """A scalar or one value per image -> a (batch,) array."""
    array = np.asarray(value, dtype=dtype).reshape(-1)
    return np.repeat(array, batch) if array.size == 1 else array


def seeds_for(seed: int | Sequence[int] | None, batch: int) -> list[int]:
    """None -> a fresh seed; an int s -> s, s+1, ...; a sequence -> itself (one per image)."""
    if seed is None:
        seed = random_seed()
    if isinstance(seed, int | np.integer):
        return [int(seed) + b for b in range(batch)]
    return [int(s) for s in seed]


def draw(logits: np.ndarray, temperature: np.ndarray, uniform: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Logits (B, L), temperature (B,), uniform (B,) -> levels (B,) and the probabilities used (B, L).

    The one drawing rule (`draw` in demo/page/engine.js is its twin): probabilities at T in float64, then the
    first level whose cumulative probability exceeds the uniform (the last level if rounding leaves none)."""
    greedy = temperature <= 0
    z = logits.astype(np.float64) / np.maximum(temperature, 1e-6)[:, None]
    probs = np.exp(z - z.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    sampled = (uniform[:, None] >= probs.cumsum(1)[:, :-1]).sum(1)  # levels whose cumulative is <= u
    if not greedy.any():
        return sampled, probs
    argmax = logits.argmax(1)
    probs[greedy] = np.eye(logits.shape[1])[argmax[greedy]]
    return np.where(greedy, argmax, sampled), probs


def kept_cells(known_rows, known_pixels, hole, batch: int, height: int, width: int) -> np.ndarray:
    """(B, H*W) bool: True where a pixel is given and kept, False where the model draws it.

    `hole` (H, W) or (B, H, W), true where to draw, wins over known_rows / known_pixels."""
    if hole is not None:
        hole = np.asarray(hole).astype(bool)
        return ~np.broadcast_to(hole.reshape(-1, height * width), (batch, height * width))
    if known_pixels is not None:
        free = np.clip(per_image(known_pixels, batch, np.int64), 0, height * width)  # (B,)
    else:
        free = np.clip(per_image(known_rows, batch, np.int64), 0, height) * width
    return np.arange(height * width)[None, :] < free[:, None]


class PixelLoop:
    """The loop under every sampler: iterating yields (row, col, images (B, H, W), probs (B, L), logits (B, L))
    at each position from the first pixel to draw on (kept pixels after it included: the stepper walks every
    position; `kept` says which were drawn). The arrays are live: copy what you keep.

    levels: integer images (B, 1, H, W). What is kept (see the module docstring): rows < known_rows (one
    count for all, or one per image); or, when given, the first known_pixels pixels in raster order; or,
    when given, every cell outside `hole` ((H, W) or (B, H, W), true where to draw).
    temperature: one for all or one per image, 0 = argmax; seed: see the module docstring; label: see
    `pixelcnn.gated_incremental.Label`; stepper: (levels (B, H, W), start, label) -> something with
    `logits(levels, row, col)`, by default the model's own incremental stepper.
    """

    def __init__(
        self,
        model,
        levels: np.ndarray,
        known_rows: int | Sequence[int] | np.ndarray,
        temperature: float | Sequence[float] | np.ndarray = 1.0,
        seed: int | Sequence[int] | None = None,
        label=None,
        known_pixels: int | Sequence[int] | None = None,
        hole: np.ndarray | None = None,
        stepper: Callable | None = None,
    ):
        self.model, self.label, self.stepper = model, label, stepper or model.stepper
        self.levels = np.asarray(levels).astype(np.int64)  # (B, 1, H, W)
        batch, _, height, width = self.levels.shape
        self.kept = kept_cells(known_rows, known_pixels, hole, batch, height, width)  # (B, H*W)
        self.temperatures = per_image(temperature, batch, np.float64)  # (B,)
        self.noise = uniforms(seeds_for(seed, batch), height * width)  # (B, H*W)

    def __iter__(self) -> Iterator[tuple[int, int, np.ndarray, np.ndarray, np.ndarray]]:
        width = self.levels.shape[3]
        images = self.levels[:, 0].copy()  # (B, H, W)
        drawn_anywhere = np.flatnonzero(~self.kept.all(0))
        if drawn_anywhere.size == 0:
            return
        start, last = int(drawn_anywhere[0]), int(drawn_anywhere[-1])
        stepper = self.stepper(images, start, self.label)
        for position in range(start, last + 1):
            row, col = divmod(position, width)
            logits = stepper.logits(images, row, col)
            value, probs = draw(logits, self.temperatures, self.noise[:, position])
            images[:, row, col] = np.where(self.kept[:, position], images[:, row, col], value)
            yield row, col, images, probs, logits


@dataclass
class Trace:
    """How one image was completed: every pixel drawn, in raster order, and what it was drawn from."""

    levels: np.ndarray  # (H, W) the final image
    positions: np.ndarray  # (N, 2) row, col of each pixel drawn (N = pixels after the kept rows)
    drawn: np.ndarray  # (N,) the level drawn there
    probs: np.ndarray  # (N, L) the distribution at the chosen temperature (one-hot where T = 0)
    probs_t1: np.ndarray  # (N, L) the model's own distribution, at T = 1

    def bits_per_drawn_pixel(self) -> float:
        """The model's mean surprise at the pixels it drew, -log2 p(level drawn) at T = 1 given the garment
        asked, over those pixels only (the kept ones are not scored); nan when none was drawn."""
        if len(self.drawn) == 0:
            return math.nan
        return float(-np.log2(self.probs_t1[np.arange(len(self.drawn)), self.drawn]).mean())


def trace(*args, **kwargs) -> list[Trace]:
    """Complete the images (PixelLoop's arguments), keeping every step: one Trace per image."""
    return traces(PixelLoop(*args, **kwargs))


def traces(loop: PixelLoop) -> list[Trace]:
    """Run the loop, keeping every step: one Trace per image.

    An image with more pixels kept than another has fewer steps: its kept pixels are not in it."""
    batch, _, _, width = loop.levels.shape
    final = loop.levels[:, 0].copy()  # (B, H, W)
    positions, drawn, probs, probs_t1 = [], [], [], []
    for row, col, images, p, logits in loop:
        positions.append((row, col))
        drawn.append(images[:, row, col].copy())  # (B,)
        probs.append(p.copy())  # (B, L)
        probs_t1.append(softmax(logits.astype(np.float64)))  # (B, L)
        final = images
    n, levels_count = len(positions), loop.model.config.levels
    positions = np.array(positions, dtype=np.int64).reshape(n, 2)
    drawn = np.array(drawn, dtype=np.int64).reshape(n, batch)
    probs, probs_t1 = (np.array(p, dtype=np.float64).reshape(n, batch, levels_count) for p in (probs, probs_t1))
    traces = []
    for b in range(batch):
        mine = ~loop.kept[b, positions[:, 0] * width + positions[:, 1]]  # (N,) the steps of image b
        traces.append(Trace(final[b].copy(), positions[mine], drawn[mine, b], probs[mine, b], probs_t1[mine, b]))
    return traces


def softmax(logits: np.ndarray) -> np.ndarray:
    """Probabilities over the last axis."""
    z = np.exp(logits - logits.max(-1, keepdims=True))
    return z / z.sum(-1, keepdims=True)
