"""The shipped models scored on the test set read by the one rule (`pixelcnn.rule`, NumPy, float64) and by the rule
it replaced (torch's float32 antialiased interpolation): the model cards' figures, old and new.

    python -m bench.rescore
"""

import numpy as np
import torch
from torch.nn import functional as F

from pixelcnn.checkpoint import load_pretrained
from pixelcnn.data import DEFAULT_ROOT, load_raw
from pixelcnn.rule import to_levels
from pixelcnn.train import CARD_SUBSET, evaluate


def torch_levels(images: np.ndarray) -> torch.Tensor:
    """The rule before this one: torch's antialiased bilinear shrink in float32."""
    x = torch.from_numpy(images.astype(np.float32)).div(255).unsqueeze(1)
    small = F.interpolate(x, size=(16, 16), mode="bilinear", antialias=True, align_corners=False)
    return (small * 4).floor().clamp(0, 3).to(torch.uint8)


def main() -> None:
    images, labels = load_raw("test", DEFAULT_ROOT)
    new, old = torch.from_numpy(to_levels(images)[:, None]), torch_levels(images)
    print(f"test pixels whose level differs between the two rules: {(new != old).sum().item()} of {new.numel()}")
    labels = torch.from_numpy(labels.astype(np.int64))
    for name in ("pixelcnn", "gated"):
        model = load_pretrained(name)
        for rule, levels in (("old (torch float32)", old), ("new (pixelcnn.rule)", new)):
            with torch.no_grad():
                whole, subset = evaluate(model, levels), evaluate(model, levels[:CARD_SUBSET])
                line = f"{name:8s} {rule:20s} test {whole:.4f} bits/dim, first {CARD_SUBSET}: {subset:.4f}"
                if model.config.classes:
                    line += f", given the garment: {evaluate(model, levels, labels):.4f}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
