"""Training runs end to end, lowers the loss, never writes into weights/ unless told, and resumes exactly."""

import json

import pytest
import torch
from safetensors.torch import load_file

from pixelcnn import PixelCNN, PixelCNNConfig, checkpoint, train
from pixelcnn.data import load_levels
from pixelcnn.train import evaluate, main, train_epoch

TINY_GATED = ["--arch", "gated", "--channels", "4", "--layers", "1"]


@pytest.fixture(scope="module", autouse=True)
def data_read_once(monkeypatch_module):
    """The training runs of this file read each split once (reading and quantizing the train split takes seconds);
    each run gets its own copy, as from disk."""
    read = {}

    def load_levels_once(split, root, *args):
        key = (split, str(root), *args)
        if key not in read:
            read[key] = load_levels(split, root, *args)
        return tuple(tensor.clone() for tensor in read[key])

    monkeypatch_module.setattr(train, "load_levels", load_levels_once)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_a_few_steps_lower_the_loss(data_root):
    images, _ = train.load_levels("train", data_root)  # read once for the file (data_read_once)
    images = images[:384]
    torch.manual_seed(0)  # test-only: the initial weights
    model = PixelCNN(PixelCNNConfig(filters=16, blocks=1))
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    before = evaluate(model, images)
    for _ in range(3):
        train_epoch(model, optimizer, images, 64, torch.Generator().manual_seed(0))
    assert evaluate(model, images) < before - 0.2


def test_dry_run_writes_to_a_temporary_folder_never_into_weights(data_root, capsys):
    shipped = {p: p.read_bytes() for p in checkpoint.WEIGHTS_DIR.rglob("*") if p.is_file()}
    out = main(["--dry-run", "--filters", "8", "--blocks", "1", "--data", str(data_root)])
    assert checkpoint.WEIGHTS_DIR not in out.resolve().parents
    assert {p: p.read_bytes() for p in checkpoint.WEIGHTS_DIR.rglob("*") if p.is_file()} == shipped
    assert {"model.safetensors", "config.json", "MODEL_CARD.md", "history.json"} <= {p.name for p in out.iterdir()}
    assert "bits/dim" in capsys.readouterr().out


def test_history_card_and_snapshots(data_root, tmp_path):
    main(
        [
            *TINY_GATED,
            "--dry-run",
            "--epochs",
            "2",
            "--snapshots",
            "0,1",
            "--out",
            str(tmp_path),
            "--data",
            str(data_root),
        ]
    )
    history = json.loads((tmp_path / "history.json").read_text())
    assert [h["epoch"] for h in history] == [0, 1, 2]
    assert abs(history[0]["val_bpd"] - 2.0) < 0.2  # the untrained network is close to guessing
    assert {p.name for p in (tmp_path / "snapshots").iterdir()} == {f"epoch_00{e}.safetensors" for e in (0, 1, 2)}
    card = (tmp_path / "MODEL_CARD.md").read_text()
    assert "with the true class" in card and f"| 2 | {history[2]['train_bpd']:.4f} |" in card
    assert isinstance(checkpoint.load(tmp_path), torch.nn.Module)


def test_resuming_gives_the_same_weights_as_running_straight(data_root, tmp_path):
    common = [*TINY_GATED, "--dry-run", "--epochs", "3", "--data", str(data_root)]
    main([*common, "--out", str(tmp_path / "straight")])
    main([*common, "--out", str(tmp_path / "cut"), "--stop-after", "1"])  # a session ends after epoch 1
    main([*common, "--out", str(tmp_path / "cut"), "--resume"])  # the next one goes on
    straight = load_file(tmp_path / "straight" / "resume" / "state.safetensors")
    resumed = load_file(tmp_path / "cut" / "resume" / "state.safetensors")
    assert straight.keys() == resumed.keys()
    for key in straight:
        assert torch.equal(straight[key], resumed[key]), key
    history = [json.loads((tmp_path / run / "history.json").read_text()) for run in ("straight", "cut")]
    assert [h["val_bpd"] for h in history[0]] == [h["val_bpd"] for h in history[1]]
    card = (tmp_path / "cut" / "MODEL_CARD.md").read_text()  # rewritten after every epoch, not only the best
    assert "(3 epochs trained)" in card and f"| 3 | {history[1][3]['train_bpd']:.4f} |" in card
