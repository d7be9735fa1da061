"""'Watch it learn': the same 16 seeds drawn by a model saved after 0, 1, 2, 5, 10, ... epochs.

The answers only: the snapshots and curves come from `pixelcnn.snapshots`, the pictures from
`pixelcnn.figures`; `demo.ui` lays the tab out.
"""

import threading
from pathlib import Path

import numpy as np
import torch

import pixelcnn
from demo.canvas import InputError
from pixelcnn import snapshots
from pixelcnn.checkpoint import WEIGHTS_DIR
from pixelcnn.figures import learning_curve_picture, tile_picture

SAMPLES = 16  # images drawn from scratch, seeds seed, seed + 1, ..., the same at every epoch
MAX_SEED = 2**31 - 1


class Learning:
    """The snapshots of the shipped models, loaded on first use and kept (a few MB each)."""

    def __init__(self, names: list[str], weights: Path = WEIGHTS_DIR):
        self.folders = {name: weights / name for name in names}
        self.epochs = {name: snapshots.epochs(folder) for name, folder in self.folders.items()}
        self.curves = {name: snapshots.curve(folder) for name, folder in self.folders.items()}
        self._models: dict[tuple[str, int], torch.nn.Module] = {}
        self._lock = threading.Lock()

    def names(self) -> list[str]:
        """Models with snapshots: the ones the epoch slider can show."""
        return [name for name, found in self.epochs.items() if found]

    def curve_picture(self, epoch: int | None = None) -> np.ndarray:
        return learning_curve_picture({name: c for name, c in self.curves.items() if c}, epoch)

    def model(self, name, epoch) -> tuple[torch.nn.Module, int]:
        """The snapshot of `name` nearest to `epoch` (the slider may sit between two), and its epoch."""
        if name not in self.epochs or not self.epochs[name]:
            raise InputError(f"No snapshots for the model {name!r}: choose one of {', '.join(self.names())}.")
        if isinstance(epoch, bool) or not isinstance(epoch, int | float) or not np.isfinite(epoch):
            raise InputError(f"The epoch must be a number, not {epoch!r}.")
        nearest = min(self.epochs[name], key=lambda e: abs(e - epoch))
        with self._lock:
            if (name, nearest) not in self._models:
                self._models[name, nearest] = snapshots.load(self.folders[name], nearest)
        return self._models[name, nearest], nearest

    def samples(self, name, epoch, seed) -> tuple[np.ndarray, int]:
        """SAMPLES images drawn from scratch at T = 1 with seeds seed, seed + 1, ... -> (16, 16, 16) levels."""
        if isinstance(seed, bool) or not isinstance(seed, int | float) or not (0 <= seed <= MAX_SEED) or seed % 1:
            raise InputError(f"The seed must be a whole number from 0 to {MAX_SEED}, not {seed!r}.")
        model, nearest = self.model(name, epoch)
        blank = torch.zeros(SAMPLES, 1, 16, 16, dtype=torch.long)
        seeds = [(int(seed) + i) % (MAX_SEED + 1) for i in range(SAMPLES)]
        return pixelcnn.complete(model, blank, 0, 1.0, seeds)[:, 0].numpy(), nearest

    def learning(self, name, epoch, seed) -> tuple[np.ndarray, np.ndarray, dict]:
        """The page's answer: the samples as a picture, the curves with the epoch marked, and the JSON."""
        images, nearest = self.samples(name, epoch, seed)
        bpd = next((h["test_bpd"] for h in self.curves[name] if h["epoch"] == nearest), None)
        result = {"model": name, "epoch": nearest, "seed": int(seed), "test_bpd": bpd, "samples": images.tolist()}
        return tile_picture(images, columns=8), self.curve_picture(nearest), result

    def complete_grid(self, name, epoch, levels: np.ndarray, known_rows: int, seed: int) -> np.ndarray:
        """The user's grid completed by the snapshot: (16, 16) levels."""
        model, _ = self.model(name, epoch)
        x = torch.from_numpy(levels)[None, None]
        return pixelcnn.complete(model, x, known_rows, 1.0, seed)[0, 0].numpy()
