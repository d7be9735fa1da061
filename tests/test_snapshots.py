"""'Watch it learn': snapshots load as the model they were, the curve matches the card, learning shows."""

import json
import re

import numpy as np
import pytest
import torch
from safetensors.torch import save_file

import pixelcnn
from demo.handlers import SAMPLES
from pixelcnn import checkpoint, snapshots
from pixelcnn.train import SNAPSHOT_EPOCHS, evaluate

SHIPPED = [checkpoint.WEIGHTS_DIR / name for name in ("pixelcnn", "gated", "leaky")]


def test_a_snapshot_is_the_model_at_that_epoch(tiny_gated, tmp_path):
    snapshots.save(tiny_gated, tmp_path, 3)
    assert snapshots.epochs(tmp_path) == [3]
    loaded = snapshots.load(tmp_path, 3)
    x = torch.randint(0, 4, (2, 1, 16, 16), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        error = (loaded(x, 2) - tiny_gated(x, 2)).norm() / tiny_gated(x, 2).norm()
    assert error < 0.02  # int8 weights: the logits move by rounding only (another network: ~1)
    masks = dict(loaded.named_buffers())
    for name, mask in tiny_gated.named_buffers():  # causality is not rounded: the masks come back exact
        assert torch.equal(masks[name], mask), name
    with pytest.raises(pixelcnn.WeightsError, match="no snapshot of epoch 4.*\\[3\\]"):
        snapshots.load(tmp_path, 4)


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda f: f.name)
def test_a_snapshot_is_a_quarter_of_the_weights_and_scores_the_same(folder, tmp_path):
    model = checkpoint.load(folder)
    snapshots.save(model, tmp_path, 7)
    path = tmp_path / snapshots.SNAPSHOTS / "epoch_007.safetensors"
    assert tensor_bytes(path) < 0.3 * tensor_bytes(folder / checkpoint.WEIGHTS_FILE)
    images = shipped_images()
    assert abs(evaluate(snapshots.load(tmp_path, 7), images) - evaluate(model, images)) < 0.001


def tensor_bytes(path) -> int:
    """A safetensors file's size less its header (names and shapes: a large share of a tiny model's file)."""
    data = path.read_bytes()
    return len(data) - 8 - int.from_bytes(data[:8], "little")


def test_a_float16_snapshot_still_loads(tiny_gated, tmp_path):
    path = tmp_path / snapshots.SNAPSHOTS / "epoch_002.safetensors"
    path.parent.mkdir()
    state = {k: v.half().contiguous() for k, v in tiny_gated.state_dict().items()}
    save_file(state, path, {"config": json.dumps(tiny_gated.config.to_dict())})
    loaded = snapshots.load(tmp_path, 2)
    for name, value in loaded.state_dict().items():
        torch.testing.assert_close(value, state[name].float())


def shipped_images() -> torch.Tensor:
    with np.load(SAMPLES, allow_pickle=False) as shipped:  # the app's 40 shipped test images
        return torch.from_numpy(shipped["images"])[:, None].long()


def test_shipped_snapshots_are_the_shipped_architecture_and_fit_in_15_mb():
    size = 0
    for folder in SHIPPED:
        found, last = snapshots.epochs(folder), len(snapshots.curve(folder)) - 1
        default = [int(e) for e in SNAPSHOT_EPOCHS.split(",") if int(e) <= last]  # a short run has the first few
        assert found[: len(default)] == default and found[-1] == last
        size += sum(p.stat().st_size for p in (folder / snapshots.SNAPSHOTS).iterdir())
        shipped = checkpoint.load(folder)
        for epoch in found:
            snapshot = snapshots.load(folder, epoch)
            assert type(snapshot) is type(shipped) and snapshot.config == shipped.config
    assert size < 15e6


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda f: f.name)
def test_the_curve_matches_the_model_card_and_ends_with_the_last_snapshot(folder):
    card = (folder / checkpoint.CARD_FILE).read_text()
    rows = re.findall(r"^\| (\d+) \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \|", card, re.M)
    curve = {h["epoch"]: h for h in snapshots.curve(folder)}
    assert len(rows) == len(curve) and sorted(curve) == list(range(len(curve)))
    for epoch, train, val, test in rows:
        h = curve[int(epoch)]
        assert (f"{h['train_bpd']:.4f}", f"{h['val_bpd']:.4f}", f"{h['test_bpd']:.4f}") == (train, val, test)
    assert json.loads((folder / snapshots.HISTORY).read_text())[0]["epoch"] == 0
    assert max(curve) == snapshots.epochs(folder)[-1]  # one run: the snapshots span its whole curve
    best = min((h for h in curve.values() if h["epoch"]), key=lambda h: h["val_bpd"])
    assert f"Best epoch (lowest validation bits/dim): {best['epoch']} (" in card


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda f: f.name)
def test_untrained_is_near_2_bits_and_training_lowers_it(folder):
    images = shipped_images()
    found = snapshots.epochs(folder)
    bpd = [evaluate(snapshots.load(folder, e), images) for e in (found[0], found[1], found[-1])]
    assert abs(bpd[0] - 2.0) < 0.1
    assert bpd[0] > bpd[1] > bpd[2]
