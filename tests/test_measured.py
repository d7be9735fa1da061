"""The measured fields shipped beside the weights: measured on those very weights, equal to what torch measures
now, read the same by the server (without torch) and by the page (demo/page/fields.js in node)."""

import numpy as np
import pytest

from demo.errors import InputError
from demo.handlers import DemoApp
from pixelcnn import gradients, measured
from pixelcnn.checkpoint import load_pretrained
from pixelcnn.field import sees_itself
from pixelcnn.gradients import receptive_field, receptive_fields
from pixelcnn.models import WEIGHTS_DIR, available_models, card_sha256
from tests.conftest import served
from tests.test_engine import node
from tests.test_fields_js import HARNESS

SHIPPED = available_models()
PIXELS = [(0, 0), (0, 1), (8, 8), (15, 15)]


@pytest.mark.parametrize("name", SHIPPED)
def test_each_model_ships_its_fields_measured_on_its_own_weights(name):
    path = measured.find(WEIGHTS_DIR / name)
    assert path is not None, f"no measured fields in weights/{name}: python -m pixelcnn.gradients"
    assert measured.about(path)["weights_sha256"] == card_sha256(WEIGHTS_DIR / name)  # not stale
    assert measured.read(path).shape == (256, 16, 16) and path.stat().st_size < 140_000


@pytest.mark.parametrize("name", SHIPPED)
def test_the_shipped_fields_are_what_torch_measures_now(name):
    model, fields = load_pretrained(name), measured.read(measured.find(WEIGHTS_DIR / name))
    for row, col in PIXELS:
        now = measured.scaled(receptive_field(model, row, col).numpy()).astype(int)
        shipped = np.rint(fields[row * 16 + col] * measured.SCALE).astype(int)
        assert np.array_equal(now > 0, shipped > 0) and np.abs(now - shipped).max() <= 1, (row, col)
    itself = sees_itself(served(name).wiring())  # the leaky model: the first pixel sees itself, and only itself
    assert fields[0].max() == itself and fields[0][0, 0] == itself and fields[8 * 16 + 8].max() == 1  # a top is 1


def test_all_fields_at_once_are_each_pixels_field(tiny_model):
    together = receptive_fields(tiny_model, batch=48)  # a batch that does not divide 256
    for p in [*range(0, 256, 9), 47, 48, 255]:  # every batch, its edges
        np.testing.assert_allclose(together[p], receptive_field(tiny_model, p // 16, p % 16), rtol=1e-5, atol=1e-9)


def test_the_server_answers_from_the_file_without_torch(monkeypatch):
    monkeypatch.setattr(gradients, "receptive_field", lambda *args: pytest.fail("torch measured a field"))
    plain = served("pixelcnn")
    app = DemoApp({"pixelcnn": plain, "mine": plain})  # "mine": no folder of that name, no file
    fields = measured.read(measured.find(WEIGHTS_DIR / "pixelcnn"))
    assert app.receptive_field("pixelcnn", 8, 8) == fields[8 * 16 + 8].tolist()
    with pytest.raises(InputError) as refused:
        app.receptive_field("mine", 8, 8)
    assert refused.value.key == "no_measured"


@pytest.mark.parametrize("name", SHIPPED)
def test_the_page_reads_the_file_as_the_server_does(name):
    path = measured.find(WEIGHTS_DIR / name)
    pixels = [[row, col] for row in range(0, 16, 3) for col in range(16)]
    answer = node({"measured": str(path), "pixels": pixels}, harness=HARNESS)["measured"]
    fields = measured.read(path)
    assert [fields[row * 16 + col].tolist() for row, col in pixels] == answer
