"""Filling a hole: only the hole's cells are drawn, in raster order, each from every pixel before it only.

An autoregressive model cannot use the known pixels below and to the right of a hole cell: these tests
pin that down (changing them changes nothing in the fill before them), and that a hole of whole rows is
exactly a completion of those rows.
"""

import numpy as np
import pytest
import torch

from pixelcnn import complete, trace


def image(seed=0, batch=1):
    return torch.randint(0, 4, (batch, 1, 16, 16), generator=torch.Generator().manual_seed(seed))


def random_hole(seed: int, cells: int = 30) -> np.ndarray:
    rng = np.random.default_rng(seed)
    hole = np.zeros(256, dtype=bool)
    hole[rng.choice(256, size=cells, replace=False)] = True
    return hole.reshape(16, 16)


@pytest.fixture(params=["tiny_model", "tiny_gated"])
def model(request):
    return request.getfixturevalue(request.param)


def test_cells_outside_the_hole_never_change(model):
    x, hole = image(1), random_hole(1)
    (steps,) = trace(model, x, 0, 1.0, 5, hole=hole)
    assert np.array_equal(steps.levels[~hole], x[0, 0].numpy()[~hole])
    assert [tuple(p) for p in steps.positions] == [tuple(p) for p in np.argwhere(hole)]  # raster order
    assert len(steps.drawn) == hole.sum() and np.array_equal(steps.levels[hole], steps.drawn)


def test_same_seed_same_fill_other_seed_other_fill(model):
    x, hole = image(2), random_hole(2, cells=60)
    a, b, c = (trace(model, x, 0, 1.0, seed, hole=hole)[0].levels for seed in (3, 3, 4))
    assert np.array_equal(a, b) and not np.array_equal(a, c)


@pytest.mark.parametrize("cell", [40, 100, 170])
def test_a_filled_cell_never_depends_on_pixels_after_it(model, cell):
    """Repaint every kept pixel after hole cell number `cell` (raster order): the fill up to it is the same."""
    x, hole = image(3), random_hole(3, cells=200)
    order = np.flatnonzero(hole.reshape(-1))
    position = order[np.searchsorted(order, cell)]  # a hole cell at or after raster position `cell`
    changed = x.clone().reshape(-1)
    after = torch.arange(256) > position
    kept_after = after & ~torch.from_numpy(hole.reshape(-1))
    changed[kept_after] = (changed[kept_after] + 1) % 4
    changed = changed.reshape(1, 1, 16, 16)
    first = trace(model, x, 0, 1.0, 9, hole=hole)[0]
    second = trace(model, changed, 0, 1.0, 9, hole=hole)[0]
    upto = first.positions[:, 0] * 16 + first.positions[:, 1] <= position
    assert np.array_equal(first.drawn[upto], second.drawn[upto])
    assert np.allclose(first.probs_t1[upto], second.probs_t1[upto], atol=1e-5)
    assert not np.array_equal(first.levels, second.levels)  # the kept pixels themselves did change


@pytest.mark.parametrize("rows", [0, 5, 8, 15])
def test_a_hole_of_whole_rows_is_a_completion(model, rows):
    x = image(4, batch=2)
    hole = np.zeros((16, 16), dtype=bool)
    hole[rows:] = True
    filled = trace(model, x, 0, 0.8, [11, 12], hole=hole)
    completed = trace(model, x, rows, 0.8, [11, 12])
    for a, b in zip(filled, completed):
        assert np.array_equal(a.levels, b.levels) and np.array_equal(a.positions, b.positions)
        assert np.allclose(a.probs, b.probs)
    assert torch.equal(torch.from_numpy(filled[0].levels), complete(model, x[:1], rows, 0.8, 11)[0, 0])


def test_the_fast_fill_equals_the_full_network_at_every_cell(model):
    x, hole = image(5), random_hole(5, cells=50)
    fast = trace(model, x, 0, 1.0, 2, hole=hole)[0]
    naive = trace(model, x, 0, 1.0, 2, hole=hole, method="naive")[0]
    assert np.array_equal(fast.levels, naive.levels)
    assert np.allclose(fast.probs_t1, naive.probs_t1, atol=1e-4)


def test_an_empty_hole_draws_nothing(model):
    x = image(6)
    (steps,) = trace(model, x, 0, 1.0, 0, hole=np.zeros((16, 16), dtype=bool))
    assert len(steps.drawn) == 0 and np.array_equal(steps.levels, x[0, 0].numpy())
