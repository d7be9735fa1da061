"""The page's handlers as plain functions: canvas conversion, validation, generation, surprise."""

import math

import numpy as np
import pytest
from PIL import Image

from demo.canvas import CANVAS, GREYS, InputError, to_canvas, to_levels
from demo.handlers import check_known_rows, check_seed, check_temperature, preview


def painted(levels: np.ndarray) -> dict:
    return {"background": to_canvas(levels), "layers": [], "composite": None}


def test_canvas_cells_become_the_nearest_level():
    levels = np.arange(256).reshape(16, 16) % 4
    assert np.array_equal(to_levels(to_canvas(levels)), levels)
    assert np.array_equal(to_levels(painted(levels)), levels)


def test_a_cell_takes_the_level_nearest_its_average():
    canvas = to_canvas(np.zeros((16, 16), np.int64))
    cell = CANVAS // 16
    canvas[:cell, : 3 * cell // 4, :3] = 255  # 3/4 of the first cell white: average 191 -> level 2 (170)
    canvas[:cell, cell : cell + cell // 4, :3] = 255  # a quarter of the second cell: 63.75 -> level 1 (85)
    levels = to_levels(canvas)
    assert levels[0, 0] == 2 and levels[0, 1] == 1 and levels[0, 2:].sum() == 0


def test_transparent_is_black_and_white_stays_white():
    clear = np.zeros((CANVAS, CANVAS, 4), np.uint8)
    assert to_levels(clear).max() == 0
    white = np.full((40, 40, 4), 255, np.uint8)
    assert to_levels(white).min() == 3


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "P", "1"])
@pytest.mark.parametrize("size", [(1, 1), (7, 5), (16, 16), (2000, 1500)])
def test_any_mode_and_size_gives_a_16x16_grid(mode, size):
    picture = Image.new("RGB", size, (GREYS[2],) * 3).convert(mode)
    levels = to_levels(picture)
    assert levels.shape == (16, 16) and levels.min() >= 0 and levels.max() <= 3


def test_layers_without_composite_are_composited():
    top = np.zeros((CANVAS, CANVAS, 4), np.uint8)
    top[: CANVAS // 16, :, :] = 255  # a white first row on a transparent layer
    value = {"background": None, "layers": [top], "composite": None}
    levels = to_levels(value)
    assert levels[0].min() == 3 and levels[1:].max() == 0


@pytest.mark.parametrize("value", [None, {"background": None, "layers": [], "composite": None}, {}])
def test_no_drawing_is_none(value):
    assert to_levels(value) is None


@pytest.mark.parametrize("bad", [np.zeros((3, 3, 7)), np.zeros((0, 5)), np.zeros((2, 2, 2, 2))])
def test_impossible_arrays_get_a_message(bad):
    with pytest.raises(InputError, match="shape"):
        to_levels(bad)


@pytest.mark.parametrize("value,expected", [(0, 0), (8, 8), (16, 16), (3.0, 3)])
def test_known_rows_accepted(value, expected):
    assert check_known_rows(value) == expected


@pytest.mark.parametrize("value", [-1, 17, 2.5, math.nan, None, math.inf, "abc", True])
def test_known_rows_refused(value):
    with pytest.raises(InputError, match="0"):
        check_known_rows(value)


@pytest.mark.parametrize("value", [-0.1, math.nan, math.inf, -math.inf, 1e9, "hot", None])
def test_temperature_refused(value):
    with pytest.raises(InputError, match="Temperature"):
        check_temperature(value)


@pytest.mark.parametrize("value", [-1, 2**31, 1.5, math.nan, None, "x", 1e30])
def test_seed_refused(value):
    with pytest.raises(InputError, match="seed"):
        check_seed(value)


def test_preview_shows_rows_to_generate_in_blue():
    picture, note = preview(painted(np.full((16, 16), 3)), 4)
    assert "rows 0-3" in note
    scale = picture.shape[0] // 16
    assert tuple(picture[4 * scale + scale // 2, scale // 2]) == (40, 60, 110)  # row 4: to be generated
    assert tuple(picture[scale // 2, scale // 2]) == (255, 255, 255)  # row 0: kept


def test_stream_keeps_rows_and_is_reproducible(demo_app):
    sketch = painted(np.eye(16, dtype=np.int64) * 3)
    runs = [list(demo_app.complete("pixelcnn", sketch, 10, 1.0, 42, 0)) for _ in range(2)]
    assert runs[0][-1].result == runs[1][-1].result
    final = np.array(runs[0][-1].result["levels"])
    assert np.array_equal(final[:10], np.eye(16, dtype=np.int64)[:10] * 3)
    positions = [f.result["row"] * 16 + f.result["col"] for f in runs[0] if f.result["row"] is not None]
    assert positions == sorted(positions) and positions[0] >= 160 and positions[-1] == 255
    assert "Done in" in runs[0][-1].status


def test_nothing_drawn_with_rows_to_keep_is_a_message(demo_app):
    with pytest.raises(InputError, match="Nothing is drawn"):
        list(demo_app.complete("pixelcnn", None, 4, 1.0, 0, 0))
    assert list(demo_app.complete("pixelcnn", None, 0, 1.0, 0, 0))[-1].result["done"]  # from scratch is fine


def test_all_rows_known_generates_nothing(demo_app):
    frames = list(demo_app.complete("pixelcnn", painted(np.ones((16, 16), np.int64)), 16, 1.0, 0, 0))
    assert frames[-1].result["levels"] == np.ones((16, 16), int).tolist()


def test_gallery_gives_different_completions(demo_app):
    items = demo_app.gallery("pixelcnn", painted(np.zeros((16, 16), np.int64)), 0, 1.0, 5)
    assert [label for _, label in items] == ["seed 5", "seed 6", "seed 7", "seed 8"]
    assert len({picture.tobytes() for picture, _ in items}) > 1


def test_surprise_scores_kept_rows(demo_app):
    real = demo_app.samples[0]
    noise = np.random.default_rng(0).integers(0, 4, (16, 16))
    _, real_text = demo_app.surprise("pixelcnn", painted(real), 8)
    _, noise_text = demo_app.surprise("pixelcnn", painted(noise), 8)
    score = lambda text: float(text.split("**")[1].split()[0])  # noqa: E731
    assert score(real_text) < score(noise_text)


def test_masks_and_receptive_field_pictures(demo_app):
    a, b = demo_app.masks("pixelcnn")
    assert a.shape == (7 * 32, 7 * 32, 3) and b.shape[0] == b.shape[1] and b.shape[0] % 3 == 0
    field = demo_app.receptive_field("pixelcnn", 8, 8)
    assert field.shape == (256, 256, 3)
    with pytest.raises(InputError):
        demo_app.receptive_field("pixelcnn", 16, 0)
    with pytest.raises(InputError, match="Unknown model"):
        demo_app.masks("gated")


def test_sample_images_are_numbered_from_zero(demo_app):
    canvas, note = demo_app.sample_image(3)
    assert np.array_equal(to_levels(canvas), demo_app.samples[3]) and note.startswith("Test image 3")
    for bad in (-1, len(demo_app.samples), None, 2.5):
        with pytest.raises(InputError, match="numbered 0 to"):
            demo_app.sample_image(bad)


def test_all_black_kept_rows_are_pointed_out(demo_app):
    first = next(demo_app.complete("pixelcnn", painted(np.zeros((16, 16), np.int64)), 4, 1.0, 0, 0))
    assert "all black" in first.status
