"""Which input pixels can influence the prediction at one pixel, read off the network itself.

The masks promise causality layer by layer; what the stacked network actually sees is
their composition. For a plain PixelCNN it is not the whole past: stacking masks leaves
a "blind spot" up and to the right of the pixel (van den Oord et al., 2016b, figure 1),
which Gated PixelCNN removes with its two stacks. We measure it with gradients, for any
model of `pixelcnn.protocol`: input pixel q can influence the logits at p when
d logits(p) / d input(q) is non-zero for some input; the mean absolute gradient over a
few random images shows how much. The gradient is asked of `torch.autograd.grad` for the input
alone, so nothing is written into the model's parameters: the app serves fields from a shared
model, several requests at once.
"""

import torch

from pixelcnn.protocol import Model


def receptive_field(model: Model, row: int, col: int, samples: int = 8, seed: int = 0) -> torch.Tensor:
    """(H, W) mean |d logits(row, col) / d input| over `samples` random images; 0 where unseen."""
    size, levels = model.config.image_size, model.config.levels
    generator = torch.Generator().manual_seed(seed)
    device = next(model.parameters()).device
    x = torch.randint(0, levels, (samples, 1, size, size), generator=generator).to(device)
    inputs = model.scale(x).requires_grad_(True)  # (S, 1, H, W) floats
    logits = model.forward_scaled(inputs)  # (S, L, H, W)
    (gradient,) = torch.autograd.grad(logits[:, :, row, col].abs().sum(), inputs)  # (S, 1, H, W)
    return gradient.abs().mean(dim=(0, 1)).cpu()  # (H, W)
