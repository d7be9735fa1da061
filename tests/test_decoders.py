"""Reading a picture costs at most BUDGET bytes of memory, known from its header before anything is decoded.

A pixel limit alone let through small files that cost hundreds of MB: a progressive JPEG (libjpeg keeps its
coefficients at full size whatever scale it outputs) and a picture one pixel wide (the shrink widens each line).
The heavy versions (13000x13000, 15 at once) are in `python -m bench.hostile`.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from demo.canvas import BUDGET, MAX_PIXELS, levels_from_file, reading_cost
from demo.errors import InputError

ROOT = Path(__file__).resolve().parent.parent


def saved(picture: Image.Image, folder: Path, name: str, **options) -> Path:
    path = folder / name
    picture.save(path, **options)
    return path


def cost_of(path: Path) -> int:
    """reading_cost of the picture in `path`, at the scale demo.canvas reads it."""
    with Image.open(path) as picture:
        size = picture.size
        if picture.format == "JPEG":
            picture.draft("RGB", (256, 256))
        return reading_cost(picture, size)


def test_a_progressive_jpeg_counts_its_coefficients_at_full_size(tmp_path):
    """6000x6000 greys: read at 1/8 scale (750x750, far under the pixel limit) but 72 MB of coefficients."""
    path = saved(Image.new("L", (6000, 6000), 90), tmp_path, "p.jpg", progressive=True, quality=10)
    with pytest.raises(InputError, match=r"6000x6000 picture would take \d+ MB .* up to 64 MB"):
        levels_from_file(path)
    plain = saved(Image.new("L", (6000, 6000), 90), tmp_path, "b.jpg", quality=10)  # baseline: read at 1/8
    assert levels_from_file(plain).shape == (16, 16)


@pytest.mark.parametrize("mode", ["L", "RGBA"])
def test_a_picture_one_pixel_wide_counts_what_its_shrink_takes(tmp_path, mode):
    """1 x 4,194,304 pixels, at the pixel limit: +309 MB (greys) and +329 MB (RGBA) measured before."""
    path = saved(Image.new(mode, (1, MAX_PIXELS)), tmp_path, "thin.png", optimize=True)
    with pytest.raises(InputError, match=f"1x{MAX_PIXELS} picture would take"):
        levels_from_file(path)


@pytest.mark.parametrize(
    "picture,name",
    [
        (Image.new("RGB", (4000, 3000), (90, 30, 20)), "photo.jpg"),  # a phone's photo
        (Image.new("RGBA", (2048, 2048), (9, 9, 9, 200)), "screen.png"),
        (Image.new("L", (28, 28), 200), "garment.png"),
    ],
)
def test_ordinary_pictures_are_read(tmp_path, picture, name):
    path = saved(picture, tmp_path, name)
    assert cost_of(path) < BUDGET and levels_from_file(path).shape == (16, 16)


@pytest.mark.parametrize(
    "picture,name,options",
    [
        (Image.new("L", (4, 580_000), 90), "thin.png", {"optimize": True}),  # the shrink's first pass
        (Image.new("L", (5000, 5000), 90), "progressive.jpg", {"progressive": True, "quality": 10}),
        (Image.new("RGBA", (1700, 1700), (9, 9, 9, 200)), "lossless.webp", {"lossless": True}),
    ],
)
def test_the_cost_computed_from_the_header_is_what_reading_takes(tmp_path, picture, name, options):
    """Pictures just under the budget, each read in a process of its own (Linux): its peak memory, above the same
    process after reading a tiny picture, is within 15% + 6 MB of reading_cost, and under 1.2x the budget."""
    path, tiny = saved(picture, tmp_path, name, **options), saved(Image.new("L", (8, 8)), tmp_path, "tiny.png")
    estimate = cost_of(path)
    assert BUDGET / 2 < estimate <= BUDGET
    script = (  # Linux: writing 5 to clear_refs resets the peak (VmHWM) to the memory held now
        "import sys\nfrom pathlib import Path\nfrom demo.canvas import levels_from_file\n"
        "status = Path('/proc/self/status')\n"
        "peak = lambda: int(next(l for l in status.read_text().split('\\n') if l.startswith('VmHWM')).split()[1])\n"
        "levels_from_file(sys.argv[1]); Path('/proc/self/clear_refs').write_text('5'); before = peak()\n"
        "levels_from_file(sys.argv[2]); print((peak() - before) * 1024)\n"
    )
    measured = int(subprocess.check_output([sys.executable, "-c", script, tiny, path], cwd=ROOT, text=True))
    assert abs(measured - estimate) < 0.15 * estimate + 6 * 2**20, (measured / 2**20, estimate / 2**20)
    assert measured < 1.2 * BUDGET
