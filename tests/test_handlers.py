"""The page's and the API's handlers as plain functions: pictures to levels, validation, traces, limits."""

import io
import math

import numpy as np
import pytest
import torch
from PIL import Image

import pixelcnn
from demo.canvas import GREYS, MAX_PIXELS, grey_on_black, levels_from_file, picture_levels
from demo.errors import InputError
from demo.handlers import (
    DemoApp,
    check_hole,
    check_known_rows,
    check_label,
    check_levels,
    check_seed,
    check_temperature,
)
from pixelcnn.data import CLASS_NAMES
from pixelcnn.gated import GatedPixelCNN, GatedPixelCNNConfig

STRIPES = (np.arange(256).reshape(16, 16) % 4).tolist()


@pytest.fixture(scope="module")
def two_models(shipped_model) -> DemoApp:
    """The shipped plain model beside a tiny random gated one (its weights do not matter here)."""
    torch.manual_seed(0)  # test-only: fixed random weights
    return DemoApp(
        {"pixelcnn": shipped_model, "gated": GatedPixelCNN(GatedPixelCNNConfig(channels=8, layers=2)).eval()}
    )


def saved(picture: Image.Image, tmp_path, name="picture.png", **options) -> str:
    path = tmp_path / name
    picture.save(path, **options)
    return str(path)


# ---- pictures -> levels


def test_a_grid_saved_as_a_16x16_picture_comes_back_as_the_same_grid(tmp_path):
    grey = np.array(GREYS, np.uint8)[np.array(STRIPES)]  # the page's own greys, one pixel a cell
    assert levels_from_file(saved(Image.fromarray(grey), tmp_path)).tolist() == STRIPES


def test_transparent_is_black_and_white_stays_white():
    assert picture_levels(Image.new("RGBA", (40, 40), (255, 255, 255, 0))).max() == 0
    assert picture_levels(Image.new("RGBA", (40, 40), (255, 255, 255, 255))).min() == 3
    assert picture_levels(Image.new("RGBA", (40, 40), (255, 255, 255, 128))).min() == 2  # half white on black: 128


def test_the_picture_is_laid_on_black_before_it_is_shrunk():
    rgba = np.random.default_rng(0).integers(0, 256, (64, 64, 4), np.uint8)
    on_black = Image.new("RGBA", (64, 64), (0, 0, 0, 255))
    on_black.alpha_composite(Image.fromarray(rgba))  # the rule, step by step, at full size
    reference = np.asarray(on_black.convert("L"), np.int64)
    greys, white = grey_on_black(Image.fromarray(rgba))
    assert white == 255 and np.abs(greys - reference).max() <= 2  # the two ways round at different steps


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "P", "1", "LA", "CMYK"])
@pytest.mark.parametrize("size", [(1, 1), (7, 5), (2000, 1500)])
def test_any_mode_and_size_gives_a_16x16_grid(mode, size):
    levels = picture_levels(Image.new("RGB", size, (GREYS[2],) * 3).convert(mode))
    assert levels.shape == (16, 16) and levels.min() >= 0 and levels.max() <= 3


def test_sixteen_bit_grey_is_scaled_not_read_as_white(tmp_path):
    mid = np.full((32, 32), 170 * 257, np.uint16)  # 170/255 of the 16-bit range: light grey
    path = saved(Image.fromarray(mid), tmp_path)
    assert Image.open(path).mode.startswith("I")
    assert levels_from_file(path).tolist() == [[2] * 16] * 16


@pytest.mark.parametrize("scale,expected", [(1.0, 1), (255.0, 1)])  # floats in [0, 1], or 0-255
def test_float_grey_is_scaled(tmp_path, scale, expected):
    values = np.full((16, 16), 85 / 255 * scale, np.float32)
    path = saved(Image.fromarray(values, mode="F"), tmp_path, "float.tiff")
    assert levels_from_file(path).tolist() == [[expected] * 16] * 16


def test_a_large_jpeg_is_read_at_a_reduced_scale_with_the_same_levels(tmp_path):
    path = saved(Image.new("RGB", (3000, 2000), (170, 170, 170)), tmp_path, "photo.jpg", quality=95)
    assert levels_from_file(path).tolist() == [[2] * 16] * 16


@pytest.mark.parametrize(
    "side,message",
    [(2049, "2049x2049 pixels; pictures up to 2048x2048"), (20000, f"more than {MAX_PIXELS / 1e6:.1f} million")],
)
def test_a_huge_picture_is_refused_before_decoding(tmp_path, side, message):
    path = saved(Image.new("1", (side, side)), tmp_path, optimize=True)  # a few KB on disk, 169 M+ pixels
    assert side * side > MAX_PIXELS
    with pytest.raises(InputError, match=message):
        levels_from_file(path)


@pytest.mark.parametrize(
    "content,message",
    [(b"hello, I am text", "not a picture"), (b"", "not a picture"), (None, "No picture")],
)
def test_files_that_are_not_pictures_get_a_message(tmp_path, content, message):
    path = None
    if content is not None:
        path = tmp_path / "fake.png"
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        levels_from_file(path)


def test_a_truncated_png_gets_a_message(tmp_path):
    buffer = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64), np.uint8)).save(buffer, format="PNG")
    path = tmp_path / "cut.png"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(InputError, match="damaged"):
        levels_from_file(path)


# ---- validation: every mistake gets our message


@pytest.mark.parametrize("value", [-1, 17, 2.5, math.nan, None, math.inf, "abc", "8", True])
def test_known_rows_refused(value):
    with pytest.raises(InputError, match="Rows to keep"):
        check_known_rows(value)


@pytest.mark.parametrize("value", [-0.1, math.nan, math.inf, 1e9, "hot", "1.0", None])
def test_temperature_refused(value):
    with pytest.raises(InputError, match="Temperature"):
        check_temperature(value)


@pytest.mark.parametrize("value", [-1, 2**31, 1.5, math.nan, None, "12", 1e30])
def test_seed_refused(value):
    with pytest.raises(InputError, match="seed"):
        check_seed(value)


@pytest.mark.parametrize(
    "levels",
    [None, "16x16", [[0] * 16] * 15, [[0] * 15] * 16, [[4] * 16] * 16, [[-1] * 16] * 16, [[0.5] * 16] * 16,
     [["1"] * 16] * 16, [[True] * 16] * 16, [[None] * 16] * 16, [0] * 256],
)  # fmt: skip
def test_levels_that_are_not_16x16_ints_0_to_3_are_refused(levels):
    with pytest.raises(InputError, match="16 rows of 16 whole numbers"):
        check_levels(levels)


@pytest.mark.parametrize("label,expected", [(None, None), ("any", None), ("Any", None), (3, 3), ("Sandal", 5)])
def test_labels_accepted(label, expected):
    assert check_label(label, "gated", CLASS_NAMES) == expected


@pytest.mark.parametrize("label", [10, -1, "dog", 2.5, True, [1]])
def test_labels_refused(label):
    with pytest.raises(InputError, match="Garment must be"):
        check_label(label, "gated", CLASS_NAMES)


def test_a_label_for_a_model_without_classes_is_refused():
    with pytest.raises(InputError, match="knows no garment classes"):
        check_label("Trouser", "pixelcnn", ())


def test_unknown_model_is_refused(demo_app):
    for name in ("gated?", None, 3):
        with pytest.raises(InputError, match="Unknown model"):
            demo_app.complete(name, STRIPES, 8, 1.0, 0)


# ---- the trace


def test_the_trace_ends_where_complete_ends_keeps_the_rows_and_its_probabilities_sum_to_1(demo_app, shipped_model):
    result = demo_app.complete("pixelcnn", STRIPES, 10, 1.3, 42)
    x = torch.tensor(STRIPES)[None, None]
    assert result["levels"] == pixelcnn.complete(shipped_model, x, 10, 1.3, 42)[0, 0].tolist()
    assert result["levels"][:10] == STRIPES[:10] and result["seed"] == 42
    trace = result["trace"]
    assert [(e["row"], e["col"]) for e in trace] == [(r, c) for r in range(10, 16) for c in range(16)]
    assert all(result["levels"][e["row"]][e["col"]] == e["level"] for e in trace)
    for entry in trace:
        assert math.isclose(sum(entry["probs"]), 1, abs_tol=1e-6) and math.isclose(
            sum(entry["probs_t1"]), 1, abs_tol=1e-6
        )


def test_same_seed_same_trace_and_greedy_bars_are_one_hot(demo_app):
    a, b = (demo_app.complete("pixelcnn", STRIPES, 12, 0.0, 7) for _ in range(2))
    assert a == b
    assert all(sorted(e["probs"]) == [0, 0, 0, 1] for e in a["trace"])


def test_all_rows_kept_generates_nothing(demo_app):
    result = demo_app.complete("pixelcnn", STRIPES, 16, 1.0, 0)
    assert result["levels"] == STRIPES and result["trace"] == []


def test_fill_draws_the_hole_only_and_answers_like_complete(demo_app):
    hole = np.zeros((16, 16), dtype=int)
    hole[6:10, 4:12] = 1
    result = demo_app.fill("pixelcnn", STRIPES, hole.tolist(), 1.0, 3)
    assert [(e["row"], e["col"]) for e in result["trace"]] == [tuple(p) for p in np.argwhere(hole)]
    levels, stripes = np.array(result["levels"]), np.array(STRIPES)
    assert np.array_equal(levels[hole == 0], stripes[hole == 0])
    assert [e["level"] for e in result["trace"]] == levels[hole == 1].tolist()
    rows = np.zeros((16, 16), dtype=int)
    rows[9:] = 1
    as_rows = demo_app.fill("pixelcnn", STRIPES, rows.tolist(), 0.7, 4)
    assert as_rows == demo_app.complete("pixelcnn", STRIPES, 9, 0.7, 4)


@pytest.mark.parametrize(
    "hole, key",
    [(None, "bad_hole"), ([[0] * 16] * 15, "bad_hole"), ([[2] * 16] * 16, "bad_hole"), ([[True] * 16] * 16, "bad_hole"),
     ("all", "bad_hole"), ([[0] * 16] * 16, "empty_hole")],
)  # fmt: skip
def test_holes_that_are_not_16x16_zeros_and_ones_or_are_empty_are_refused(hole, key):
    with pytest.raises(InputError) as refused:
        check_hole(hole)
    assert refused.value.key == key


def test_four_completions_have_consecutive_seeds(demo_app):
    results = demo_app.completions("pixelcnn", STRIPES, 8, 1.0, 5)
    assert [r["seed"] for r in results] == [5, 6, 7, 8]
    alone = demo_app.complete("pixelcnn", STRIPES, 8, 1.0, 5)  # each one can be replayed alone
    assert results[0]["levels"] == alone["levels"]
    assert [e["level"] for e in results[0]["trace"]] == [e["level"] for e in alone["trace"]]
    assert len({str(r["levels"]) for r in results}) > 1


def test_a_garment_can_be_asked_of_the_gated_model_only(two_models):
    result = two_models.complete("gated", STRIPES, 12, 1.0, 0, "Trouser")
    assert result["levels"][:12] == STRIPES[:12] and len(result["trace"]) == 64
    with pytest.raises(InputError, match="knows no garment classes"):
        two_models.complete("pixelcnn", STRIPES, 12, 1.0, 0, 1)


def test_the_gated_model_has_no_blind_spot(two_models):
    plain, gated = (np.array(two_models.receptive_field(name, 8, 8)) for name in ("pixelcnn", "gated"))
    assert plain[7, 12:].max() == 0 and gated[7, 9:14].min() > 0  # the blind spot, up and to the right
    for field in (plain, gated):  # nobody sees the future
        assert field[8, 8:].max() == 0 and field[9:].max() == 0
    assert plain.max() == 1 and np.array(two_models.receptive_field("pixelcnn", 0, 0)).max() == 0


def test_the_pages_bits_are_low_for_the_trained_model_and_near_2_for_an_untrained_one(demo_app):
    """Bits per generated pixel, 8 rows of 10 test images kept, T = 1: measured 0.38 (trained), 2.00 (untrained)."""
    torch.manual_seed(0)  # test-only: fixed random weights
    app = DemoApp({"trained": demo_app.models["pixelcnn"], "untrained": pixelcnn.PixelCNN(pixelcnn.PixelCNNConfig())})
    bits = {name: np.mean([app.complete(name, app.samples[i].tolist(), 8, 1.0, i)["bits"] for i in range(10)])
            for name in app.models}  # fmt: skip
    assert bits["trained"] < 0.5 and bits["untrained"] > 1.9
    assert app.complete("trained", STRIPES, 16, 1.0, 0)["bits"] is None  # nothing generated, nothing scored


def test_the_pages_questions_are_answered_and_mistakes_named(demo_app):
    ask = {"model": "pixelcnn", "levels": STRIPES, "known_rows": 14, "temperature": 1.0, "seed": 3, "label": "any"}
    reply = demo_app.page({"what": "complete", "id": 7, **ask})
    assert reply["id"] == 7 and reply["result"]["trace"]
    four = demo_app.page({"what": "gallery", "id": 1, **ask})["results"]
    assert len(four) == 4 and len({r["bits"] for r in four}) == 4
    for result in [reply["result"], *four]:  # the figure is the surprise of the generated pixels, read off the trace
        surprise = [-math.log2(e["probs_t1"][e["level"]]) for e in result["trace"]]
        assert result["bits"] == pytest.approx(sum(surprise) / len(surprise), rel=1e-9)
    hole = [[int(r == 3 and c < 5) for c in range(16)] for r in range(16)]
    filled = demo_app.page({"what": "fill", "id": 4, "hole": hole, **ask})["result"]
    assert [(e["row"], e["col"]) for e in filled["trace"]] == [(3, c) for c in range(5)]
    gif = demo_app.page({"what": "gif", "id": 2, **ask})["gif"]
    assert gif.startswith("data:image/gif;base64,")
    for bad in (None, {"what": "delete"}, "complete"):
        with pytest.raises(InputError, match="reload the page"):
            demo_app.page(bad)
    with pytest.raises(InputError, match="Give a seed"):
        demo_app.page({"what": "complete", **ask, "seed": None})


def test_the_gif_shows_the_generation_frame_by_frame(demo_app):
    """D3: the GIF plays as the page does: at the PNG's size, the pixels still to draw tinted, one frame per drawn
    pixel (128 here), in their order, then the final picture."""
    from pixelcnn.figures import PENDING

    gif = Image.open(io.BytesIO(demo_app.gif("pixelcnn", STRIPES, 8, 1.0, 3)))
    answer = demo_app.complete("pixelcnn", STRIPES, 8, 1.0, 3)
    assert gif.n_frames == 1 + len(answer["trace"]) and gif.size == (512, 512)
    first = np.asarray(gif.convert("RGB"))[16::32, 16::32]
    assert (first[8:] == PENDING).all() and (first[:8] == np.array(GREYS)[np.array(STRIPES[:8])][..., None]).all()
    gif.seek(5)  # five pixels drawn: the first five of the trace, the rest still tinted
    fifth = np.asarray(gif.convert("RGB"))[16::32, 16::32]
    drawn = {(e["row"], e["col"]): e["level"] for e in answer["trace"][:5]}
    for row, col in [(r, c) for r in range(8, 16) for c in range(16)]:
        want = [GREYS[drawn[row, col]]] * 3 if (row, col) in drawn else list(PENDING)
        assert list(fifth[row, col]) == want
    gif.seek(gif.n_frames - 1)
    last = np.asarray(gif.convert("L"))[16::32, 16::32]
    assert np.array_equal(last, np.array(GREYS)[np.array(answer["levels"])])


@pytest.mark.parametrize(
    "model,row,col", [(["pixelcnn"], 1, 1), ("pixelcnn", 16, 0), ("pixelcnn", 0, "1"), (None, 0, 0)]
)
def test_receptive_field_questions_are_checked(demo_app, model, row, col):
    with pytest.raises(InputError):
        demo_app.receptive_field(model, row, col)


def test_masks_come_from_the_plain_model_and_a_model_without_blind_spot_is_noticed(demo_app, two_models):
    a, b = demo_app.masks()
    assert (a["name"], len(a["mask"]), a["mask"][3][3]) == ("A", 7, 0)  # mask A hides the centre
    assert (b["name"], len(b["mask"]), b["mask"][1][1]) == ("B", 3, 1)  # mask B lets it through
    assert not demo_app.has_model_without_blind_spot() and two_models.has_model_without_blind_spot()
    assert GatedPixelCNN(GatedPixelCNNConfig(channels=8, layers=2)).masks() == {}  # masked by its shapes
    gated_first = DemoApp({"gated": two_models.models["gated"], "pixelcnn": demo_app.models["pixelcnn"]})
    assert gated_first.masks() == demo_app.masks()


def test_a_batch_of_requests_gives_each_exactly_its_own_answer(two_models):
    asked = [("pixelcnn", 8, 1.0, 3, "any"), ("gated", 12, 0.5, 4, "Bag"), ("pixelcnn", 14, 0.0, 5, None)]
    columns = list(zip(*[(m, STRIPES, rows, t, s, label) for m, rows, t, s, label in asked]))
    batch = two_models.complete_batch(*columns)
    for (model, rows, temperature, seed, label), answer in zip(asked, batch):
        alone = two_models.complete(model, STRIPES, rows, temperature, seed, label)
        assert answer["levels"] == alone["levels"] and answer["seed"] == seed


def test_resample_from_a_pixel_keeps_every_pixel_before_it(demo_app):
    ask = {"model": "pixelcnn", "levels": STRIPES, "known_rows": 11, "temperature": 1.0, "seed": 3, "label": "any"}
    result = demo_app.page({"what": "complete", "id": 1, **ask, "known_pixels": 11 * 16 + 4})["result"]
    assert (result["trace"][0]["row"], result["trace"][0]["col"]) == (11, 4) and len(result["trace"]) == 76
    kept = [v for row in STRIPES for v in row][: 11 * 16 + 4]
    assert [v for row in result["levels"] for v in row][: 11 * 16 + 4] == kept
    assert demo_app.page({"what": "gif", "id": 2, **ask, "known_pixels": 180})["gif"].startswith("data:image/gif")
    for bad in (-1, 257, 3.5, "180"):
        with pytest.raises(InputError, match="pixels to keep"):
            demo_app.page({"what": "complete", **ask, "known_pixels": bad})
