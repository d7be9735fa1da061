"""'Watch it learn' in the app: the same seeds at every epoch, the nearest snapshot, our messages for mistakes."""

import numpy as np
import pytest
from conftest import served

from demo.errors import InputError
from demo.learning import Learning


@pytest.fixture(scope="module")
def learning():
    return Learning(["pixelcnn", "gated"])


def test_both_shipped_models_have_snapshots_and_curves(learning):
    assert learning.names() == ["pixelcnn", "gated"]
    assert learning.curves["pixelcnn"] and learning.curves["gated"]
    assert learning.curve_picture(1).shape[2] == 3


@pytest.mark.parametrize("name", ["pixelcnn", "gated"])
def test_same_seed_same_samples_and_the_epoch_changes_them(learning, name):
    a, b = learning.learning(name, 1, 5), learning.learning(name, 1, 5)
    assert a == b and a["epoch"] == 1 and np.array(a["samples"]).shape == (16, 16, 16)
    assert learning.learning(name, 0, 5)["samples"] != a["samples"]


def test_an_epoch_between_snapshots_shows_the_nearest(learning):
    found = learning.epochs["gated"]
    assert learning.learning("gated", found[-1] + 0.4, 0)["epoch"] == found[-1]


def test_changing_model_keeps_the_epoch_if_it_was_trained_that_long(learning):
    plain, gated = max(learning.epochs["pixelcnn"]), max(learning.epochs["gated"])
    assert plain != gated
    assert learning.epoch_for("gated", 2) == 2 and learning.epoch_for("pixelcnn", 2) == 2
    longer, shorter = sorted(["pixelcnn", "gated"], key=lambda name: -max(learning.epochs[name]))
    assert learning.epoch_for(shorter, max(learning.epochs[longer])) == max(learning.epochs[shorter])
    for name, shown in [("nope", 3), ("gated", None), ("gated", -1), (None, 3)]:
        assert learning.epoch_for(name, shown) in (0, gated)


@pytest.mark.parametrize(
    "model,epoch,seed,message",
    [("pixelcnn++", 1, 0, "No snapshots"), ("gated", "one", 0, "epoch must be a number"),
     ("gated", float("nan"), 0, "epoch must be a number"), ("gated", 1, -1, "seed must be"),
     ("gated", 1, 1.5, "seed must be")],
)  # fmt: skip
def test_mistakes_get_our_message(learning, model, epoch, seed, message):
    with pytest.raises(InputError, match=message):
        learning.learning(model, epoch, seed)


def test_the_users_grid_keeps_its_rows(learning):
    board = "3" * 64 + "0" * 192  # 4 white rows, then black
    picture = learning.complete_grid("gated", 2, 0, board, 4)
    assert picture.shape == (192, 192, 3) and (picture[: 4 * 12 - 2] == 255).all()  # down to the yellow line
    for bad in ("3" * 255, "4" * 256, None):
        with pytest.raises(InputError):
            learning.complete_grid("gated", 2, 0, bad, 4)


def test_learning_endpoint_through_the_api(tmp_path):
    from gradio_client import Client

    from demo.handlers import DemoApp
    from demo.ui import build, launch_options

    blocks = build(DemoApp({name: served(name) for name in ("pixelcnn", "gated")}))
    blocks.launch(prevent_thread_lock=True, server_name="127.0.0.1", quiet=True, **launch_options())
    try:
        client = Client(blocks.local_url, download_files=False, verbose=False)
        result = client.predict("gated", 1, 3, api_name="/learning")
        assert result["epoch"] == 1 and len(result["samples"]) == 16
        assert client.predict("pixelcnn", 0, 3, api_name="/learning")["epoch"] == 0
        with pytest.raises(Exception, match="No snapshots for the model 'nope'"):
            client.predict("nope", 1, 3, api_name="/learning")
        # D6: the slider's range follows the model; a value sent as the range shrinks is taken, not refused
        slider = next(b for b in blocks.blocks.values() if getattr(b, "elem_id", None) == "epoch")
        slider.maximum = 40
        assert slider.preprocess(120) == 120  # gr.Slider's own check would refuse it
    finally:
        blocks.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_one_epoch_and_one_row_are_not_plural(learning, lang):
    """'after 1 epochs', '1 rows kept' (and in French): the sentences say 'at epoch 1', 'rows kept: 1'."""
    import re

    caption = learning.grid_caption("gated", 1, 0, 1, lang)
    alt = learning.pictures("gated", 1, 0, lang)[3]["samples"]
    assert " 1 " in caption.replace(":", " ").replace(",", " ").replace(")", " ")
    for text in (caption, alt):
        assert not re.search(r"\b1 (epochs|rows|époques|lignes)", text), text


@pytest.mark.parametrize("kept", [0, 5, 16])
def test_my_grid_completed_shows_the_kept_rows_line_of_the_first_tab(learning, kept):
    """D9: the yellow line under the kept rows, as on the first tab, across the picture at row `kept`."""
    from pixelcnn.figures import BOUNDARY

    picture = learning.complete_grid("gated", 2, 0, "0" * 256, kept)  # 12 pixels a cell
    yellow = np.all(picture == BOUNDARY, axis=2)
    rows = np.flatnonzero(yellow.all(axis=1))
    assert len(rows) == 4 and abs(rows.mean() - kept * 12) <= 2.5 and yellow.sum() == 4 * picture.shape[1]


def test_the_epoch_shown_is_marked_on_the_curve_even_the_untrained_one(learning):
    def red(picture):  # matplotlib's tab:red, the line that marks the epoch shown
        return (np.abs(picture.astype(int) - [214, 39, 40]).sum(2) < 30).sum()

    without = learning.curve_picture(None)
    assert red(without) == 0
    assert red(learning.curve_picture(0)) > 100 and red(learning.curve_picture(5)) > 100


def test_the_untrained_epochs_value_is_written_where_its_line_leaves_the_frame(learning):
    """Second walk: the frame starts at the trained epochs' values, so epoch 0 (about 2 bits) was off the chart
    with nothing to say where it went: its value is now written at the top of the frame."""
    from pixelcnn.figures import learning_curve_picture

    labels = {"epoch": "epoch", "bits": "bits", "test": "{model}: test", "train": "{model}: train"}
    curves = {name: c for name, c in learning.curves.items()}
    written = learning_curve_picture(curves, None, {**labels, "start": "epoch 0: {bits}"})
    silent = learning_curve_picture(curves, None, {**labels, "start": ""})
    assert written.shape == silent.shape and (written != silent).any(axis=2)[: written.shape[0] // 4].sum() > 200
