"""Photo-like pictures of FashionMNIST test garments: what a pupil's phone gives, with the garment known.

    python -m bench.photos --out FOLDER [--count 100]   # writes the pictures, to look at them

Each picture takes one test image's garment (its grey g in [0, 1] is how much of the garment is there: an
alpha), gives it a colour and a light falling across it, and lays it anywhere (30-90% of the picture's shorter
side) on a background: light, dark or coloured, flat or a gradient, plain or striped like wood, with a soft
shadow and sensor noise; saved as JPEG or PNG, or cut out on a transparent PNG. bench.recognise reads them
the old way and the photo way and asks a classifier which garment it sees.
"""

import argparse
import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

from pixelcnn.data import DEFAULT_ROOT, load_raw

SIZES = ((800, 600), (600, 800), (1200, 900), (640, 640), (320, 240))
KINDS = ("dark on light", "light on dark", "colour on colour", "cut out")


def _colour(rng, low: int, high: int) -> np.ndarray:
    return rng.integers(low, high, 3).astype(np.float64)


def photo(garment: np.ndarray, index: int) -> tuple[bytes, str, str]:
    """A 28x28 uint8 test image -> (the file's bytes, "png" or "jpeg", its kind); picture `index` of the set
    (it picks the kind, size and randomness: the same index, the same picture)."""
    rng = np.random.default_rng(index)  # bench-only: each picture its own, reproducible
    kind = KINDS[index % len(KINDS)]
    width, height = SIZES[rng.integers(len(SIZES))]
    side = int(min(width, height) * rng.uniform(0.3, 0.9))
    g = np.asarray(Image.fromarray(garment).resize((side, side), Image.BILINEAR), np.float64) / 255
    left, top = rng.integers(0, width - side + 1), rng.integers(0, height - side + 1)
    alpha = np.zeros((height, width))
    alpha[top : top + side, left : left + side] = g
    if kind == "dark on light":
        ground, cloth = _colour(rng, 170, 256), _colour(rng, 0, 110)
    elif kind == "light on dark":
        ground, cloth = _colour(rng, 0, 90), _colour(rng, 160, 256)
    else:  # coloured, or whatever lies under a cut-out garment
        ground, cloth = _colour(rng, 40, 220), _colour(rng, 0, 256)
        while np.abs(ground - cloth).max() < 90:
            cloth = _colour(rng, 0, 256)
    ys, xs = np.mgrid[0:height, 0:width] / max(width, height)
    slope = rng.uniform(-0.5, 0.5, 2)
    light = 1 + slope[0] * (xs - 0.5) + slope[1] * (ys - 0.5)  # a gradient across the whole picture
    if rng.random() < 0.4:  # wood, or a striped cloth
        light = light + 0.06 * np.sin(xs * rng.uniform(40, 120) + 3 * np.sin(ys * 7))
    shadow = Image.fromarray((alpha * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(side * 0.03))
    shift = rng.integers(0, side // 15 + 1, 2)
    shadow = np.roll(np.asarray(shadow, np.float64) / 255, tuple(shift), axis=(0, 1))
    background = ground * (light * (1 - 0.35 * shadow))[..., None]
    shading = rng.uniform(0.8, 1.15) + 0.3 * (xs - ys)  # light falling across the garment
    picture = background * (1 - alpha[..., None]) + (cloth * shading[..., None]) * alpha[..., None]
    picture = np.clip(picture + rng.normal(0, 3, picture.shape), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    if kind == "cut out":
        opaque = np.clip(alpha * 3, 0, 1)  # the garment's own shape, its soft edge kept
        cut = np.clip(cloth * shading[..., None] * (0.6 + 0.4 * alpha[..., None]), 0, 255).astype(np.uint8)
        rgba = np.dstack([cut, (opaque * 255).astype(np.uint8)])
        Image.fromarray(rgba, "RGBA").save(buffer, format="PNG")
        return buffer.getvalue(), "png", kind
    if rng.random() < 0.7:
        Image.fromarray(picture).save(buffer, format="JPEG", quality=int(rng.integers(70, 93)))
        return buffer.getvalue(), "jpeg", kind
    Image.fromarray(picture).save(buffer, format="PNG")
    return buffer.getvalue(), "png", kind


def photo_set(count: int, root=DEFAULT_ROOT):
    """The set's first `count` pictures: (test image index, the file's bytes, its format, its kind) each, taken from
    test images spread over the ten classes (picture i shows test image 97 i, modulo 10,000)."""
    images, _ = load_raw("test", root)
    for i in range(count):
        index = 97 * i % len(images)
        yield (index, *photo(images[index], i))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="folder to write the pictures into")
    parser.add_argument("--count", type=int, default=100, help="pictures to make")
    parser.add_argument("--data", default=str(DEFAULT_ROOT), help="folder with the FashionMNIST idx files")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for i, (index, data, form, kind) in enumerate(photo_set(args.count, args.data)):
        (out / f"{i:03d}-test{index}-{kind.replace(' ', '-')}.{'jpg' if form == 'jpeg' else 'png'}").write_bytes(data)
    print(f"wrote {args.count} pictures to {out}")


if __name__ == "__main__":
    main()
