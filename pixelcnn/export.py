"""The weights the page's engine (demo/engine.js) loads: one float32 safetensors file per model.

The matrices are taken from the Python steppers themselves (`pixelcnn.incremental`,
`pixelcnn.gated_incremental`), already laid out as a step uses them: masks applied, the input
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

from pixelcnn.checkpoint import WEIGHTS_DIR, available_models, load
from pixelcnn.protocol import Model


def _layer(tensors: dict, name: str, layer: tuple[np.ndarray, np.ndarray]) -> None:
    """A stepper's (bias, weight (C_in, C_out)) as name.bias and name.weight (C_out, C_in), the rows engine.js reads."""
    tensors[f"{name}.bias"], tensors[f"{name}.weight"] = layer[0], layer[1].T


def engine_tensors(model: Model) -> dict[str, np.ndarray]:
    """name -> float32 array, the stepper's (bias, weight (C_in, C_out)) pairs under the names engine.js reads."""
    size, tensors = model.config.image_size, {}
    stepper = model.stepper(np.zeros((1, size, size), np.int64), 0)
    if model.config.name == "gated":
        for i, ((_, horizontal, out), (_, _, vertical, to_horizontal, _, _), layer) in enumerate(
            zip(stepper.layers, stepper.vertical, model.layers)
        ):
            _layer(tensors, f"layers.{i}.horizontal", horizontal)
            _layer(tensors, f"layers.{i}.out", out)
            _layer(tensors, f"layers.{i}.vertical", vertical)
            _layer(tensors, f"layers.{i}.to_horizontal", to_horizontal)
            tensors[f"layers.{i}.class_bias"] = layer.class_bias.weight.detach().float().numpy()  # (classes+1, 4C)
        _layer(tensors, "hidden", stepper.hidden)
        _layer(tensors, "logits", stepper.logit)
    else:
        _layer(tensors, "first", stepper.first)
        for i, (reduce, masked, expand) in enumerate(stepper.blocks):
            for name, layer in (("reduce", reduce), ("masked", masked), ("expand", expand)):
                _layer(tensors, f"blocks.{i}.{name}", layer)
        for i, layer in enumerate(stepper.head):
            _layer(tensors, f"head.{i}", layer)
        _layer(tensors, "out", stepper.out)
    return {name: np.ascontiguousarray(array, np.float32) for name, array in tensors.items()}


def export(model: Model, name: str, folder: Path | str) -> Path:
    """Write `name`'s engine file into `folder` (kept if the same content is there already); returns its path."""
    data = save(engine_tensors(model), metadata={"config": json.dumps(model.config.to_dict())})
    path = Path(folder) / f"{name}-{hashlib.sha256(data).hexdigest()[:12]}.safetensors"
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
