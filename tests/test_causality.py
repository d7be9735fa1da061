"""The property everything rests on: no pixel's prediction sees itself or any later pixel."""

import pytest
import torch

from pixelcnn.layers import causal_mask

POSITIONS = [0, 1, 7, 15, 16, 17, 31, 32, 100, 128, 200, 239, 240, 254, 255]  # first pixel, row ends and starts, last


@pytest.mark.parametrize("position", POSITIONS)
def test_no_pixel_sees_itself_or_the_future(tiny_model, position):
    gen = torch.Generator().manual_seed(position)
    x = torch.randint(0, 4, (8, 1, 16, 16), generator=gen)
    changed = x.clone().flatten(1)
    changed[:, position:] = torch.randint(0, 4, changed[:, position:].shape, generator=gen)
    changed = changed.view_as(x)
    row, col = divmod(position, 16)
    with torch.no_grad():
        before, after = tiny_model(x)[:, :, row, col], tiny_model(changed)[:, :, row, col]
    torch.testing.assert_close(before, after, rtol=0, atol=1e-5)


@pytest.mark.parametrize("position", POSITIONS)
def test_a_first_mask_b_leaks_the_pixel_itself_and_nothing_after_it(tiny_leaky, position):
    """The `leaky` model, broken on purpose: its prediction at a pixel changes with that pixel (the leak), and
    with no pixel after it."""
    gen = torch.Generator().manual_seed(position)
    x = torch.randint(0, 4, (8, 1, 16, 16), generator=gen)
    later, itself = x.clone().flatten(1), x.clone().flatten(1)
    later[:, position + 1 :] = torch.randint(0, 4, later[:, position + 1 :].shape, generator=gen)
    itself[:, position] = (itself[:, position] + 2) % 4
    row, col = divmod(position, 16)
    with torch.no_grad():
        logits = [tiny_leaky(image.view_as(x))[:, :, row, col] for image in (x, later, itself)]
    torch.testing.assert_close(logits[0], logits[1], rtol=0, atol=1e-5)
    assert (logits[0] - logits[2]).abs().amax(1).min() > 1e-3  # every image's prediction moves with its pixel


def test_every_earlier_pixel_can_matter_somewhere(tiny_model):
    """The causality test could pass with a constant network; check the past does reach the output."""
    x = torch.randint(0, 4, (8, 1, 16, 16), generator=torch.Generator().manual_seed(1))
    changed = x.clone()
    changed[:, 0, 0, 0] = (changed[:, 0, 0, 0] + 2) % 4
    with torch.no_grad():
        diff = (tiny_model(x) - tiny_model(changed)).abs().amax(dim=(0, 1))  # (H, W)
    assert diff[0, 0] == 0  # itself: never
    assert diff[0, 1] > 0 and diff[1, 0] > 0  # its right and lower neighbours: yes


def test_mask_a_3x3():
    assert causal_mask(3, "A").tolist() == [[1, 1, 1], [1, 0, 0], [0, 0, 0]]


def test_mask_b_3x3():
    assert causal_mask(3, "B").tolist() == [[1, 1, 1], [1, 1, 0], [0, 0, 0]]


@pytest.mark.parametrize("mask_type", ["A", "B"])
def test_masks_7x7(mask_type):
    expected = [[1] * 7] * 3 + [[1, 1, 1, int(mask_type == "B"), 0, 0, 0]] + [[0] * 7] * 3
    assert causal_mask(7, mask_type).tolist() == expected


def test_1x1_masks():
    assert causal_mask(1, "A").tolist() == [[0]]
    assert causal_mask(1, "B").tolist() == [[1]]


@pytest.mark.parametrize("args", [(4, "A"), (3, "C"), (0, "B")])
def test_bad_mask_arguments_are_refused(args):
    with pytest.raises(ValueError):
        causal_mask(*args)


def test_mask_is_saved_and_applied(tiny_model):
    assert "first.mask" in tiny_model.state_dict()
    w = tiny_model.first.masked_weight()
    assert (w[:, :, 3, 3:] == 0).all() and (w[:, :, 4:] == 0).all()
