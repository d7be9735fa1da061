"""Photos read as garments (pixelcnn.photo, through demo.canvas), and its JavaScript twin (demo/page/photo.js)."""

import io
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bench.photos import photo_set
from demo.canvas import read_file
from pixelcnn.data import load_levels, load_raw
from pixelcnn.photo import PAGE_GREYS, garment_picture

HARNESS = Path(__file__).resolve().parent / "photo_harness.mjs"


def as_file(picture: np.ndarray, form: str = "PNG", **options) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.fromarray(picture).save(buffer, format=form, **options)
    buffer.seek(0)
    return buffer


def laid(garment: np.ndarray, size=(300, 400), at=(40, 100), side=200, ground=(0, 0, 0, 255), cloth=(255,) * 4):
    """A 28x28 grey garment (its alpha) scaled to `side` pixels, at `at` (row, col) in a picture of `size` (h, w)
    filled with `ground`: the garment's colour is `cloth` where the garment is whole, blended at its edges."""
    alpha = np.asarray(Image.fromarray(garment).resize((side, side), Image.BILINEAR), np.float64)[..., None] / 255
    picture = np.zeros((*size, 4)) + ground
    window = picture[at[0] : at[0] + side, at[1] : at[1] + side]
    window[:] = window * (1 - alpha) + np.array(cloth, np.float64) * alpha
    return picture.round().astype(np.uint8)


@pytest.fixture(scope="module")
def test_images(data_root):
    raw, _ = load_raw("test", data_root)
    return raw, load_levels("test", data_root)[0][:, 0].numpy()


def test_every_test_image_saved_as_png_reads_its_training_levels_bit_for_bit(test_images):
    raw, trained = test_images
    for image, levels in zip(raw, trained):
        reading = read_file(as_file(image))
        assert not reading.framed
        assert np.array_equal(reading.levels, levels)


def test_a_garment_reads_the_same_dark_on_light_light_on_dark_coloured_or_cut_out(test_images):
    raw, _ = test_images
    shirt = raw[1]  # a pullover
    ways = {
        "light on black": laid(shirt),
        "dark on white": laid(shirt, ground=(255, 255, 255, 255), cloth=(0, 0, 0, 255)),
        "red on wood": laid(shirt, ground=(150, 100, 60, 255), cloth=(220, 30, 30, 255)),
        "cut out": laid(shirt, ground=(0, 0, 0, 0), cloth=(30, 30, 60, 255)),
    }
    readings = {way: read_file(as_file(picture)) for way, picture in ways.items()}
    first = readings["light on black"].levels
    for way, reading in readings.items():
        assert reading.framed, way
        assert (reading.levels == first).mean() >= 0.9, way  # the same garment, whatever its colours


def test_where_and_how_large_the_garment_lies_does_not_matter(test_images):
    raw, trained = test_images
    boot = raw[0]
    corner, middle = laid(boot, at=(0, 0), side=120), laid(boot, at=(60, 120), side=240)
    a, b = (read_file(as_file(p[..., :3], "JPEG", quality=90)) for p in (corner, middle))
    assert (a.levels == b.levels).mean() >= 0.9
    assert (b.levels == trained[0]).mean() >= 0.8  # and it is the test image's own grid, near enough
    garment = trained[0] > 0
    assert (a.as_is[garment] == trained[0][garment]).mean() < 0.2  # read as it is, the boot was elsewhere


def test_photos_of_test_garments_read_as_garments_agree_with_their_test_levels(data_root, test_images):
    _, trained = test_images
    agree, agree_as_is = [], []
    for index, data, _, _ in photo_set(24, data_root):
        reading = read_file(io.BytesIO(data))
        agree.append((reading.levels == trained[index]).mean())
        agree_as_is.append((reading.as_is == trained[index]).mean())
    assert np.mean(agree) >= 0.6 and np.mean(agree) > np.mean(agree_as_is) + 0.2, (agree, agree_as_is)


def test_a_saved_grid_is_read_as_it_is_and_a_drawing_in_black_and_white_as_a_garment():
    stripes = np.array(PAGE_GREYS, np.uint8)[np.arange(256).reshape(16, 16) % 4].repeat(32, 0).repeat(32, 1)
    assert not read_file(as_file(stripes)).framed  # the page's Save PNG, uploaded again
    drawing = np.full((160, 160), 255, np.uint8)
    drawing[37:123, 57:103] = 0  # a black bar on white (a 10-pixel grid of greys is a saved grid)
    reading = read_file(as_file(drawing))
    assert reading.framed and reading.levels[:, 8].min() == 3 and reading.levels[8, 0] == 0  # white on black


@pytest.mark.parametrize("fill", [(0, 0, 0, 255), (255, 255, 255, 0), (200, 120, 40, 255)])
def test_a_plain_picture_has_nothing_to_frame(fill):
    assert garment_picture(np.zeros((60, 80, 4), np.uint8) + np.array(fill, np.uint8)) is None


def test_the_javascript_twin_gives_the_same_bytes_on_the_photo_set(data_root, tmp_path):
    """demo/page/photo.js in node, on the decoded pictures of the photo set and a few edge cases."""
    executable = shutil.which("node")
    if executable is None:
        pytest.fail("node is missing: apt-get install nodejs (scripts/test.sh does)")
    pictures = [np.asarray(Image.open(io.BytesIO(data)).convert("RGBA")) for _, data, _, _ in photo_set(16, data_root)]
    raw, _ = load_raw("test", data_root)
    pictures += [np.dstack([np.repeat(raw[5][..., None], 3, 2), np.full((28, 28), 255, np.uint8)])]  # as it is
    pictures += [np.zeros((1, 9, 4), np.uint8), np.full((20, 30, 4), 255, np.uint8)]  # a line; white, nothing
    grid = np.array(PAGE_GREYS, np.uint8)[np.arange(256).reshape(16, 16) % 4].repeat(3, 0).repeat(3, 1)
    pictures += [np.dstack([grid, grid, grid, np.full_like(grid, 255)])]  # a saved grid, as it is
    grid[0, 0] = 0  # not a saved grid any more: one pixel differs in its block
    pictures += [np.dstack([grid, grid, grid, np.full_like(grid, 255)])]
    large = np.zeros((700, 1100, 4), np.uint8) + np.array((210, 200, 190, 255), np.uint8)  # shrunk by 3, cut short
    large[200:500, 300:700] = (40, 60, 20, 255)
    pictures.append(large)
    files = []
    for i, picture in enumerate(pictures):
        path = tmp_path / f"{i}.rgba"
        path.write_bytes(picture.tobytes())
        files.append({"path": str(path), "height": picture.shape[0], "width": picture.shape[1]})
    done = subprocess.run([executable, str(HARNESS)], input=json.dumps(files), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for picture, answer in zip(pictures, json.loads(done.stdout)):
        expected = garment_picture(picture)
        if expected is None:
            assert answer is None
        else:
            assert answer is not None and answer["side"] == expected.shape[0]
            assert answer["greys"] == expected.flatten().tolist()
