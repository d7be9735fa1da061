"""Sampling for the training side: the loop of `pixelcnn.drawing` (NumPy) for torch tensors and models.

`stream`, `complete` and `trace` take PixelLoop's arguments (levels as a (B, 1, H, W) tensor, temperature,
seed, label, what is kept) and a `method`: "fast" (the model's incremental stepper, the default) or "naive"
(the whole network on the whole image at every pixel: the reference the steppers are tested against).
Both give the same images. `teacher_forced` draws with the same loop from one pass over the true images.
Serving uses `pixelcnn.drawing` directly, without torch.
"""

import functools
import inspect
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import torch

from pixelcnn import drawing
from pixelcnn.drawing import Trace
from pixelcnn.gated import Label
from pixelcnn.protocol import Model

__all__ = ["NaiveStepper", "Step", "Trace", "complete", "stream", "teacher_forced", "trace"]

Numbers = float | Sequence[float] | torch.Tensor
T = TypeVar("T")


@dataclass
class Step:
    levels: torch.Tensor  # (B, 1, H, W) the images so far, the pixel at (row, col) included
    row: int  # the pixel just drawn
    col: int
    probs: torch.Tensor  # (B, L) the distribution it was drawn from (one-hot where T = 0)


class NaiveStepper:
    """Logits of one pixel from a full forward pass over the whole image (the reference): the pixel and every
    one after it are 0, not drawn yet (a causal model never reads them; the `leaky` model reads the first)."""

    def __init__(self, model: Model, levels: np.ndarray, start: int, label: Label = None):
        self.model, self.label = model, label
        self.device = next(model.parameters()).device

    @torch.no_grad()
    def logits(self, levels: np.ndarray, row: int, col: int) -> np.ndarray:
        drawn = levels.reshape(len(levels), -1) * (np.arange(levels[0].size) < row * levels.shape[2] + col)
        x = torch.from_numpy(drawn.reshape(levels.shape)).to(self.device)[:, None]  # (B, 1, H, W)
        return self.model(x, self.label)[:, :, row, col].float().cpu().numpy()  # (B, L)


class TeacherStepper:
    """Logits of every pixel from one forward pass over the true images given at the start, whatever was drawn
    since (teacher forcing, as training shows the images)."""

    @torch.no_grad()
    def __init__(self, model: Model, levels: np.ndarray, start: int, label: Label = None):
        x = torch.from_numpy(levels).to(next(model.parameters()).device)[:, None]  # (B, 1, H, W)
        self.all = model(x, label).float().cpu().numpy()  # (B, L, H, W)

    def logits(self, levels: np.ndarray, row: int, col: int) -> np.ndarray:
        return self.all[:, :, row, col]  # (B, L)


def _numpy(value):
    return value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else value


def loop(
    model: Model,
    levels: torch.Tensor,
    known_rows: int | Sequence[int] | torch.Tensor,
    temperature: Numbers = 1.0,
    seed: int | Sequence[int] | None = None,
    label: Label = None,
    method: str = "fast",
    known_pixels: int | Sequence[int] | None = None,
    hole: np.ndarray | torch.Tensor | None = None,
) -> drawing.PixelLoop:
    """`pixelcnn.drawing.PixelLoop` over torch inputs; method "fast", "naive" (see the module docstring) or
    "teacher" (`teacher_forced`)."""
    steppers = {"fast": model.stepper, "naive": NaiveStepper, "teacher": TeacherStepper}
    stepper = steppers[method] if method == "fast" else functools.partial(steppers[method], model)
    return drawing.PixelLoop(
        model, _numpy(levels), _numpy(known_rows), _numpy(temperature), seed, _numpy(label), known_pixels,
        _numpy(hole), stepper,
    )  # fmt: skip


def sampler(answer: Callable[[drawing.PixelLoop, torch.Tensor], T]) -> Callable[..., T]:
    """`answer(loop, levels)` made a function of `loop`'s arguments: the samplers share one signature."""

    @functools.wraps(answer)
    def sample(model, levels, *args, **kwargs) -> T:
        return answer(loop(model, levels, *args, **kwargs), levels)

    returns = inspect.signature(answer).return_annotation
    sample.__signature__ = inspect.signature(loop).replace(return_annotation=returns)
    return sample


@sampler
def stream(pixels: drawing.PixelLoop, levels: torch.Tensor) -> Iterator[Step]:
    """Complete the images pixel by pixel, yielding after every position from the first pixel drawn on
    (nothing when every pixel is kept)."""
    for row, col, images, probs, _ in pixels:
        yield Step(torch.from_numpy(images[:, None].copy()).to(levels), row, col, torch.from_numpy(probs).float())


@sampler
def complete(pixels: drawing.PixelLoop, levels: torch.Tensor) -> torch.Tensor:
    """The images with every pixel not kept drawn by the model; same dtype."""
    last = deque(pixels, maxlen=1)
    return torch.from_numpy(last[0][2][:, None].copy()).to(levels) if last else levels.clone()


@sampler
def trace(pixels: drawing.PixelLoop, levels: torch.Tensor) -> list[Trace]:
    """Complete the images like `complete`, keeping every step: one Trace per image (`pixelcnn.drawing.Trace`)."""
    return drawing.traces(pixels)


def teacher_forced(
    model: Model, levels: torch.Tensor, known_rows, temperature: Numbers = 1.0, seed=None, label: Label = None
) -> torch.Tensor:
    """The rows from `known_rows` on of the true images `levels` (B, 1, H, W) drawn from what the model predicts
    when it reads the true images, as training shows them (teacher forcing; demo/page/engine.js's teacherForced): an
    honest model predicts each pixel from the true pixels before it, the `leaky` model reads the pixel itself too
    and gives the hidden rows back. Draws as `complete` (same loop, same seeds, same rule); same dtype."""
    return complete(model, levels, known_rows, temperature, seed, label, method="teacher")
