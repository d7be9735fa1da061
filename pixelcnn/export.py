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

A snapshot of "watch it learn" (`pixelcnn.snapshots`: int8 rows, one scale per row) is exported as it is
shipped (`export_snapshot`): each stepper matrix whose weights were int8 stays int8, its rows the output
channels as in the snapshot, with `scale:NAME` (float32, one per row) and, where the stepper folds a factor
in (the plain model's input scaling), `fold:NAME`; engine.js's readWeights computes
fround(fround(code * scale) * fold), the very float32 products of `snapshots.decode` and `numpy_layers.dense`.
The export checks that this gives Python's served matrices bit for bit before it writes the file.
"""

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np
from safetensors.numpy import save

from pixelcnn import snapshots
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


def dequantize(codes: np.ndarray, scale: np.ndarray, fold: np.float32 | None) -> np.ndarray:
    """codes (R, ...) int8, scale (R,) float32 -> float32, rounded as engine.js's readWeights rounds: each product
    once to float32 (code * scale is exact: 8 bits times float16's 11), then times `fold` if any."""
    weights = codes.astype(np.float32) * scale.reshape(-1, *[1] * (codes.ndim - 1))
    return weights if fold is None else weights * fold


def snapshot_tensors(folder: Path | str, epoch: int) -> dict[str, np.ndarray]:
    """The engine tensors of a snapshot as it is shipped: the quantized ones as int8 codes laid out as the stepper
    reads them, with `scale:NAME` and, where the stepper folds a factor in, `fold:NAME` (see the module's doc)."""
    config, state = snapshots.read(folder, epoch)
    served = engine_tensors(ServedModel(config, state))  # Python's own matrices, the reference
    shipped = snapshots.stored(folder, epoch)
    quantized = {name for name in shipped if snapshots.SCALE + name in shipped}

    def laid_out(replace) -> dict[str, np.ndarray]:  # the stepper's matrices from the state with weights replaced
        return engine_tensors(ServedModel(config, {**state, **{n: replace(n) for n in quantized}}))

    codes = laid_out(lambda n: shipped[n].astype(np.float32))  # masked, sliced, reordered: still whole numbers
    ones = laid_out(lambda n: np.ones_like(state[n]))  # 1 where a weight is read, times the factor folded in
    tensors = {}
    for name, value in served.items():
        source = name.removesuffix(".weight") + ".weight"  # "first.weight", "layers.0.class_bias" -> its weight
        if source not in quantized:
            tensors[name] = value
            continue
        folds = np.unique(ones[name][ones[name] != 0])
        if len(folds) != 1:
            raise ValueError(f"{name}: the stepper does not read {source} times one factor")
        fold = None if folds[0] == 1 else np.float32(folds[0])
        code = np.rint(codes[name] / (fold or 1)).astype(np.int8)
        scale = shipped[snapshots.SCALE + source].astype(np.float32)
        if not np.array_equal(dequantize(code, scale, fold), value):
            raise ValueError(f"{name}: its int8 rows do not give Python's served weights")
        tensors[name], tensors[f"scale:{name}"] = code, scale
        if fold is not None:
            tensors[f"fold:{name}"] = np.array([fold], np.float32)
    return tensors


def export_snapshot(folder: Path | str, epoch: int, name: str, out: Path | str) -> Path:
    """Write the engine file of `name`'s snapshot after `epoch` epochs into `out`, named by content (int8 as
    shipped); returns its path."""
    config = snapshots.config(folder, epoch)
    data = save(snapshot_tensors(folder, epoch), metadata={"config": json.dumps(config.to_dict())})
    return write_named_by_content(data, f"{name}-epoch{epoch}", ".safetensors", out)


def write_named_by_content(data: bytes, stem: str, suffix: str, folder: Path | str) -> Path:
    """`data` written as folder/stem-<12 hex digits of its hash><suffix>, unless there already; returns its path."""
    path = Path(folder) / f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}{suffix}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_bytes(data)
        partial.replace(path)  # a reader never sees half a file
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write each model's weights as the page's engine loads them.")
    parser.add_argument("--weights", type=Path, default=WEIGHTS_DIR, help="folder with one folder per model")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the engine files into")
    parser.add_argument("--snapshots", action="store_true", help="also each snapshot of 'watch it learn' (int8)")
    args = parser.parse_args(argv)
    for name in available_models(args.weights):
        path = export(load(args.weights / name), name, args.out)
        print(f"{name}: {path} ({path.stat().st_size / 1e6:.2f} MB)")
        for epoch in snapshots.epochs(args.weights / name) if args.snapshots else []:
            path = export_snapshot(args.weights / name, epoch, name, args.out)
            print(f"{name} after {epoch} epochs: {path} ({path.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
