"""The data follows its written definition exactly, offline."""

import numpy as np
import pytest
import torch

from bench.uploads import upload_agreement
from pixelcnn.data import MissingDataError, load_levels, load_raw, to_levels


@pytest.mark.parametrize("grey,level", [(0, 0), (63, 0), (64, 1), (127, 1), (128, 2), (191, 2), (192, 3), (255, 3)])
def test_a_plain_grey_takes_the_level_of_its_quarter(grey, level):
    # level = floor(4 x grey / 255): the quarter of the range the grey falls in (255 is the top one)
    assert to_levels(np.full((1, 28, 28), grey, np.uint8)).unique().tolist() == [level]


def test_a_picture_already_16x16_keeps_its_pixels():
    greys = np.random.default_rng(0).integers(0, 256, (3, 16, 16), np.uint8)
    assert np.array_equal(to_levels(greys)[:, 0].numpy(), np.minimum(greys.astype(int) * 4 // 255, 3))


def test_the_shrink_keeps_a_halves_picture_in_halves():
    # left half white, right half black: the left 8 columns stay white, the right ones black, but for
    # the columns at the edge, which blend the two (antialiased bilinear, not a nearest pick)
    greys = np.zeros((1, 28, 28), np.uint8)
    greys[:, :, :14] = 255
    levels = to_levels(greys)[0, 0].numpy()
    assert (levels[:, :7] == 3).all() and (levels[:, 9:] == 0).all() and (levels == levels[:1]).all()
    assert 0 < levels[0, 7] + levels[0, 8] < 6


def test_real_test_set_is_read_offline(data_root):
    images, labels = load_levels("test", data_root)
    assert images.shape == (10_000, 1, 16, 16) and images.dtype == torch.uint8
    assert labels.shape == (10_000,) and set(labels.tolist()) == set(range(10))
    assert images.min() == 0 and images.max() == 3
    white = (images == 3).float().mean().item()
    assert 0.13 < white < 0.15  # measured 13.8%; the nearest grey of block averages gives much less


def test_an_uploaded_test_image_gives_its_training_levels(data_root):
    shares = upload_agreement(200, data_root)
    assert shares["equal"] == 1.0, shares


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


def test_another_data_folder_is_named_by_an_environment_variable(tmp_path):
    import os
    import subprocess
    import sys

    code = "from pixelcnn.data import DEFAULT_ROOT; print(DEFAULT_ROOT)"
    env = {**os.environ, "FASHION_MNIST_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == str(tmp_path)
