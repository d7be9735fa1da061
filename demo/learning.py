"""'Watch it learn': the same 16 seeds drawn by a model saved after 0, 1, 2, 5, 10, ... epochs.

The answers only: the snapshots and curves come from `pixelcnn.snapshots`, the pictures from
`pixelcnn.figures`; `demo.ui` lays the tab out.
"""

import logging
import threading
from pathlib import Path

import numpy as np

from demo import i18n
from demo.errors import InputError
from demo.handlers import MAX_SEED, check_known_rows, check_seed
from pixelcnn import snapshots
from pixelcnn.drawing import trace
from pixelcnn.figures import learning_curve_picture, levels_picture, tile_picture
from pixelcnn.models import WEIGHTS_DIR, ServedModel, WeightsError

log = logging.getLogger("demo")
SAMPLES = 16  # images drawn from scratch, seeds seed, seed + 1, ..., the same at every epoch


def legend_name(name: str, lang: str) -> str:
    """A model's name in the curves' legend: its short name where it has one (the leaky model's list name is long)."""
    short = f"model_short_{name}"
    return i18n.text(short if short in i18n.TEXTS[i18n.DEFAULT] else f"model_{name}", lang)


class Learning:
    """The snapshots of the shipped models, loaded on first use and kept (a few MB each)."""

    def __init__(self, names: list[str], weights: Path = WEIGHTS_DIR):
        self.folders = {name: weights / name for name in names}
        self.epochs = {name: snapshots.epochs(folder) for name, folder in self.folders.items()}
        self.curves = {name: snapshots.curve(folder) for name, folder in self.folders.items()}
        for name, found in self.epochs.items():  # each snapshot's config checked now: a bad one stops the start-up
            for epoch in found:
                snapshots.config(self.folders[name], epoch)
        self._models: dict[tuple[str, int], ServedModel] = {}
        self._lock = threading.Lock()

    def names(self) -> list[str]:
        """Models with snapshots: the ones the epoch slider can show."""
        return [name for name, found in self.epochs.items() if found]

    def curve_picture(self, epoch: int | None = None, lang: str = i18n.DEFAULT) -> np.ndarray:
        """Both models' learning curves, labelled in `lang`, `epoch` marked."""
        keep = {"model": "{model}"}  # the legend's {model} is filled per curve by the figure
        keys = ("epoch", "bits", "test", "train", "start")
        labels = {key: i18n.text(f"curve_{key}", lang, **keep, bits="{bits}") for key in keys}
        labels["point"] = i18n.text("decimal_point", lang)
        curves = {legend_name(name, lang): c for name, c in self.curves.items() if c}
        height = 4.8 + 0.25 * max(0, len(curves) - 2) * 2  # two more legend lines per model beyond two
        return learning_curve_picture(curves, epoch, labels, size=(4.8, height))

    def model(self, name, epoch) -> tuple[ServedModel, int]:
        """The snapshot of `name` nearest to `epoch` (the slider may sit between two), and its epoch."""
        if not isinstance(name, str) or not self.epochs.get(name):
            raise InputError("no_snapshots", value=repr(name), names=", ".join(self.names()))
        last = max(max(found, default=0) for found in self.epochs.values())  # the slider's range, every model's
        # compared as given: 10**400 is out of range, NaN fails the comparison
        if isinstance(epoch, bool) or not isinstance(epoch, int | float) or not 0 <= epoch <= last:
            raise InputError("bad_epoch", value=repr(epoch), high=last)
        nearest = min(self.epochs[name], key=lambda e: abs(e - epoch))
        with self._lock:
            if (name, nearest) not in self._models:
                try:
                    self._models[name, nearest] = snapshots.load(self.folders[name], nearest)
                except WeightsError as error:  # its config was checked at start-up; its tensors are read now
                    log.error("%s", error)
                    raise InputError("broken_snapshot", epoch=nearest) from None
        return self._models[name, nearest], nearest

    def epoch_for(self, name, shown) -> float:
        """The slider's epoch when the model changes: it stays if `name` was trained that long, else its last."""
        last = max(self.epochs.get(name) or [0]) if isinstance(name, str) else 0
        return shown if isinstance(shown, int | float) and 0 <= shown <= last else last

    def samples(self, name, epoch, seed) -> tuple[np.ndarray, int]:
        """SAMPLES images drawn from scratch at T = 1 with seeds seed, seed + 1, ... -> (16, 16, 16) levels."""
        check_seed(seed)
        model, nearest = self.model(name, epoch)
        blank = np.zeros((SAMPLES, 1, 16, 16), np.int64)
        seeds = [(int(seed) + i) % (MAX_SEED + 1) for i in range(SAMPLES)]
        return np.stack([t.levels for t in trace(model, blank, 0, 1.0, seeds)]), nearest

    def learning(self, name, epoch, seed) -> dict:
        """/learning: {"model", "epoch" (the snapshot's), "seed", "test_bpd", "samples": 16 grids of 16x16 levels}."""
        images, nearest = self.samples(name, epoch, seed)
        bpd = next((h["test_bpd"] for h in self.curves[name] if h["epoch"] == nearest), None)
        return {"model": name, "epoch": nearest, "seed": int(seed), "test_bpd": bpd, "samples": images.tolist()}

    def pictures(self, name, epoch, seed, lang: str = i18n.DEFAULT) -> tuple[np.ndarray, np.ndarray, str, dict]:
        """The tab's answer: the samples in four rows of 4 (each large enough to compare with 'your grid' on a
        projector; two rows of 8 were 50 px each beside its 400), the curves with the epoch marked, a caption in `lang`,
        and what each picture shows, in `lang` ({"samples", "curve"}: their alt texts)."""
        result = self.learning(name, epoch, seed)
        bits = "?" if result["test_bpd"] is None else i18n.decimal(result["test_bpd"], 3, lang)
        caption = i18n.text("learning_shown", lang, epoch=result["epoch"], bits=bits)
        curve = self.curve_picture(result["epoch"], lang)
        model, last = i18n.text(f"model_{name}", lang), (int(seed) + SAMPLES - 1) % (MAX_SEED + 1)
        alts = {
            "samples": i18n.text(
                "learning_samples_alt", lang, model=model, epoch=result["epoch"], first=seed, last=last
            ),
            "curve": i18n.text("learning_curve_alt", lang, epoch=result["epoch"]),
        }
        return tile_picture(np.array(result["samples"]), columns=4), curve, caption, alts

    def grid_caption(self, name, epoch, seed, known_rows, lang: str = i18n.DEFAULT) -> str:
        """What 'Complete my grid' shows, in `lang`: the model, the snapshot's epoch, the rows kept, the seed."""
        _, nearest = self.model(name, epoch)
        model = i18n.text(f"model_{name}", lang)
        return i18n.text("learning_grid_caption", lang, model=model, epoch=nearest, rows=known_rows, seed=seed)

    def complete_grid(self, name, epoch, seed, board: str, known_rows) -> np.ndarray:
        """The user's grid (the page's board: 256 digits 0-3, row by row) completed by the snapshot, as a picture."""
        check_seed(seed)
        if not isinstance(board, str) or len(board) != 256 or set(board) - set("0123"):
            raise InputError("bad_levels")
        rows = check_known_rows(known_rows)
        levels = np.array([int(v) for v in board], dtype=np.int64).reshape(16, 16)
        model, _ = self.model(name, epoch)
        (done,) = trace(model, levels[None, None], rows, 1.0, int(seed))
        return levels_picture(done.levels, scale=12, kept_rows=rows)  # the kept rows' line, as on the page
