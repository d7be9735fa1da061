"""What the page's buttons do: plain functions over NumPy/PIL values, one parameter per UI input.

Every user mistake is caught here, once, and becomes an `InputError` whose message says what
to do; `demo.ui` shows it in the page. The model work is done by the `pixelcnn` package.
"""

import base64
import io
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image

import pixelcnn
from demo.canvas import GREYS, SIZE, InputError, to_canvas, to_levels
from pixelcnn.batching import BatchedSampler
from pixelcnn.data import CLASS_NAMES
from pixelcnn.figures import heat_picture, levels_picture, mask_picture, receptive_field_picture
from pixelcnn.sampling import random_seed

SAMPLES = Path(__file__).resolve().parent / "assets" / "test_samples.npz"
MAX_TEMPERATURE = 5.0
MAX_SEED = 2**31 - 1
MAX_DELAY_MS = 100
MAX_FPS = 30  # frames a second to one user at most: more is not seen
FRAME_BUDGET = 120  # frames a second for all users together: each frame costs the server ~4 ms
GALLERY_SIZE = 4


@dataclass
class Frame:
    """One update of the live view."""

    html: str  # the image so far, with the current pixel outlined, and the 4 probabilities
    status: str
    result: dict  # {"levels": 16x16 list, "row", "col", "done"} for API callers


# ---- validation: one function per input, each returning the clean value or raising InputError


def _number(value, low: float, high: float, whole: bool, rule: str) -> float:
    """`value` as a finite float in [low, high] (and whole if asked), or InputError("<rule>, not <value>.")."""
    try:
        number = math.nan if value is None or isinstance(value, bool) else float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not (math.isfinite(number) and low <= number <= high and (not whole or number == int(number))):
        raise InputError(f"{rule}, not {value!r}.")
    return number


def check_known_rows(known_rows) -> int:
    return int(_number(known_rows, 0, SIZE, True, f"Rows to keep must be a whole number from 0 to {SIZE}"))


def check_temperature(temperature) -> float:
    return _number(
        temperature, 0, MAX_TEMPERATURE, False, f"Temperature must be from 0 (greedy) to {MAX_TEMPERATURE:g}"
    )


def check_seed(seed) -> int:
    if seed is None:
        raise InputError("Give a seed (a whole number), or press the dice for a random one.")
    return int(_number(seed, 0, MAX_SEED, True, f"The seed must be a whole number from 0 to {MAX_SEED}"))


def check_pixel(value, what: str) -> int:
    return int(_number(value, 0, SIZE - 1, True, f"The {what} must be a whole number from 0 to {SIZE - 1}"))


def check_delay(delay_ms) -> float:
    return _number(delay_ms, 0, MAX_DELAY_MS, False, f"The delay must be 0 to {MAX_DELAY_MS} ms per pixel") / 1000


def start_levels(sketch, known_rows: int) -> np.ndarray:
    """The 16x16 levels the model starts from; rows >= known_rows are ignored by it."""
    levels = to_levels(sketch)
    if levels is None:
        if known_rows > 0:
            raise InputError("Nothing is drawn: draw the top rows, pick a test image, or keep 0 rows.")
        levels = np.zeros((SIZE, SIZE), np.int64)
    return levels


# ---- pictures


def png_data_uri(rgb: np.ndarray) -> str:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="PNG", optimize=False, compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def live_html(levels: np.ndarray, current: tuple[int, int] | None, probs: np.ndarray | None, pending_from: int) -> str:
    """The image so far (pixels not drawn yet in blue) beside bars of the current pixel's probabilities."""
    picture = levels_picture(levels, current=current, pending_from=pending_from, scale=16)
    bars = ""
    if probs is not None:
        names = ("black", "dark grey", "light grey", "white")
        bars = "".join(
            f'<div class="prob"><span class="swatch" style="background:rgb({g},{g},{g})"></span>'
            f'<span class="bar" style="width:{p * 100:.0f}%"></span><span class="value">{name}: {p:.2f}</span></div>'
            for name, g, p in zip(names, GREYS, probs)
        )
        bars = f'<div class="probs"><b>p(pixel {current[0]},{current[1]})</b>{bars}</div>'
    return f'<div class="live"><img class="pixels" src="{png_data_uri(picture)}" alt="generated image">{bars}</div>'


def result_of(levels: np.ndarray, pixel: tuple[int, int] | None, rows: int) -> dict:
    """The JSON an API caller gets with each frame; done once every row is known."""
    row, col = pixel if pixel else (None, None)
    done = rows == SIZE or pixel == (SIZE - 1, SIZE - 1)
    return {"levels": levels.tolist(), "row": row, "col": col, "done": done}


def step_frame(levels: np.ndarray, row: int, col: int, probs: np.ndarray, rows: int) -> Frame:
    """The frame shown after pixel (row, col) was drawn."""
    position = row * SIZE + col
    status = f"Pixel ({row}, {col}): {position + 1 - rows * SIZE} of {SIZE * (SIZE - rows)}"
    return Frame(live_html(levels, (row, col), probs, position + 1), status, result_of(levels, (row, col), rows))


def preview(sketch, known_rows) -> tuple[np.ndarray, str]:
    """The exact 16x16 grid the model will read: kept rows as drawn, the rest to be generated."""
    try:
        rows = check_known_rows(known_rows)
        levels = to_levels(sketch)
    except InputError as error:
        return levels_picture(np.zeros((SIZE, SIZE), np.int64), pending_from=0), str(error)
    if levels is None:
        levels = np.zeros((SIZE, SIZE), np.int64)
    note = f"The model keeps rows 0-{rows - 1} and generates the {SIZE - rows} rows below." if rows else ""
    return levels_picture(levels, pending_from=rows * SIZE, grid=True), note or "The model generates every row."


class DemoApp:
    """Holds the models (loaded once) and answers the page's events."""

    def __init__(self, models: dict[str, pixelcnn.PixelCNN], max_batch: int = 32):
        self.models = models
        self.streams = 0  # completions streaming now; they share FRAME_BUDGET
        self._lock = threading.Lock()
        self.samplers = {name: BatchedSampler(model, max_batch=max_batch) for name, model in models.items()}
        with np.load(SAMPLES, allow_pickle=False) as samples:
            self.samples, self.sample_labels = samples["images"], samples["labels"]

    def model(self, name: str | None) -> pixelcnn.PixelCNN:
        if name not in self.models:
            raise InputError(f"Unknown model {name!r}; choose one of {', '.join(self.models)}.")
        return self.models[name]

    # -- masks and receptive field

    def masks(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Pictures of mask A (first layer) and mask B (inside the blocks) at their real sizes."""
        config = self.model(name).config
        a = pixelcnn.causal_mask(config.first_kernel, "A").numpy()
        b = pixelcnn.causal_mask(config.block_kernel, "B").numpy()
        return mask_picture(a), mask_picture(b, scale=32 * config.first_kernel // config.block_kernel)

    def receptive_field(self, name: str, row, col) -> np.ndarray:
        r, c = check_pixel(row, "row"), check_pixel(col, "column")
        field = pixelcnn.receptive_field(self.model(name), r, c).numpy()
        return receptive_field_picture(field, r, c)

    # -- starting points

    def sample_image(self, index) -> tuple[np.ndarray, str]:
        """A shipped FashionMNIST test image, as a canvas to draw over."""
        last = len(self.samples) - 1
        i = int(_number(index, 0, last, True, f"Test images are numbered 0 to {last}"))
        label = CLASS_NAMES[int(self.sample_labels[i])]
        return to_canvas(self.samples[i]), f"Test image {i}: {label}."

    @staticmethod
    def blank_canvas() -> np.ndarray:
        return to_canvas(np.zeros((SIZE, SIZE), np.int64))

    # -- generation

    def complete(self, name: str, sketch, known_rows, temperature, seed, delay_ms) -> Iterator[Frame]:
        """Stream the completion, paced by delay_ms per pixel: a frame after each pixel (at most
        MAX_FPS a second, fewer when many users stream), the last pixel's frame, then a summary."""
        rows, temp, seed = check_known_rows(known_rows), check_temperature(temperature), check_seed(seed)
        delay, model = check_delay(delay_ms), self.model(name)
        levels = start_levels(sketch, rows)
        levels[rows:] = 0
        note = " The kept rows are all black: the model starts from an empty top." if rows and not levels.any() else ""
        yield Frame(live_html(levels, None, None, rows * SIZE), "Starting..." + note, result_of(levels, None, rows))
        started = last_frame = time.monotonic()
        with self._streaming():
            for step in self.samplers[name].stream(torch.from_numpy(levels)[None, None], rows, temp, seed):
                levels = step.levels[0, 0].numpy()
                done = (step.row, step.col) == (SIZE - 1, SIZE - 1)
                if done or time.monotonic() - last_frame >= max(1 / MAX_FPS, self.streams / FRAME_BUDGET):
                    last_frame = time.monotonic()
                    yield step_frame(levels, step.row, step.col, step.probs[0].numpy(), rows)
                if delay and not done:
                    time.sleep(delay)
        seconds = time.monotonic() - started
        bpd = pixelcnn.bits_per_dim(model, torch.from_numpy(levels)[None, None]).item()
        final = f"Done in {seconds:.1f} s (seed {seed}, T = {temp:g}); the whole image scores {bpd:.3f} bits/dim."
        yield Frame(live_html(levels, None, None, SIZE * SIZE), final, result_of(levels, None, SIZE))

    @contextmanager
    def _streaming(self):
        with self._lock:
            self.streams += 1
        try:
            yield
        finally:
            with self._lock:
                self.streams -= 1

    def gallery(self, name: str, sketch, known_rows, temperature, seed) -> list[tuple[np.ndarray, str]]:
        """GALLERY_SIZE completions side by side, with seeds seed, seed+1, ..."""
        rows, temp, seed = check_known_rows(known_rows), check_temperature(temperature), check_seed(seed)
        levels = start_levels(sketch, rows)
        x = torch.from_numpy(levels)[None, None].repeat(GALLERY_SIZE, 1, 1, 1)
        seeds = [(seed + i) % (MAX_SEED + 1) for i in range(GALLERY_SIZE)]
        images = pixelcnn.complete(self.model(name), x, rows, temp, seeds)
        return [(levels_picture(img[0].numpy(), scale=8), f"seed {s}") for img, s in zip(images, seeds)]

    def surprise(self, name: str, sketch, known_rows) -> tuple[np.ndarray, str]:
        """Bits/dim of the kept rows and a map of each kept pixel's surprise (-log2 p)."""
        rows = check_known_rows(known_rows)
        levels = start_levels(sketch, rows)
        if rows == 0:
            raise InputError("Keep at least one row: surprise is measured on the rows you drew.")
        bits = pixelcnn.bits_per_pixel(self.model(name), torch.from_numpy(levels)[None, None])[0].numpy()
        kept = bits[:rows]
        picture = heat_picture(np.where(np.arange(SIZE)[:, None] < rows, bits, 0), vmax=max(4.0, float(kept.max())))
        worst_row, worst_col = np.unravel_index(kept.argmax(), kept.shape)
        text = (
            f"Your {rows} rows score **{kept.mean():.3f} bits/dim** "
            f"(the model averages about 0.40 on real test images; 2.00 would be pure guessing). "
            f"Most surprising pixel: ({worst_row}, {worst_col}) at {kept.max():.2f} bits."
        )
        return picture, text

    @staticmethod
    def new_seed() -> int:
        return random_seed()
