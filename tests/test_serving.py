"""Serving needs nothing of training: the app imports no torch, and an install of `requirements.txt` alone (what a
Hugging Face Space installs; scripts/test.sh makes it as .venv-serve) starts and answers every public API exactly as
the full install's code does."""

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import api_client, served
from gradio_client import handle_file
from PIL import Image

from bench.server import ROOT, sample_levels, serving
from demo.handlers import DemoApp
from demo.layers import LayerView
from demo.learning import Learning

SERVE_PYTHON = ROOT / ".venv-serve" / "bin" / "python"
SERVING_MODULES = "app, demo.ui, demo.handlers, demo.learning, demo.layers, pixelcnn.models, pixelcnn.export"


def imports_torch(python: Path | str) -> bool:
    check = f"import sys, {SERVING_MODULES}; sys.exit(3 if 'torch' in sys.modules else 0)"
    done = subprocess.run([str(python), "-c", check], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode in (0, 3), done.stderr
    return done.returncode == 3


def test_the_serving_code_imports_no_torch_even_where_torch_is_installed():
    assert not imports_torch(sys.executable)


@pytest.fixture(scope="module")
def serve_python() -> Path:
    if not SERVE_PYTHON.exists():
        pytest.skip(
            "no .venv-serve: scripts/test.sh makes it (python3 -m venv .venv-serve; pip install -r requirements.txt)"
        )
    return SERVE_PYTHON


def test_the_serving_install_holds_no_torch(serve_python):
    done = subprocess.run([str(serve_python), "-c", "import torch"], capture_output=True)
    assert done.returncode != 0
    assert not imports_torch(serve_python)


@pytest.mark.app
def test_the_serving_install_answers_every_api_as_the_full_install(serve_python, tmp_path):
    names = ("pixelcnn", "gated")
    app = DemoApp({name: served(name) for name in names})
    view, learning = LayerView(app), Learning(list(names))
    levels = sample_levels()
    hole = [[int(4 <= r < 9 and 3 <= c < 12) for c in range(16)] for r in range(16)]
    picture = tmp_path / "garment.png"
    Image.new("RGB", (40, 30), (200, 120, 40)).save(picture)
    with serving(python=str(serve_python)) as (url, _):
        client = api_client(url)
        for name, label in (("pixelcnn", "any"), ("gated", "Bag")):
            got = client.predict(name, levels, 6, 0.8, 17, label, api_name="/complete")
            assert got == app.complete(name, levels, 6, 0.8, 17, label)
            assert client.predict(name, levels, hole, 1.0, 3, label, api_name="/fill") == app.fill(
                name, levels, hole, 1.0, 3, label
            )
            assert client.predict(name, 7, 9, api_name="/layers") == view.layers(name, 7, 9)
            assert client.predict(name, 2, 5, api_name="/learning") == learning.learning(name, 2, 5)
        got = client.predict(handle_file(str(picture)), api_name="/levels_from_image")
        assert {k: got[k] for k in ("levels", "as_is", "framed")} == app.levels_from_image(str(picture))
