"""The data follows its written definition exactly, offline."""

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from pixelcnn.data import MissingDataError, load_levels, load_raw, quantize


def test_quantize_follows_the_definition():
    x = torch.rand(5, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    small = F.interpolate(x, size=(16, 16), mode="bilinear", antialias=True, align_corners=False)
    expected = torch.clamp(torch.floor(4 * small), max=3)
    assert torch.equal(quantize(x).long(), expected.long())


def test_quantize_edges():
    assert quantize(torch.ones(1, 1, 28, 28)).unique().tolist() == [3]  # floor(4 * 1.0) = 4, clamped to 3
    assert quantize(torch.zeros(1, 1, 28, 28)).unique().tolist() == [0]
    assert quantize(torch.full((1, 1, 28, 28), 0.3)).unique().tolist() == [1]


def test_real_test_set_is_read_offline(data_root):
    images, labels = load_levels("test", data_root)
    assert images.shape == (10_000, 1, 16, 16) and images.dtype == torch.uint8
    assert labels.shape == (10_000,) and set(labels.tolist()) == set(range(10))
    assert images.min() == 0 and images.max() == 3
    raw, _ = load_raw("test", data_root)
    first = torch.from_numpy(raw[:1].copy()).float().div(255)[:, None]
    assert torch.equal(images[:1], quantize(first))


def test_missing_data_names_both_ways_to_get_it(tmp_path):
    with pytest.raises(MissingDataError) as error:
        load_raw("train", tmp_path)
    message = str(error.value)
    assert "apt-get install dataset-fashion-mnist" in message and "--download" in message
    assert "\n" not in message


def test_torchvision_layout_is_found(tmp_path, data_root):
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        (raw / name).symlink_to(data_root / name)
    images, labels = load_raw("test", tmp_path)
    assert images.shape == (10_000, 28, 28) and np.array_equal(labels[:3], load_raw("test", data_root)[1][:3])
