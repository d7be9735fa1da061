"""The page's fields (demo/page/fields.js, run in node) against pixelcnn.field, from each model's wiring as data:
the same field, stacks and blind spot for every pixel at every depth, the same chain of taps or the same reason
(and the same sentence in every language) for a sample of (pixel, source, depth); for the shipped models, a
model with mask B first (its field holds the pixel itself) and random wirings of two streams."""

import json
from pathlib import Path

import numpy as np
import pytest

from demo import i18n
from demo.layers import sentence
from pixelcnn.field import Connection, Fields, Wiring, chain, why_not
from pixelcnn.masks import causal_mask
from pixelcnn.models import available_models
from tests.conftest import served
from tests.test_engine import node

HARNESS = Path(__file__).resolve().parent / "fields_harness.mjs"
SIZE = 16


def with_mask_b_first(wiring: Wiring) -> Wiring:
    """The plain model's wiring with its first mask B: the prediction sees its own pixel (a leak)."""
    (first,) = wiring.layers[0]
    mask = causal_mask(first.mask.shape[0], "B")
    return Wiring(((Connection(first.source, first.target, first.stack, "B", mask, first.anchor),), *wiring.layers[1:]),
                  wiring.output)  # fmt: skip


def random_mask(rng, centre: bool) -> tuple[np.ndarray, tuple[int, int]]:
    """A mask of random shape and anchor whose taps are a random part of the pixels before the anchor (the
    centre too if `centre`), keeping the column straight up and the left neighbour: every row up to its reach
    is reached, so every reason has numbers to give."""
    rows, cols = int(rng.integers(1, 5)), int(rng.integers(2, 6))
    anchor = (rows - 1, int(rng.integers(1, cols)))
    before = np.zeros((rows, cols), bool)
    before[: anchor[0]] = True
    before[anchor[0], : anchor[1] + centre] = True
    mask = before & (rng.random((rows, cols)) < 0.6)
    mask[: anchor[0], anchor[1]] = mask[anchor[0], anchor[1] - 1] = True
    mask[anchor] = centre
    return mask.astype(np.float32), anchor


STREAMS = (("up", "up", "vertical"), ("row", "row", "horizontal"), ("up", "row", "vertical"))  # source, target, stack


def random_wiring(seed: int) -> Wiring:
    """Two streams as in the gated model (the second also reads the first), random masks, 2 to 6 layers; the
    streams are named apart from the stacks (the masks' names must be ones the locales know)."""
    rng = np.random.default_rng(seed)
    layers = []
    for k in range(int(rng.integers(2, 7))):
        kind = "A" if k == 0 else "B"
        connections = []
        for source, target, stack in STREAMS:
            mask, anchor = random_mask(rng, centre=k > 0)
            connections.append(Connection(source, target, stack, f"{stack}_{kind}", mask, anchor))
        layers.append(tuple(connections))
    return Wiring(tuple(layers), "row")


def wirings() -> dict[str, Wiring]:
    shipped = {name: served(name).wiring() for name in available_models()}
    return {**shipped, "mask B first": with_mask_b_first(shipped["pixelcnn"]),
            **{f"random {seed}": random_wiring(seed) for seed in range(3)}}  # fmt: skip


WIRINGS = wirings()


def cells(grid: np.ndarray) -> str:
    return "".join("1" if v else "0" for v in grid.reshape(-1))


def test_the_wiring_travels_as_plain_json_and_comes_back_the_same():
    for wiring in WIRINGS.values():
        back = Wiring.from_dict(json.loads(json.dumps(wiring.to_dict())))
        assert back.output == wiring.output and len(back.layers) == len(wiring.layers)
        for layer, again in zip(wiring.layers, back.layers):
            for a, b in zip(layer, again, strict=True):
                assert (a.source, a.target, a.stack, a.mask_name, a.anchor) == (b.source, b.target, b.stack,
                                                                                  b.mask_name, b.anchor)  # fmt: skip
                np.testing.assert_array_equal(a.mask, b.mask)


@pytest.mark.parametrize("name", list(WIRINGS))
def test_every_pixel_has_the_same_field_stacks_and_blind_spot_at_every_depth(name):
    wiring = WIRINGS[name]
    pixels = [[row, col] for row in range(SIZE) for col in range(SIZE)]
    answer = node({"wiring": wiring.to_dict(), "size": SIZE, "pixels": pixels}, harness=HARNESS)["fields"]
    fields = Fields(wiring, SIZE)
    for (row, col), javascript in zip(pixels, answer, strict=True):
        python = fields.at(row, col)
        assert [layer["layer"] for layer in javascript] == [layer.layer for layer in python]
        for js, py in zip(javascript, python):
            assert js["field"] == cells(py.field), (name, row, col, py.layer)
            assert js["stacks"] == {stack: cells(grid) for stack, grid in py.stacks.items()}, (name, row, col)
            assert js["blind_spot"] == cells(py.blind_spot), (name, row, col, py.layer)
    if name == "mask B first":  # the leak shows: the pixel itself is in its own field
        assert answer[8 * SIZE + 8][-1]["field"][8 * SIZE + 8] == "1"


def questions(wiring: Wiring, seed: int) -> list[tuple[int, int, int, int, int]]:
    """Every source for two pixels at the first and last depth, and 300 random (pixel, depth, source)."""
    rng, last = np.random.default_rng(seed), len(wiring.layers)
    asked = [(r, c, d, sr, sc) for r, c in ((8, 8), (15, 2)) for d in (1, last) for sr, sc in np.ndindex(SIZE, SIZE)]
    for _ in range(300):
        row, col, source_row, source_col = rng.integers(0, SIZE, 4)
        source_row = min(source_row, row)  # most pixels asked about come before the chosen one, as in the page
        asked.append((int(row), int(col), int(rng.integers(1, last + 1)), int(source_row), int(source_col)))
    return asked


@pytest.mark.parametrize("name", list(WIRINGS))
def test_chains_and_reasons_and_their_sentences_are_the_same(name):
    wiring, texts = WIRINGS[name], {lang: i18n.TEXTS[lang] for lang in i18n.TEXTS}
    asked = questions(wiring, seed=len(name))
    answer = node({"wiring": wiring.to_dict(), "size": SIZE, "why": asked, "texts": texts}, harness=HARNESS)["why"]
    reasons = set()
    for (row, col, depth, *source), javascript in zip(asked, answer, strict=True):
        hops = chain(wiring, SIZE, row, col, depth, tuple(source))
        if hops is not None:
            python = [{"layer": h.layer, "source": h.source, "target": h.target, "maskName": h.mask_name,
                       "mask": (h.mask != 0).astype(int).tolist(), "tap": list(h.tap),
                       "sourcePixel": list(h.source_pixel), "pixel": list(h.pixel)} for h in hops]  # fmt: skip
            assert javascript.get("chain") == python, (name, row, col, depth, source)
            continue
        reason = why_not(wiring, SIZE, row, col, depth, tuple(source))
        assert javascript.get("reason") == {"key": reason.key, "fields": reason.fields}, (name, row, col, depth, source)
        assert javascript["sentences"] == {lang: sentence(reason, lang) for lang in texts}
        reasons.add(reason.key)
    if name == "pixelcnn":  # the sample holds every kind of reason the plain model gives
        assert reasons >= {"why_itself", "why_after", "why_too_high", "why_too_left", "why_blind_spot"}
