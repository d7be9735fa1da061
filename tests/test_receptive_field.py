"""The receptive field is measured from the network: causal, and with the blind spot of plain PixelCNN."""

import torch

from pixelcnn import receptive_field


def test_nothing_at_or_after_the_pixel_is_seen(shipped_model):
    for row, col in [(0, 0), (5, 9), (15, 15)]:
        seen = receptive_field(shipped_model, row, col).flatten() > 0
        assert not seen[row * 16 + col :].any()


def test_left_neighbour_and_pixel_above_are_seen(shipped_model):
    seen = receptive_field(shipped_model, 8, 8) > 0
    assert seen[8, 7] and seen[7, 8] and seen[0, 0]


def test_plain_pixelcnn_has_a_blind_spot(shipped_model):
    seen = receptive_field(shipped_model, 8, 8) > 0
    past = torch.arange(256).view(16, 16) < 8 * 16 + 8
    blind = past & ~seen
    assert blind[7, 15] and blind[4, 15]  # up and to the right: allowed, never reached
    assert blind.sum() > 5


def test_plain_pixelcnn_reach_is_short_so_the_top_rows_are_out_of_sight_at_the_bottom(shipped_model):
    seen = receptive_field(shipped_model, 15, 15) > 0  # what the masks tab says of the plain model
    assert not seen[:4].any() and seen[14].any()


def test_fields_write_nothing_into_the_served_model(shipped_model):
    """The app's shared model: 100 field requests, two threads at once, leave every `.grad` as it was (None)."""
    from concurrent.futures import ThreadPoolExecutor

    from demo.handlers import DemoApp

    app, model = DemoApp({"pixelcnn": shipped_model}), shipped_model  # a fresh app: no field cached yet
    pixels = [(row, col) for row in range(16) for col in range(16)][:100]
    with ThreadPoolExecutor(2) as pool:
        fields = list(pool.map(lambda p: app.receptive_field("pixelcnn", *p), pixels))
    assert len(fields) == 100 and all(p.grad is None for p in model.parameters())
