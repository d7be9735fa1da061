"""'Watch it learn': the same 16 seeds drawn by a model saved after 0, 1, 2, 5, 10, ... epochs.

The page computes the tab itself (demo/page/learning.js: the curves from the histories, the pictures by its
engine from each snapshot's engine file); this module is the reference it is tested against and the public
API `/learning`: the snapshots and curves come from `pixelcnn.snapshots`; `demo.ui` lays the tab out.
"""

import logging
import threading
from pathlib import Path

import numpy as np

from demo.errors import InputError
from demo.handlers import MAX_SEED, check_known_rows, check_seed
from pixelcnn import snapshots
from pixelcnn.drawing import trace
from pixelcnn.export import export_snapshot
from pixelcnn.models import WEIGHTS_DIR, ServedModel, WeightsError

log = logging.getLogger("demo")
SAMPLES = 16  # images drawn from scratch, seeds seed, seed + 1, ..., the same at every epoch


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

    def engine_files(self, out: Path) -> dict[str, dict[int, Path | None]]:
        """Each snapshot's engine file (pixelcnn.export.export_snapshot: int8 as shipped), written into `out` if new:
        {name: {epoch: its path, or None if its tensors cannot be used}}. The page loads one when its epoch is
        chosen, never all at once; an epoch without a file says so there, as /learning does (broken_snapshot)."""
        return {
            name: {epoch: self._engine_file(name, epoch, out) for epoch in self.epochs[name]} for name in self.names()
        }

    def _engine_file(self, name: str, epoch: int, out: Path) -> Path | None:
        try:
            return export_snapshot(self.folders[name], epoch, name, out)
        except WeightsError as error:  # its config was checked at start-up; a broken tensor leaves the app working
            log.error("%s", error)
            return None

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

    def complete_grid(self, name, epoch, seed, board: str, known_rows) -> list[list[int]]:
        """The user's grid (the page's board: 256 digits 0-3, row by row) completed by the snapshot at T = 1: the
        levels the page's engine draws for 'Complete my grid' (demo/page/learning.js)."""
        check_seed(seed)
        if not isinstance(board, str) or len(board) != 256 or set(board) - set("0123"):
            raise InputError("bad_levels")
        rows = check_known_rows(known_rows)
        levels = np.array([int(v) for v in board], dtype=np.int64).reshape(16, 16)
        model, _ = self.model(name, epoch)
        (done,) = trace(model, levels[None, None], rows, 1.0, int(seed))
        return done.levels.tolist()
