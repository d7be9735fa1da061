"""The weights the page's engine (demo/page/engine.js) loads: one float32 safetensors file per model.

The matrices are taken from the Python steppers themselves (`pixelcnn.incremental`,
`pixelcnn.gated_incremental`, built from the shipped weights with NumPy: no torch), already laid out
as a step uses them: masks applied, the input
scaling folded in, the taps of a convolution in (row, column, channel) order; each matrix is written
(outputs, inputs), one row per output, the order engine.js's dense reads fastest.
So the JavaScript twin does no reshaping and reads like the Python step, name for name. The config
travels in the file's metadata. float32, as trained: the engine's logits agree with Python's to
about 1e-6 (float16 would cost a few MB less and move probabilities by about 1e-3, changing images).

The file is named by its content (`pixelcnn-1a2b3c4d5e6f.safetensors`): the app writes it at start-up
and the browser may keep it as long as it likes; new weights get a new name.
"""

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np
from safetensors.numpy import save

from pixelcnn.models import WEIGHTS_DIR, ServedModel, available_models, load
from pixelcnn.numpy_layers import Dense


def engine_tensors(model: ServedModel) -> dict[str, np.ndarray]:
    """name -> float32 array: the stepper's own weights (`model.tensors()`), each layer as name.bias and
    name.weight (C_out, C_in), the rows engine.js reads."""
    tensors = {}
    for name, value in model.tensors().items():
        if isinstance(value, Dense):
            tensors[f"{name}.bias"], tensors[f"{name}.weight"] = value.bias, value.weight.T
        else:
            tensors[name] = value
    return {name: np.ascontiguousarray(array, np.float32) for name, array in tensors.items()}


def export(model: ServedModel, name: str, folder: Path | str) -> Path:
    """Write `name`'s engine file into `folder` (kept if the same content is there already); returns its path."""
    data = save(engine_tensors(model), metadata={"config": json.dumps(model.config.to_dict())})
    return write_named_by_content(data, name, ".safetensors", folder)


def write_named_by_content(data: bytes, stem: str, suffix: str, folder: Path | str) -> Path:
    """`data` written as folder/stem-<12 hex digits of its hash><suffix>, unless there already; returns its path."""
    path = Path(folder) / f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}{suffix}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_bytes(data)
        partial.replace(path)  # a reader never sees half a file
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description="Write each model's weights as the page's engine loads them.")
    parser.add_argument("--weights", type=Path, default=WEIGHTS_DIR, help="folder with one folder per model")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the engine files into")
    args = parser.parse_args()
    for name in available_models(args.weights):
        path = export(load(args.weights / name), name, args.out)
        print(f"{name}: {path} ({path.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
