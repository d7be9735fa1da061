"""Does an uploaded test image give the levels the model was trained on?

    python -m bench.uploads [--count 200] [--data FOLDER]

Saves the first `count` FashionMNIST test images (their 28x28 originals) as PNG files, sends each
through the demo's upload path (`demo.canvas.levels_from_file`) and compares the 16x16 levels with
the training data's (`pixelcnn.data.load_levels`). Prints the share of pixels at their training level
and the share of white pixels both ways.
"""

import argparse
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from demo.canvas import levels_from_file
from pixelcnn.data import DEFAULT_ROOT, load_levels, load_raw


def upload_agreement(count: int, root: Path | str = DEFAULT_ROOT) -> dict[str, float]:
    """Shares over the first `count` test images: pixels equal, white in training, white uploaded."""
    raw, _ = load_raw("test", root)
    trained = load_levels("test", root)[0][:count, 0].numpy()  # (N, 16, 16)
    with tempfile.TemporaryDirectory() as folder:
        uploaded = []
        for i, image in enumerate(raw[:count]):
            path = Path(folder) / f"test-{i}.png"
            Image.fromarray(image).save(path)
            uploaded.append(levels_from_file(path))
    uploaded = np.stack(uploaded)
    return {
        "equal": float((uploaded == trained).mean()),
        "white_training": float((trained == 3).mean()),
        "white_uploaded": float((uploaded == 3).mean()),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200, help="test images to upload")
    parser.add_argument("--data", default=str(DEFAULT_ROOT), help="folder with the FashionMNIST idx files")
    args = parser.parse_args(argv)
    shares = upload_agreement(args.count, args.data)
    print(
        f"{args.count} test images uploaded as PNG: {shares['equal']:.1%} of pixels at their training level; "
        f"white {shares['white_training']:.1%} of pixels in training, {shares['white_uploaded']:.1%} uploaded"
    )


if __name__ == "__main__":
    main()
