"""'Watch it learn' in the app: the same seeds at every epoch, the nearest snapshot, our messages for mistakes."""

import numpy as np
import pytest
from conftest import api_client, launched, served

from demo.errors import InputError
from demo.learning import Learning


def learning_epochs(name: str) -> list[int]:
    from pixelcnn import snapshots
    from pixelcnn.models import WEIGHTS_DIR

    return snapshots.epochs(WEIGHTS_DIR / name)


@pytest.fixture(scope="module")
def learning():
    return Learning(["pixelcnn", "gated"])


def test_both_shipped_models_have_snapshots_and_curves(learning):
    assert learning.names() == ["pixelcnn", "gated"]
    assert learning.curves["pixelcnn"] and learning.curves["gated"]


@pytest.mark.parametrize("name", ["pixelcnn", "gated"])
def test_same_seed_same_samples_and_the_epoch_changes_them(learning, name):
    a, b = learning.learning(name, 1, 5), learning.learning(name, 1, 5)
    assert a == b and a["epoch"] == 1 and np.array(a["samples"]).shape == (16, 16, 16)
    assert learning.learning(name, 0, 5)["samples"] != a["samples"]


def test_an_epoch_between_snapshots_shows_the_nearest(learning):
    found = learning.epochs["gated"]
    assert learning.learning("gated", found[-1] + 0.4, 0)["epoch"] == found[-1]


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
    levels = np.array(learning.complete_grid("gated", 2, 0, board, 4))
    assert levels.shape == (16, 16) and (levels[:4] == 3).all() and (levels[4:] != 0).any()
    for bad in ("3" * 255, "4" * 256, None):
        with pytest.raises(InputError):
            learning.complete_grid("gated", 2, 0, bad, 4)


def test_learning_endpoint_through_the_api(tmp_path):
    from demo.handlers import DemoApp

    with launched(DemoApp({name: served(name) for name in ("pixelcnn", "gated")})) as blocks:
        client = api_client(blocks.local_url)
        result = client.predict("gated", 1, 3, api_name="/learning")
        assert result["epoch"] == 1 and len(result["samples"]) == 16
        assert client.predict("pixelcnn", 0, 3, api_name="/learning")["epoch"] == 0
        with pytest.raises(Exception, match="No snapshots for the model 'nope'"):
            client.predict("nope", 1, 3, api_name="/learning")
        # an epoch past the gated model's last snapshot but within another model's range: its last snapshot
        assert client.predict("gated", 100, 3, api_name="/learning")["epoch"] == max(learning_epochs("gated"))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_one_epoch_and_one_row_are_not_plural(lang):
    """'after 1 epochs', '1 rows kept' (and in French): the sentences the page shows (demo/page/learning.js fills them)
    say 'at epoch 1', 'rows kept: 1'."""
    import re

    from demo import i18n

    fields = {"model": "PixelCNN", "epoch": 1, "rows": 1, "seed": 0, "first": 0, "last": 15, "bits": "0.5",
              "test": "0.5", "train": "0.4"}  # fmt: skip
    for key in ("learning_grid_caption", "learning_samples_alt", "learning_shown", "learning_readout"):
        text = i18n.text(key, lang, **fields)
        assert " 1 " in text.replace(":", " ").replace(",", " ").replace(")", " ") + " ", text
        assert not re.search(r"\b1 (epochs|rows|époques|lignes)", text), text


def test_a_snapshot_whose_tensors_are_broken_has_no_engine_file_and_the_others_do(tmp_path, caplog):
    """A NaN in a snapshot's weights (its config is sound, so the app starts): that epoch gets no file for the page
    (which says broken_snapshot there, as /learning does), one log line, and every other epoch its file."""
    import json
    import shutil

    from safetensors import safe_open
    from safetensors.numpy import load_file, save_file

    from pixelcnn import snapshots
    from pixelcnn.models import WEIGHTS_DIR

    shutil.copytree(WEIGHTS_DIR / "leaky", tmp_path / "leaky")
    path = tmp_path / "leaky" / snapshots.SNAPSHOTS / "epoch_001.safetensors"
    with safe_open(path, "np") as f:
        metadata = f.metadata()
    tensors = load_file(path)
    bias = next(name for name, value in tensors.items() if name.endswith(".bias"))
    tensors[bias] = np.full_like(tensors[bias], np.nan)
    save_file(tensors, path, metadata=metadata)
    learning = Learning(["leaky"], tmp_path)
    files = learning.engine_files(tmp_path / "out")["leaky"]
    assert files[1] is None and all(p.is_file() for e, p in files.items() if e != 1)
    assert sum("epoch_001" in r.getMessage() for r in caplog.records) == 1
    with pytest.raises(InputError, match="epoch 1 cannot be read"):
        learning.learning("leaky", 1, 0)
    assert json.dumps(learning.learning("leaky", 2, 0)["samples"])
