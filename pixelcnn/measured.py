"""The measured receptive fields as shipped: one small file per model, beside its weights, read without torch.

`pixelcnn.gradients` measures the field of a pixel with gradients (torch); it is a function of the model and the
pixel alone (fixed random images), so `python -m pixelcnn.gradients` computes all H*W fields once and writes them
into the model's folder as `measured-<12 hex digits of the content's hash>.safetensors`: one tensor "fields",
(H*W, H, W) uint16, each field scaled for the eye (square root of field / its maximum, so faint influences show;
0 stays 0: unseen) times SCALE, rounded; the metadata says how it was made (`about`). The server
(`demo.handlers`) and the page (demo/page/fields.js `readMeasured`) read that file; 128 KB per 16x16 model.
"""

import json
from pathlib import Path

import numpy as np
from safetensors import safe_open

SCALE = 10_000  # a field is stored as round(value * SCALE): 4 decimals, what the API has always answered
PATTERN = "measured-*.safetensors"
ABOUT = "measured"  # the metadata's one key: JSON of how the file was made (`about`)


def scaled(field: np.ndarray) -> np.ndarray:
    """(..., H, W) mean |gradient| -> the same as uint16, sqrt(field / its maximum) * SCALE rounded (0: unseen)."""
    top = field.max(axis=(-2, -1), keepdims=True)
    shown = np.sqrt(np.divide(field, top, out=np.zeros_like(field), where=top > 0))
    return np.rint(shown * SCALE).astype(np.uint16)


def find(folder: Path | str) -> Path | None:
    """The model folder's measured file, or None when it has none."""
    found = sorted(Path(folder).glob(PATTERN))
    return found[0] if found else None


def about(path: Path | str) -> dict:
    """How the file was made: {"scale", "samples", "seed", "weights_sha256": of the weights measured}."""
    with safe_open(path, framework="numpy") as file:
        return json.loads(file.metadata()[ABOUT])


def read(path: Path | str) -> np.ndarray:
    """(H*W, H, W) float64 in 0..1, each pixel's field as the page draws it."""
    with safe_open(path, framework="numpy") as file:
        return file.get_tensor("fields") / json.loads(file.metadata()[ABOUT])["scale"]
