"""How a request is refused: one line in the server log, our message in the request's language, no traceback.

A handler refuses by raising InputError; every refusal goes through `refusal` (the log line and the
text). The page and the API hear it in the form their route takes: a gr.Error for a queued event or a
named endpoint (`refused`, raised by demo.blocks.Guarded for every handler), an answer with an "error"
for the page's questions (demo.api), a caption for the learning tab, a 413 or 422 at the door
(demo.limits), a 400 for what Gradio's own routes raise (`QuietErrors`).
"""

import json
import logging
import time
from collections import Counter

import gradio as gr
from starlette.requests import Request

from demo import i18n
from demo.errors import InputError

log = logging.getLogger("demo")


def address_of(request) -> str:
    """The client's address of a gr.Request or a Starlette request ("" when there is none; see demo.limits)."""
    client = getattr(request, "client", None)
    return getattr(client, "host", None) or ""


class Hush:
    """One log line per address and `seconds` for the refusal a flood repeats ("too_many": hundreds a second from
    one script would write megabytes a minute); the others are counted, and the next line says how many."""

    REPEATED = {"too_many"}

    def __init__(self, seconds: float = 10.0, clock=time.monotonic):
        self.seconds, self.clock, self.since, self.hushed = seconds, clock, {}, Counter()

    def line(self, error: InputError, address: str) -> str | None:
        """What to log for this refusal (None: nothing now)."""
        if error.key not in self.REPEATED:
            return f"refused {address}: {error}"
        now = self.clock()
        if now - self.since.get(address, -self.seconds) < self.seconds:
            self.hushed[address] += 1
            return None
        if len(self.since) > 4096:  # addresses quiet for a while are forgotten: the table stays small
            self.since = {a: t for a, t in self.since.items() if now - t < self.seconds}
        self.since[address], more = now, self.hushed.pop(address, 0)
        return f"refused {address}: {error}" + (f" (and {more} more alike, not logged)" if more else "")


hush = Hush()


def refusal(error: InputError, request=None, shown: str | None = None) -> str:
    """Log one line (English, with the client's address; a flood's repeats: see Hush); our message in the
    request's language. `shown`: the language the page says it shows (see i18n.language_of)."""
    line = hush.line(error, address_of(request) or "?")
    if line:
        log.warning(line)
    return i18n.text(error.key, i18n.language_of(request, shown), **error.fields)


def refused(error: InputError, request=None, shown: str | None = None) -> gr.Error:
    """`refusal` as the gr.Error Gradio answers a queued call with (no traceback printed)."""
    title = i18n.text("error_title", i18n.language_of(request, shown))
    return gr.Error(refusal(error, request, shown), title=title, print_exception=False)


class QuietErrors:
    """ASGI middleware, the outermost of ours: an exception out of Gradio's own routes, which do not check
    everything a script may send (/queue/join with fn_index 10^9, /call/ of a name that does not exist, the
    stream of an event that never was), is answered with our message (HTTP 400) and one log line naming the
    route and the exception, instead of HTTP 500 and a traceback in the log. A response already under way
    is ended where it is."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = ended = False

        async def watched(message):
            nonlocal started, ended
            started = started or message["type"] == "http.response.start"
            ended = ended or (message["type"] == "http.response.body" and not message.get("more_body"))
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as error:  # noqa: BLE001 - what a route of Gradio's raised on a request it did not check
            request = Request(scope)
            what = f"{type(error).__name__}: {str(error)[:120]}"
            log.warning("refused %s: %s %s raised %s", address_of(request) or "?", scope["method"], scope["path"], what)
            if not started:
                await respond(send, 400, {"detail": i18n.text("bad_request", i18n.language_of(request))})
            elif not ended:
                await send({"type": "http.response.body", "body": b"", "more_body": False})


async def respond(send, status: int, payload) -> None:
    """Answer an HTTP request with `payload` as JSON (UTF-8), from an ASGI middleware."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
