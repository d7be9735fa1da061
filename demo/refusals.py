"""How a request is refused: one line in the server log, our message in the request's language, no traceback.

A handler refuses by raising InputError; every refusal goes through `refusal` (the log line and the
text). The page and the API hear it in the form their route takes: a gr.Error for a queued event or a
named endpoint (`refused`, raised by demo.blocks.Guarded for every handler), a status dict for the
grid's own event, a pop-up for the learning tab, an HTTP error for a server function (`refused_http`),
a 422 at the queue's door (demo.limits).
"""

import logging

import gradio as gr
from fastapi import HTTPException

from demo import i18n
from demo.errors import InputError

log = logging.getLogger("demo")


def address_of(request) -> str:
    """The client's address of a gr.Request or a Starlette request ("" when there is none; see demo.limits)."""
    client = getattr(request, "client", None)
    return getattr(client, "host", None) or ""


def refusal(error: InputError, request=None, shown: str | None = None) -> str:
    """Log one line (English, with the client's address); our message in the request's language.

    `shown`: the language the page says it shows (see i18n.language_of)."""
    log.warning("refused %s: %s", address_of(request) or "?", error)
    return i18n.text(error.key, i18n.language_of(request, shown), **error.fields)


def refused(error: InputError, request=None, shown: str | None = None) -> gr.Error:
    """`refusal` as the gr.Error Gradio answers a queued call with (no traceback printed)."""
    title = i18n.text("error_title", i18n.language_of(request, shown))
    return gr.Error(refusal(error, request, shown), title=title, print_exception=False)


def refused_http(error: InputError, request=None, status: int = 422) -> HTTPException:
    """`refusal` as an HTTP error (FastAPI answers it as {"detail": message}, no traceback)."""
    return HTTPException(status_code=status, detail=refusal(error, request))
