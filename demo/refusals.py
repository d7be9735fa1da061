"""How a request is refused: one line in the server log, our message in the request's language, no traceback.

Every refusal goes through `refusal` (the log line and the text). The page and the API hear it in the
form their route takes: a gr.Error for a queued event or a named endpoint (`refused`), a status dict
for the grid's own event, a pop-up for the learning tab, an HTTP error for a server function
(`refused_http`), a 422 at the queue's door (demo.limits). `Guarded`, the app's gr.Blocks, catches what
Gradio raises before a handler is called (a call with 4 arguments where 6 are needed, a file path that
was not uploaded, a malformed file value) on every route: the same one line, our sentence.
"""

import logging
from pathlib import Path

import gradio as gr
from fastapi import HTTPException
from gradio.exceptions import InvalidPathError

import pixelcnn
from demo import i18n
from demo.canvas import InputError

log = logging.getLogger("demo")
OUR_CODE = (Path(__file__).resolve().parent, Path(pixelcnn.__file__).resolve().parent)


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


def _raised_by_us(error: BaseException) -> bool:
    """True if our code (demo/, pixelcnn/) is on the error's way up, past the frame that caught it: a bug of
    ours, to be seen whole; False when Gradio refused the request before any handler of ours ran."""
    frame = error.__traceback__.tb_next if error.__traceback__ else None
    while frame is not None:
        path = Path(frame.tb_frame.f_code.co_filename).resolve()
        if any(path.is_relative_to(ours) for ours in OUR_CODE):
            return True
        frame = frame.tb_next
    return False


def _urls(value) -> bool:
    """Whether a call's inputs hold a file value whose path is a URL (Gradio would download it)."""
    if isinstance(value, dict):
        path = value.get("path")
        return (isinstance(path, str) and "://" in path) or any(_urls(v) for v in value.values())
    return isinstance(value, list | tuple) and any(_urls(v) for v in value)


class Guarded(gr.Blocks):
    """gr.Blocks whose every call (queued, /run/, /call/) that Gradio cannot turn into our handler's
    arguments is refused with our sentence (`bad_call`) and one log line, instead of a traceback."""

    async def process_api(self, block_fn, inputs, state=None, request=None, *args, **kwargs):
        try:
            if _urls(inputs):  # refused before Gradio fetches anything: the app never goes on the network
                raise InputError("file_url")
            return await super().process_api(block_fn, inputs, state, request, *args, **kwargs)
        except InputError as error:
            raise refused(error, request) from None
        except gr.Error:
            raise
        except Exception as error:
            if _raised_by_us(error):
                raise
            if isinstance(error, InvalidPathError):  # a path on the server: its name is not repeated to the caller
                raise refused(InputError("file_not_uploaded"), request) from None
            reason = (str(error).splitlines() or [type(error).__name__])[0][:160].rstrip(".")
            raise refused(InputError("bad_call", reason=reason), request) from None
