"""Weights on disk, for the training side: the torch model rebuilt from a weights folder, and saved into one.

The folder's layout and every check made before anything is allocated are `pixelcnn.models`' (serving reads the
same folders with NumPy alone); here the checked state_dict is put into the torch class the models table names.
"""

import importlib
import json
from pathlib import Path

import torch
from safetensors.torch import save_file

from pixelcnn import snapshots
from pixelcnn.models import (
    CARD_FILE,
    CONFIG_FILE,
    DEFAULT_MODEL,
    MODELS,
    SUPPORTED,
    WEIGHTS_DIR,
    WEIGHTS_FILE,
    WeightsError,
    available_models,
    checked_config,
    read_checked,
    sha256,
)

__all__ = ["WEIGHTS_DIR", "DEFAULT_MODEL", "WeightsError", "available_models", "build", "load", "load_pretrained"]


def torch_class(name: str) -> type:
    """The torch model class of the architecture `name` (the models table names it as "module:Class")."""
    module, _, cls = MODELS[name].torch_class.partition(":")
    return getattr(importlib.import_module(module), cls)


def build(config_dict: dict):
    """A fresh model of the architecture named in `config_dict` (its `name`, default "pixelcnn"), once checked."""
    config = checked_config(config_dict)
    return torch_class(config.name)(config)


def save_atomic(tensors: dict, path: Path, metadata: dict | None = None) -> None:
    """safetensors written beside `path`, then renamed: a run killed mid-write leaves the old file whole."""
    partial = path.with_suffix(".partial")
    save_file(tensors, partial, metadata=metadata)
    partial.replace(path)


def save(model, folder: Path | str) -> Path:
    """Write the weights, the config and a card holding the weights' sha256 into `folder` (training rewrites
    the card with its figures); returns the weights file."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    save_file(state, folder / WEIGHTS_FILE)
    (folder / CONFIG_FILE).write_text(json.dumps(model.config.to_dict(), indent=2) + "\n")
    card = f"# Model card: {model.config.name}\n\n- sha256: `{sha256(folder / WEIGHTS_FILE)}`\n"
    (folder / CARD_FILE).write_text(card)
    return folder / WEIGHTS_FILE


def from_state(config, state: dict) -> torch.nn.Module:
    """The torch model of `config` holding a checked state_dict of NumPy arrays, on the CPU, in eval mode."""
    model = torch_class(config.name)(config)
    model.load_state_dict({name: torch.from_numpy(value) for name, value in state.items()})
    return model.eval()


def load(folder: Path | str, supported: dict | None = SUPPORTED):
    """Rebuild the torch model from `folder` on the CPU, in eval mode. Raises WeightsError with one clear line."""
    return from_state(*read_checked(folder, supported))


def load_pretrained(name_or_path: Path | str | None = None):
    """A shipped model by name ("pixelcnn", the default, or "gated"), or the one in a folder, on the CPU."""
    if name_or_path is None:
        name_or_path = DEFAULT_MODEL
    shipped = WEIGHTS_DIR / str(name_or_path)
    return load(shipped if isinstance(name_or_path, str) and shipped.is_dir() else name_or_path)


def describe(model) -> str:
    n = sum(p.numel() for p in model.parameters())
    return f"{model.config.name}: {n / 1e6:.2f}M parameters, config {model.config.to_dict()}"


def save_snapshot(model, folder: Path | str, epoch: int) -> Path:
    """The model after `epoch` epochs written as a learning snapshot (`pixelcnn.snapshots`)."""
    learned = {name for name, _ in model.named_parameters()}
    return snapshots.save(model.numpy_state(), learned, model.config, folder, epoch)


def load_snapshot(folder: Path | str, epoch: int) -> torch.nn.Module:
    """The torch model as it was after `epoch` epochs (evaluation), on the CPU, in eval mode."""
    return from_state(*snapshots.read(folder, epoch))
