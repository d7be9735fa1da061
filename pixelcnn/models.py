"""The one table of models, and shipped weights read for serving: NumPy only, never torch.

Each architecture is one entry of MODELS, by the `name` its config carries: its config, its weights'
shapes and masks, the NumPy stepper serving samples with, its wiring (exact fields), and the torch class
that trains it (named, imported only by the training side: `pixelcnn.checkpoint`). Adding a model is one
entry here and its two files (the torch model, the NumPy stepper).

A weights folder holds `model.safetensors` (a state_dict, no pickle), `config.json` (the config; its `name`
picks the entry) and `MODEL_CARD.md`, whose `sha256:` line the weights are checked against. Nothing is
allocated before it is checked: a folder without a card is refused (replaced weights would load silently),
the files' sizes are bounded before they are read, a config's sizes are whole numbers within SIZES whose model
has at most MAX_PARAMETERS (counted from its shapes), and every tensor has its name, shape and mask.
"""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors import SafetensorError
from safetensors.numpy import load_file

from pixelcnn import gated_incremental, incremental
from pixelcnn.configs import GatedPixelCNNConfig, PixelCNNConfig
from pixelcnn.field import Wiring
from pixelcnn.masks import MASK_TYPES


@dataclass(frozen=True)
class Architecture:
    config: type  # its config dataclass (`pixelcnn.configs`)
    shapes: Callable  # config -> {state_dict name: shape}
    masks: Callable  # config -> {state_dict name of a mask buffer: its 0/1 array}
    weights: Callable  # (config, state_dict of arrays) -> the stepper's weights (`.stepper(levels, start, label)`)
    wiring: Callable  # config -> `pixelcnn.field.Wiring`
    has_blind_spot: bool  # whether some earlier pixels can never reach a prediction (van den Oord et al., 2016b)
    torch_class: str  # "module:Class" of the torch model that trains it (training side only)


MODELS = {
    "pixelcnn": Architecture(
        PixelCNNConfig, incremental.shapes, incremental.masks, incremental.PlainWeights.from_state,
        incremental.wiring, True, "pixelcnn.model:PixelCNN",
    ),
    "gated": Architecture(
        GatedPixelCNNConfig, gated_incremental.shapes, gated_incremental.masks,
        gated_incremental.GatedWeights.from_state, gated_incremental.wiring, False, "pixelcnn.gated:GatedPixelCNN",
    ),
}  # fmt: skip

WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "weights"
DEFAULT_MODEL = "pixelcnn"
WEIGHTS_FILE = "model.safetensors"
CONFIG_FILE = "config.json"
CARD_FILE = "MODEL_CARD.md"
SUPPORTED = {"image_size": 16, "levels": 4}  # what the data pipeline, the shipped images and the app work with
MAX_PARAMETERS = 50_000_000  # the largest model served (the shipped ones: 0.31 M and 1.10 M); 200 MB in float32
MAX_TEXT_BYTES = 1 << 20  # a config, a card or a history larger than this is refused unread
SIZES = range(0, 4097)  # every whole number of a config (channels, layers, kernels, classes, ...)
_CARD_SHA = re.compile(r"sha256:\s*`?([0-9a-f]{64})")


class WeightsError(RuntimeError):
    """The weights folder cannot give a model; the message names the file and the fix."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_text(path: Path, limit: int = MAX_TEXT_BYTES) -> str:
    """A small text file's content, its kind and size checked before it is read (OSError or ValueError)."""
    if not path.is_file():
        raise ValueError(f"{path.name} is not a regular file")
    if path.stat().st_size > limit:
        raise ValueError(f"{path.name} is larger than {limit} bytes")
    with open(path, encoding="utf-8") as file:
        return file.read(limit + 1)[:limit]


def read_json(path: Path, limit: int = MAX_TEXT_BYTES):
    """A small JSON file's value, read by `read_text`; ValueError (naming the file) if it is not JSON or is nested
    too deeply for Python's parser (a RecursionError otherwise)."""
    try:
        return json.loads(read_text(path, limit))
    except RecursionError:
        raise ValueError(f"{path.name} is nested too deeply") from None
    except ValueError as error:
        raise ValueError(f"{path.name} is not JSON ({error})") from None


def parameter_count(shapes: dict[str, tuple[int, ...]]) -> int:
    """Learned numbers of a state_dict's shapes (the mask buffers are not learned)."""
    return sum(int(np.prod(shape, dtype=np.int64)) for name, shape in shapes.items() if not name.endswith(".mask"))


def checked_config(config_dict):
    """`config_dict` as its architecture's config, or ValueError, before any weight is allocated: sizes are whole
    numbers within SIZES, and the model they describe has at most MAX_PARAMETERS."""
    if not isinstance(config_dict, dict):
        raise ValueError(f"the config is {type(config_dict).__name__}, not an object of settings")
    name = config_dict.get("name", DEFAULT_MODEL)
    if not isinstance(name, str) or name not in MODELS:
        raise ValueError(f"unknown architecture {name!r} (known: {', '.join(MODELS)})")
    architecture = MODELS[name]
    config = architecture.config(**config_dict)
    words = {"name": MODELS, "first_mask": MASK_TYPES}  # the settings that are words, and their values
    for key, value in config.to_dict().items():
        if key in words and value not in words[key]:
            raise ValueError(f"{key}={value!r} is none of {', '.join(words[key])}")
        if key not in words and (isinstance(value, bool) or not isinstance(value, int) or value not in SIZES):
            raise ValueError(f"{key}={value!r} is not a whole number from {SIZES.start} to {SIZES.stop - 1}")
    count = parameter_count(architecture.shapes(config))
    if count > MAX_PARAMETERS:
        raise ValueError(f"the config describes {count / 1e6:.0f} M parameters; at most {MAX_PARAMETERS / 1e6:.0f} M")
    return config


def check_state(config, state: dict[str, np.ndarray], file_name: str) -> dict[str, np.ndarray]:
    """Every tensor the config's model needs is in `state` with its shape, nothing else is, and each mask is
    the one the config says; returns the state as float32 arrays. ValueError otherwise."""
    architecture = MODELS[config.name]
    expected, masks = architecture.shapes(config), architecture.masks(config)
    for name in sorted(expected.keys() | state.keys()):
        if name not in state:
            raise ValueError(f"tensor {name!r} that config.json's model needs is not in {file_name}")
        if name not in expected:
            raise ValueError(f"tensor {name!r} in {file_name} has no place in config.json's model")
        if tuple(state[name].shape) != tuple(expected[name]):
            raise ValueError(
                f"tensor {name!r} is {tuple(state[name].shape)} in {file_name} "
                f"but config.json's model needs {tuple(expected[name])}"
            )
    state = {name: np.asarray(value, np.float32) for name, value in state.items()}
    for name, mask in masks.items():
        if not np.array_equal(state[name], mask):
            raise ValueError(f"the mask {name!r} in {file_name} is not the one config.json's model uses")
    if not all(np.isfinite(value).all() for value in state.values()):
        raise ValueError(f"{file_name} holds a number that is not finite")
    return state


class ServedModel:
    """A model as serving uses it: its config, its stepper's weights and its wiring, from NumPy arrays."""

    def __init__(self, config, state: dict[str, np.ndarray]):
        """`state`: the state_dict as float32 arrays, already checked (`check_state`)."""
        architecture = MODELS[config.name]
        self.config, self.has_blind_spot = config, architecture.has_blind_spot
        self.weights = architecture.weights(config, state)

    @property
    def labels(self) -> tuple[str, ...]:
        return self.config.labels

    def stepper(self, levels: np.ndarray, start: int, label=None):
        """An exact incremental sampler over (B, H, W) levels whose pixels before `start` are final."""
        return self.weights.stepper(levels, start, label)

    def wiring(self) -> Wiring:
        return MODELS[self.config.name].wiring(self.config)

    def tensors(self) -> dict:
        """The stepper's weights by name, as the page's engine reads them (`pixelcnn.export`)."""
        return self.weights.tensors()


def retrain_command(folder: Path | str) -> str:
    """The command that trains the model `folder` should hold: its config's, or else the architecture the
    folder is named after (weights/gated), or else the plain model."""
    folder = Path(folder)
    try:
        config = checked_config(read_json(folder / CONFIG_FILE))
    except (OSError, ValueError, TypeError):  # no config, or one that cannot describe a model
        config = MODELS.get(folder.name, MODELS[DEFAULT_MODEL]).config()
    return config.train_command(folder)


def card_sha256(folder: Path) -> str | None:
    """The sha256 the model card records for the weights, or None without a card."""
    try:
        found = _CARD_SHA.search(read_text(folder / CARD_FILE))
    except (OSError, ValueError):
        return None
    return found.group(1) if found else None


def read_checked(folder: Path | str, supported: dict | None = SUPPORTED):
    """(config, state as float32 arrays) of a weights folder, every check done. Raises WeightsError, one line.

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
        config = checked_config(read_json(config_path))
        for key, value in (supported or {}).items():
            if getattr(config, key) != value:
                raise ValueError(f"config.json says {key}={getattr(config, key)!r}, this code needs {value!r}")
        state = check_state(config, load_file(weights), weights.name)
    except (SafetensorError, ValueError, TypeError, OSError) as error:  # ValueError: bad JSON too
        reason = (str(error).splitlines() or [type(error).__name__])[0][:200]
        raise WeightsError(f"{folder} cannot be loaded ({reason}): retrain with `{retrain}`") from None
    return config, state


def load(folder: Path | str, supported: dict | None = SUPPORTED) -> ServedModel:
    """The model in `folder`, for serving (NumPy). Raises WeightsError with one clear line."""
    return ServedModel(*read_checked(folder, supported))


def available_models(folder: Path | str = WEIGHTS_DIR) -> list[str]:
    """Names of the model folders in `folder` (default: the shipped weights/): those with weights or a config.

    The plain model (the course's, DEFAULT_MODEL) comes first: the app shows it first."""
    found = [p.name for p in Path(folder).iterdir() if (p / CONFIG_FILE).is_file() or (p / WEIGHTS_FILE).is_file()]
    return sorted(found, key=lambda name: (name != DEFAULT_MODEL, name))
