"""The page's engine (demo/engine.js, run in node) against the Python samplers: same random numbers bit for bit,
the same logits at every step, the same images for a seed; and the random numbers themselves (a fixed table)."""

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch

import pixelcnn
from pixelcnn.export import export
from pixelcnn.rng import uniforms
from pixelcnn.sampling import trace

HARNESS = Path(__file__).resolve().parent / "engine_harness.js"
SAMPLES = np.load(Path(__file__).resolve().parent.parent / "demo" / "assets" / "test_samples.npz")["images"]
# (seed, pixel) -> the uniform * 2**24, computed once by this implementation: a change of the generator shows here
TABLE = [
    (0, 0, 9620015), (0, 1, 3987171), (0, 2, 1774717), (0, 255, 7958744),
    (1, 0, 8739677), (1, 255, 14426104), (42, 0, 7295805), (42, 1, 12623175),
    (2**31 - 1, 0, 8494749), (2**31 - 1, 2, 11512891), (2**32 - 1, 0, 8434046), (2**32 - 1, 255, 9195415),
]  # fmt: skip


def node(question: dict) -> dict:
    executable = shutil.which("node")
    if executable is None:
        pytest.fail("node is missing: apt-get install nodejs (scripts/test.sh does)")
    done = subprocess.run([executable, str(HARNESS)], input=json.dumps(question), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def mix32_reference(x: int) -> int:
    """MurmurHash3's finaliser with Python's unbounded integers, masked by hand: a second, independent writing."""
    x ^= x >> 16
    x = (x * 0x85EBCA6B) & 0xFFFFFFFF
    x ^= x >> 13
    x = (x * 0xC2B2AE35) & 0xFFFFFFFF
    return x ^ (x >> 16)


@pytest.fixture(scope="module")
def engine_files(tmp_path_factory) -> dict:
    """Each shipped model and its engine file, written as the app writes it at start-up."""
    folder = tmp_path_factory.mktemp("engine")
    models = {name: pixelcnn.load_pretrained(name) for name in ("pixelcnn", "gated")}
    return {name: (model, export(model, name, folder)) for name, model in models.items()}


def test_uniforms_match_the_table_in_python_and_in_javascript():
    expected = [value / 2**24 for _, _, value in TABLE]
    assert [float(uniforms([seed], pixel + 1)[0, pixel]) for seed, pixel, _ in TABLE] == expected
    assert node({"uniform": [[seed, pixel] for seed, pixel, _ in TABLE]})["uniform"] == expected


def test_uniforms_are_the_hash_written_out_and_javascript_agrees_bit_for_bit():
    rng = np.random.default_rng(0)
    seeds = [0, 1, 2**31 - 1, 2**32 - 1, *rng.integers(0, 2**32, 60).tolist()]
    python = uniforms(seeds, 256)  # (seeds, 256)
    for b, seed in enumerate(seeds[:8]):  # the vectorised NumPy against the formula in plain integers
        for pixel in (0, 1, 17, 255):
            h = mix32_reference(mix32_reference(seed) ^ ((pixel + 1) * 0x9E3779B9 & 0xFFFFFFFF))
            assert python[b, pixel] == (h >> 8) / 2**24
    pairs = [[seed, pixel] for seed in seeds for pixel in range(256)]
    javascript = np.array(node({"uniform": pairs})["uniform"]).reshape(len(seeds), 256)
    assert np.array_equal(python, javascript)  # bit for bit, all 16,384
    assert 0.49 < python.mean() < 0.51 and python.min() >= 0 and python.max() < 1


@pytest.mark.parametrize("name", ["pixelcnn", "gated"])
def test_engine_logits_equal_the_python_stepper_at_every_step(engine_files, name):
    model, path = engine_files[name]
    rng = np.random.default_rng(1)
    images = np.concatenate([SAMPLES[:10], rng.integers(0, 4, (10, 16, 16))])  # real garments and noise
    kept = rng.integers(0, 16, 20)
    labels = [None if model.config.classes == 0 or b % 3 == 0 else int(b % 10) for b in range(20)]
    cases = [{"levels": image.tolist(), "label": label} for image, label in zip(images, labels)]
    javascript = node({"weights": str(path), "logits": cases})
    worst = 0.0
    for b in range(20):
        levels, start = images[b : b + 1].copy(), int(kept[b]) * 16
        stepper = model.stepper(levels, start, labels[b])
        mine = np.array(javascript["logits"][b])  # (256, L), every pixel, the kept ones too
        for position in range(start, 256):
            python = stepper.logits(levels, *divmod(position, 16))[0]
            worst = max(worst, float(np.abs(mine[position] - python).max()))
    print(f"{name}: largest logit difference over 20 images, every step: {worst:.2e}")
    assert worst < 1e-4


@pytest.mark.parametrize("name", ["pixelcnn", "gated"])
def test_engine_draws_the_same_image_as_python_for_a_seed(engine_files, name):
    """At least 99 of 100; a difference may only start where the uniform is within 1e-6 of a probability boundary
    (the two sides' logits differ by about 1e-6, so such a draw can fall either way)."""
    model, path = engine_files[name]
    rng = np.random.default_rng(2)
    count = 100
    starts = SAMPLES[rng.integers(0, len(SAMPLES), count)]
    kept, seeds = rng.integers(0, 16, count), rng.integers(0, 2**31, count)
    temperatures = np.round(rng.uniform(0, 2, count), 2)
    temperatures[:10] = 0  # greedy too
    labels = [None if model.config.classes == 0 or b % 2 == 0 else int(rng.integers(0, 10)) for b in range(count)]
    cases = [
        {"levels": s.tolist(), "known_pixels": int(k) * 16, "temperature": float(t), "seed": int(sd), "label": lb}
        for s, k, t, sd, lb in zip(starts, kept, temperatures, seeds, labels)
    ]
    javascript = node({"weights": str(path), "trace": cases})["trace"]
    label = None if model.config.classes == 0 else [-1 if lb is None else lb for lb in labels]
    x = torch.from_numpy(starts)[:, None]
    python = pixelcnn.complete(model, x, torch.from_numpy(kept), torch.from_numpy(temperatures), seeds.tolist(), label)
    differ = [b for b in range(count) if not np.array_equal(np.array(javascript[b]["levels"]), python[b, 0].numpy())]
    for b in differ:
        steps = trace(model, x[b : b + 1], int(kept[b]), float(temperatures[b]), int(seeds[b]), labels[b])[0]
        mine = np.array([[e["row"], e["col"], e["level"]] for e in javascript[b]["trace"]])
        first = int(np.flatnonzero(mine[:, 2] != steps.drawn)[0])
        row, col = steps.positions[first]
        u = uniforms([int(seeds[b])], 256)[0, row * 16 + col]
        gap = float(np.abs(np.cumsum(steps.probs[first])[:-1] - u).min())
        print(f"{name} case {b}: first difference at ({row}, {col}), uniform {u:.8f}, {gap:.1e} from a boundary")
        assert gap < 1e-6
    assert len(differ) <= 1, f"{len(differ)} of {count} images differ"
    for b in range(count):  # and what the page shows of a pixel: its probabilities, at T and at T = 1
        assert len(javascript[b]["trace"]) == 256 - int(kept[b]) * 16
