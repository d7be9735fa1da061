"""Which language a person reads, and the page's texts in it.

The languages are the files in `demo/locales/` (`en.py`, `fr.py`, ...), each with `NAME` (the
language's own name) and `TEXTS` (every text, keyed by name): adding a language is adding one file.

Three paths carry a language, and they must agree:
- Gradio's static texts (labels, buttons, tab names, its own footer): `gr_i18n()`, passed to
  `launch(i18n=...)`. Gradio 6.31's page picks the browser's `navigator.language` once, at load; its
  footer's Settings > Language menu changes it for the visit (not remembered). `head(page)`, passed to
  `launch(head=...)`, adds `?lang=fr` / `?lang=en` to that, and keeps tab labels and the page title
  in step (Gradio translates hidden tabs' labels only once). Whatever picked the language, Gradio
  writes it into `<html lang>`, which our components' JavaScript reads.
- Our components' texts: the page's JavaScript gets every language (`TEXTS`, as the module `module()` writes) and
  shows the one in `<html lang>`.
- Texts made at run time by a handler (status, errors): `language_of(request, shown)`, where `shown` is
  the language the page says it shows; without it, `?lang=` of the page (Gradio's queue requests carry
  the page's query string), then the browser's Accept-Language.
"""

import importlib
import json
import pkgutil
import re

import gradio as gr

from demo import locales

DEFAULT = "en"
_LOCALES = {
    info.name: importlib.import_module(f"{locales.__name__}.{info.name}")
    for info in sorted(pkgutil.iter_modules(locales.__path__), key=lambda info: info.name)
    if not info.name.startswith("_")
}
LANGUAGES: dict[str, str] = {code: module.NAME for code, module in _LOCALES.items()}  # code -> its own name
# code -> key -> a text (or a list of texts: the garment names)
TEXTS: dict[str, dict[str, str | list[str]]] = {code: module.TEXTS for code, module in _LOCALES.items()}
_PREFIX = "pcnn_"  # our keys beside Gradio's own (`common`, `upload_text`, ...) in the page's dictionary


def known_language(tag) -> str | None:
    """A language tag ("fr", "fr-CA", "FR_fr") -> the code of one of our languages, or None."""
    if not isinstance(tag, str):
        return None
    tag = tag.strip().lower().replace("_", "-")
    for code in (tag, tag.split("-")[0]):
        if code in LANGUAGES:
            return code
    return None


def from_accept_language(header: str) -> str | None:
    """Our language the browser prefers most, from an Accept-Language header ("fr-CH, fr;q=0.9, en;q=0.8")."""
    preferences = []  # (-q, position, tag): the highest q first, then the header's order
    for position, part in enumerate(header.split(",") if isinstance(header, str) else []):
        tag, *params = part.split(";")
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0  # a malformed weight: skip the tag rather than guess
        if q > 0:
            preferences.append((-q, position, tag))
    for _, _, tag in sorted(preferences):
        if known_language(tag):
            return known_language(tag)
    return None


def _fields(request, name: str) -> dict:
    """`request.headers` or `request.query_params` as a plain dict with lower-case keys ({} if absent)."""
    try:
        return {str(key).lower(): value for key, value in dict(getattr(request, name)).items()}
    except (AttributeError, TypeError, ValueError):
        return {}


def language_of(request: gr.Request | None, shown: str | None = None) -> str:
    """The language to answer in: `shown` (the language the page says it shows), else the page's
    `?lang=`, else the browser's Accept-Language, else English. Unknown languages are skipped."""
    return (
        known_language(shown)
        or known_language(_fields(request, "query_params").get("lang"))
        or from_accept_language(_fields(request, "headers").get("accept-language", ""))
        or DEFAULT
    )


def text(key: str, lang: str, **fields) -> str:
    """One message in `lang` (English if we do not have it), its `{fields}` filled; a field that is a decimal
    number ("1.5", 16.8) gets the language's decimal point ("1,5", "16,8" in French)."""
    point = TEXTS.get(lang, TEXTS[DEFAULT]).get("decimal_point", ".")
    shown = {name: _number(value, point) for name, value in fields.items()}
    return TEXTS.get(lang, TEXTS[DEFAULT])[key].format(**shown)


def _number(value, point: str):
    if isinstance(value, float) or (isinstance(value, str) and re.fullmatch(r"-?\d+\.\d+", value)):
        return str(value).replace(".", point)
    return value


WHY = ("intro_more",)  # texts shown behind a "why?" disclosure in Gradio's Markdown: LABELS("intro_more_why")


def why(texts: dict, key: str) -> str:
    """A text behind a small "why?" (a <details>: a keyboard and a screen reader open it), as Markdown."""
    return f'<details class="pcnn-why"><summary>{texts["why"]}</summary>\n\n{texts[key]}\n\n</details>'


class PageI18n(gr.I18n):
    """`gr.I18n` over our texts: `i18n("title")` is our key, checked now (a typo fails at build time)."""

    def __call__(self, key: str):
        if key not in TEXTS[DEFAULT] and key.removesuffix("_why") not in WHY:
            raise KeyError(f"no text named {key!r} in demo/locales")
        return super().__call__(_PREFIX + key)


def decimal(number: float, digits: int, lang: str) -> str:
    """0.460 in English, 0,460 in French."""
    return f"{number:.{digits}f}".replace(".", text("decimal_point", lang))


def gr_i18n() -> PageI18n:
    """The static texts of every language, for `launch(i18n=...)` and `label=i18n("key")` (texts, not lists)."""
    return PageI18n(
        **{
            code: {_PREFIX + key: v for key, v in texts.items() if isinstance(v, str)}
            | {f"{_PREFIX}{key}_why": why(texts, key) for key in WHY}
            for code, texts in TEXTS.items()
        }
    )


# For `launch(head=head(page))`: `?lang=` forces the language of Gradio's own i18n, and the tab labels and the
# page title follow every change of language (see demo/page/i18n.js for why and how); and the presentation mode
# (demo/page/present.js): ?present=1, its toggle, its keys.
TOASTS = ["error_title", "warning_title", "info_title", "close"]  # Gradio's pop-ups, in the page's language
GRADIO_WORDS = [k for k in TEXTS[DEFAULT] if k.startswith("gradio_")]  # its controls' labels, in the page's language
PAGE_KEYS = [k for k in TEXTS[DEFAULT] if k == "title" or k.startswith("tab_")] + TOASTS + GRADIO_WORDS
HEAD_MODULES = {"i18n": PAGE_KEYS, "present": ["present", "present_exit", "present_keys"]}


def head(page: str) -> str:
    """The page's head: for each of HEAD_MODULES, a module script that imports demo/page/<name>.js from the page's
    folder (its URL `page`, ending in "/": demo.ui.page_folder) and starts it with those keys' texts in every
    language ({code: {key: text}})."""
    scripts = []
    for name, keys in HEAD_MODULES.items():
        texts = {code: {key: t[key] for key in keys} for code, t in TEXTS.items()}
        data = json.dumps(texts, ensure_ascii=False).replace("</", "<\\/")
        url = json.dumps(f"{page}{name}.js")
        scripts.append(f'<script type="module">\n(await import(new URL({url}, document.baseURI).href)).start({data});\n'
                       "</script>")  # fmt: skip
    return "".join(scripts)


def module() -> str:
    """locales.js, written into the page's folder beside demo/page's modules (demo.ui.page_dir): every language's
    texts (`TEXTS`) as an ES module, which the page's components import (demo/page/component.js) once per page, and
    the browser may keep (the folder is named by its content)."""
    return ("// Every language's texts, from demo/locales/ (written by demo/i18n.py `module`)\n"
            f"export const TEXTS = {json.dumps(TEXTS, ensure_ascii=False)};\n")  # fmt: skip


# A visible switch (e.g. `gr.HTML(SWITCH)`): each language in its own name; a link reloads the page
# with `?lang=`.
SWITCH = (
    '<nav class="pcnn-languages">'
    + " · ".join(
        f'<a href="?lang={code}" hreflang="{code}" lang="{code}">{name}</a>' for code, name in LANGUAGES.items()
    )
    + "</nav>"
)
