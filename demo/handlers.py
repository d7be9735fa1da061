"""What the page and the API ask for: plain functions over lists and numbers, one parameter per input.

Every user mistake is caught here, once, and becomes an `InputError` (`demo.errors`) naming its message
(in `demo/locales/`), which says what to do; `demo.api` and `demo.blocks` say it in the page and through the
API, in the request's language (demo.api lists which check each parameter passes). The model work is done by
the `pixelcnn` package.
"""

import base64
import io
import math
from pathlib import Path

import numpy as np
from PIL import Image

from demo.canvas import GREYS, LEVELS, SIZE, read_file
from demo.errors import InputError
from pixelcnn import measured
from pixelcnn.drawing import Trace, trace
from pixelcnn.field import sees_itself
from pixelcnn.figures import PENDING
from pixelcnn.models import WEIGHTS_DIR, ServedModel

SAMPLES = Path(__file__).resolve().parent / "assets" / "test_samples.npz"
MAX_TEMPERATURE = 5.0
MAX_SEED = 2**31 - 1
GALLERY_SIZE = 4
GIF_SCALE = 32  # each pixel of the GIF is a GIF_SCALE x GIF_SCALE square: 512 x 512, the PNG's size
GIF_FRAMES = 128  # frames of the animation at most (plus the first and the last): one per drawn pixel, or per few
GIF_FRAME_MS = 20  # 128 frames in 2.6 s
GIF_FIRST_MS = 600  # the first frame (nothing drawn yet) is held
GIF_LAST_MS = 2000  # and the finished picture longest


# ---- validation: one function per input, each returning the clean value or raising InputError


def _number(value, low: float, high: float, whole: bool, error: InputError) -> float:
    """`value` as a finite float in [low, high] (and whole if asked), or raise `error`.

    Strings are refused even when they hold a number: an API caller sending seed="12" hears so. Compared
    before any conversion: 10**400 (JSON allows it) is out of range, not an overflow; NaN and infinities fail
    the comparison."""
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else math.nan
    if not (low <= number <= high and (not whole or number == int(number))):
        raise error
    return float(number)


def check_known_pixels(known_pixels) -> int:
    return int(_number(known_pixels, 0, SIZE * SIZE, True, InputError("bad_pixels", value=repr(known_pixels))))


def check_known_rows(known_rows) -> int:
    return int(_number(known_rows, 0, SIZE, True, InputError("bad_rows", value=repr(known_rows))))


def check_temperature(temperature) -> float:
    error = InputError("bad_temperature", high=f"{MAX_TEMPERATURE:g}", value=repr(temperature))
    return _number(temperature, 0, MAX_TEMPERATURE, False, error)


def check_seed(seed) -> int:
    if seed is None:
        raise InputError("no_seed")
    return int(_number(seed, 0, MAX_SEED, True, InputError("bad_seed", high=MAX_SEED, value=repr(seed))))


def check_pixel(value, key: str) -> int:
    """A row or column 0-15; `key` ("bad_row" or "bad_column") names the message if it is not."""
    return int(_number(value, 0, SIZE - 1, True, InputError(key, value=repr(value))))


def _cells(grid, allowed, key: str) -> list:
    """A 16x16 list of whole numbers in `allowed` -> its 256 cells in raster order, or raise InputError(key)."""
    rows = grid if isinstance(grid, list | tuple) else None
    if rows is None or len(rows) != SIZE or any(not isinstance(r, list | tuple) or len(r) != SIZE for r in rows):
        raise InputError(key)
    cells = [v for r in rows for v in r]
    if any(isinstance(v, bool) or not isinstance(v, int | float) or v not in allowed for v in cells):
        raise InputError(key)
    return cells


def check_levels(levels) -> np.ndarray:
    """A 16x16 list of whole numbers 0-3 -> an int64 array (16, 16)."""
    return np.array(_cells(levels, range(LEVELS), "bad_levels"), dtype=np.int64).reshape(SIZE, SIZE)


def check_hole(hole) -> np.ndarray:
    """A 16x16 list of 0/1 (1: a cell to fill), at least one 1 -> a bool array (16, 16)."""
    cells = _cells(hole, (0, 1), "bad_hole")
    if not any(cells):
        raise InputError("empty_hole")
    return np.array(cells, dtype=bool).reshape(SIZE, SIZE)


def check_label(label, model_name: str, labels: tuple[str, ...]) -> int | None:
    """None / "any" / a class number / a class name of the model's `labels` -> None or the class index."""
    if label is None or (isinstance(label, str) and label.strip().lower() == "any"):
        return None
    if not labels:
        raise InputError("no_classes", model=model_name)
    names = {name.lower(): i for i, name in enumerate(labels)}
    if isinstance(label, str) and label.strip().lower() in names:
        return names[label.strip().lower()]
    if isinstance(label, int | float) and not isinstance(label, bool) and label in range(len(labels)):
        return int(label)
    raise InputError("bad_label", names=", ".join(labels), value=repr(label))


# ---- answers


def trace_json(levels: np.ndarray, steps: Trace, seed: int) -> dict:
    """What /complete returns: the final levels, the seed, one entry per generated pixel in raster order, and
    "bits": the model's bits per generated pixel given the garment asked (None when nothing was generated)."""
    entries = [
        {"row": int(r), "col": int(c), "level": int(d), "probs": p.tolist(), "probs_t1": p1.tolist()}
        for (r, c), d, p, p1 in zip(steps.positions, steps.drawn, steps.probs, steps.probs_t1)
    ]
    bits = steps.bits_per_drawn_pixel()
    return {"levels": steps.levels.tolist(), "seed": seed, "trace": entries, "bits": None if math.isnan(bits) else bits}


def gif_bytes(start: np.ndarray, steps: Trace) -> bytes:
    """An animated GIF of the generation, as the page plays it: the kept pixels and the ones still to draw tinted
    as on the page, then the drawn ones appearing in their order, then a pause."""
    pending = LEVELS  # the palette's colour after the greys
    picture = start.copy()
    picture[tuple(steps.positions.T)] = pending
    frames, every = [picture.copy()], max(1, math.ceil(len(steps.drawn) / GIF_FRAMES))
    for i, ((row, col), level) in enumerate(zip(steps.positions, steps.drawn)):
        picture[row, col] = level
        if (i + 1) % every == 0 or i + 1 == len(steps.drawn):
            frames.append(picture.copy())
    palette = [v for g in GREYS for v in (g, g, g)] + list(PENDING)
    images = []
    for frame in frames:
        image = Image.fromarray(frame.astype(np.uint8).repeat(GIF_SCALE, 0).repeat(GIF_SCALE, 1), mode="P")
        image.putpalette(palette)
        images.append(image)
    durations = [GIF_FIRST_MS] + [GIF_FRAME_MS] * (len(images) - 2) + [GIF_LAST_MS]
    durations = durations[-len(images) :]  # one frame (nothing drawn): only the last's
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0)
    return buffer.getvalue()


def gif_settings() -> dict:
    """What gif_bytes's twin in the page (demo/page/gif.js) needs to make the same GIF: data, never re-typed."""
    timing = {"first_ms": GIF_FIRST_MS, "frame_ms": GIF_FRAME_MS, "last_ms": GIF_LAST_MS}
    return {"size": SIZE, "scale": GIF_SCALE, "most_frames": GIF_FRAMES, **timing, "greys": GREYS, "pending": PENDING}


class DemoApp:
    """Holds the models (loaded once) and answers the page's and the API's requests."""

    def __init__(self, models: dict[str, ServedModel], weights: Path = WEIGHTS_DIR):
        """`weights`: the folder of the models' folders, where each model's measured fields were shipped."""
        self.models = models
        self.measured = {name: measured.find(Path(weights) / name) for name in models}  # the files; None: none
        self._fields = {name: measured.read(path) for name, path in self.measured.items() if path}
        with np.load(SAMPLES, allow_pickle=False) as samples:
            self.samples, self.sample_labels = samples["images"], samples["labels"]

    def model(self, name):
        if not isinstance(name, str) or name not in self.models:
            raise InputError("bad_model", value=repr(name), names=", ".join(self.models))
        return self.models[name]

    def _traces(
        self, name, levels, known_rows, temperature, seed, label, count: int, known_pixels=None, hole=None
    ) -> tuple[np.ndarray, list, list]:
        """Validate once, then `count` completions with seeds seed, seed+1, ...: (start, traces, seeds).

        known_pixels (the page's "resample from here"): keep that many pixels in raster order, not whole rows.
        hole (16x16 of 0/1): fill only its cells, keep every other (known_rows and known_pixels unused)."""
        model = self.model(name)
        start, rows = check_levels(levels), check_known_rows(known_rows)
        pixels = None if known_pixels is None else check_known_pixels(known_pixels)
        cells = None if hole is None else check_hole(hole)
        temp, seed = check_temperature(temperature), check_seed(seed)
        index = check_label(label, name, model.labels)
        seeds = [(seed + i) % (MAX_SEED + 1) for i in range(count)]
        x = np.repeat(start[None, None], count, axis=0)  # (count, 1, H, W)
        return start, trace(model, x, rows, temp, seeds, label=index, known_pixels=pixels, hole=cells), seeds

    def complete(
        self, model: str, levels: list, known_rows: int, temperature: float, seed: int, label="any", known_pixels=None
    ) -> dict:
        """Complete `levels` below the kept rows (or after `known_pixels`); the whole trace, for the page to play."""
        _, (steps,), (seed,) = self._traces(model, levels, known_rows, temperature, seed, label, 1, known_pixels)
        return trace_json(steps.levels, steps, seed)

    def complete_batch(self, models, levels, known_rows, temperatures, seeds, labels) -> list[dict]:
        """`complete` for many requests at once (one list per parameter, as Gradio's `batch=True` gives them).

        The requests for one model are sampled as one batch; each image keeps its own seed, so each
        answer is exactly what `complete` gives alone. A mistake in any request is raised for all."""
        asked = []
        for name, start, rows, temp, seed, label in zip(models, levels, known_rows, temperatures, seeds, labels):
            labels = self.model(name).labels
            asked.append((name, check_levels(start), check_known_rows(rows), check_temperature(temp),
                          check_seed(seed), check_label(label, name, labels)))  # fmt: skip
        answers = [{}] * len(asked)
        for name in dict.fromkeys(a[0] for a in asked):
            mine = [i for i, a in enumerate(asked) if a[0] == name]
            x = np.stack([asked[i][1] for i in mine])[:, None]  # (B, 1, H, W)
            rows, temps, seeds_, labels_ = ([asked[i][k] for i in mine] for k in (2, 3, 4, 5))
            label = None if all(lb is None for lb in labels_) else labels_
            for i, steps in zip(mine, trace(self.models[name], x, rows, temps, seeds_, label=label)):
                answers[i] = trace_json(steps.levels, steps, asked[i][4])
        return answers

    def fill(self, model: str, levels: list, hole: list, temperature: float, seed: int, label="any") -> dict:
        """Draw only the cells of `hole` (16x16 of 0/1), in raster order, each given every pixel before it;
        every other cell is kept. The same answer as `complete` (one trace entry per filled cell)."""
        if hole is None:
            raise InputError("bad_hole")
        _, (steps,), (seed,) = self._traces(model, levels, 0, temperature, seed, label, 1, hole=hole)
        return trace_json(steps.levels, steps, seed)

    def completions(self, model, levels, known_rows, temperature, seed, label="any") -> list[dict]:
        """GALLERY_SIZE completions side by side, seeds seed, seed+1, ..."""
        _, traces, seeds = self._traces(model, levels, known_rows, temperature, seed, label, GALLERY_SIZE)
        return [trace_json(t.levels, t, s) for t, s in zip(traces, seeds)]

    def gif(self, model, levels, known_rows, temperature, seed, label="any", known_pixels=None, hole=None) -> bytes:
        """The same completion as `complete` (or `fill`, given a hole; same inputs, same seed), as an animated GIF."""
        start, (steps,), _ = self._traces(model, levels, known_rows, temperature, seed, label, 1, known_pixels, hole)
        return gif_bytes(start, steps)

    def levels_from_image(self, path) -> dict:
        """An uploaded picture (any size and mode) read as in demo.canvas: {"levels": 16x16 ints 0-3, the garment
        framed if "framed" (a photo: background removed, pixelcnn.photo), else the picture as it is; "as_is": the
        picture read as it is, by the training rule alone; "framed": true or false}."""
        reading = read_file(path)
        return {"levels": reading.levels.tolist(), "as_is": reading.as_is.tolist(), "framed": reading.framed}

    def receptive_field(self, model: str, row, col) -> list[list[float]]:
        """(16, 16) influence of each input pixel on the prediction at (row, col), scaled to 0-1; 0 = unseen: the
        measured field shipped beside the model's weights (`pixelcnn.measured`)."""
        self.model(model)
        row, col = check_pixel(row, "bad_row"), check_pixel(col, "bad_column")
        if model not in self._fields:
            raise InputError("no_measured", model=model)
        return self._fields[model][row * SIZE + col].tolist()

    def masks(self) -> list[dict]:
        """Masks A and B of the first model loaded that uses both (the gated one is masked by its shapes); then the
        first mask of each model that sees the pixel itself (the leaky one: mask B first), with its "model"."""

        def square(network) -> dict:  # its (k, k) masks A and B with k > 1, the first of each name
            found = {}
            for connection in (c for layer in network.wiring().layers for c in layer):
                if connection.mask_name in ("A", "B") and connection.mask.shape[0] > 1:
                    found.setdefault(connection.mask_name, connection.mask)
            return found

        both = (found for found in map(square, self.models.values()) if set(found) == {"A", "B"})
        masks = [{"name": name, "mask": mask.astype(int).tolist()} for name, mask in next(both, {}).items()]
        for name, network in self.models.items():
            wiring = network.wiring()
            if sees_itself(wiring):
                first = wiring.layers[0][0]
                masks.append({"name": first.mask_name, "mask": (first.mask != 0).astype(int).tolist(), "model": name})
        return masks

    def has_model_without_blind_spot(self) -> bool:
        return any(not m.has_blind_spot for m in self.models.values())

    def page(self, message) -> dict:
        """The page's questions (demo.api's server function `ask`):
        {"what": "complete" | "fill" | "gallery" | "gif", "id", "model", "levels", "known_rows", "temperature",
        "seed", "label"} ("fill" also sends "hole"). The reply echoes "id" so the page keeps only the answer to its
        latest question."""
        if not isinstance(message, dict) or message.get("what") not in ("complete", "fill", "gallery", "gif"):
            raise InputError("bad_request")
        what, reply = message["what"], {"kind": message["what"], "id": message.get("id")}
        args = [message.get(k) for k in ("model", "levels", "known_rows", "temperature", "seed", "label")]
        if what == "complete":
            reply["result"] = self.complete(*args, known_pixels=message.get("known_pixels"))
        elif what == "fill":
            reply["result"] = self.fill(args[0], args[1], message.get("hole"), *args[3:])
        elif what == "gallery":
            reply["results"] = self.completions(*args)
        else:
            gif = self.gif(*args, known_pixels=message.get("known_pixels"), hole=message.get("hole"))
            reply["gif"] = "data:image/gif;base64," + base64.b64encode(gif).decode()
        return reply
