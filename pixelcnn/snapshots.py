"""'Watch it learn': the same network saved at chosen epochs of one training run, and its learning curve.

`python -m pixelcnn.train` writes `snapshots/epoch_NNN.safetensors` (float16 state_dicts, the config in
their metadata) and `history.json` (train, validation and test bits/dim per epoch, epoch 0 being the
untrained network) into its output folder; a shipped model folder keeps both beside its weights.
"""

import json
import re
from pathlib import Path

from safetensors import safe_open
from safetensors.torch import load_file

from pixelcnn import checkpoint

SNAPSHOTS, HISTORY = "snapshots", "history.json"
_NAME = re.compile(r"epoch_(\d+)\.safetensors$")


def epochs(folder: Path | str) -> list[int]:
    """The epochs with a snapshot in `folder` (a model folder), in order; [] when there are none."""
    found = (_NAME.search(p.name) for p in (Path(folder) / SNAPSHOTS).glob("epoch_*.safetensors"))
    return sorted(int(m.group(1)) for m in found if m)


def save(model, folder: Path | str, epoch: int) -> Path:
    """Write the model's weights after `epoch` epochs as float16, its config in the file's metadata."""
    path = Path(folder) / SNAPSHOTS / f"epoch_{epoch:03d}.safetensors"
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu().half().contiguous() for k, v in model.state_dict().items()}
    checkpoint.save_atomic(state, path, {"config": json.dumps(model.config.to_dict())})
    return path


def load(folder: Path | str, epoch: int):
    """The model as it was after `epoch` epochs, in float32, on the CPU, in eval mode."""
    path = Path(folder) / SNAPSHOTS / f"epoch_{epoch:03d}.safetensors"
    if not path.is_file():
        raise checkpoint.WeightsError(f"no snapshot of epoch {epoch} in {path.parent} (there are: {epochs(folder)})")
    with safe_open(path, "pt") as f:
        config = json.loads(f.metadata()["config"])
    model = checkpoint.build(config)
    tensors = load_file(path)
    checkpoint.check_fit(model, tensors, path)
    model.load_state_dict({k: v.float() for k, v in tensors.items()})
    return model.eval()


def curve(folder: Path | str) -> list[dict]:
    """Per epoch: {"epoch", "train_bpd", "val_bpd", "test_bpd", ...}; [] without a history."""
    path = Path(folder) / HISTORY
    return json.loads(path.read_text()) if path.is_file() else []
