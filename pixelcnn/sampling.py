"""Completing images pixel by pixel in raster order, the way PixelCNN generates.

Randomness: image b of a batch draws one uniform number per pixel from its own
torch.Generator, seeded with seeds[b] (an int seed s means seeds s, s+1, s+2, ...).
So an image depends only on its own seed, inputs and temperature: never on the global
RNG, on the rest of its batch, or on other requests running at the same time. The level
is then read off the inverse CDF of softmax(logits / T); T = 0 means the argmax.

Two ways to get the logits of the next pixel give the same images:
- "naive": the whole network on the whole image at every pixel (the reference);
- "fast": the model's own incremental stepper (`model.stepper(...)`, about one forward pass
  per image; see `pixelcnn.incremental` and `pixelcnn.gated_incremental`), the default.

`label` picks a garment class for a model that has classes (`model.config.classes > 0`):
None for any garment, an int for all images, or one per image (None or -1: any).
The loop itself runs in NumPy on the CPU (see `pixelcnn.numpy_layers` for why); the model
may live on any device. `stream`, `complete` and `trace` are one loop (`PixelLoop`, whose
arguments they all take) read three ways.
"""

import functools
import inspect
import secrets
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import torch

from pixelcnn.gated import Label
from pixelcnn.protocol import Model

Numbers = float | Sequence[float] | torch.Tensor
T = TypeVar("T")


@dataclass
class Step:
    levels: torch.Tensor  # (B, 1, H, W) the images so far, the pixel at (row, col) included
    row: int  # the pixel just drawn
    col: int
    probs: torch.Tensor  # (B, L) the distribution it was drawn from (one-hot where T = 0)


class NaiveStepper:
    """Logits of one pixel from a full forward pass over the whole image (the reference)."""

    def __init__(self, model: Model, levels: np.ndarray, start: int, label: Label = None):
        self.model, self.label = model, label
        self.device = next(model.parameters()).device

    @torch.no_grad()
    def logits(self, levels: np.ndarray, row: int, col: int) -> np.ndarray:
        x = torch.from_numpy(levels).to(self.device)[:, None]  # (B, 1, H, W)
        return self.model(x, self.label)[:, :, row, col].float().cpu().numpy()  # (B, L)


def fast_stepper(model: Model, levels: np.ndarray, start: int, label: Label = None):
    return model.stepper(levels, start, label)


STEPPERS = {"fast": fast_stepper, "naive": NaiveStepper}


def random_seed() -> int:
    """A fresh seed from the OS, for callers who give none (never the global RNG)."""
    return secrets.randbelow(2**31)


def per_image(value, batch: int, dtype) -> np.ndarray:
    """A scalar or one value per image -> a (batch,) array."""
    array = np.asarray(value.cpu() if isinstance(value, torch.Tensor) else value, dtype=dtype).reshape(-1)
    return np.repeat(array, batch) if array.size == 1 else array


def seeds_for(seed: int | Sequence[int] | None, batch: int) -> list[int]:
    """None -> a fresh seed; an int s -> s, s+1, ...; a sequence -> itself (one per image)."""
    if seed is None:
        seed = random_seed()
    if isinstance(seed, int | np.integer):
        return [int(seed) + b for b in range(batch)]
    return [int(s) for s in seed]


def uniforms(seeds: list[int], pixels: int) -> np.ndarray:
    """(B, pixels) uniform numbers in [0, 1), row b from a torch.Generator seeded with seeds[b]."""
    return torch.stack([torch.rand(pixels, generator=torch.Generator().manual_seed(s)) for s in seeds]).numpy()


def draw(logits: np.ndarray, temperature: np.ndarray, uniform: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Logits (B, L), temperature (B,), uniform (B,) -> levels (B,) and the probabilities used (B, L)."""
    greedy = temperature <= 0
    z = logits.astype(np.float64) / np.maximum(temperature, 1e-6)[:, None]
    probs = np.exp(z - z.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    sampled = (uniform[:, None] >= probs.cumsum(1)[:, :-1]).sum(1)  # inverse CDF
    if not greedy.any():
        return sampled, probs
    argmax = logits.argmax(1)
    probs[greedy] = np.eye(logits.shape[1])[argmax[greedy]]
    return np.where(greedy, argmax, sampled), probs


def first_free(known_rows, known_pixels, batch: int, height: int, width: int) -> np.ndarray:
    """(B,) raster position of each image's first pixel to draw: known_pixels if given, else known_rows * width."""
    if known_pixels is not None:
        return np.clip(per_image(known_pixels, batch, np.int64), 0, height * width)
    return np.clip(per_image(known_rows, batch, np.int64), 0, height) * width


class PixelLoop:
    """The loop under every sampler: iterating yields (row, col, images (B, H, W), probs (B, L), logits (B, L))
    after each pixel drawn. The arrays are live: copy what you keep.

    Its arguments are the samplers' (`stream`, `complete`, `trace`), written here once:
    levels: integer images (B, 1, H, W); rows < known_rows (one count for all, or one per image) are kept
    as given, and the pixels after them drawn in raster order; known_pixels, when given, keeps the first
    known_pixels pixels instead ("resample from here" keeps every pixel before the one chosen).
    temperature: one for all or one per image, 0 = argmax; seed: see the module docstring; label: see
    `pixelcnn.gated.Label`; method: "fast" (the model's stepper) or "naive" (the reference).
    """

    def __init__(
        self,
        model: Model,
        levels: torch.Tensor,
        known_rows: int | Sequence[int] | torch.Tensor,
        temperature: Numbers = 1.0,
        seed: int | Sequence[int] | None = None,
        label: Label = None,
        method: str = "fast",
        known_pixels: int | Sequence[int] | None = None,
    ):
        self.model, self.levels, self.label, self.method = model, levels, label, method
        batch, _, height, width = levels.shape
        self.known = first_free(known_rows, known_pixels, batch, height, width)  # (B,) first pixel to draw
        self.temperatures = per_image(temperature, batch, np.float64)  # (B,)
        self.noise = uniforms(seeds_for(seed, batch), height * width)  # (B, H*W)

    def __iter__(self) -> Iterator[tuple[int, int, np.ndarray, np.ndarray, np.ndarray]]:
        _, _, height, width = self.levels.shape
        images = self.levels[:, 0].to("cpu", torch.long).numpy().copy()  # (B, H, W)
        start, all_known = int(self.known.min()), int(self.known.max())
        stepper = STEPPERS[self.method](self.model, images, start, self.label)
        for position in range(start, height * width):
            row, col = divmod(position, width)
            logits = stepper.logits(images, row, col)
            value, probs = draw(logits, self.temperatures, self.noise[:, position])
            if position < all_known:  # some images of the batch still have this pixel given
                value = np.where(position < self.known, images[:, row, col], value)
            images[:, row, col] = value
            yield row, col, images, probs, logits


def sampler(answer: Callable[[PixelLoop], T]) -> Callable[..., T]:
    """`answer(loop)` made a function of PixelLoop's arguments: the samplers share one signature, PixelLoop's."""

    @functools.wraps(answer)
    def sample(*args, **kwargs) -> T:
        return answer(PixelLoop(*args, **kwargs))

    returns = inspect.signature(answer).return_annotation
    sample.__signature__ = inspect.signature(PixelLoop).replace(return_annotation=returns)
    return sample


@sampler
def stream(loop: PixelLoop) -> Iterator[Step]:
    """Complete the images pixel by pixel, yielding after every pixel drawn (nothing when all are known)."""
    for row, col, images, probs, _ in loop:
        yield Step(torch.from_numpy(images[:, None].copy()).to(loop.levels), row, col, torch.from_numpy(probs).float())


@sampler
def complete(loop: PixelLoop) -> torch.Tensor:
    """The images with the pixels after the known ones drawn by the model; same dtype."""
    last = deque(loop, maxlen=1)
    return torch.from_numpy(last[0][2][:, None].copy()).to(loop.levels) if last else loop.levels.clone()


@dataclass
class Trace:
    """How one image was completed: every pixel drawn, in raster order, and what it was drawn from."""

    levels: np.ndarray  # (H, W) the final image
    positions: np.ndarray  # (N, 2) row, col of each pixel drawn (N = pixels after the kept rows)
    drawn: np.ndarray  # (N,) the level drawn there
    probs: np.ndarray  # (N, L) the distribution at the chosen temperature (one-hot where T = 0)
    probs_t1: np.ndarray  # (N, L) the model's own distribution, at T = 1


@sampler
def trace(loop: PixelLoop) -> list[Trace]:
    """Complete the images like `complete`, keeping every step: one Trace per image.

    An image with more pixels known than another has fewer steps: its known pixels are not in it."""
    batch, _, _, width = loop.levels.shape
    final = loop.levels[:, 0].to("cpu", torch.long).numpy().copy()  # (B, H, W)
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
        mine = positions[:, 0] * width + positions[:, 1] >= loop.known[b]  # (N,) the steps of image b
        traces.append(Trace(final[b].copy(), positions[mine], drawn[mine, b], probs[mine, b], probs_t1[mine, b]))
    return traces


def softmax(logits: np.ndarray) -> np.ndarray:
    """Probabilities over the last axis."""
    z = np.exp(logits - logits.max(-1, keepdims=True))
    return z / z.sum(-1, keepdims=True)
