"""Which input pixels can influence the prediction at one pixel, read off the network itself.

The masks promise causality layer by layer; what the stacked network actually sees is
their composition. For a plain PixelCNN it is not the whole past: stacking masks leaves
a "blind spot" up and to the right of the pixel (van den Oord et al., 2016b, figure 1),
which Gated PixelCNN removes with its two stacks. We measure it with gradients, for any
model of `pixelcnn.protocol`: input pixel q can influence the logits at p when
d logits(p) / d input(q) is non-zero for some input; the mean absolute gradient over a
few random images (drawn from a fixed seed: a field is a function of the model and the pixel)
shows how much. The gradient is asked of `torch.autograd.grad` for the input alone, so nothing
is written into the model's parameters.

The app does not run this: `python -m pixelcnn.gradients` (a dev install) writes every pixel's field
beside the weights (`pixelcnn.measured`), and the server and the page read that file.
"""

import argparse
import json
from pathlib import Path

import torch
from safetensors.numpy import save

from pixelcnn import checkpoint, measured
from pixelcnn.export import write_named_by_content
from pixelcnn.models import WEIGHTS_DIR, WEIGHTS_FILE, available_models, sha256
from pixelcnn.protocol import Model


def _random_inputs(model: Model, samples: int, seed: int) -> torch.Tensor:
    """(S, 1, H, W) scaled random images, the same for a seed."""
    size, levels = model.config.image_size, model.config.levels
    generator = torch.Generator().manual_seed(seed)
    x = torch.randint(0, levels, (samples, 1, size, size), generator=generator)
    return model.scale(x.to(next(model.parameters()).device))


def receptive_field(model: Model, row: int, col: int, samples: int = 8, seed: int = 0) -> torch.Tensor:
    """(H, W) mean |d logits(row, col) / d input| over `samples` random images; 0 where unseen."""
    inputs = _random_inputs(model, samples, seed).requires_grad_(True)  # (S, 1, H, W) floats
    logits = model.forward_scaled(inputs)  # (S, L, H, W)
    (gradient,) = torch.autograd.grad(logits[:, :, row, col].abs().sum(), inputs)  # (S, 1, H, W)
    return gradient.abs().mean(dim=(0, 1)).cpu()  # (H, W)


def receptive_fields(model: Model, samples: int = 8, seed: int = 0, batch: int = 32) -> torch.Tensor:
    """(H*W, H, W): `receptive_field` of every pixel in raster order, `batch` pixels per pass: each pixel gets its
    own copy of the random images, and copy p's gradient only comes from the logits at pixel p."""
    inputs = _random_inputs(model, samples, seed)  # (S, 1, H, W)
    size, fields = model.config.image_size, []
    for first in range(0, size * size, batch):
        pixels = torch.arange(first, min(first + batch, size * size), device=inputs.device)  # (P,)
        copies = inputs.repeat(len(pixels), 1, 1, 1).requires_grad_(True)  # (P * S, 1, H, W), pixel-major
        logits = model.forward_scaled(copies)  # (P * S, L, H, W)
        which = pixels.repeat_interleave(samples)  # (P * S,) the pixel each copy answers for
        picked = logits[torch.arange(len(copies)), :, which // size, which % size]  # (P * S, L)
        (gradient,) = torch.autograd.grad(picked.abs().sum(), copies)
        fields.append(gradient.abs().view(len(pixels), samples, size, size).mean(1))
    return torch.cat(fields).cpu()


SAMPLES, SEED = 8, 0  # the random images each shipped field averages over (the defaults above)


def export_measured(folder: Path | str) -> Path:
    """Every pixel's measured field (`pixelcnn.measured`) of the model in `folder`, written there under its
    content's name, replacing an older one; its metadata names the weights it was measured on (their sha256)."""
    folder = Path(folder)
    fields = measured.scaled(receptive_fields(checkpoint.load(folder), SAMPLES, SEED).numpy())  # (H*W, H, W) uint16
    about = {"scale": measured.SCALE, "samples": SAMPLES, "seed": SEED, "weights_sha256": sha256(folder / WEIGHTS_FILE)}
    data = save({"fields": fields}, metadata={measured.ABOUT: json.dumps(about, sort_keys=True)})  # one key: the
    # header's bytes (and so the file's name) do not depend on the order safetensors writes several keys in
    path = write_named_by_content(data, "measured", ".safetensors", folder)
    for old in folder.glob(measured.PATTERN):
        if old != path:
            old.unlink()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Measure every pixel's receptive field of each model, beside its weights."
    )
    parser.add_argument("--weights", type=Path, default=WEIGHTS_DIR, help="folder with one folder per model")
    args = parser.parse_args()
    for name in available_models(args.weights):
        path = export_measured(args.weights / name)
        print(f"{name}: {path} ({path.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
