"""'Watch it learn': snapshots load as the model they were, the curve matches the card, learning shows."""

import json
import re

import numpy as np
import pytest
import torch

import pixelcnn
from demo.handlers import SAMPLES
from pixelcnn import checkpoint, snapshots
from pixelcnn.train import evaluate

GATED = checkpoint.WEIGHTS_DIR / "gated"


def test_a_snapshot_is_the_model_at_that_epoch_in_float16(tiny_gated, tmp_path):
    snapshots.save(tiny_gated, tmp_path, 3)
    assert snapshots.epochs(tmp_path) == [3]
    loaded = snapshots.load(tmp_path, 3)
    x = torch.randint(0, 4, (2, 1, 16, 16), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        torch.testing.assert_close(loaded(x, 2), tiny_gated(x, 2), atol=0.05, rtol=0.01)  # float16 weights
    with pytest.raises(pixelcnn.WeightsError, match="no snapshot of epoch 4.*\\[3\\]"):
        snapshots.load(tmp_path, 4)


def test_shipped_snapshots_load_and_fit_in_15_mb():
    found = snapshots.epochs(GATED)
    assert found[:3] == [0, 1, 2] and len(found) >= 3
    assert sum(p.stat().st_size for p in (GATED / snapshots.SNAPSHOTS).iterdir()) < 15e6
    for epoch in found:
        assert isinstance(snapshots.load(GATED, epoch), pixelcnn.GatedPixelCNN)


def test_the_curve_matches_the_model_card():
    card = (GATED / checkpoint.CARD_FILE).read_text()
    rows = re.findall(r"^\| (\d+) \| ([0-9.]+) \| ([0-9.]+) \| ([0-9.]+) \|", card, re.M)
    curve = {h["epoch"]: h for h in snapshots.curve(GATED)}
    assert len(rows) >= 3
    for epoch, train, val, test in rows:
        h = curve[int(epoch)]
        assert (f"{h['train_bpd']:.4f}", f"{h['val_bpd']:.4f}", f"{h['test_bpd']:.4f}") == (train, val, test)
    assert json.loads((GATED / snapshots.HISTORY).read_text())[0]["epoch"] == 0


def test_untrained_is_near_2_bits_and_training_lowers_it():
    with np.load(SAMPLES, allow_pickle=False) as shipped:  # the app's 40 shipped test images
        images = torch.from_numpy(shipped["images"])[:, None].long()
    found = snapshots.epochs(GATED)
    bpd = [evaluate(snapshots.load(GATED, e), images) for e in (found[0], found[1], found[-1])]
    assert abs(bpd[0] - 2.0) < 0.1
    assert bpd[0] > bpd[1] > bpd[2]
