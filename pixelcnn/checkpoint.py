"""Weights on disk: a folder holding `model.safetensors` (the state_dict, no pickle),
`config.json` (the config the model is rebuilt from; its `name` picks the architecture) and `MODEL_CARD.md`, whose
`sha256:` line the weights are checked against before they are loaded.

Nothing is allocated before it is checked: a folder without a card is refused (replaced weights would load
silently), the weights file's size is bounded before it is hashed, and a config's sizes are whole numbers
within SIZES whose model, built on PyTorch's "meta" device (shapes, no memory), has at most MAX_PARAMETERS.
"""

import hashlib
import json
import re
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from pixelcnn.gated import GatedPixelCNN, GatedPixelCNNConfig
from pixelcnn.layers import MASK_TYPES
from pixelcnn.model import PixelCNN, PixelCNNConfig

# Every architecture, by the `name` its config carries. All offer the same protocol (`pixelcnn.protocol`).
ARCHITECTURES = {"pixelcnn": (PixelCNNConfig, PixelCNN), "gated": (GatedPixelCNNConfig, GatedPixelCNN)}

WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "weights"
DEFAULT_MODEL = "pixelcnn"
WEIGHTS_FILE = "model.safetensors"
CONFIG_FILE = "config.json"
CARD_FILE = "MODEL_CARD.md"
SUPPORTED = {"image_size": 16, "levels": 4}  # what the data pipeline, the shipped images and the app work with
_CARD_SHA = re.compile(r"sha256:\s*`?([0-9a-f]{64})")
MAX_PARAMETERS = 50_000_000  # the largest model served (the shipped ones: 0.31 M and 1.10 M); 200 MB in float32
SIZES = range(0, 4097)  # every whole number of a config (channels, layers, kernels, classes, ...)


class WeightsError(RuntimeError):
    """The weights folder cannot give a model; the message names the file and the fix."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checked_config(config_dict):
    """`config_dict` as its architecture's config, or ValueError, before any weight is allocated: sizes are whole
    numbers within SIZES, and the model they describe has at most MAX_PARAMETERS (counted on the meta device)."""
    if not isinstance(config_dict, dict):
        raise ValueError(f"the config is {type(config_dict).__name__}, not an object of settings")
    name = config_dict.get("name", DEFAULT_MODEL)
    if not isinstance(name, str) or name not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {name!r} (known: {', '.join(ARCHITECTURES)})")
    config_class, model_class = ARCHITECTURES[name]
    config = config_class(**config_dict)
    words = {"name": ARCHITECTURES, "first_mask": MASK_TYPES}  # the settings that are words, and their values
    for key, value in config.to_dict().items():
        if key in words and value not in words[key]:
            raise ValueError(f"{key}={value!r} is none of {', '.join(words[key])}")
        if key not in words and (isinstance(value, bool) or not isinstance(value, int) or value not in SIZES):
            raise ValueError(f"{key}={value!r} is not a whole number from {SIZES.start} to {SIZES.stop - 1}")
    with torch.device("meta"):
        count = sum(p.numel() for p in model_class(config).parameters())
    if count > MAX_PARAMETERS:
        raise ValueError(f"the config describes {count / 1e6:.0f} M parameters; at most {MAX_PARAMETERS / 1e6:.0f} M")
    return config


def build(config_dict: dict):
    """A fresh model of the architecture named in `config_dict` (its `name`, default "pixelcnn"), once checked."""
    config = checked_config(config_dict)
    return ARCHITECTURES[config.name][1](config)


def retrain_command(folder: Path | str) -> str:
    """The command that trains the model `folder` should hold: its config's, or else the architecture the
    folder is named after (weights/gated), or else the plain model."""
    folder = Path(folder)
    try:
        config = build(json.loads((folder / CONFIG_FILE).read_text())).config
    except (OSError, ValueError, TypeError):  # no config, or one that cannot build a model
        config = ARCHITECTURES.get(folder.name, ARCHITECTURES[DEFAULT_MODEL])[0]()
    return config.train_command(folder)


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


def card_sha256(folder: Path) -> str | None:
    """The sha256 the model card records for the weights, or None without a card."""
    card = folder / CARD_FILE
    if not card.is_file():
        return None
    found = _CARD_SHA.search(card.read_text())
    return found.group(1) if found else None


def check_fit(model, tensors: dict, weights: Path) -> None:
    """Every tensor the config's model needs is in the file, with its shape, and nothing else is; its masks are the
    config's (a mask B saved where the config says A would leak the pixel predicted, unseen)."""
    expected = model.state_dict()
    for name in sorted(expected.keys() | tensors.keys()):
        if name not in tensors:
            raise ValueError(f"tensor {name!r} that config.json's model needs is not in {weights.name}")
        if name not in expected:
            raise ValueError(f"tensor {name!r} in {weights.name} has no place in config.json's model")
        if tuple(tensors[name].shape) != tuple(expected[name].shape):
            raise ValueError(
                f"tensor {name!r} is {tuple(tensors[name].shape)} in {weights.name} "
                f"but config.json's model needs {tuple(expected[name].shape)}"
            )
        if name.endswith(".mask") and not torch.equal(tensors[name].float(), expected[name].float()):
            raise ValueError(f"mask {name!r} in {weights.name} is not the one config.json's model uses")


def load(folder: Path | str, supported: dict | None = SUPPORTED):
    """Rebuild the model from `folder` on the CPU, in eval mode. Raises WeightsError with one clear line.

    `supported`: config values the caller needs (default: 16x16 images with 4 levels); None skips the check."""
    folder = Path(folder)
    weights, config_path = folder / WEIGHTS_FILE, folder / CONFIG_FILE
    retrain = retrain_command(folder)
    for path in (weights, config_path):
        if not path.is_file():
            raise WeightsError(f"{path} is missing: restore it from git or retrain with `{retrain}`")
    expected = card_sha256(folder)
    if expected is None:
        raise WeightsError(
            f"{folder / CARD_FILE} is missing or holds no sha256 line: the weights cannot be checked; "
            f"restore it from git or retrain with `{retrain}`"
        )
    if weights.stat().st_size > MAX_PARAMETERS * 4 + 2**20:  # float32 weights and a header
        raise WeightsError(f"{weights} is larger than a model of {MAX_PARAMETERS / 1e6:.0f} M parameters: retrain")
    if sha256(weights) != expected:
        raise WeightsError(
            f"{weights} does not match the sha256 in {folder / CARD_FILE} (corrupt or replaced): "
            f"restore it from git or retrain with `{retrain}`"
        )
    try:
        model = build(json.loads(config_path.read_text()))
        for key, value in (supported or {}).items():
            if getattr(model.config, key) != value:
                raise ValueError(f"config.json says {key}={getattr(model.config, key)!r}, this code needs {value!r}")
        tensors = load_file(weights)
        check_fit(model, tensors, weights)
        model.load_state_dict(tensors)
    except (SafetensorError, ValueError, TypeError, RuntimeError, OSError) as error:  # ValueError: bad JSON too
        reason = str(error).splitlines()[0][:200]
        raise WeightsError(f"{folder} cannot be loaded ({reason}): retrain with `{retrain}`") from None
    return model.eval()


def load_pretrained(name_or_path: Path | str | None = None):
    """A shipped model by name ("pixelcnn", the default, or "gated"), or the one in a folder, on the CPU."""
    if name_or_path is None:
        name_or_path = DEFAULT_MODEL
    shipped = WEIGHTS_DIR / str(name_or_path)
    return load(shipped if isinstance(name_or_path, str) and shipped.is_dir() else name_or_path)


def available_models(folder: Path | str = WEIGHTS_DIR) -> list[str]:
    """Names of the model folders in `folder` (default: the shipped weights/): those with weights or a config.

    The plain model (the course's, DEFAULT_MODEL) comes first: the app shows it first."""
    found = [p.name for p in Path(folder).iterdir() if (p / CONFIG_FILE).is_file() or (p / WEIGHTS_FILE).is_file()]
    return sorted(found, key=lambda name: (name != DEFAULT_MODEL, name))


def describe(model) -> str:
    n = sum(p.numel() for p in model.parameters())
    return f"{model.config.name}: {n / 1e6:.2f}M parameters, config {model.config.to_dict()}"
