"""Sampling: reproducible per seed, given rows kept, T=0 greedy, batches = their members, fast = naive."""

import numpy as np
import pytest
import torch

from pixelcnn import bits_per_pixel, complete, stream, trace
from pixelcnn.sampling import NaiveStepper, teacher_forced


def start(batch=1, seed=0):
    return torch.randint(0, 4, (batch, 1, 16, 16), generator=torch.Generator().manual_seed(seed))


def test_same_seed_same_image_different_seed_different_image(tiny_model):
    x = start()
    a, b, c = (complete(tiny_model, x, 4, 1.0, seed) for seed in (7, 7, 8))
    assert torch.equal(a, b)
    assert not torch.equal(a, c)


def test_global_rng_does_not_matter(tiny_model):
    x = start()
    torch.manual_seed(1)
    a = complete(tiny_model, x, 2, 1.0, 3)
    torch.manual_seed(2)
    torch.rand(100)
    assert torch.equal(a, complete(tiny_model, x, 2, 1.0, 3))


@pytest.mark.parametrize("known_rows", [0, 1, 8, 15, 16])
def test_known_rows_never_change(tiny_model, known_rows):
    x = start(3)
    out = complete(tiny_model, x, known_rows, 1.5, 0)
    assert torch.equal(out[:, :, :known_rows], x[:, :, :known_rows])
    assert out.dtype == x.dtype and out.shape == x.shape
    assert out.min() >= 0 and out.max() <= 3


def test_temperature_zero_is_argmax(tiny_model):
    x = start(2)
    out = complete(tiny_model, x, 5, 0.0, 0)
    logits = tiny_model(out)
    greedy = logits.argmax(1, keepdim=True)  # each pixel must be the argmax given the pixels before it
    assert torch.equal(out[:, :, 5:], greedy[:, :, 5:])
    assert torch.equal(out, complete(tiny_model, x, 5, 0.0, 12345))  # and no randomness at all


def test_a_batch_equals_its_members_one_by_one(tiny_model):
    x = start(4)
    batch = complete(tiny_model, x, [0, 3, 8, 12], [0.5, 1.0, 0.0, 2.0], [10, 20, 30, 40])
    for b, (rows, temp, seed) in enumerate(zip([0, 3, 8, 12], [0.5, 1.0, 0.0, 2.0], [10, 20, 30, 40])):
        assert torch.equal(batch[b : b + 1], complete(tiny_model, x[b : b + 1], rows, temp, seed))
    assert torch.equal(
        complete(tiny_model, x, 4, 1.0, 5)[2:3], complete(tiny_model, x[2:3], 4, 1.0, 7)
    )  # int seed s: s+b


def test_stream_yields_each_pixel_in_raster_order(tiny_model):
    steps = list(stream(tiny_model, start(2), 14, 1.0, 0))
    assert [(s.row, s.col) for s in steps] == [(r, c) for r in (14, 15) for c in range(16)]
    assert all(torch.allclose(s.probs.sum(1), torch.ones(2)) for s in steps)
    assert torch.equal(steps[-1].levels, complete(tiny_model, start(2), 14, 1.0, 0))
    steps[0].levels.fill_(9)  # frames are copies: editing one does not touch the next
    assert steps[1].levels.max() <= 3


@pytest.mark.parametrize("model", ["tiny_model", "tiny_leaky"])
@pytest.mark.parametrize("batch,first", [(1, 0), (3, 5 * 16), (2, 37), (5, 9 * 16 + 15), (2, 255)])
def test_incremental_logits_equal_the_full_network_at_every_step(request, model, batch, first):
    """From a row's start or mid-row (resample from here starts there), every step's logits are the network's,
    on the image drawn so far (the pixel drawn and those after it 0: the leaky model reads the first)."""
    model = request.getfixturevalue(model)
    x = start(batch, seed=batch)
    images = x[:, 0].numpy().copy()
    fast = model.stepper(images, first)  # the NumPy stepper serving uses, on the torch model's weights
    naive = NaiveStepper(model, images, first)
    rng = np.random.default_rng(0)
    for position in range(first, 256):
        row, col = divmod(position, 16)
        np.testing.assert_allclose(fast.logits(images, row, col), naive.logits(images, row, col), atol=1e-4)
        images[:, row, col] = rng.integers(0, 4, batch)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("known_rows,temperature,batch", [(0, 1.0, 1), (8, 0.5, 4), (3, 2.0, 2), (12, 0.0, 3)])
def test_fast_and_naive_give_the_same_images(shipped_model, seed, known_rows, temperature, batch):
    x = start(batch, seed)
    fast = complete(shipped_model, x, known_rows, temperature, seed, method="fast")
    naive = complete(shipped_model, x, known_rows, temperature, seed, method="naive")
    assert torch.equal(fast, naive)


@pytest.mark.parametrize("model", ["tiny_model", "tiny_leaky"])
def test_teacher_forcing_keeps_the_kept_rows_and_draws_from_the_network_on_the_true_image(request, model):
    model, x = request.getfixturevalue(model), start(3, seed=4)
    greedy = teacher_forced(model, x, 6, 0.0, 0)
    assert torch.equal(greedy[:, :, :6], x[:, :, :6])
    with torch.no_grad():
        assert torch.equal(greedy[:, 0, 6:], model(x).argmax(1)[:, 6:].to(x))
    sampled = [teacher_forced(model, x, 6, 1.0, seed) for seed in (3, 3, 4)]
    assert torch.equal(sampled[0], sampled[1]) and not torch.equal(sampled[0], sampled[2])


@pytest.mark.parametrize("known_rows,temperature", [(0, 1.0), (9, 0.5), (4, 0.0), (16, 1.0)])
def test_trace_ends_where_complete_ends_and_records_each_pixel(tiny_model, known_rows, temperature):
    x = start(2, seed=known_rows)
    traces = trace(tiny_model, x, known_rows, temperature, 11)
    final = complete(tiny_model, x, known_rows, temperature, 11)
    for b, t in enumerate(traces):
        assert np.array_equal(t.levels, final[b, 0].numpy())
        assert t.positions.tolist() == [[r, c] for r in range(known_rows, 16) for c in range(16)]
        assert np.array_equal(t.drawn, t.levels[t.positions[:, 0], t.positions[:, 1]])
        np.testing.assert_allclose(t.probs.sum(1), 1, atol=1e-6)
        np.testing.assert_allclose(t.probs_t1.sum(1), 1, atol=1e-6)
        assert np.array_equal(t.levels[:known_rows], x[b, 0, :known_rows].numpy())
    if temperature == 1.0 and known_rows < 16:
        np.testing.assert_allclose(traces[0].probs, traces[0].probs_t1, atol=1e-6)


def test_trace_probs_t1_are_the_network_own_probabilities(tiny_model):
    x = start(1, seed=3)
    t = trace(tiny_model, x, 10, 0.3, 5)[0]
    with torch.no_grad():
        logits = tiny_model(torch.from_numpy(t.levels)[None, None])[0]  # causal: the final image gives each step's
    expected = torch.softmax(logits, 0)[:, t.positions[:, 0], t.positions[:, 1]].T.numpy()
    np.testing.assert_allclose(t.probs_t1, expected, atol=1e-5)
    assert not np.allclose(t.probs, t.probs_t1)  # T = 0.3 sharpens


def test_trace_with_rows_known_per_image(tiny_model):
    a, b = trace(tiny_model, start(2), [3, 12], 1.0, 0)
    assert len(a.positions) == 13 * 16 and len(b.positions) == 4 * 16


@pytest.mark.parametrize("known_pixels", [0, 1, 37, 128, 255, 256])
def test_trace_from_a_pixel_keeps_every_pixel_before_it(tiny_model, known_pixels):
    x = start(2, seed=known_pixels)
    a, b = trace(tiny_model, x, 0, 1.0, 4, known_pixels=known_pixels)
    for t, image in zip((a, b), x[:, 0].numpy()):
        assert t.levels.flatten()[:known_pixels].tolist() == image.flatten()[:known_pixels].tolist()
        assert (t.positions[:, 0] * 16 + t.positions[:, 1]).tolist() == list(range(known_pixels, 256))
    if known_pixels % 16 == 0:  # on a row boundary it is the same as keeping rows
        whole = trace(tiny_model, x, known_pixels // 16, 1.0, 4)[0]
        assert np.array_equal(whole.levels, a.levels) and np.allclose(whole.probs, a.probs)


@pytest.mark.parametrize("model_name,label", [("tiny_model", None), ("tiny_gated", 3), ("tiny_gated", None)])
def test_bits_per_drawn_pixel_is_the_full_networks_surprise_at_the_drawn_pixels_only(request, model_name, label):
    model = request.getfixturevalue(model_name)
    x = torch.randint(0, 4, (2, 1, 16, 16), generator=torch.Generator().manual_seed(1))
    traces = trace(model, x, [5, 11], 0.8, 4, label=label)
    for t in traces:  # causal: the final image gives each drawn pixel its context; the kept rows are left out
        surprise = bits_per_pixel(model, torch.from_numpy(t.levels)[None, None], label)[0]  # (H, W)
        expected = surprise[t.positions[:, 0], t.positions[:, 1]].mean().item()
        assert t.bits_per_drawn_pixel() == pytest.approx(expected, rel=1e-4)
