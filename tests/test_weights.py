"""The shipped weights: safetensors only, checked against the model card, and as good as it says."""

import json
import re
import shutil

import psutil
import pytest
import torch

import pixelcnn
from pixelcnn import checkpoint
from pixelcnn.data import load_levels
from pixelcnn.train import CARD_SUBSET, evaluate

FOLDER = checkpoint.WEIGHTS_DIR / checkpoint.DEFAULT_MODEL


def test_shipped_model_loads_offline_on_cpu_in_eval_mode(shipped_model):
    assert not shipped_model.training
    assert next(shipped_model.parameters()).device.type == "cpu"
    assert shipped_model(torch.zeros(2, 1, 16, 16, dtype=torch.long)).shape == (2, 4, 16, 16)
    assert list(FOLDER.glob("*.pt")) + list(FOLDER.glob("*.pth")) + list(FOLDER.glob("*.bin")) == []


def test_bits_per_dim_matches_the_model_card(shipped_model, data_root):
    card = (FOLDER / checkpoint.CARD_FILE).read_text()
    recorded = float(re.search(r"subset_bpd: ([0-9.]+)", card).group(1))
    images, _ = load_levels("test", data_root)
    assert evaluate(shipped_model, images[:CARD_SUBSET]) == pytest.approx(recorded, abs=1e-4)  # 4 decimals
    assert recorded <= 0.43


def test_save_load_sample_round_trip(tiny_model, tmp_path):
    pixelcnn.save(tiny_model, tmp_path)
    loaded = pixelcnn.load(tmp_path)
    assert loaded.config == tiny_model.config
    x = torch.randint(0, 4, (2, 1, 16, 16), generator=torch.Generator().manual_seed(0))
    assert torch.equal(pixelcnn.complete(loaded, x, 4, 1.0, 3), pixelcnn.complete(tiny_model, x, 4, 1.0, 3))


@pytest.fixture
def copied(tmp_path):
    folder = tmp_path / "pixelcnn"
    shutil.copytree(FOLDER, folder)
    return folder


def test_missing_weights_give_one_clear_line(copied):
    (copied / checkpoint.WEIGHTS_FILE).unlink()
    with pytest.raises(pixelcnn.WeightsError, match="model.safetensors is missing.*python -m pixelcnn.train"):
        pixelcnn.load(copied)


def test_corrupt_weights_are_caught_by_the_card_sha256(copied):
    data = bytearray((copied / checkpoint.WEIGHTS_FILE).read_bytes())
    data[-10] ^= 0xFF
    (copied / checkpoint.WEIGHTS_FILE).write_bytes(bytes(data))
    with pytest.raises(pixelcnn.WeightsError, match="does not match the sha256"):
        pixelcnn.load(copied)


def test_garbage_weights_give_a_clear_error_even_when_the_card_names_them(copied):
    (copied / checkpoint.WEIGHTS_FILE).write_bytes(b"not a safetensors file")
    (copied / checkpoint.CARD_FILE).write_text(f"sha256: `{checkpoint.sha256(copied / checkpoint.WEIGHTS_FILE)}`")
    with pytest.raises(pixelcnn.WeightsError, match="cannot be loaded.*retrain"):
        pixelcnn.load(copied)


def test_weights_without_a_card_are_refused(copied, tiny_model):
    """Without the card's sha256 nothing says the weights are the ones trained: replaced ones would load."""
    (copied / checkpoint.CARD_FILE).unlink()
    with pytest.raises(pixelcnn.WeightsError, match="MODEL_CARD.md is missing"):
        pixelcnn.load(copied)


@pytest.mark.parametrize(
    "config,reason",
    [
        ([], "the config is list"),
        ({"name": "pixelcnn", "filters": 8192}, "filters=8192 is not a whole number from 0 to 4096"),
        ({"name": "gated", "channels": 4096}, "describes 4332 M parameters; at most 50 M"),
        ({"name": "gated", "layers": 10**9}, "layers=1000000000 is not"),
        ({"name": "pixelcnn", "blocks": 2.5}, "blocks=2.5 is not"),
        ({"name": "bigger"}, "unknown architecture 'bigger'"),
        ({"name": "pixelcnn", "first_mask": "C"}, "first_mask='C' is none of A, B"),
        ({"name": "pixelcnn", "first_mask": ["B"]}, "first_mask=['B'] is none of A, B"),
    ],
)
def test_a_config_is_checked_before_anything_is_allocated(copied, config, reason):
    (copied / checkpoint.CONFIG_FILE).write_text(json.dumps(config))
    checkpoint.checked_config({"name": "gated"})  # the meta device's first use loads code (~160 MB): not counted
    before = psutil.Process().memory_info().rss
    with pytest.raises(pixelcnn.WeightsError, match=re.escape(reason)):
        pixelcnn.load(copied)
    assert psutil.Process().memory_info().rss - before < 50e6  # 8192 filters took 5.3 GB before the check


def test_a_pickle_checkpoint_is_never_loaded(copied, tiny_model):
    (copied / checkpoint.WEIGHTS_FILE).unlink()
    torch.save(tiny_model.state_dict(), copied / "model.pt")  # a pickle beside the config: must be ignored
    with pytest.raises(pixelcnn.WeightsError, match="model.safetensors is missing"):
        pixelcnn.load(copied)


def test_a_broken_config_gives_a_clear_error(copied):
    (copied / checkpoint.CONFIG_FILE).write_text('{"filters": "many"')
    with pytest.raises(pixelcnn.WeightsError, match="cannot be loaded.*retrain"):
        pixelcnn.load(copied)


def test_a_config_the_app_does_not_support_is_refused_at_load(copied):
    config = json.loads((copied / checkpoint.CONFIG_FILE).read_text())
    (copied / checkpoint.CONFIG_FILE).write_text(json.dumps({**config, "image_size": 32}))
    with pytest.raises(pixelcnn.WeightsError, match="image_size=32, this code needs 16"):
        pixelcnn.load(copied)


def test_a_config_that_does_not_fit_the_weights_names_the_tensor(copied):
    config = json.loads((copied / checkpoint.CONFIG_FILE).read_text())
    (copied / checkpoint.CONFIG_FILE).write_text(json.dumps({**config, "filters": 64}))
    with pytest.raises(pixelcnn.WeightsError, match="tensor 'blocks.0.expand.bias' is \\(128,\\).*needs \\(64,\\)"):
        pixelcnn.load(copied)
    (copied / checkpoint.CONFIG_FILE).write_text(json.dumps({**config, "blocks": 6}))
    with pytest.raises(pixelcnn.WeightsError, match="tensor 'blocks.5.*is not in model.safetensors"):
        pixelcnn.load(copied)
    (copied / checkpoint.CONFIG_FILE).write_text(json.dumps({**config, "name": "unet"}))
    with pytest.raises(pixelcnn.WeightsError, match="unknown architecture 'unet'"):
        pixelcnn.load(copied)


def test_weights_whose_mask_is_not_the_configs_are_refused(copied):
    """The leaky model's weights with the plain config (first mask A) would leak unseen: the saved mask is checked."""
    shutil.copy(checkpoint.WEIGHTS_DIR / "leaky" / checkpoint.WEIGHTS_FILE, copied / checkpoint.WEIGHTS_FILE)
    config = json.loads((checkpoint.WEIGHTS_DIR / "leaky" / checkpoint.CONFIG_FILE).read_text())
    (copied / checkpoint.CONFIG_FILE).write_text(json.dumps({**config, "first_mask": "A"}))
    card, sha = (copied / checkpoint.CARD_FILE).read_text(), checkpoint.sha256(copied / checkpoint.WEIGHTS_FILE)
    (copied / checkpoint.CARD_FILE).write_text(re.sub(r"[0-9a-f]{64}", sha, card))
    with pytest.raises(pixelcnn.WeightsError, match="mask 'first.mask' in model.safetensors is not the one"):
        pixelcnn.load(copied)
    (copied / checkpoint.CONFIG_FILE).write_text(json.dumps(config))
    assert pixelcnn.load(copied).config.first_mask == "B"


def test_a_missing_config_is_named(copied):
    (copied / checkpoint.CONFIG_FILE).unlink()
    assert checkpoint.available_models(copied.parent) == ["pixelcnn"]
    with pytest.raises(pixelcnn.WeightsError, match="config.json is missing"):
        pixelcnn.load(copied)


def test_the_plain_model_is_listed_first(tmp_path):
    for name in ("alpha", "pixelcnn", "gated"):
        (tmp_path / name).mkdir()
        (tmp_path / name / checkpoint.CONFIG_FILE).write_text("{}")
    assert checkpoint.available_models(tmp_path) == ["pixelcnn", "alpha", "gated"]


@pytest.mark.parametrize(
    "name,lost",
    [
        *((name, lost) for name in ("pixelcnn", "gated") for lost in (checkpoint.WEIGHTS_FILE, checkpoint.CONFIG_FILE)),
        ("leaky", checkpoint.WEIGHTS_FILE),  # its config says mask B first: the hint trains it so
    ],
)
def test_the_retrain_hint_trains_the_architecture_of_the_folder(tmp_path, name, lost):
    from pixelcnn.train import make_model, parse

    folder = tmp_path / name
    shutil.copytree(checkpoint.WEIGHTS_DIR / name, folder, ignore=shutil.ignore_patterns("snapshots"))
    (folder / lost).unlink()
    with pytest.raises(pixelcnn.WeightsError) as error:
        pixelcnn.load(folder)
    command = re.search(r"`python -m pixelcnn.train (.*)`", str(error.value)).group(1)
    trained = make_model(parse(command.split()))
    assert trained.config == pixelcnn.load_pretrained(name).config  # the same architecture and sizes
