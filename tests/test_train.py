"""Training runs end to end on a few hundred images and lowers the loss."""

import torch

from pixelcnn import PixelCNN, PixelCNNConfig
from pixelcnn.data import load_levels
from pixelcnn.train import evaluate, main, train_epoch


def test_a_few_steps_lower_the_loss(data_root):
    images, _ = load_levels("train", data_root)
    images = images[:384]
    torch.manual_seed(0)  # test-only: the initial weights
    model = PixelCNN(PixelCNNConfig(filters=16, blocks=1))
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    before = evaluate(model, images)
    for _ in range(3):
        train_epoch(model, optimizer, images, 64, torch.Generator().manual_seed(0))
    assert evaluate(model, images) < before - 0.2


def test_dry_run_writes_weights_config_and_card(data_root, tmp_path, capsys):
    main(["--dry-run", "--filters", "8", "--blocks", "1", "--out", str(tmp_path), "--data", str(data_root)])
    assert {p.name for p in tmp_path.iterdir()} == {"model.safetensors", "config.json", "MODEL_CARD.md"}
    assert "bits/dim" in capsys.readouterr().out
