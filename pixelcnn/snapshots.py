"""'Watch it learn': the same network saved at chosen epochs of one training run, and its learning curve.

`python -m pixelcnn.train` writes `snapshots/epoch_NNN.safetensors` (state_dicts, the config in their
metadata) and `history.json` (train, validation and test bits/dim per epoch, epoch 0 being the
untrained network) into its output folder; a shipped model folder keeps both beside its weights.

A snapshot is small: every learned weight with an output channel per row (convolutions, class biases)
is kept as int8, one float16 scale per row (`scale.NAME`, absmax / 127), the rest (biases, and the
masks, exact) as float16. A snapshot is a quarter of the float32 weights, and its predictions stay
within rounding of them: the pictures of "watch it learn" are the network at that epoch. Files with
float16 weights only load too.
"""

import json
import re
from pathlib import Path

import numpy as np
from safetensors import SafetensorError, safe_open
from safetensors.numpy import load_file, save_file

from pixelcnn import models

SNAPSHOTS, HISTORY = "snapshots", "history.json"
_NAME = re.compile(r"epoch_(\d+)\.safetensors$")
SCALE = "scale."


def encode(state: dict[str, np.ndarray], learned: set[str]) -> dict[str, np.ndarray]:
    """A state_dict (float32 arrays) as a snapshot holds it: the `learned` weights with rows (one per output
    channel) as int8 with per-row float16 scales, the rest (biases, masks: buffers are exact in float16) as
    float16."""
    tensors = {}
    for name, value in state.items():
        value = np.asarray(value, np.float32)
        if name not in learned or value.ndim < 2:
            tensors[name] = value.astype(np.float16)
            continue
        rows = value.reshape(len(value), -1)  # (out, everything else)
        top = np.abs(rows).max(1)
        scale = np.where(top > 0, top / 127, 1.0).astype(np.float16)  # a row of zeros stays zeros
        quantized = np.round(rows / scale.astype(np.float32)[:, None])
        tensors[name] = np.ascontiguousarray(quantized.astype(np.int8).reshape(value.shape))
        tensors[SCALE + name] = scale
    return tensors


def decode(tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """What `encode` wrote (or a float16 state_dict) -> a float32 state_dict."""
    state = {}
    for name, value in tensors.items():
        if name.startswith(SCALE):
            continue
        scale = tensors.get(SCALE + name)
        value = value.astype(np.float32)
        state[name] = value if scale is None else value * scale.astype(np.float32).reshape(-1, *[1] * (value.ndim - 1))
    return state


def epochs(folder: Path | str) -> list[int]:
    """The epochs with a snapshot in `folder` (a model folder), in order; [] when there are none."""
    found = (_NAME.search(p.name) for p in (Path(folder) / SNAPSHOTS).glob("epoch_*.safetensors"))
    return sorted(int(m.group(1)) for m in found if m)


def save(state: dict[str, np.ndarray], learned: set[str], config, folder: Path | str, epoch: int) -> Path:
    """Write a model's weights after `epoch` epochs (`encode`), its config in the file's metadata."""
    path = Path(folder) / SNAPSHOTS / f"epoch_{epoch:03d}.safetensors"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")  # a run killed mid-write leaves the old file whole
    save_file(encode(state, learned), partial, metadata={"config": json.dumps(config.to_dict())})
    partial.replace(path)
    return path


def _path(folder: Path | str, epoch: int) -> Path:
    path = Path(folder) / SNAPSHOTS / f"epoch_{epoch:03d}.safetensors"
    if not path.is_file():
        raise models.WeightsError(f"no snapshot of epoch {epoch} in {path.parent} (there are: {epochs(folder)})")
    return path


def _broken(path: Path, error: Exception) -> models.WeightsError:
    reason = (str(error).splitlines() or [type(error).__name__])[0][:200]
    return models.WeightsError(f"{path} cannot be used ({reason}): restore it from git or retrain")


MAX_HEADER = 1 << 20  # bytes of a snapshot's header (names, shapes, the config): the shipped ones hold ~10 KB


def check_size(path: Path) -> None:
    """ValueError if the snapshot is larger than the largest model's weights or its header than MAX_HEADER: both
    read from the file's size and its first 8 bytes, before safetensors reads the header."""
    if path.stat().st_size > models.MAX_PARAMETERS * 4 + MAX_HEADER:
        raise ValueError(f"the file is larger than a model of {models.MAX_PARAMETERS / 1e6:.0f} M parameters")
    with open(path, "rb") as file:
        header = int.from_bytes(file.read(8), "little")
    if header > MAX_HEADER:
        raise ValueError(f"its header says {header} bytes; at most {MAX_HEADER}")


def config(folder: Path | str, epoch: int):
    """The config a snapshot's metadata holds, checked like a weights folder's (models.checked_config):
    nothing of the model is allocated. Raises WeightsError with one line."""
    path = _path(folder, epoch)
    try:
        check_size(path)
        with safe_open(path, "np") as f:
            return models.checked_config(json.loads((f.metadata() or {})["config"]))
    except (SafetensorError, KeyError, ValueError, TypeError, OSError, RecursionError) as error:  # bad JSON too
        raise _broken(path, error) from None


def read(folder: Path | str, epoch: int):
    """(config, float32 state_dict) of the network after `epoch` epochs, checked like a weights folder's."""
    path, checked = _path(folder, epoch), config(folder, epoch)
    try:
        return checked, models.check_state(checked, decode(load_file(path)), path.name)
    except (SafetensorError, ValueError, TypeError, OSError) as error:
        raise _broken(path, error) from None


def stored(folder: Path | str, epoch: int) -> dict[str, np.ndarray]:
    """A snapshot's tensors as the file holds them (int8 codes, `scale.NAME`, float16): what the page's engine file
    keeps (`pixelcnn.export.export_snapshot`). Read only after `read` checked the file."""
    return load_file(_path(folder, epoch))


def load(folder: Path | str, epoch: int) -> models.ServedModel:
    """The model as it was after `epoch` epochs, for serving (NumPy)."""
    return models.ServedModel(*read(folder, epoch))


def _row(row: dict) -> bool:
    """A history row the curve can draw: a whole-number epoch, test and train bits/dim as numbers."""
    figures = [row.get(key) for key in ("test_bpd", "train_bpd")]
    return type(row.get("epoch")) is int and all(type(f) in (int, float) for f in figures)


def curve(folder: Path | str) -> list[dict]:
    """Per epoch: {"epoch", "train_bpd", "val_bpd", "test_bpd", ...}; [] without a history. WeightsError
    (one line) if the file is not a list of such rows."""
    path = Path(folder) / HISTORY
    if not path.exists() and not path.is_symlink():
        return []
    try:
        rows = models.read_json(path)
        if not isinstance(rows, list) or not all(isinstance(row, dict) and _row(row) for row in rows):
            raise ValueError("not a list of rows, each a whole-number epoch and its figures")
    except (ValueError, OSError) as error:
        raise _broken(path, error) from None
    return rows
