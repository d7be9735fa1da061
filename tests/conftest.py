import json
import os
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # tests never touch the network
# One thread for torch's and NumPy's arithmetic, here and in the programs the tests start (set before torch loads its
# OpenMP): the tests' models are small, and with more threads than free cores (the suite's two workers, anything
# else the machine runs) OpenMP's waiting threads spin: a test of a tiny model took 53 s instead of 1.7 s.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pytest
import torch

from pixelcnn import PixelCNN, PixelCNNConfig, load_pretrained
from pixelcnn.data import DEFAULT_ROOT, MissingDataError, load_raw

TINY = PixelCNNConfig(filters=8, blocks=2)

# scripts/test.sh's two workers take whole files in the order collected, each the next file when one is done: the
# longest files go first, so that the short ones fill both workers' ends (alphabetical order left one worker alone for
# up to 16 s). tests/durations.json: each file's seconds in one run (scripts/durations.py); a new file counts as 10 s.
DURATIONS = json.loads((Path(__file__).parent / "durations.json").read_text())


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: -DURATIONS.get(item.path.name, 10.0))  # stable: a file's tests stay in their order


def tiny(config: PixelCNNConfig) -> PixelCNN:
    torch.manual_seed(0)  # test-only: fixed random weights
    model = PixelCNN(config).eval()
    with torch.no_grad():  # larger biases than the default init, so every unit is alive on some input
        for p in model.parameters():
            p.mul_(3)
    return model


@pytest.fixture(scope="session")
def tiny_model() -> PixelCNN:
    """A small random model: causality and sampling hold for any weights."""
    return tiny(TINY)


@pytest.fixture(scope="session")
def tiny_leaky() -> PixelCNN:
    """The same with its first mask B (the `leaky` model's break, on purpose): it sees the pixel itself."""
    return tiny(PixelCNNConfig(filters=8, blocks=2, first_mask="B"))


@pytest.fixture(scope="session")
def shipped_model() -> PixelCNN:
    return load_pretrained()


@pytest.fixture(scope="session")
def data_root():
    """The FashionMNIST folder (FASHION_MNIST_DIR, or Debian's); without it the tests that need it are skipped."""
    try:
        load_raw("test", DEFAULT_ROOT)
    except MissingDataError:
        pytest.skip(
            f"FashionMNIST missing in {DEFAULT_ROOT}: apt-get install dataset-fashion-mnist, "
            "or set FASHION_MNIST_DIR to a folder holding its idx files"
        )
    return DEFAULT_ROOT


def served(name: str):
    """A shipped model as the app serves it (NumPy, `pixelcnn.models`)."""
    from pixelcnn import models

    return models.load(models.WEIGHTS_DIR / name)


@pytest.fixture(scope="session")
def demo_app():
    from demo.handlers import DemoApp

    return DemoApp({"pixelcnn": served("pixelcnn")})


@contextmanager
def launched(app, learning=None, **build_options):
    """The real app of `app` (a DemoApp; `learning` and `build_options` go to demo.ui.build) on a free localhost port
    while inside: yields its Blocks (`.local_url`), closed after."""
    from demo.ui import build, launch_options

    blocks = build(app, learning, **build_options)
    blocks.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=None, quiet=True, **launch_options())
    try:
        yield blocks
    finally:
        blocks.close()


def api_client(url: str, **options):
    """A gradio_client of an app of the tests. Their apps are served over plain HTTP, where bench.raw.checked checks
    no certificate (else every request loads the CA bundle: gradio_client opens an httpx client per request, 21 ms
    each, measured)."""
    from gradio_client import Client

    from bench.raw import checked

    return Client(url, download_files=False, verbose=False, ssl_verify=checked(url), **options)


@pytest.fixture(scope="session")
def running_app(demo_app):
    """The real app on a free localhost port, for the client and browser tests."""
    with launched(demo_app) as blocks:
        yield blocks


@pytest.fixture(scope="session")
def tiny_gated():
    """A small random gated model with classes: causality, labels and sampling hold for any weights."""
    from pixelcnn.gated import GatedPixelCNN, GatedPixelCNNConfig

    torch.manual_seed(0)  # test-only: fixed random weights
    model = GatedPixelCNN(GatedPixelCNNConfig(channels=8, layers=4)).eval()
    with torch.no_grad():  # larger weights than the default init (class biases start at 0), so every unit matters
        for p in model.parameters():
            p.copy_(torch.randn_like(p) * 0.5) if p.dim() > 1 else p.mul_(3)
    return model
