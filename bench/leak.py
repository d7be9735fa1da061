"""What the leaky model's loss says, and what its pictures say, beside an honest model's.

    python -m bench.leak [--models leaky pixelcnn] [--seeds 16] [--train 55000] [--threads 1]

For each model (shipped weights): teacher-forced bits/dim, as training scores it (every pixel predicted from the
true image), on the 55,000 training images (or the first `--train`), the 5,000 validation images and the 10,000
test images; the copy
rate on the test images (how often its most likely level is the pixel's own level); then what it draws, as the
page does: from scratch at T = 1 over `--seeds` seeds, the share of pixels at level 0 (a blank image is all 0),
and the test garments 0..seeds-1 with their top 8 rows kept (are they kept, and how much of the rest is 0). The
figures of weights/leaky/MODEL_CARD.md and of the page's texts come from this command.
"""

import argparse
import time

import torch

import pixelcnn
from pixelcnn.data import DEFAULT_ROOT, load_levels
from pixelcnn.likelihood import copy_rate
from pixelcnn.train import VALIDATION, evaluate

KEPT_ROWS = 8


def drawn_figures(model, test_images, seeds: int) -> dict:
    """From scratch and below kept rows, at T = 1, seeds 0..seeds-1: the share of drawn pixels at level 0."""
    blank = torch.zeros(seeds, 1, 16, 16, dtype=torch.long)
    scratch = pixelcnn.complete(model, blank, 0, 1.0, list(range(seeds)))
    garments = test_images[:seeds]
    below = pixelcnn.complete(model, garments, KEPT_ROWS, 1.0, list(range(seeds)))
    return dict(
        scratch_zero=(scratch == 0).float().mean().item(),
        per_seed_min=(scratch == 0).float().flatten(1).mean(1).min().item(),
        kept=bool(torch.equal(below[:, :, :KEPT_ROWS], garments[:, :, :KEPT_ROWS])),
        below_zero=(below[:, :, KEPT_ROWS:] == 0).float().mean().item(),
        true_below_zero=(garments[:, :, KEPT_ROWS:] == 0).float().mean().item(),
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=["leaky", "pixelcnn"], help="shipped models or folders")
    parser.add_argument("--seeds", type=int, default=16, help="images drawn from scratch, and garments completed")
    parser.add_argument("--train", type=int, default=55000, help="training images scored (the first N)")
    parser.add_argument("--data", default=str(DEFAULT_ROOT), help="folder with the FashionMNIST idx .gz files")
    parser.add_argument("--threads", type=int, help="CPU threads for PyTorch (default: all cores)")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    images, _ = load_levels("train", args.data)
    test_images, _ = load_levels("test", args.data)
    splits = {"train": images[:-VALIDATION][: args.train], "validation": images[-VALIDATION:], "test": test_images}
    for name in args.models:
        start, model = time.time(), pixelcnn.load_pretrained(name)
        bpd = {split: evaluate(model, levels) for split, levels in splits.items()}
        copied = copy_rate(model, test_images)
        drawn = drawn_figures(model, test_images, args.seeds)
        print(f"{name} ({model.config.describe()}), {time.time() - start:.0f} s")
        sizes = {split: f"{len(levels):,}" for split, levels in splits.items()}
        print("  teacher-forced bits/dim: " + ", ".join(f"{k} {v:.5f} ({sizes[k]})" for k, v in bpd.items()))
        print(f"  copy rate (most likely level == the pixel's own), {len(test_images):,} test images: {copied:.4%}")
        print(
            f"  drawn from scratch, T = 1, {args.seeds} seeds: {drawn['scratch_zero']:.1%} of pixels at level 0 "
            f"(the least blank image: {drawn['per_seed_min']:.1%})"
        )
        print(
            f"  {args.seeds} test garments, top {KEPT_ROWS} rows kept: kept {'exactly' if drawn['kept'] else 'NOT'}; "
            f"rows drawn below: {drawn['below_zero']:.1%} at level 0 (the true rows: {drawn['true_below_zero']:.1%})"
        )


if __name__ == "__main__":
    main()
