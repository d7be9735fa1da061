"""demo.api's table is the API the app serves: the same names, the same parameters in the same order, and each
parameter sent wrong alone gets the message the table names."""

import asyncio

import pytest
from conftest import api_client, served

from demo import api
from demo.errors import InputError
from demo.handlers import DemoApp
from demo.layers import LayerView
from demo.learning import Learning

GRID = [[0] * 16 for _ in range(16)]
HOLE = [[1] * 16 for _ in range(16)]
SAMPLING = {"temperature": 1.0, "seed": 0, "label": "any"}
GOOD = {  # a call each endpoint answers
    "complete": {"model": "gated", "levels": GRID, "known_rows": 15, **SAMPLING},
    "fill": {"model": "gated", "levels": GRID, "hole": HOLE, **SAMPLING},
    "layers": {"model": "pixelcnn", "row": 3, "col": 4},
    "learning": {"model": "pixelcnn", "epoch": 0, "seed": 0},
    "levels_from_image": {"image": None},  # answered below with a picture; None is the upload's own mistake
}
WRONG = {  # a wrong value of each parameter
    "model": "nope", "levels": [[0] * 16] * 15, "known_rows": 17, "hole": [[2] * 16] * 16, "temperature": -1,
    "seed": -1, "label": "a cat", "row": 16, "col": "x", "epoch": 10**6, "image": b"not a picture",
}  # fmt: skip


@pytest.fixture(scope="module")
def functions():
    """Both shipped models: the gated one has classes, so a wrong label is a wrong name, not a label given at all."""
    app = DemoApp({name: served(name) for name in ("pixelcnn", "gated")})
    return api.endpoint_functions(app, LayerView(app), Learning(list(app.models)))


def test_the_table_names_the_endpoints_the_app_serves_with_their_parameters(running_app):
    served = api_client(running_app.local_url).view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(served) == {f"/{name}" for name in api.ENDPOINTS}
    for name, endpoint in api.ENDPOINTS.items():
        assert [p["parameter_name"] for p in served[f"/{name}"]["parameters"]] == list(endpoint.checks), name


@pytest.mark.parametrize(
    "name,parameter", [(name, p) for name, e in api.ENDPOINTS.items() for p in e.checks], ids=lambda v: str(v)
)
def test_each_parameter_sent_wrong_gets_the_tables_message(functions, name, parameter):
    with pytest.raises(InputError) as refused:
        functions[name](**{**GOOD[name], parameter: WRONG[parameter]})
    assert refused.value.key == api.ENDPOINTS[name].checks[parameter]


def test_the_good_calls_are_answered(functions):
    """So that a refusal above is the wrong parameter's, not the others'."""
    for name, call in GOOD.items():
        if name == "levels_from_image":
            with pytest.raises(InputError, match="No picture"):
                functions[name](**call)
        else:
            assert functions[name](**call)


def test_the_page_questions_listed_are_the_ones_answered_and_a_wrong_one_gets_our_sentence():
    app = DemoApp({"pixelcnn": served("pixelcnn")})
    ask, _ = api.page_questions(app, Learning(list(app.models)), 1, 4, 2)
    questions = {
        "complete": {"levels": GRID, "known_rows": 15, **SAMPLING},
        "fill": {"levels": GRID, "hole": HOLE, **SAMPLING},
        "gallery": {"levels": GRID, "known_rows": 15, **SAMPLING},
        "gif": {"levels": GRID, "known_rows": 15, **SAMPLING},
        "learning": {"epoch": 1, "seed": 3},
        "learning_grid": {"epoch": 1, "seed": 3, "board": "1" * 128 + "0" * 128, "known_rows": 8},
        "field": {"row": 3, "col": 4},
    }
    assert set(questions) == set(api.QUESTIONS)
    for kind, question in questions.items():
        answer = asyncio.run(ask({"kind": kind, "id": 7, "page": "p", "model": "pixelcnn", **question}, None))
        assert answer["kind"] == kind and answer["id"] == 7 and "error" not in answer, kind
        wrong = asyncio.run(ask({"kind": kind, "id": 8, "page": "p", "model": "nope", "lang": "fr", **question}, None))
        assert wrong["id"] == 8 and "nope" in wrong["error"], kind  # the model named, in French
    learning = Learning(["pixelcnn"]).learning("pixelcnn", 1, 3)
    answer = asyncio.run(ask({"kind": "learning", "id": 1, "model": "pixelcnn", **questions["learning"]}, None))
    assert answer["result"] == learning  # the page's fallback gets what /learning answers
