"""'Watch it learn' computed in the page: each snapshot's engine file (int8 as shipped, pixelcnn.export's
export_snapshot) read by demo/page/engine.js in node gives Python's served weights bit for bit, and the page's engine
draws the tab's 16 pictures and completes the user's grid exactly as demo/learning.py (the API's answers) does."""

import functools
import hashlib

import numpy as np
import pytest
from test_engine import ENGINES, HARNESS, node

from demo import i18n
from demo.handlers import MAX_SEED, MAX_TEMPERATURE
from demo.learning import SAMPLES, Learning
from pixelcnn import snapshots
from pixelcnn.export import engine_tensors, export_snapshot
from pixelcnn.models import WEIGHTS_DIR

NAMES = ["pixelcnn", "gated", "leaky"]  # every shipped model with snapshots


@pytest.fixture(scope="module")
def learning():
    return Learning(NAMES)


@pytest.fixture(scope="module")
def files(learning, tmp_path_factory) -> dict:
    """Each snapshot's engine file, written as the app writes them at start-up: {name: {epoch: path}}."""
    return learning.engine_files(tmp_path_factory.mktemp("snapshots"))


def test_every_model_with_snapshots_is_exported(learning, files):
    assert learning.names() == NAMES
    assert {name: list(found) for name, found in files.items()} == learning.epochs


def test_the_int8_file_is_well_under_half_the_float32_weights(files):
    """int8 as shipped: the page downloads a snapshot's codes (a quarter), with a float32 scale per row, the biases
    and the header beside them (the small leaky model: 37%), not its float32 weights."""
    for name, found in files.items():
        floats = sum(a.nbytes for a in engine_tensors(snapshots.load(WEIGHTS_DIR / name, 0)).values())
        assert found[0].stat().st_size < 0.4 * floats, name


def test_the_page_dequantizes_every_snapshot_to_pythons_served_weights_bit_for_bit(files):
    """engine.js's readWeights (int8 code x its row's scale, x the folded factor) against pixelcnn.snapshots.decode
    then the stepper's own matrices (export.engine_tensors): the same float32 bits, every tensor of every snapshot
    of every model. A masked weight is +0 in the page and -0 in Python (the same in every sum): compared after + 0."""
    paths = [(name, epoch, path) for name, found in files.items() for epoch, path in found.items()]
    hashes = node({"files": [str(path) for _, _, path in paths]}, harness=HARNESS.parent / "learning_harness.mjs")
    for (name, epoch, _), page in zip(paths, hashes):
        python = engine_tensors(snapshots.load(WEIGHTS_DIR / name, epoch))
        expected = {n: hashlib.sha256((a + np.float32(0)).tobytes()).hexdigest() for n, a in python.items()}
        assert page == expected, (name, epoch)


def test_an_int8_file_that_does_not_give_pythons_weights_is_not_written(tmp_path, monkeypatch):
    """The export checks the page's arithmetic before it writes: a code off by one is refused."""
    from pixelcnn import export

    real = export.dequantize
    monkeypatch.setattr(export, "dequantize", lambda codes, scale, fold: real(codes + (codes < 100), scale, fold))
    with pytest.raises(ValueError, match="do not give Python's served weights"):
        export_snapshot(WEIGHTS_DIR / "leaky", 1, "leaky", tmp_path)
    assert not list(tmp_path.iterdir())


def epochs_tested(learning, name) -> list[int]:
    """Three epochs per model: the untrained network, one early, the last."""
    found = learning.epochs[name]
    return [found[0], found[2], found[-1]]


def page_answers(files, name, epoch, questions, engine) -> list[dict]:
    """The page's engine (engine.Answers, as the learning tab's worker runs it) on the snapshot's file."""
    key = f"{name}@{epoch}"  # the snapshot as demo/page/learning.js names it for its worker
    labels = list(snapshots.config(WEIGHTS_DIR / name, epoch).labels)
    limits = {"maxSeed": MAX_SEED, "maxTemperature": MAX_TEMPERATURE, "labels": {key: labels}}
    asked = [{"kind": "learning", "id": i, "lang": "en", "model": key, **q} for i, q in enumerate(questions)]
    answer = node({"answers": {"limits": limits, "texts": i18n.TEXTS, "weights": {key: str(files[name][epoch])},
                               "questions": asked}}, engine)  # fmt: skip
    return answer["answers"]


@pytest.fixture(scope="module")
def api_pictures(learning):
    """learning.learning's 16 pictures, computed once for both engines (each engine is compared with the same)."""
    return functools.cache(lambda name, epoch, seed: learning.learning(name, epoch, seed)["samples"])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", NAMES)
def test_the_pages_16_pictures_are_the_apis_for_three_epochs(learning, files, api_pictures, name, engine):
    """The questions demo/page/learning.js asks its worker (seeds seed..seed+15 from a blank grid, T = 1) give the very
    16 images /learning answers (demo/learning.py), at 3 epochs of each model."""
    seed = MAX_SEED - 5  # the seeds wrap past the largest, as the API's do
    blank = [[0] * 16 for _ in range(16)]
    for epoch in epochs_tested(learning, name):
        questions = [{"what": "complete", "levels": blank, "known_rows": 0, "temperature": 1,
                      "seed": (seed + i) % (MAX_SEED + 1), "label": None} for i in range(SAMPLES)]  # fmt: skip
        page = [reply["result"]["levels"] for reply in page_answers(files, name, epoch, questions, engine)]
        assert page == api_pictures(name, epoch, seed), (name, epoch)


@pytest.mark.parametrize("name", NAMES)
def test_complete_my_grid_in_the_page_is_pythons_for_three_epochs(learning, files, name):
    """'Complete my grid': the first tab's board, its kept rows, the seed; the snapshot completes it in the page as
    Learning.complete_grid does."""
    rng = np.random.default_rng(7)
    board = "".join(map(str, rng.integers(0, 4, 256)))
    levels = [[int(v) for v in board[r * 16 : r * 16 + 16]] for r in range(16)]
    for epoch, rows, seed in zip(epochs_tested(learning, name), (0, 5, 16), (3, 11, 40)):
        question = {"what": "complete", "levels": levels, "known_rows": rows, "temperature": 1, "seed": seed,
                    "label": None}  # fmt: skip
        (reply,) = page_answers(files, name, epoch, [question], "js")
        assert reply["result"]["levels"] == learning.complete_grid(name, epoch, seed, board, rows), (name, epoch)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_bad_seed_gets_the_servers_sentence_in_the_page(learning, files, lang):
    """The page's engine refuses the tab's seed as /learning refuses it, in the page's language."""
    from demo.errors import InputError

    for seed in (-1, 1.5, "abc", None):
        question = {"what": "complete", "levels": [[0] * 16] * 16, "known_rows": 0, "temperature": 1, "seed": seed,
                    "label": None, "lang": lang}  # fmt: skip
        (reply,) = page_answers(files, "leaky", 1, [question], "js")
        with pytest.raises(InputError) as refused:
            learning.learning("leaky", 1, seed)
        assert reply["error"] == i18n.text(refused.value.key, lang, **refused.value.fields)


def test_the_export_command_writes_the_snapshots_too(tmp_path, capsys):
    """python -m pixelcnn.export --snapshots: every model's engine file and each of its snapshots', int8."""
    from pixelcnn.export import main

    main(["--out", str(tmp_path), "--snapshots"])
    written = sorted(p.name.split("-")[0] + "-" + p.name.split("-")[1] for p in tmp_path.glob("*-epoch*"))
    expected = sorted(f"{name}-epoch{e}" for name in NAMES for e in snapshots.epochs(WEIGHTS_DIR / name))
    assert written == expected and "after 0 epochs" in capsys.readouterr().out
