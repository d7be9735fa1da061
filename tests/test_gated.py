"""Gated PixelCNN: causal with or without a class, no blind spot, labels handled, incremental = naive."""

import numpy as np
import pytest
import torch

import pixelcnn
from pixelcnn.gated import GatedPixelCNN, GatedPixelCNNConfig, label_index
from pixelcnn.sampling import NaiveStepper

POSITIONS = [0, 1, 7, 15, 16, 17, 31, 32, 100, 128, 200, 239, 240, 254, 255]  # first pixel, row ends and starts, last


def seen_by_perturbation(model, row, col) -> torch.Tensor:
    """(H, W): True where moving that one input pixel by a level changes the logits at (row, col), on some of
    3 random images. Brute force: one forward pass per changed pixel, no gradients."""
    base = torch.randint(0, 4, (3, 1, 16, 16), generator=torch.Generator().manual_seed(row * 16 + col))
    variants = base.repeat_interleave(256, 0).view(3 * 256, 256)  # image b with pixel q changed, q = 0..255
    pixel, rows = torch.arange(256).repeat(3), torch.arange(3 * 256)
    variants[rows, pixel] = (variants[rows, pixel] + 1) % 4
    with torch.no_grad():  # one pass: the same arithmetic for every image, whatever the threads or the batch
        logits = model(torch.cat([base, variants.view(-1, 1, 16, 16)]))[:, :, row, col]
    before, after = logits[:3].repeat_interleave(256, 0), logits[3:]  # (3 * 256, L) each
    return ((after - before).abs().amax(1) > 1e-6).view(3, 16, 16).any(0)


@pytest.mark.parametrize("label", [None, 4])
@pytest.mark.parametrize("position", POSITIONS)
def test_no_pixel_sees_itself_or_the_future(tiny_gated, position, label):
    gen = torch.Generator().manual_seed(position)
    x = torch.randint(0, 4, (4, 1, 16, 16), generator=gen)
    changed = x.clone().flatten(1)
    changed[:, position:] = torch.randint(0, 4, changed[:, position:].shape, generator=gen)
    row, col = divmod(position, 16)
    with torch.no_grad():
        before = tiny_gated(x, label)[:, :, row, col]
        after = tiny_gated(changed.view_as(x), label)[:, :, row, col]
    torch.testing.assert_close(before, after, rtol=0, atol=1e-5)


def within_reach(model, row, col) -> torch.Tensor:
    """Past pixels the layers can reach: rows above within the vertical reach, columns within the sideways one."""
    reach = model.config.first_kernel // 2 + model.config.layers * (model.config.kernel // 2)
    rows, cols = torch.meshgrid(torch.arange(16), torch.arange(16), indexing="ij")
    above = (rows < row) & (row - rows <= reach) & ((cols - col).abs() <= reach)
    left = (rows == row) & (cols < col) & (col - cols <= reach)
    return above | left


@pytest.mark.parametrize("row,col", [(8, 8), (5, 2), (12, 15), (15, 0), (1, 14)])
def test_no_blind_spot_every_past_pixel_within_reach_is_seen(tiny_gated, row, col):
    seen = seen_by_perturbation(tiny_gated, row, col)
    missing = within_reach(tiny_gated, row, col) & ~seen
    assert not missing.any(), f"unseen past pixels at {missing.nonzero().tolist()}"
    assert seen[row - 1, min(col + 3, 15)] if row else True  # up and to the right: the plain model's blind spot


def test_the_same_check_fails_on_the_plain_pixelcnn(tiny_model):
    """The plain model misses pixels up and to the right that lie well within its kernels' reach."""
    seen = seen_by_perturbation(tiny_model, 8, 8)
    assert not seen[7, 15] and not seen[6, 15]


@pytest.mark.parametrize("position", [5 * 16 + 7, 255])
def test_the_class_changes_the_prediction(tiny_gated, position):
    row, col = divmod(position, 16)
    x = torch.randint(0, 4, (1, 1, 16, 16), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        logits = [tiny_gated(x, label)[0, :, row, col] for label in (None, 0, 9)]
    assert not torch.allclose(logits[0], logits[1]) and not torch.allclose(logits[1], logits[2])


def test_labels_none_int_or_one_per_image():
    assert label_index(None, 3, 10).tolist() == [10, 10, 10]
    assert label_index(2, 3, 10).tolist() == [2, 2, 2]
    assert label_index([1, None, -1], 3, 10).tolist() == [1, 10, 10]
    assert label_index(torch.tensor([9]), 2, 10).tolist() == [9, 9]
    for bad in (10, -2, [1, 2]):
        with pytest.raises(ValueError):
            label_index(bad, 3, 10)


def test_a_label_given_to_a_model_without_classes_is_a_clear_error(tiny_model):
    x = torch.zeros(1, 1, 16, 16, dtype=torch.long)
    with pytest.raises(ValueError, match="no garment classes"):
        tiny_model(x, 3)
    with pytest.raises(ValueError, match="no garment classes"):
        pixelcnn.complete(tiny_model, x, 0, 1.0, 0, label=3)


@pytest.mark.parametrize("label", [None, 3, [1, None, 9]])
@pytest.mark.parametrize("start", [0, 5 * 16, 37])
def test_incremental_logits_equal_the_full_network_at_every_step(tiny_gated, label, start):
    images = torch.randint(0, 4, (3, 16, 16), generator=torch.Generator().manual_seed(start)).numpy()
    fast, naive = tiny_gated.stepper(images, start, label), NaiveStepper(tiny_gated, images, start, label)
    rng = np.random.default_rng(0)
    for position in range(start, 256):
        row, col = divmod(position, 16)
        np.testing.assert_allclose(fast.logits(images, row, col), naive.logits(images, row, col), atol=1e-4)
        images[:, row, col] = rng.integers(0, 4, 3)


@pytest.mark.parametrize("known_rows,temperature,label", [(0, 1.0, None), (6, 0.7, 2), (3, 0.0, [0, None])])
def test_fast_and_naive_give_the_same_images(tiny_gated, known_rows, temperature, label):
    x = torch.randint(0, 4, (2, 1, 16, 16), generator=torch.Generator().manual_seed(known_rows))
    fast = pixelcnn.complete(tiny_gated, x, known_rows, temperature, 5, label=label)
    naive = pixelcnn.complete(tiny_gated, x, known_rows, temperature, 5, label=label, method="naive")
    assert torch.equal(fast, naive)
    assert torch.equal(fast[:, :, :known_rows], x[:, :, :known_rows])


def test_save_load_sample_round_trip(tiny_gated, tmp_path):
    pixelcnn.save(tiny_gated, tmp_path)
    loaded = pixelcnn.load(tmp_path)
    assert isinstance(loaded, GatedPixelCNN) and loaded.config == tiny_gated.config
    x = torch.zeros(2, 1, 16, 16, dtype=torch.long)
    assert torch.equal(
        pixelcnn.complete(loaded, x, 0, 1.0, 3, label=7), pixelcnn.complete(tiny_gated, x, 0, 1.0, 3, label=7)
    )


def test_bits_per_dim_takes_a_label(tiny_gated):
    x = torch.randint(0, 4, (2, 1, 16, 16), generator=torch.Generator().manual_seed(0))
    with_class, without = pixelcnn.bits_per_dim(tiny_gated, x, 3), pixelcnn.bits_per_dim(tiny_gated, x)
    assert with_class.shape == (2,) and not torch.allclose(with_class, without)


def test_config_round_trips_through_build():
    from pixelcnn.checkpoint import build

    config = GatedPixelCNNConfig(channels=8, layers=2)
    assert build(config.to_dict()).config == config


def test_shipped_gated_model_matches_its_card_and_has_no_blind_spot(data_root):
    import re

    from pixelcnn import checkpoint
    from pixelcnn.data import load_levels
    from pixelcnn.train import CARD_SUBSET, evaluate

    model = pixelcnn.load_pretrained("gated")
    card = (checkpoint.WEIGHTS_DIR / "gated" / checkpoint.CARD_FILE).read_text()
    recorded = float(re.search(r"subset_bpd: ([0-9.]+)", card).group(1))
    images, labels = load_levels("test", data_root)
    assert evaluate(model, images[:CARD_SUBSET]) == pytest.approx(recorded, abs=1e-4)  # the card has 4 decimals
    assert evaluate(model, images[:CARD_SUBSET], labels[:CARD_SUBSET]) < recorded  # the class helps
    seen = pixelcnn.receptive_field(model, 8, 8) > 0
    assert seen[7, 15] and seen[4, 15] and not seen.flatten()[8 * 16 + 8 :].any()  # the plain model's blind spot
    last = (pixelcnn.receptive_field(model, 15, 15) > 0).flatten()  # the masks tab says it reaches the whole image
    assert last[:255].all() and not last[255]
