"""The link that reproduces the page (demo/page/link.js, run in node): any state the page can be in is written
into a query and read back the same, beside the keys of others (?lang=, ?view=, ?engine=off) that stay as they
were; the grid is packed as documented (2 bits a cell, base64url); and 50 mangled links (cut, bits flipped, huge
numbers, wrong types, injected scripts) each get a sentence in every language and no state, never an exception."""

import base64
import random
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qsl

import pytest

from demo import i18n
from demo.handlers import MAX_SEED
from demo.ui import link_limits
from pixelcnn.models import available_models
from tests.conftest import served
from tests.test_engine import node

HARNESS = Path(__file__).resolve().parent / "link_harness.mjs"
LIMITS = link_limits(SimpleNamespace(models={name: served(name) for name in available_models()}))
TABS = ["generate", "masks", "learning"]
OTHERS = "?lang=fr&view=api&engine=off"


def random_state(rng: random.Random) -> dict:
    """A state the page can be in, each part there or not (null: the link does not say)."""
    maybe = lambda value: value if rng.random() < 0.8 else None  # noqa: E731
    model, layers_model = rng.choice(sorted(LIMITS["models"])), maybe(rng.choice(sorted(LIMITS["models"])))
    classes = LIMITS["models"][model]["classes"]
    rows = maybe(rng.randint(0, 16))
    hole = [[int(rng.random() < 0.3) for _ in range(16)] for _ in range(16)]
    hole[rng.randrange(16)][rng.randrange(16)] = 1  # at least one cell to fill
    layers = LIMITS["models"][layers_model or next(iter(LIMITS["models"]))]["layers"]  # the view's first
    return {
        "model": model,  # a garment is a model's: the page writes both
        "label": maybe(rng.choice(["any", *range(classes)])),
        "seed": maybe(rng.choice([0, MAX_SEED, rng.randrange(MAX_SEED)])),
        "temperature": maybe(rng.randrange(0, 101) * 5 / 100),
        "keptRows": rows,
        "keptPixels": rows * 16 + rng.randrange(16) if rows is not None and rows < 16 and rng.random() < 0.3 else None,
        "hole": hole if rng.random() < 0.3 else None,
        "levels": maybe([[rng.randrange(4) for _ in range(16)] for _ in range(16)]),
        "shown": True if rng.random() < 0.5 else None,
        "tab": maybe(rng.choice(TABS)),
        "pixel": maybe([rng.randrange(16), rng.randrange(16)]),
        "layer": maybe(rng.randint(1, layers)),
        "layersModel": layers_model,
    }


def packed(levels: list[list[int]]) -> str:
    """The grid as the docs say, written apart from link.js: 4 cells a byte, the first in the high bits."""
    cells = [v for row in levels for v in row]
    data = bytes(sum(cells[i + k] << (6 - 2 * k) for k in range(4)) for i in range(0, 256, 4))
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def test_any_state_is_written_into_a_link_and_read_back_the_same():
    rng = random.Random(27)
    states = [random_state(rng) for _ in range(200)]
    written = node({"limits": LIMITS, "states": states, "others": OTHERS}, harness=HARNESS)["written"]
    for state, answer in zip(states, written):
        assert answer["back"] == {"state": state, "problem": None} or not any(v is not None for v in state.values())
        assert answer["search"].startswith(OTHERS + "&") or answer["search"] == OTHERS  # others' keys stay first
        pairs = dict(parse_qsl(answer["search"][1:]))
        if state["levels"] is not None:
            assert pairs["grid"] == packed(state["levels"]) and len(pairs["grid"]) == 86  # 64 bytes
        assert len(answer["search"]) - len(OTHERS) < 300  # short: a link a pupil can send


def mangled_links(good: str) -> list[str]:
    """50 links that are not valid, each by construction: cut inside the grid, bits flipped out of the alphabet,
    huge numbers, wrong types, injected scripts."""
    rng = random.Random(5)
    grid = good.index("grid=") + len("grid=")
    cut = [good[: grid + rng.randrange(1, 86)] for _ in range(10)]  # the grid too short
    flipped = []
    for _ in range(5):  # a character of the grid with its high bit set: not base64url any more
        at = grid + rng.randrange(86)
        flipped.append(good[:at] + chr(ord(good[at]) ^ 0x80) + good[at + 1 :])
    seed = good.index("seed=") + len("seed=")
    for _ in range(5):  # a digit of the seed with bit 6 set: a letter
        flipped.append(good[:seed] + chr(ord(good[seed]) ^ 0x40) + good[seed + 1 :])
    huge = ["?seed=1e99", "?seed=99999999999999999999", f"?seed={MAX_SEED + 1}", "?temperature=1e308",
            "?temperature=5.05", "?rows=17", "?layer=99", "?pixel=16,0", "?garment=10&model=gated", "?rows=3&pixels=64"]
    types = ["?seed=abc", "?temperature=NaN", "?temperature=Infinity", "?rows=-1", "?seed=1.5", "?shown=true",
             "?pixel=[1,2]", "?tab=3", "?model=x", "?grid=true"]
    injected = ["?model=<script>alert(1)</script>", '?tab="><img src=x onerror=alert(1)>', "?garment=' OR 1=1 --",
                "?seed=${7*7}", "?layers_model=__proto__", "?model=constructor", "?grid=<svg/onload=alert(1)>",
                "?seed=1&seed=2", "?tab=masks&" + "x" * 5000, "?temperature=javascript:alert(1)"]  # fmt: skip
    return cut + flipped + huge + types + injected


def test_a_mangled_link_gets_a_sentence_and_no_state_never_an_exception():
    state = random_state(random.Random(1)) | {"model": "gated", "seed": 1234, "levels": [[1] * 16] * 16}
    good = node({"limits": LIMITS, "states": [state], "others": ""}, harness=HARNESS)["written"][0]["search"]
    links = mangled_links(good)
    assert len(links) == 50 and good not in links
    read = node({"limits": LIMITS, "links": [good, *links], "texts": i18n.TEXTS}, harness=HARNESS)["read"]
    assert read[0]["problem"] is None and read[0]["state"]["seed"] == 1234  # the link they all come from is good
    for link, answer in zip(links, read[1:]):
        assert "exception" not in answer, (link, answer)
        assert answer["state"] is None and answer["problem"] is not None, link
        for lang, sentence in answer["sentences"].items():
            assert sentence and "{" not in sentence and "<" not in sentence, (lang, link)  # nothing of the link's
        assert set(answer["sentences"]) == set(i18n.TEXTS)


@pytest.mark.parametrize("query", ["", "?", "?lang=fr", "?view=api&engine=off", "?unknown=1&__theme=dark"])
def test_a_link_without_our_keys_says_nothing(query):
    (answer,) = node({"limits": LIMITS, "links": [query], "texts": i18n.TEXTS}, harness=HARNESS)["read"]
    assert answer == {"state": None, "problem": None, "sentences": {}}
