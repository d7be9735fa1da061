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

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file

from pixelcnn import checkpoint

SNAPSHOTS, HISTORY = "snapshots", "history.json"
_NAME = re.compile(r"epoch_(\d+)\.safetensors$")
_SCALE = "scale."


def _encode(model) -> dict:
    """The model's state_dict: learned weights with rows (one per output channel) as int8 with per-row
    float16 scales, the rest (biases, masks: buffers are exact in float16) as float16."""
    learned = {name for name, _ in model.named_parameters()}
    tensors = {}
    for name, value in model.state_dict().items():
        value = value.detach().cpu().float()
        if name not in learned or value.dim() < 2:
            tensors[name] = value.half().contiguous()
            continue
        rows = value.reshape(len(value), -1)  # (out, everything else)
        top = rows.abs().amax(1)
        scale = torch.where(top > 0, top / 127, 1.0).half().float()  # a row of zeros stays zeros
        tensors[name] = torch.round(rows / scale[:, None]).to(torch.int8).reshape(value.shape).contiguous()
        tensors[_SCALE + name] = scale.half()
    return tensors


def _decode(tensors: dict) -> dict:
    """What `_encode` wrote (or a float16 state_dict) -> a float32 state_dict."""
    state = {}
    for name, value in tensors.items():
        if name.startswith(_SCALE):
            continue
        scale = tensors.get(_SCALE + name)
        value = value.float()
        state[name] = value if scale is None else value * scale.float().reshape(-1, *[1] * (value.dim() - 1))
    return state


def epochs(folder: Path | str) -> list[int]:
    """The epochs with a snapshot in `folder` (a model folder), in order; [] when there are none."""
    found = (_NAME.search(p.name) for p in (Path(folder) / SNAPSHOTS).glob("epoch_*.safetensors"))
    return sorted(int(m.group(1)) for m in found if m)


def save(model, folder: Path | str, epoch: int) -> Path:
    """Write the model's weights after `epoch` epochs (int8 and float16), its config in the file's metadata."""
    path = Path(folder) / SNAPSHOTS / f"epoch_{epoch:03d}.safetensors"
    path.parent.mkdir(parents=True, exist_ok=True)
    checkpoint.save_atomic(_encode(model), path, {"config": json.dumps(model.config.to_dict())})
    return path


def _path(folder: Path | str, epoch: int) -> Path:
    path = Path(folder) / SNAPSHOTS / f"epoch_{epoch:03d}.safetensors"
    if not path.is_file():
        raise checkpoint.WeightsError(f"no snapshot of epoch {epoch} in {path.parent} (there are: {epochs(folder)})")
    return path


def _broken(path: Path, error: Exception) -> checkpoint.WeightsError:
    reason = (str(error).splitlines() or [type(error).__name__])[0][:200]
    return checkpoint.WeightsError(f"{path} cannot be used ({reason}): restore it from git or retrain")


def config(folder: Path | str, epoch: int):
    """The config a snapshot's metadata holds, checked like a weights folder's (checkpoint.checked_config):
    nothing of the model is allocated. Raises WeightsError with one line."""
    path = _path(folder, epoch)
    try:
        with safe_open(path, "pt") as f:
            return checkpoint.checked_config(json.loads((f.metadata() or {})["config"]))
    except (SafetensorError, KeyError, ValueError, TypeError, OSError) as error:  # ValueError: bad JSON too
        raise _broken(path, error) from None


def load(folder: Path | str, epoch: int):
    """The model as it was after `epoch` epochs, in float32, on the CPU, in eval mode."""
    path, checked = _path(folder, epoch), config(folder, epoch)
    try:
        model = checkpoint.ARCHITECTURES[checked.name][1](checked)
        state = _decode(load_file(path))
        checkpoint.check_fit(model, state, path)
        model.load_state_dict(state)
    except (SafetensorError, ValueError, TypeError, RuntimeError, OSError) as error:
        raise _broken(path, error) from None
    return model.eval()


def _row(row: dict) -> bool:
    """A history row the curve can draw: a whole-number epoch, test and train bits/dim as numbers."""
    figures = [row.get(key) for key in ("test_bpd", "train_bpd")]
    return type(row.get("epoch")) is int and all(type(f) in (int, float) for f in figures)


def curve(folder: Path | str) -> list[dict]:
    """Per epoch: {"epoch", "train_bpd", "val_bpd", "test_bpd", ...}; [] without a history. WeightsError
    (one line) if the file is not a list of such rows."""
    path = Path(folder) / HISTORY
    if not path.is_file():
        return []
    try:
        rows = json.loads(path.read_text())
        if not isinstance(rows, list) or not all(isinstance(row, dict) and _row(row) for row in rows):
            raise ValueError("not a list of rows, each a whole-number epoch and its figures")
    except (ValueError, OSError) as error:
        raise _broken(path, error) from None
    return rows
