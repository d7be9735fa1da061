"""The one quantization rule (pixelcnn/rule.py) and its twin in the page (demo/page/rule.js): the same levels, bit
for bit, on every FashionMNIST image; and the rule against torch's antialiased interpolation, which it replaces."""

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from pixelcnn.data import load_raw
from pixelcnn.rule import filter_taps, to_levels

RULE_JS = Path(__file__).resolve().parent.parent / "demo" / "page" / "rule.js"


def node_levels(images: np.ndarray, white: float = 255) -> np.ndarray:
    """demo/page/rule.js's levels of `images` (N, h, w) uint8, computed in node."""
    executable = shutil.which("node")
    if executable is None:
        pytest.fail("node is missing: apt-get install nodejs (scripts/test.sh does)")
    n, h, w = images.shape
    script = f"""
      import {{ toLevels }} from {json.dumps(RULE_JS.as_uri())};
      const chunks = []; for await (const chunk of process.stdin) chunks.push(chunk);
      const bytes = Buffer.concat(chunks), size = {h * w}, out = Buffer.alloc({n} * 256);
      for (let i = 0; i < {n}; i++) {{
        const levels = toLevels(bytes.subarray(i * size, (i + 1) * size), {h}, {w}, {white});
        for (let p = 0; p < 256; p++) out[i * 256 + p] = levels[p >> 4][p & 15];
      }}
      process.stdout.write(out);
    """
    done = subprocess.run([executable, "--input-type=module", "-e", script], input=images.tobytes(),
                          capture_output=True)  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    return np.frombuffer(done.stdout, np.uint8).reshape(n, 16, 16)


def test_the_filter_weights_sum_to_one_and_shrinking_a_flat_picture_keeps_it():
    for source in (28, 16, 7, 300):
        _, table = filter_taps(source, 16)
        np.testing.assert_allclose(table.sum(1), 1.0, atol=1e-12)
    assert to_levels(np.full((28, 28), 170)).tolist() == [[2] * 16] * 16
    assert to_levels(np.full((5, 900), 255)).tolist() == [[3] * 16] * 16


def test_javascript_gives_the_same_levels_as_python_on_odd_sizes():
    rng = np.random.default_rng(0)
    for h, w in [(1, 1), (3, 40), (28, 28), (16, 16), (61, 17), (200, 150)]:
        images = rng.integers(0, 256, (5, h, w), dtype=np.uint8)
        assert np.array_equal(node_levels(images), to_levels(images)), (h, w)


@pytest.mark.parametrize("split", ["train", "test"])
def test_javascript_gives_the_training_levels_on_every_fashion_mnist_image(data_root, split):
    images, _ = load_raw(split, data_root)
    assert np.array_equal(node_levels(images), to_levels(images))


def test_the_rule_differs_from_torch_only_at_a_few_level_boundaries(data_root):
    """Torch computes the same filter in float32: the levels differ only where 4x sits on a whole number."""
    torch = pytest.importorskip("torch")
    images = np.concatenate([load_raw(split, data_root)[0] for split in ("train", "test")])
    x = torch.from_numpy(images.astype(np.float32)).div(255).unsqueeze(1)
    small = torch.nn.functional.interpolate(x, size=(16, 16), mode="bilinear", antialias=True, align_corners=False)
    theirs = (small * 4).floor().clamp(0, 3).to(torch.uint8)[:, 0].numpy()
    ours = to_levels(images)
    differ = ours != theirs
    images_differing = differ.any((1, 2)).sum()
    print(f"\n{differ.sum()} of {differ.size} pixels differ from torch's float32 rule ({images_differing} images)")
    assert differ.sum() < 100
    scaled = small[:, 0].numpy()[differ] * 4
    assert np.abs(scaled - np.round(scaled)).max() < 1e-5  # each at a float tie between two levels
