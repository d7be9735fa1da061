"""`python app.py` with broken weights stops with one clear line, not a traceback."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pixelcnn import checkpoint

ROOT = Path(__file__).resolve().parent.parent


def start_app(weights: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "app.py", "--weights", str(weights), "--port", "7999"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture
def weights(tmp_path):
    shutil.copytree(checkpoint.WEIGHTS_DIR / checkpoint.DEFAULT_MODEL, tmp_path / "pixelcnn")
    return tmp_path


def test_corrupt_weights_stop_the_app_with_one_line(weights):
    path = weights / "pixelcnn" / checkpoint.WEIGHTS_FILE
    path.write_bytes(path.read_bytes()[:1000])
    run = start_app(weights)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    message = run.stderr.strip().splitlines()
    assert len(message) == 1 and str(path) in message[0] and "python -m pixelcnn.train" in message[0]


def test_missing_weights_stop_the_app_with_one_line(weights):
    (weights / "pixelcnn" / checkpoint.WEIGHTS_FILE).unlink()
    run = start_app(weights)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "model.safetensors is missing" in run.stderr and "python -m pixelcnn.train" in run.stderr


def test_no_model_at_all(tmp_path):
    run = start_app(tmp_path)
    assert run.returncode != 0 and "no model in" in run.stderr and "Traceback" not in run.stderr


def test_a_config_the_app_cannot_serve_stops_it_with_one_line(weights):
    config = weights / "pixelcnn" / checkpoint.CONFIG_FILE
    config.write_text(config.read_text().replace('"image_size": 16', '"image_size": 32'))
    run = start_app(weights)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "image_size=32, this code needs 16" in run.stderr
