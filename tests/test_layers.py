"""The layer view's answers and /layers: the exact fields as JSON, chains and sentences, mistakes named in
both languages."""

import string

import numpy as np
import pytest
from conftest import api_client, served

import pixelcnn
from demo import i18n
from demo.errors import InputError
from demo.handlers import DemoApp
from demo.layers import LayerView
from pixelcnn.field import Fields


@pytest.fixture(scope="module")
def view(shipped_model):
    return LayerView(DemoApp({"pixelcnn": served("pixelcnn"), "gated": served("gated")}))


@pytest.mark.parametrize("model", ["pixelcnn", "gated"])
def test_layers_are_the_exact_fields_one_per_layer(view, model):
    answer = view.layers(model, 8, 5)
    network = view.app.models[model]
    expected = Fields(network.wiring(), 16).at(8, 5)
    assert [entry["layer"] for entry in answer["layers"]] == list(range(1, len(network.wiring().layers) + 1))
    for entry, layer in zip(answer["layers"], expected):
        assert np.array_equal(np.array(entry["field"], bool), layer.field)
        assert set(entry) >= ({"vertical", "horizontal"} if model == "gated" else {"field", "blind_spot"})
        if model == "gated":
            union = np.array(entry["vertical"], bool) | np.array(entry["horizontal"], bool)
            assert np.array_equal(union, layer.field)
    k = network.config.first_kernel
    first = [("A", k, k)] if model == "pixelcnn" else [("vertical_A", k // 2 + 1, k), ("horizontal_A", 1, k // 2 + 1)]
    assert [(m["name"], m["rows"], m["cols"]) for m in answer["layers"][0]["masks"]] == first


@pytest.mark.parametrize(
    "args, key",
    [
        (("nope", 8, 8), "bad_model"),
        (("pixelcnn", 16, 8), "bad_row"),
        (("pixelcnn", 8, -1), "bad_column"),
        (("pixelcnn", "8", 8), "bad_row"),
        (("pixelcnn", 8, 2.5), "bad_column"),
        (("pixelcnn", None, 8), "bad_row"),
    ],
)
def test_layers_questions_are_checked(view, args, key):
    with pytest.raises(InputError) as refused:
        view.layers(*args)
    assert refused.value.key == key


@pytest.mark.parametrize("layer", [0, 9, 2.5, "3", None, True])
def test_a_layer_outside_the_model_is_refused_with_its_range(view, layer):
    with pytest.raises(InputError) as refused:
        view.why("pixelcnn", 8, 8, layer, 7, 7, "en")
    assert refused.value.key == "bad_layer" and refused.value.fields["last"] == 8


def test_why_gives_a_chain_in_the_field_and_a_sentence_outside_it_in_both_languages(view):
    chain = view.why("pixelcnn", 8, 8, 8, 5, 3, "en")["chain"]
    assert len(chain) == 8 and chain[0]["from"] == [5, 3] and chain[-1]["to"] == [8, 8]
    assert all(hop["taps"][hop["tap"][0]][hop["tap"][1]] == 1 for hop in chain)
    blind = {lang: view.why("pixelcnn", 8, 8, 8, 7, 15, lang) for lang in ("en", "fr")}
    assert blind["en"]["reason"] == "why_blind_spot" and "mask A" in blind["en"]["sentence"]
    assert "masque A" in blind["fr"]["sentence"] and blind["fr"]["sentence"] != blind["en"]["sentence"]


@pytest.mark.parametrize("lang", sorted(i18n.TEXTS))
def test_every_sentence_is_filled_from_the_reason_alone(view, lang):
    """Every reason the shipped models give, in every language: each {field} of the text is given."""
    seen = set()
    for model in ("pixelcnn", "gated"):
        for depth in (1, 4, len(view.app.models[model].wiring().layers)):
            for row, col in np.ndindex(16, 16):
                answer = view.why(model, 15, 8, depth, row, col, lang)
                if "sentence" in answer:
                    seen.add(answer["reason"])
                    assert "{" not in answer["sentence"]
    assert seen >= {"why_itself", "why_after", "why_too_high", "why_too_left", "why_blind_spot"}
    for key in seen:
        names = {name for _, name, _, _ in string.Formatter().parse(i18n.TEXTS[lang][key]) if name}
        assert names == {name for _, name, _, _ in string.Formatter().parse(i18n.TEXTS["en"][key]) if name}


@pytest.mark.app
def test_the_layers_endpoint_answers_and_names_mistakes_in_both_languages(running_app, shipped_model):
    client = api_client(running_app.local_url)
    answer = client.predict("pixelcnn", 8, 8, api_name="/layers")
    mask_a = pixelcnn.causal_mask(shipped_model.config.first_kernel, "A").sum()
    assert len(answer["layers"]) == 8 and np.array(answer["layers"][0]["field"]).sum() == mask_a
    with pytest.raises(Exception, match="The row must be a whole number"):
        client.predict("pixelcnn", 99, 8, api_name="/layers")
    french = api_client(running_app.local_url, headers={"Accept-Language": "fr"})
    with pytest.raises(Exception, match="La colonne doit être un entier"):
        french.predict("pixelcnn", 8, "x", api_name="/layers")
