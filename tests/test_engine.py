"""The page's engines (demo/page/engine.js and its WebAssembly twin engine_wasm.js, run in node) against the Python
samplers: same random numbers bit for bit, the same logits at every step, the same images for a seed, the same
refusals of bad questions; and the random numbers themselves (a fixed table)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import served

import pixelcnn
from pixelcnn.export import export
from pixelcnn.rng import uniforms
from pixelcnn.sampling import teacher_forced, trace

MODELS = ("pixelcnn", "gated", "leaky")
HARNESS = Path(__file__).resolve().parent / "engine_harness.mjs"
JAVASCRIPT = ("text/javascript", "application/javascript")  # the types a browser runs a worker's script of
SAMPLES = np.load(Path(__file__).resolve().parent.parent / "demo" / "assets" / "test_samples.npz")["images"]
# (seed, pixel) -> the uniform * 2**24, computed once by this implementation: a change of the generator shows here
TABLE = [
    (0, 0, 9620015), (0, 1, 3987171), (0, 2, 1774717), (0, 255, 7958744),
    (1, 0, 8739677), (1, 255, 14426104), (42, 0, 7295805), (42, 1, 12623175),
    (2**31 - 1, 0, 8494749), (2**31 - 1, 2, 11512891), (2**32 - 1, 0, 8434046), (2**32 - 1, 255, 9195415),
]  # fmt: skip


ENGINES = ["js", "wasm"]  # engine.js's own steppers, and engine.wasm's


def node(question: dict, engine: str = "js", harness: Path = HARNESS) -> dict:
    """The answer of a node harness (one JSON question on stdin, one answer on stdout); the engine harness's models
    stepped by `engine`."""
    return node_started(question, engine, harness)()


LISTS = ("logits", "trace", "teacher")  # the engine harness's questions of many independent cases: shared out


def node_started(question: dict, engine: str = "js", harness: Path = HARNESS):
    """`node`'s answer, computed while the caller goes on: the harness's processes are started, the function
    returned waits for them. The cases of an engine harness's list question are split among one process per core
    (each answers its own share, in order; the answers are joined in the same order): the engine is single-threaded."""
    question = {**question, "engine": engine}
    executable = shutil.which("node")
    if executable is None:
        pytest.fail("node is missing: apt-get install nodejs (scripts/test.sh does)")
    key = next((k for k in LISTS if len(question.get(k) or []) > 1), None) if harness == HARNESS else None
    parts = min(os.cpu_count() or 1, len(question[key])) if key else 1
    shares = [{**question, key: question[key][i::parts]} for i in range(parts)] if key else [question]
    started = [
        subprocess.Popen([executable, str(harness)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in shares
    ]  # fmt: skip
    for process, share in zip(started, shares):  # each reads its whole question before it computes
        process.stdin.write(json.dumps(share))
        process.stdin.close()

    def answer() -> dict:
        answers = []
        for process in started:
            out, err = process.stdout.read(), process.stderr.read()
            assert process.wait() == 0, err
            answers.append(json.loads(out))
        if not key:
            return answers[0]
        joined = [None] * len(question[key])
        for i, part in enumerate(answers):
            joined[i::parts] = part[key]
        return {**answers[0], key: joined}

    return answer


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
    models = {name: pixelcnn.load_pretrained(name) for name in MODELS}
    return {name: (model, export(served(name), name, folder)) for name, model in models.items()}


@pytest.fixture(scope="module")
def python_answers() -> dict:
    """Python's side of a comparison, computed once for both engines (each engine is compared with the same)."""
    return {}


def once(answers: dict, key, compute):
    if key not in answers:
        answers[key] = compute()
    return answers[key]


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


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", MODELS)
def test_engine_logits_equal_the_python_stepper_at_every_step(engine_files, python_answers, name, engine):
    model, path = engine_files[name]
    rng = np.random.default_rng(1)
    images = np.concatenate([SAMPLES[:10], rng.integers(0, 4, (10, 16, 16))])  # real garments and noise
    kept = rng.integers(0, 16, 20)
    labels = [None if model.config.classes == 0 or b % 3 == 0 else int(b % 10) for b in range(20)]
    cases = [{"levels": image.tolist(), "label": label} for image, label in zip(images, labels)]
    pending = node_started({"weights": str(path), "logits": cases}, engine)  # computed while Python computes

    def stepped() -> list[np.ndarray]:  # per image: the stepper's logits at each pixel from its first drawn one
        found = []
        for b in range(20):
            levels, start = images[b : b + 1].copy(), int(kept[b]) * 16
            stepper = model.stepper(levels, start, labels[b])
            found.append(np.stack([stepper.logits(levels, *divmod(p, 16))[0] for p in range(start, 256)]))
        return found

    python = once(python_answers, ("logits", name), stepped)
    javascript = pending()
    worst = 0.0
    for b in range(20):
        mine = np.array(javascript["logits"][b])  # (256, L), every pixel, the kept ones too
        worst = max(worst, float(np.abs(mine[int(kept[b]) * 16 :] - python[b]).max()))
    print(f"{name} ({engine}): largest logit difference over 20 images, every step: {worst:.2e}")
    assert worst < 1e-4


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", MODELS)
def test_engine_draws_the_same_image_as_python_for_a_seed(engine_files, python_answers, name, engine):
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
    pending = node_started({"weights": str(path), "trace": cases}, engine)  # computed while Python computes
    label = None if model.config.classes == 0 else [-1 if lb is None else lb for lb in labels]
    x = torch.from_numpy(starts)[:, None]
    python = once(python_answers, ("complete", name), lambda: pixelcnn.complete(
        model, x, torch.from_numpy(kept), torch.from_numpy(temperatures), seeds.tolist(), label))  # fmt: skip
    javascript = pending()["trace"]
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
        surprise = [-np.log2(e["probs_t1"][e["level"]]) for e in javascript[b]["trace"]]  # the generated pixels only
        assert javascript[b]["bits"] == pytest.approx(np.mean(surprise), rel=1e-9)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", ["pixelcnn", "gated"])
def test_engine_fills_a_hole_as_python_does(engine_files, name, engine):
    """Only the hole's cells are drawn, each from every pixel before it; the same cells and levels as Python's."""
    model, path = engine_files[name]
    rng = np.random.default_rng(3)
    count = 10
    starts, holes = SAMPLES[:count], np.zeros((count, 16, 16), bool)
    for hole in holes:
        top, left = rng.integers(0, 12, 2)
        hole[top : top + rng.integers(1, 5), left : left + rng.integers(1, 5)] = True
    cases = [
        {"levels": s.tolist(), "hole": h.astype(int).tolist(), "temperature": 1.0, "seed": b, "label": None}
        for b, (s, h) in enumerate(zip(starts, holes))
    ]
    javascript = node({"weights": str(path), "trace": cases}, engine)["trace"]
    python = trace(model, torch.from_numpy(starts)[:, None], 0, 1.0, list(range(count)), hole=holes)
    for b in range(count):
        assert np.array_equal(np.array(javascript[b]["levels"]), python[b].levels)
        assert [[e["row"], e["col"]] for e in javascript[b]["trace"]] == python[b].positions.tolist()
        assert np.array_equal(np.array(javascript[b]["levels"])[~holes[b]], starts[b][~holes[b]])  # the rest kept


@pytest.mark.parametrize("name", MODELS)
def test_engine_teacher_forcing_reads_the_true_image_as_python_does(engine_files, name):
    """The page's "as in training" completion: each hidden pixel drawn from the logits of the true image (the
    whole network on it), the pixel itself included where the model reads it; the same levels as Python's."""
    model, path = engine_files[name]
    count, rng = 12, np.random.default_rng(4)
    kept, temperatures = rng.integers(0, 16, count), np.round(rng.uniform(0, 1.5, count), 2)
    cases = [
        {"levels": SAMPLES[b].tolist(), "known_pixels": int(k) * 16, "temperature": float(t), "seed": b}
        for b, (k, t) in enumerate(zip(kept, temperatures))
    ]
    javascript = node({"weights": str(path), "teacher": cases})["teacher"]
    x = torch.from_numpy(SAMPLES[:count])[:, None]
    python = teacher_forced(model, x, torch.from_numpy(kept), torch.from_numpy(temperatures), list(range(count)))
    same = [np.array_equal(np.array(javascript[b]["levels"]), python[b, 0].numpy()) for b in range(count)]
    assert sum(same) >= count - 1  # a draw within 1e-6 of a boundary may fall either way (see above)


@pytest.mark.parametrize("name,label", [("pixelcnn", None), ("gated", None), ("gated", 7), ("leaky", None)])
@pytest.mark.parametrize("engine", ENGINES)
def test_a_completion_asked_again_answers_as_a_fresh_one_and_steps_only_what_changed(engine_files, name, label, engine):
    """The page's live slider and repainting ask one Completion again and again: every answer must be exactly
    a fresh trace's; the kept rows take one pre-pass and no step; a small temperature move must step the network
    over fewer pixels than it draws."""
    model, path = engine_files[name]
    garment, other = SAMPLES[1].tolist(), SAMPLES[1].copy()
    other[2, 5] = (other[2, 5] + 1) % 4  # a kept pixel repainted
    asks = [(garment, 8, 1.0, 5), (garment, 8, 1.02, 5), (garment, 8, 0.5, 5), (garment, 8, 0.5, 6),
            (other.tolist(), 8, 0.5, 6), (garment, 3, 1.3, 6), (garment, 12, 0.0, 6), (garment, 0, 1.0, 5)]  # fmt: skip
    question = {"label": label, "asks": [
        {"levels": levels, "known_pixels": rows * 16, "temperature": t, "seed": seed} for levels, rows, t, seed in asks
    ]}  # fmt: skip
    again = node({"weights": str(path), "again": question}, engine)["again"]
    assert again["kept"] == again["fresh"]  # the same levels, probabilities, bits, to the last bit
    print(f"{name} ({engine}) label {label}: network steps per ask {again['steps']}, pre-pass {again['prefilled']}")
    assert again["steps"][0] == 128 and again["prefilled"][0] == 128  # a step for each drawn pixel only
    assert again["steps"][1] < 128 and again["prefilled"][1] == 0


@pytest.mark.app
def test_the_app_serves_each_model_engine_file_and_its_weights_run(running_app, demo_app, tmp_path):
    """What the page fetches at start: one file per model, the same bytes as the export, a few MB at most; the
    page's modules (the Web Worker's script among them), each file of demo/page/ as it is, as JavaScript (a browser
    runs a module of no other type); and engine.wasm, as WebAssembly. Each is named by its content and kept by the
    browser (as Gradio's own /assets/ are): a page loaded again asks for none of them; the page itself is not kept."""
    import re

    import httpx

    from demo.limits import Edges
    from demo.ui import ENGINE_DIR, PAGE_DIR, engine_wasm, engine_weights, page_folder

    for name, url in engine_weights(demo_app).items():
        answer = httpx.get(running_app.local_url + url)
        assert answer.status_code == 200
        expected = export(demo_app.models[name], name, tmp_path)
        assert answer.content == expected.read_bytes() and len(answer.content) < 8e6
        assert answer.headers.get("etag") or answer.headers.get("last-modified")  # the browser can revalidate
        assert answer.headers["cache-control"] == Edges.KEEP
    modules = sorted(PAGE_DIR.rglob("*.js"))
    assert {"engine.js", "engine_wasm.js", "engine_worker.js", "rng.js", "fields.js"} <= {m.name for m in modules}
    for module in modules:  # the page's modules, each the file in the repository, from one folder
        answer = httpx.get(running_app.local_url + page_folder() + str(module.relative_to(PAGE_DIR)))
        assert answer.status_code == 200 and answer.headers["content-type"].split(";")[0] in JAVASCRIPT
        assert answer.content == module.read_bytes() and answer.headers["cache-control"] == Edges.KEEP
    demo = Path(__file__).resolve().parent.parent / "demo"
    wasm = httpx.get(running_app.local_url + engine_wasm())  # as WebAssembly.instantiateStreaming wants it
    assert wasm.status_code == 200 and wasm.headers["content-type"] == "application/wasm"
    assert wasm.content == (demo / "engine.wasm").read_bytes() and wasm.headers["cache-control"] == Edges.KEEP
    page = httpx.get(running_app.local_url)
    assert "immutable" not in page.headers.get("cache-control", "")
    gradios = re.findall(r'/assets/[\w.-]+\.js', page.text)
    assert gradios and httpx.get(running_app.local_url + gradios[0][1:]).headers["cache-control"] == Edges.KEEP
    for outside in ("/etc/passwd", f"{ENGINE_DIR}/../../etc/passwd", f"{ENGINE_DIR}/../"):  # only that folder's files
        refused = httpx.get(running_app.local_url + "gradio_api/file=" + outside)
        assert refused.status_code == 403 and "cache-control" not in refused.headers  # a refusal is not kept


def bad_questions(levels: list) -> list[dict]:
    """Questions the server refuses, each with one mistake; the first is sound (the control)."""
    base = {"kind": "complete", "model": "gated", "levels": levels, "known_rows": 8, "temperature": 1.0, "seed": 3,
            "label": "any"}  # fmt: skip
    wrong = [
        {}, {"seed": "12"}, {"seed": None}, {"seed": -1}, {"seed": 2**31}, {"seed": 1.5}, {"seed": True},
        {"temperature": 9}, {"temperature": "1"}, {"temperature": 2.5e9}, {"temperature": None},
        {"known_rows": 17}, {"known_rows": 2.5}, {"known_pixels": 300}, {"known_pixels": -1.5},
        {"levels": levels[:15]}, {"levels": [[4] * 16] * 16}, {"levels": [[True] * 16] * 16}, {"levels": "x"},
        {"what": "fill", "hole": [[0] * 16] * 16}, {"what": "fill", "hole": [[2] * 16] * 16},
        {"what": "fill", "known_rows": "x"}, {"hole": [[0] * 16] * 16}, {"label": 11}, {"label": "hat"}, {"label": [1]},
        {"model": "pixelcnn", "label": 3}, {"model": "nope"}, {"model": 3},
        {"kind": "gallery", "seed": 2**31 - 1, "hole": [[0] * 16] * 16},  # a gallery reads neither hole nor pixels
    ]  # fmt: skip
    return [{**base, **change, "id": i} for i, change in enumerate(wrong)]


@pytest.mark.parametrize("engine", ENGINES)
def test_both_engines_refuse_what_the_server_refuses_with_its_sentence(engine_files, engine):
    """A bad question is refused in the page with the very sentence the server answers it with (in English and in
    French), never coerced into one that can be computed; a sound one is answered as the server answers it."""
    from demo import i18n
    from demo.errors import InputError
    from demo.handlers import MAX_SEED, MAX_TEMPERATURE, DemoApp

    app = DemoApp({name: model for name, (model, _) in engine_files.items()})
    limits = {"maxSeed": MAX_SEED, "maxTemperature": MAX_TEMPERATURE,
              "labels": {name: list(model.labels) for name, model in app.models.items()}}  # fmt: skip
    weights = {name: str(path) for name, (_, path) in engine_files.items()}
    for lang in ("en", "fr"):
        questions = [{**q, "lang": lang} for q in bad_questions(SAMPLES[0].tolist())]
        answer = node({"answers": {"limits": limits, "texts": i18n.TEXTS, "weights": weights,
                                   "questions": questions}}, engine)  # fmt: skip
        replies = answer["answers"]
        for question, reply in zip(answer["asked"], replies):  # as the page sends them (2.5e9 arrives as an int)
            what = {"what": question["kind"], **question}  # as demo.ui passes it on: its own "what" wins
            try:
                server = app.page(what)
            except InputError as error:
                assert reply.get("error") == i18n.text(error.key, lang, **error.fields), question
                continue
            assert "error" not in reply, question
            results = server.get("results") or [server["result"]]
            assert [r["levels"] for r in reply.get("results") or [reply["result"]]] == [r["levels"] for r in results]
        assert sum("error" not in reply for reply in replies) == 3  # the control, a complete and a gallery with a hole
