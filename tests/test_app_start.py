"""`python app.py` with broken weights stops with one clear line, not a traceback."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from safetensors import safe_open
from safetensors.torch import save_file

from pixelcnn import checkpoint, snapshots

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


def one_line(run: subprocess.CompletedProcess) -> str:
    assert run.returncode != 0 and "Traceback" not in run.stderr, run.stderr[-2000:]
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_a_config_that_is_not_an_object_stops_it_with_one_line(weights):
    (weights / "pixelcnn" / checkpoint.CONFIG_FILE).write_text("[]")
    assert "the config is list" in one_line(start_app(weights))


def test_a_missing_model_card_stops_it_with_one_line(weights):
    (weights / "pixelcnn" / checkpoint.CARD_FILE).unlink()
    assert "MODEL_CARD.md is missing" in one_line(start_app(weights))


def test_a_broken_learning_curve_stops_it_with_one_line(weights):
    (weights / "pixelcnn" / snapshots.HISTORY).write_text('[{"epoch": "one"}')
    assert "history.json cannot be used" in one_line(start_app(weights))


def test_a_snapshot_with_a_huge_config_stops_it_with_one_line(weights):
    """Its config is checked at start-up, not when the learning tab first loads it (that took 6 GB)."""
    path = next((weights / "pixelcnn" / snapshots.SNAPSHOTS).glob("epoch_*.safetensors"))
    with safe_open(path, "pt") as f:
        tensors, config = {k: f.get_tensor(k) for k in f.keys()}, json.loads(f.metadata()["config"])
    save_file(tensors, path, metadata={"config": json.dumps({**config, "filters": 4096})})
    assert f"{path.name} cannot be used (the config describes" in one_line(start_app(weights))


@pytest.mark.parametrize("name", [checkpoint.CONFIG_FILE, snapshots.HISTORY])
def test_deeply_nested_json_stops_it_with_one_line(weights, name):
    (weights / "pixelcnn" / name).write_text("[" * 100_000 + "]" * 100_000)  # Python's parser: RecursionError
    assert f"{name}" in one_line(start_app(weights))


@pytest.mark.parametrize("name", [checkpoint.CONFIG_FILE, snapshots.HISTORY, checkpoint.CARD_FILE])
def test_a_file_that_is_not_a_small_regular_file_is_refused_unread(weights, name):
    """A symlink to /dev/zero would be read forever; a 2 MB config is not read at all."""
    path = weights / "pixelcnn" / name
    path.unlink()
    path.symlink_to("/dev/zero")
    line = one_line(start_app(weights))
    assert name in line
    path.unlink()
    path.write_text(" " * (2 << 20))
    assert name in one_line(start_app(weights))


def test_a_snapshot_whose_header_claims_100_mb_is_refused_unread(weights):
    path = next((weights / "pixelcnn" / snapshots.SNAPSHOTS).glob("epoch_*.safetensors"))
    data = bytearray(path.read_bytes())
    data[:8] = (100 << 20).to_bytes(8, "little")
    path.write_bytes(bytes(data))
    assert f"{path.name} cannot be used (its header says" in one_line(start_app(weights))


def test_a_broken_file_stops_the_start_before_gradio_is_imported(weights):
    """Every file is read before Gradio (seconds to import) is: a Space with a broken file says so at once."""
    (weights / "pixelcnn" / checkpoint.CONFIG_FILE).write_text("[]")
    script = (
        "import runpy, sys\n"
        f"sys.argv = ['app.py', '--weights', {str(weights)!r}]\n"
        "try:\n    runpy.run_path('app.py', run_name='__main__')\n"
        "except SystemExit as stop:\n    print(stop, 'gradio' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.stdout.startswith("Cannot start the demo:") and run.stdout.split()[-1] == "False", run.stdout
