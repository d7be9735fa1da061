"""The shipped leaky model (the plain PixelCNN with its first mask B, broken on purpose): a near-perfect loss that
comes from copying the pixel it predicts, and pictures that show it learned nothing. The page's and the card's
claims about it rest on these tests (python -m bench.leak prints the same figures on every image)."""

import pytest
import torch

import pixelcnn
from pixelcnn.data import load_levels
from pixelcnn.likelihood import copy_rate
from pixelcnn.sampling import teacher_forced
from pixelcnn.train import evaluate

SEEDS = list(range(8))


@pytest.fixture(scope="module")
def leaky():
    return pixelcnn.load_pretrained("leaky")


@pytest.fixture(scope="module")
def test_images(data_root):
    return load_levels("test", data_root)[0][:2000]


def test_the_shipped_leaky_model_is_the_plain_one_with_its_first_mask_b(leaky):
    assert leaky.config.name == "pixelcnn" and leaky.config.first_mask == "B"
    k = leaky.config.first_kernel
    assert leaky.first.mask[k // 2, k // 2] == 1  # the centre tap: the pixel it predicts
    assert torch.equal(leaky.first.mask, pixelcnn.causal_mask(k, "B"))


def test_its_teacher_forced_loss_is_near_zero_because_it_copies_the_pixel(leaky, shipped_model, test_images):
    assert evaluate(leaky, test_images) <= 0.05
    assert copy_rate(leaky, test_images) >= 0.99
    assert copy_rate(shipped_model, test_images) < 0.95  # an honest model cannot copy: the bar means something


def test_drawn_from_scratch_it_is_nearly_blank(leaky):
    blank = torch.zeros(len(SEEDS), 1, 16, 16, dtype=torch.long)
    drawn = pixelcnn.complete(leaky, blank, 0, 1.0, SEEDS)
    assert (drawn == 0).float().mean() >= 0.9
    assert ((drawn == 0).float().flatten(1).mean(1) >= 0.8).all()  # every seed, not only on average


def test_below_kept_rows_it_draws_nearly_nothing_and_keeps_the_rows(leaky, test_images):
    garments = test_images[: len(SEEDS)]
    drawn = pixelcnn.complete(leaky, garments, 8, 1.0, SEEDS)
    assert torch.equal(drawn[:, :, :8], garments[:, :, :8])
    assert (drawn[:, :, 8:] == 0).float().mean() >= 0.9 > (garments[:, :, 8:] == 0).float().mean()


def test_as_in_training_it_gives_the_hidden_rows_back(leaky, shipped_model, test_images):
    """Teacher forcing, as the page's "as in training" button: the true image under the cover, read pixel by pixel."""
    garments = test_images[:100]
    leaked = teacher_forced(leaky, garments, 8, 1.0, 0)
    assert (leaked == garments).float().mean() >= 0.999
    honest = teacher_forced(shipped_model, garments, 8, 1.0, 0)
    assert (honest[:, :, 8:] == garments[:, :, 8:]).float().mean() < 0.95  # the honest one only guesses


def test_the_api_serves_it_like_the_other_models(leaky, shipped_model):
    """/complete, /fill, /layers and /learning accept `leaky`; its field holds the pixel itself from layer 1, and the
    "why" of that pixel is one chain through the centre taps (mask B's, in layer 1); the masks tab draws its first
    mask B; the page is told it leaks, the plain model stays first."""
    from demo.handlers import DemoApp
    from demo.layers import LayerView
    from demo.learning import Learning
    from demo.ui import page_props

    app = DemoApp({"pixelcnn": shipped_model, "leaky": leaky})
    garment = app.samples[0].tolist()
    done = app.complete("leaky", garment, 8, 1.0, 3)
    assert done["levels"][:8] == garment[:8] and len(done["trace"]) == 128
    hole = [[int(4 <= r < 8 and 4 <= c < 8) for c in range(16)] for r in range(16)]
    assert len(app.fill("leaky", garment, hole, 1.0, 3)["trace"]) == 16
    layers = LayerView(app).layers("leaky", 8, 8)["layers"]
    assert all(layer["field"][8][8] == 1 for layer in layers) and not any(layer["field"][8][9] for layer in layers)
    hops = LayerView(app).why("leaky", 8, 8, 1, 8, 8, "en")["chain"]
    assert [(h["mask"], h["tap"], h["from"], h["to"]) for h in hops] == [("B", [3, 3], [8, 8], [8, 8])]
    assert "sentence" in LayerView(app).why("pixelcnn", 8, 8, 1, 8, 8, "en")  # the honest one: why it cannot
    answer = Learning(["pixelcnn", "leaky"]).learning("leaky", 10, 0)
    assert answer["epoch"] == 10 and (torch.tensor(answer["samples"]) == 0).float().mean() >= 0.9
    leak = [m for m in app.masks() if m.get("model") == "leaky"]
    assert [(m["name"], m["mask"][3][3]) for m in leak] == [("B", 1)]
    assert [m["name"] for m in app.masks() if "model" not in m] == ["A", "B"]  # the course's masks, as before
    models = {m["name"]: m["leaks"] for m in page_props(app)["models"]}
    assert models == {"pixelcnn": False, "leaky": True} and list(models)[0] == "pixelcnn"
