"""The page in every language: the same texts in each, the right language for each request (no browser)."""

import json
import re
import string
from pathlib import Path

import gradio as gr
import pytest
from starlette.requests import Request as StarletteRequest

from demo import i18n
from demo.canvas import InputError

EN = i18n.TEXTS["en"]
OTHERS = [code for code in i18n.LANGUAGES if code != "en"]
SAME_IN_BOTH = {"pause", "model_pixelcnn"}  # a word French shares with English; a proper name
ENGLISH_WORDS = {"the", "and", "with", "from", "this", "that", "you", "your", "is", "are", "to", "of", "it", "not"}
FRENCH_WORDS = {"le", "la", "les", "des", "du", "une", "est", "pour", "avec", "dans", "qui", "que", "sur", "pas"}


def strings(value) -> list[str]:
    """A text, or each text of a list of them (the garment names)."""
    return value if isinstance(value, list) else [value]


def fields(message: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(message) if name is not None}


def words(value) -> set[str]:
    """Lower-case words, leaving out what is quoted for the API (« any »)."""
    return {w for text in strings(value) for w in re.findall(r"[a-zà-ÿ]+", re.sub(r"«[^»]*»", "", text).lower())}


def request(query: str = "", accept_language: str | None = None) -> gr.Request:
    """A gr.Request around a real Starlette request, as Gradio builds it for a queued event."""
    headers = [(b"accept-language", accept_language.encode())] if accept_language is not None else []
    scope = {"type": "http", "method": "POST", "path": "/gradio_api/queue/join", "headers": headers}
    scope["query_string"] = query.encode()
    return gr.Request(StarletteRequest(scope))


def test_languages_are_the_files_in_locales():
    files = {p.stem for p in (Path(i18n.__file__).parent / "locales").glob("*.py") if not p.stem.startswith("_")}
    assert set(i18n.LANGUAGES) == files and {"en", "fr"} <= files


@pytest.mark.parametrize("code", OTHERS)
def test_every_language_has_exactly_the_english_keys(code):
    texts = i18n.TEXTS[code]
    assert sorted(set(EN) - set(texts)) == [], "missing translations"
    assert sorted(set(texts) - set(EN)) == [], "keys English does not have"


@pytest.mark.parametrize("code", list(i18n.LANGUAGES))
def test_every_message_has_the_english_placeholders(code):
    for key, value in i18n.TEXTS[code].items():
        assert type(value) is type(EN[key]) and len(strings(value)) == len(strings(EN[key])), key
        for message, english in zip(strings(value), strings(EN[key])):
            assert isinstance(message, str) and message.strip() == message and message, key
            assert fields(message) == fields(english), key


def test_the_garment_and_model_names_are_there():
    for code in i18n.LANGUAGES:
        assert len(i18n.TEXTS[code]["garments"]) == 10
        assert {"model_pixelcnn", "model_gated"} <= set(i18n.TEXTS[code])
    assert [i18n.TEXTS["fr"]["garments"][i] for i in (0, 2, 9)] == ["T-shirt/haut", "Pull", "Bottine"]


@pytest.mark.parametrize("code", OTHERS)
def test_no_english_text_is_left_untranslated(code):
    texts = i18n.TEXTS[code]
    same = {key for key in EN if texts[key] == EN[key]}
    assert same <= SAME_IN_BOTH, f"same text as English: {sorted(same - SAME_IN_BOTH)}"
    for key, message in texts.items():
        assert not words(message) & ENGLISH_WORDS, (key, message)


def test_no_french_text_shows_in_english():
    for key, message in EN.items():
        assert not words(message) & FRENCH_WORDS, (key, message)


def test_french_uses_the_course_words():
    french = " ".join(text for value in i18n.TEXTS["fr"].values() for text in strings(value))
    for term in ("Masque A", "Masque B", "champ réceptif", "angle mort", "graine", "Température", "niveaux de gris"):
        assert term in french, term


def test_the_query_parameter_wins_over_accept_language():
    assert i18n.language_of(request("lang=fr", "en-US,en;q=0.9")) == "fr"
    assert i18n.language_of(request("lang=en", "fr-FR,fr;q=0.9")) == "en"
    assert i18n.language_of(request("x=1&lang=FR")) == "fr"


def test_the_language_the_page_shows_wins_over_everything():
    assert i18n.language_of(request("lang=en", "en"), shown="fr") == "fr"
    assert i18n.language_of(request("lang=fr"), shown="xx") == "fr"  # unknown: skipped


def test_accept_language_follows_q_values():
    assert i18n.language_of(request("", "de-DE,de;q=0.9,fr;q=0.8,en;q=0.7")) == "fr"
    assert i18n.language_of(request("", "en;q=0.5, fr-CA")) == "fr"  # no q is q=1
    assert i18n.language_of(request("", "fr;q=0, en")) == "en"  # q=0: not wanted
    assert i18n.language_of(request("", "fr-CH;q=0.8, en-GB;q=0.9")) == "en"
    assert i18n.language_of(request("", "fr;q=oops, en;q=0.1")) == "en"  # a broken weight is skipped


def test_unknown_or_missing_languages_give_english():
    assert i18n.language_of(request("lang=de", "de-DE,ja;q=0.5,*;q=0.1")) == "en"
    assert i18n.language_of(request("lang=", "")) == "en"
    assert i18n.language_of(request()) == "en"
    assert i18n.language_of(None) == "en"


def test_language_of_reads_a_request_gradio_rebuilt_from_kwargs():
    """After pickling (or in some environments) gr.Request holds plain dicts; header names may be capitalised."""
    rebuilt = gr.Request(headers={"Accept-Language": "fr-FR"}, query_params={})
    assert i18n.language_of(rebuilt) == "fr"
    assert i18n.language_of(gr.Request(headers={}, query_params={"lang": "fr"})) == "fr"


def test_known_language_reads_tags():
    tags = ("fr", "fr-CA", "FR_fr", " en ", "de", "", None, 3)
    assert [i18n.known_language(t) for t in tags] == ["fr", "fr", "fr", "en", None, None, None, None]


def test_text_fills_one_message_in_the_language():
    assert i18n.text("bad_seed", "fr", high=9, value="-1") == "La graine doit être un entier de 0 à 9, et non -1."
    assert i18n.text("status_idle", "de") == EN["status_idle"]  # a language we lack: English
    with pytest.raises(KeyError):
        i18n.text("bad_seed", "fr", high=9)  # a field left out is a bug, not a half sentence


def test_gr_i18n_holds_every_language_and_checks_keys():
    translations = i18n.gr_i18n()
    assert set(translations.translations_dict) == set(i18n.LANGUAGES)
    key = translations("generate").key
    assert translations.translations_dict["fr"][key] == i18n.TEXTS["fr"]["generate"]
    assert translations.translations_dict["en"][key] == EN["generate"]
    with pytest.raises(KeyError):
        translations("no_such_text")


def test_head_scripts_start_the_page_modules_with_the_tab_labels_and_presentation_keys_of_every_language():
    head = i18n.head("gradio_api/file=/served/page-0123/")
    assert head.startswith('<script type="module">') and head.count("</script>") == 2  # i18n, present
    for name in ("i18n", "present"):
        assert f'"gradio_api/file=/served/page-0123/{name}.js"' in head
        module = (Path(i18n.__file__).parent / "page" / f"{name}.js").read_text()
        assert "export async function start(" in module  # what the head's script calls
    for code in i18n.LANGUAGES:
        for key in ("tab_masks", "title", "present", "present_keys"):
            assert json.dumps(i18n.TEXTS[code][key], ensure_ascii=False) in head, (code, key)


def test_switch_links_every_language_in_its_own_name():
    for code, name in i18n.LANGUAGES.items():
        assert f'href="?lang={code}"' in i18n.SWITCH and f">{name}</a>" in i18n.SWITCH


def test_french_messages_write_decimal_numbers_with_a_comma():
    """D21: "8,4 millions", "et non 1,5" on the French page; a number in a message follows the language."""
    from demo.canvas import MAX_PIXELS
    from demo.handlers import check_seed

    try:
        check_seed(1.5)
    except InputError as error:
        seed = error
    limit = f"{MAX_PIXELS / 1e6:.1f}"  # as it is today
    huge = InputError("huge_picture_any", limit=limit)
    assert "1,5" in i18n.text(seed.key, "fr", **seed.fields) and "1.5" in i18n.text(seed.key, "en", **seed.fields)
    assert limit.replace(".", ",") in i18n.text(huge.key, "fr", **huge.fields)
    assert limit in i18n.text(huge.key, "en", **huge.fields)
    assert "1,25" in i18n.text("bad_temperature", "fr", high=5, value=1.25)
