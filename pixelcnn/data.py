"""FashionMNIST at 16x16 pixels and 4 grey levels.

The exact definition (tests and evaluations depend on it) is `pixelcnn.rule.to_levels`: each 28x28
image as floats in [0, 1], shrunk to 16x16 with antialiased bilinear interpolation, then
level = floor(levels * x), clamped to levels - 1. It is the only rule: the training data and the
pictures a user uploads to the demo (on the server or in the page) go through it alike, so an
uploaded test image is what the model saw.

The data is read from the four original idx `.gz` files in a folder, with no network:
Debian's `dataset-fashion-mnist` installs them in /usr/share/datasets/fashion-mnist, the
DEFAULT_ROOT unless the environment variable FASHION_MNIST_DIR names another folder. With internet,
`download=True` uses torchvision's own download instead.
"""

import argparse
import gzip
import os
from pathlib import Path

import numpy as np
import torch

from pixelcnn import rule
from pixelcnn.configs import CLASS_NAMES

DEFAULT_ROOT = Path(os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


class MissingDataError(FileNotFoundError):
    pass


def to_levels(greys: np.ndarray, white: float = 255, size: int = 16, levels: int = 4) -> torch.Tensor:
    """Greys (N, h, w) from 0 (black) to `white` -> levels (N, 1, size, size), uint8 (`pixelcnn.rule`)."""
    return torch.from_numpy(rule.to_levels(greys, white, size, levels)[:, None])


def _read_idx(path: Path) -> np.ndarray:
    """An idx file (optionally gzipped) as a uint8 array: (N, rows, cols) for images, (N,) for labels."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    dims = raw[3]  # magic number: 0, 0, dtype (0x08 = uint8), number of dimensions
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims))
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def _find(root: Path, stem: str) -> Path | None:
    for folder in (root, root / "FashionMNIST" / "raw"):  # a plain folder, or torchvision's layout
        for name in (stem + ".gz", stem):
            if (folder / name).is_file():
                return folder / name
    return None


def load_raw(split: str, root: Path | str = DEFAULT_ROOT, download: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The original 28x28 uint8 images (N, 28, 28) and labels (N,) of split "train" or "test"."""
    root = Path(root)
    paths = [_find(root, stem) for stem in _FILES[split]]
    if all(paths):
        return _read_idx(paths[0]), _read_idx(paths[1])
    if download:
        from torchvision.datasets import FashionMNIST

        dataset = FashionMNIST(str(root), train=split == "train", download=True)
        return dataset.data.numpy(), dataset.targets.numpy().astype(np.uint8)
    raise MissingDataError(
        f"FashionMNIST not found in {root}: install it offline with "
        "`apt-get install dataset-fashion-mnist`, or use --download (torchvision, needs internet)."
    )


def load_levels(
    split: str, root: Path | str = DEFAULT_ROOT, download: bool = False, size: int = 16, levels: int = 4
) -> tuple[torch.Tensor, torch.Tensor]:
    """Quantized images (N, 1, size, size) uint8 in 0..levels-1, and labels (N,) int64."""
    images, labels = load_raw(split, root, download)
    return to_levels(images, 255, size, levels), torch.from_numpy(labels.astype(np.int64))


def main() -> None:
    parser = argparse.ArgumentParser(description="Export a small sample of quantized test images for the demo.")
    parser.add_argument("--root", default=str(DEFAULT_ROOT), help="folder with the FashionMNIST idx files")
    parser.add_argument("--download", action="store_true", help="download with torchvision if missing")
    parser.add_argument("--count", type=int, default=40, help="images to export, spread over the 10 classes")
    parser.add_argument("--out", default="demo/assets/test_samples.npz", help="output .npz (images, labels)")
    args = parser.parse_args()
    images, labels = load_levels("test", args.root, args.download)
    per_class = args.count // len(CLASS_NAMES)
    picks = torch.cat([torch.nonzero(labels == c).flatten()[:per_class] for c in range(len(CLASS_NAMES))])
    picks = picks.sort().values
    np.savez_compressed(args.out, images=images[picks, 0].numpy(), labels=labels[picks].numpy())
    print(f"wrote {len(picks)} test images (indices {picks[:3].tolist()}...) to {args.out}")


if __name__ == "__main__":
    main()
