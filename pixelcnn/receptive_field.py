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

The app does not run this: `python -m pixelcnn.export --measured` writes every pixel's field
beside the weights (`pixelcnn.measured`), and the server and the page read that file.
"""

import torch

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
