"""How much one client may ask at once, and how large a request may be.

A client is an address, not a session: a script opens as many sessions as it likes (every raw
`/call/` post is a new one), but not as many addresses. The address is the one uvicorn gives the
app: behind a proxy, uvicorn reads it from `X-Forwarded-For`, trusted only when the connection comes
from an address listed in the environment variable `FORWARDED_ALLOW_IPS` (uvicorn's setting; default
127.0.0.1 and ::1; networks such as 10.0.0.0/8 allowed), taking the last address there that is not a
trusted proxy, so a client cannot choose its own.

Queued jobs (`QueueShare`): when a job enters Gradio's queue it is placed after every other address's
job of the same rank (an address's first waiting job before anyone's second, ...), so a flood from
one address delays another address's request by one job at most; a job of an address with nothing
waiting or running goes before every rank (after other such jobs): a person waiting for an answer
before asking again is served next, even while 60 addresses keep their queues full. An address with
its share of jobs waiting is refused at the door with our message: `cap`, or one once `total` jobs wait
in all (60 addresses x 8 filled Gradio's 256 before, and a newcomer read Gradio's English "Queue is full");
when the queue holds Gradio's `max_size` jobs, everyone is refused, in our words ("busy").
Gradio 6.31 has no public hook there: `QueueShare.install` wraps the queue's `push` and reorders its
list (demo.gradio_internals); tests/test_fairness.py and tests/test_gradio_internals.py break if that
changes. A flood is mostly refusals, so `Doorman` gives them before Gradio reads the request at all.
Jobs of the model run one at a time (demo.api): two at once only share the interpreter's one lock, and a
newcomer would wait for two jobs instead of one.

Server functions (`InFlight`): gr.HTML server functions never pass through the queue, so each address
may have `cap` of them open at once (demo.questions bounds the work itself).

Edges (`Edges`): what Gradio serves that this app does not need is closed, and every answer carries the
security headers (the page may be framed by Hugging Face only).
"""

import asyncio
import json
import re
import threading
import time
import weakref
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import gradio as gr
from python_multipart.multipart import parse_options_header
from starlette.middleware.gzip import GZipResponder
from starlette.requests import Request

from demo.errors import InputError
from demo.gradio_internals import (
    ASSETS_FOLDER,
    ROUTES,
    blocks_of,
    forget_session,
    is_pending,
    is_server_function,
    job_request,
    kept_sessions,
    line_of,
    queue_size,
    running,
    served_folders,
    unread,
    waiting,
    wrap_push,
)
from demo.kept_files import KeptFiles
from demo.refusals import address_of, refusal, respond

ADDRESS_CAP = 8  # jobs one address may have waiting in the queue: a classroom behind one address fits, in turn
UPLOAD_CAP = 8  # uploads one address may be sending at once (a page sends one at a time; a class may share an address)
UPLOADS_OPEN = 64  # uploads being received at once, every address: each is held in memory (2 MB at most) until whole
UPLOAD_S = 60  # seconds an upload may take to arrive whole (2 MB: 35 KB/s), else refused: slow ones free their place
UPLOAD_FILES = 4  # files one upload may carry (the page and gradio_client send one)
QUEUE_TOTAL = 128  # jobs waiting in all beyond which each address's share shrinks (demo.ui: half Gradio's max_size)
UNREAD_ANSWER_S = 10  # seconds an answer not read yet is kept at least (a client reads its answer within a second)
KEPT_SESSIONS = 100  # sessions whose jobs are all done that Gradio's queue keeps (with an answer unread, or none)


def fair_position(addresses: list[str], new: str, started: Counter | None = None, first: int = 0) -> int:
    """Where a job of address `new` goes in a queue whose jobs come from `addresses` (in order), when
    `started` counts the jobs each address has running and the queue's `first` jobs came from addresses
    with nothing waiting or running.

    Each job has a rank: how many jobs of its address are running or ahead of it. The new job goes after the
    last job of the same or a lower rank, so ranks never decrease along the queue and every address gets one
    job served per round; an address with nothing running goes before a flood's first waiting job. A job of
    an address with nothing waiting or running goes after the `first` ones, before every other."""
    seen = Counter(started or {})
    if not seen[new] and new not in addresses:
        return first
    rank, position = seen[new] + addresses.count(new), 0
    for index, address in enumerate(addresses):
        if seen[address] <= rank:
            position = index + 1
        seen[address] += 1
    return position


class QueueShare:
    """Each address's share of Gradio's queue: fair order, at most `cap` waiting (see the module's docstring)."""

    installed = weakref.WeakKeyDictionary()  # Blocks -> its QueueShare, for the Doorman

    def __init__(
        self,
        blocks: gr.Blocks,
        cap: int = ADDRESS_CAP,
        kept: int = KEPT_SESSIONS,
        functions: "InFlight | None" = None,
        total: int = QUEUE_TOTAL,
    ):
        self.blocks, self.cap, self.kept, self.total = blocks, cap, kept, total
        self.functions = functions  # the server functions' calls open per address, for the Doorman
        self.first = weakref.WeakSet()  # waiting jobs of addresses that had nothing waiting or running
        self.unread_s = UNREAD_ANSWER_S
        self.pushed = {}  # session -> when its last job was accepted (time.monotonic)

    def install(self) -> None:
        QueueShare.installed[self.blocks] = self

        def refuse(request) -> list[dict] | None:
            error = self.refusal(address_of(request))
            return self._refusal(request, error) if error else None

        def accepted(event_id: str, session: str) -> None:
            self._reorder(event_id)
            self.pushed[session] = time.monotonic()
            self._forget_done_sessions()

        wrap_push(self.blocks, refuse, accepted)

    def refusal(self, address: str) -> InputError | None:
        """Why a new job of `address` is refused ("too_many": its share is waiting; "busy": the queue is full), or
        None. Its share: `cap`, or one once `total` jobs wait in all: the queue then grows by one job per address
        at most, and an address with nothing waiting still gets in."""
        counts = Counter(address_of(job_request(event)) for event in waiting(self.blocks))
        most = queue_size(self.blocks)
        if most is not None and counts.total() >= most:
            return InputError("busy")
        if counts[address] >= (self.cap if counts.total() < self.total else 1):
            return InputError("too_many", count=counts[address])
        return None

    def _reorder(self, event_id: str) -> None:
        """Move the job just appended to its fair place (no await in between: the queue cannot move meanwhile)."""
        event, jobs = line_of(self.blocks, event_id)
        if not jobs or jobs[-1] is not event:
            return
        jobs.pop()
        started = Counter(address_of(job_request(job)) for job in running(self.blocks))
        addresses, new = [address_of(job_request(job)) for job in jobs], address_of(job_request(event))
        first = sum(job in self.first for job in jobs)  # they are the queue's first: see fair_position
        if not started[new] and new not in addresses:
            self.first.add(event)
        jobs.insert(fair_position(addresses, new, started, first), event)

    def _forget_done_sessions(self) -> None:
        """Keep the messages of `kept` sessions whose jobs are all done, the oldest first forgotten; but an answer
        not read yet is kept `unread_s` seconds after its session's last job came.

        Gradio's queue keeps the messages of its 2,000 newest sessions, read or not: a script that posts /call/
        jobs and never reads their answers made the server keep 0.45 MB per job (measured: +373 MB after 1,059
        such jobs, growing by 65-120 MB every 265; 2,000 would hold ~0.9 GB). Here, +200 MB after as many, flat
        after the first 270. A session forgotten here is made again by its next job; an answer unread for
        `unread_s` seconds after `kept` later sessions is lost (its reader gets 404). Without that grace, 60
        addresses flooding made another client lose 5 answers of 20 (gradio_client's CancelledError): its
        session, the oldest, was forgotten between its answer and its reading."""
        now, sessions = time.monotonic(), kept_sessions(self.blocks)
        excess = len(sessions) - self.kept
        for session in sessions:
            if excess <= 0:
                return
            answers = unread(self.blocks, session)
            if answers and now - self.pushed.get(session, 0) < self.unread_s:
                continue
            if not any(is_pending(self.blocks, event) for event in answers):
                forget_session(self.blocks, session)
                self.pushed.pop(session, None)
                excess -= 1

    @staticmethod
    def _refusal(request, error: InputError) -> list[dict]:
        """Gradio's answer for a refused job (HTTP 422); gradio_client raises it as a ValidationError with our text."""
        return [
            {"__type__": "validate", "is_valid": False, "message": refusal(error, request), "parameter_name": "queue"}
        ]


class Doorman:
    """ASGI middleware: what an address may not ask is refused at the door, before Gradio reads the request,
    parses its body, opens a session or routes it; the answer is the one Gradio's route would give, in our words.

    - A new job (`/call/`, `/queue/join`) from an address whose share of the queue is waiting, or when the queue is
      full: 422, as QueueShare.
      A flood is mostly refusals: through Gradio's route each cost the server's one event loop 0.78 ms (measured,
      h11 parser), here 0.46 ms, and 0.22-0.30 ms with httptools (requirements.txt); `python -m bench.hostile`.
    - A server-function call (the page's questions) from an address with its share open: answered at once with
      our message as the page reads it ({"error": ...}), the body unread.
    - An upload that says it is larger than `upload_bytes` (413), or beyond `upload_cap` open at once from its
      address (422) or `UPLOADS_OPEN` from all (503): refused before its bytes are read. The others are read here
      whole, counting the bytes that arrive (chunked or not: a declared length proves nothing), and refused past
      `upload_bytes` (413), with more than `UPLOAD_FILES` parts (422) or not whole after `UPLOAD_S` (408, so that
      slow uploads cannot keep the places of all), before Gradio writes anything to disk.
      Gradio 6.31's /upload bounds each file (`max_file_size`), not their number (1,000) nor their sum: one
      chunked request of 100 files of 1.9 MB wrote 190 MB.
    """

    JOINS, UPLOAD, FUNCTIONS = ROUTES["join"], ROUTES["upload"], ROUTES["functions"]
    MULTIPART = 64 * 1024  # what an upload's form adds to its file, at most

    def __init__(
        self, app, upload_bytes: int = 2 << 20, upload_cap: int = UPLOAD_CAP, uploads_open: int = UPLOADS_OPEN
    ):
        self.app, self.upload_bytes, self.uploads = app, upload_bytes, InFlight(upload_cap)
        self.all_uploads = InFlight(uploads_open, refusal="busy")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        request = Request(scope)
        blocks = blocks_of(scope)
        share = QueueShare.installed.get(blocks) if blocks is not None else None
        if share and scope["path"].startswith(self.JOINS):
            error = share.refusal(address_of(request))
            if error:
                return await respond(send, 422, {"detail": share._refusal(request, error)})
        if share and share.functions and scope["path"].startswith(self.FUNCTIONS):
            count = share.functions.full(address_of(request))
            if count:
                return await respond(send, 200, {"error": refusal(InputError("too_many", count=count), request)})
        if scope["path"].startswith(self.UPLOAD):
            return await self._upload(scope, receive, send, request)
        return await self.app(scope, receive, send)

    async def _upload(self, scope, receive, send, request: Request) -> None:
        """An upload, refused at the door or read whole and bounded, then handed to Gradio (see the docstring)."""
        most, length = self.upload_bytes + self.MULTIPART, request.headers.get("content-length", "")
        if length.isdigit() and int(length) > most:
            size = f"{int(length) / 2**20:.0f}"
            too_big = InputError("too_big", size=size, most=f"{self.upload_bytes / 2**20:.0f}")
            return await respond(send, 413, {"detail": refusal(too_big, request)})
        try:
            with self.uploads.admit(address_of(request)), self.all_uploads.admit("all"):
                try:
                    body = await asyncio.wait_for(whole_body(receive, most), UPLOAD_S)
                except OverflowError:
                    raise InputError("upload_too_big", most=f"{self.upload_bytes / 2**20:.0f}") from None
                except asyncio.TimeoutError:  # TimeoutError itself from Python 3.11 on
                    raise InputError("upload_slow", seconds=UPLOAD_S) from None
                if body is None:  # the client went away
                    return
                if parts(request.headers.get("content-type", ""), body) > UPLOAD_FILES:
                    raise InputError("upload_files", most=UPLOAD_FILES)
                return await self.app(scope, replaying(body, receive), send)
        except InputError as error:
            status = {"upload_too_big": 413, "upload_slow": 408, "busy": 503}.get(error.key, 422)
            return await respond(send, status, {"detail": refusal(error, request)})


class InFlight:
    """Calls of one kind outside the queue: at most `cap` open at once per address; one more is refused with the
    sentence `refusal` (demo/locales/)."""

    def __init__(self, cap: int, refusal: str = "too_many"):
        self.cap, self.refusal, self.running, self._lock = cap, refusal, Counter(), threading.Lock()

    def full(self, address: str) -> int:
        """How many calls `address` has open if that is its whole share (`cap`), else 0."""
        count = self.running.get(address, 0)
        return count if count >= self.cap else 0

    @contextmanager
    def admit(self, address: str):
        """Raise InputError(`refusal`) if `address` already has `cap` calls open; else count this one."""
        with self._lock:
            if self.running[address] >= self.cap:
                raise InputError(self.refusal, count=self.running[address])
            self.running[address] += 1
        try:
            yield
        finally:
            with self._lock:
                self.running[address] -= 1
                if not self.running[address]:
                    del self.running[address]


class BodyLimit:
    """ASGI middleware: a request body over `max_bytes` is refused with 413 and our message before it is parsed.

    Gradio bounds uploads (`max_file_size`) but not the JSON of a call: 16 rows of 100,000 numbers
    (3 MB) parse into ~40 MB of Python objects, and a queue of such calls from many sessions would
    hold gigabytes. Our calls carry at most a 16x16 grid, so a few KB is plenty; uploads (`exempt`)
    keep Gradio's own limit. A body is read here whole (at most `max_bytes`), then handed on: one that
    says its length is refused at once, one sent in chunks as soon as it passes the limit.
    """

    def __init__(self, app, max_bytes: int = 64 * 1024, exempt: tuple[str, ...] = ("/gradio_api/upload",)):
        self.app, self.max_bytes, self.exempt = app, max_bytes, exempt

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD") or scope["path"].startswith(self.exempt):
            return await self.app(scope, receive, send)
        length = Request(scope).headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return await self._refuse(scope, send)
        try:
            body = await whole_body(receive, self.max_bytes)
        except OverflowError:
            return await self._refuse(scope, send)
        if body is not None:  # else the client went away
            await self.app(scope, replaying(body, receive), send)

    async def _refuse(self, scope, send) -> None:
        error = InputError("body_too_big", most=self.max_bytes // 1024)
        await respond(send, 413, {"detail": refusal(error, Request(scope))})


async def whole_body(receive, most: int) -> bytes | None:
    """A request's body as it arrives (a declared length aside), raising OverflowError as soon as it passes `most`
    bytes; None if the client went away."""
    body, more = bytearray(), True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return None
        body += message.get("body", b"")
        more = message.get("more_body", False)
        if len(body) > most:
            raise OverflowError(f"a body over {most} bytes")
    return bytes(body)


def parts(content_type: str, body: bytes) -> int:
    """How many parts a multipart/form-data body holds, as Gradio's parser will split it (0 if it is not one)."""
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    return max(0, body.count(b"--" + boundary) - 1) if boundary else 0


def replaying(body: bytes, receive):
    """An ASGI `receive` that gives `body` whole first (read already by a middleware), then what comes next."""
    whole = {"type": "http.request", "body": body, "more_body": False}

    async def replay():
        nonlocal whole
        message, whole = whole, None
        return message or await receive()

    return replay


class KnownFunctions:
    """ASGI middleware, after BodyLimit (the body bounded and whole): a server-function call must name a
    component of the page and one of its server functions, else our message (404). Gradio's route looked the
    component up unchecked: an unknown id answered HTTP 500 with a traceback in the log."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].startswith(ROUTES["functions"]):
            return await self.app(scope, receive, send)
        message = await receive()
        body = message.get("body", b"") if message["type"] == "http.request" else b""
        blocks = blocks_of(scope)
        if blocks is not None and not self._known(blocks, body):
            return await respond(send, 404, {"detail": refusal(InputError("bad_request"), Request(scope))})
        return await self.app(scope, replaying(body, receive), send)

    @staticmethod
    def _known(blocks: gr.Blocks, body: bytes) -> bool:
        try:
            call = json.loads(body)
        except ValueError:
            return True  # Gradio answers a body that is not JSON itself (400, no traceback)
        if not isinstance(call, dict):
            return True
        return is_server_function(blocks, call.get("component_id"), call.get("fn_name"))


class Edges:
    """ASGI middleware, the outermost: Gradio 6.31's routes this app does not need are closed in our words, and
    every answer (pages, files, API answers, our refusals) carries HEADERS.

    - /monitoring: Gradio's traffic dashboard; its summary was public (404 here).
    - /gradio_api/file=PATH (and /file/PATH): Gradio serves any file of its upload folder to whoever knows its path,
      and fetches a web address given as PATH; here only the folders the app lists (`allowed_paths`: the engine's
      files) and Gradio's static paths are served (403 otherwise, as Gradio answers a file it does not serve).
    - A Range whose start is after its end (Gradio answered 206 with one byte) is dropped: the whole file, 200.
    - A file named by its content (Gradio's /assets/, the files of the folders `named_by_content`: the engine's)
      never changes, so the browser is told to keep it (KEEP): a page loaded again asks for none of them. Gradio
      6.31 sent no Cache-Control, so a browser asked again for most of the page's 100 files on each load. Its
      answer is made once and kept in memory (demo.kept_files): a cold page load cost the server 0.3 CPU-s, 0.13 now.
    - The page itself (GET /: 185 KB, most of it Gradio's config) is compressed where the browser takes gzip (about
      40 KB): Gradio 6.31 compresses only answers whose path ends in a file's extension.
    """

    HEADERS = {  # the page may be framed by Hugging Face (a Space's page frames its *.hf.space app) and nothing else
        "content-security-policy": "frame-ancestors https://huggingface.co https://*.hf.space",
        "x-content-type-options": "nosniff",
        "referrer-policy": "strict-origin-when-cross-origin",
    }
    CLOSED, FILES, ASSETS = (ROUTES["monitoring"],), ROUTES["files"], ROUTES["assets"]
    BACKWARDS = re.compile(r"bytes=(\d+)-(\d+)")  # Gradio reads only this form of Range
    KEEP = "public, max-age=31536000, immutable"  # a year, never asked again

    def __init__(self, app, named_by_content=()):
        self.app = app
        self.named_by_content = named_by_content
        self.kept = KeptFiles()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        path, request = scope["path"], Request(scope)
        status = 404 if path.startswith(self.CLOSED) else None
        named = None  # the file asked for where it is one named by its content, its path resolved
        if path.startswith(self.FILES):
            target = path[len(self.FILES[0]) :]
            status = None if self._served(scope, target) else 403  # Gradio's status for a file
            named = self._inside(target, self.named_by_content)
            scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if not self._backwards(k, v)]}
        elif path.startswith(self.ASSETS):  # Gradio's built frontend; a way out of it (../) is refused in our words
            named = self._inside(ASSETS_FOLDER / path[len(self.ASSETS) :], [ASSETS_FOLDER])
            status = None if named else 403
        named = self._file(named) if scope["method"] == "GET" else None
        headers = {**self.HEADERS, "cache-control": self.KEEP} if named else self.HEADERS

        async def with_headers(message):
            if message["type"] == "http.response.start":
                extra = headers if message["status"] == 200 else self.HEADERS  # a refusal or an error is not kept
                kept = [(k, v) for k, v in message.get("headers", []) if k.decode().lower() not in extra]
                message["headers"] = kept + [(k.encode(), v.encode()) for k, v in extra.items()]
            await send(message)

        if status:
            return await respond(with_headers, status, {"detail": refusal(InputError("bad_request"), request)})
        if named and "range" not in request.headers:
            asked = (request.headers.get(name, "") for name in ("accept-encoding", "if-none-match"))
            answer = self.kept.response(named, *asked)
            if answer:
                return await answer(scope, receive, with_headers)
        app = self.app
        if scope["method"] == "GET" and path == "/" and "gzip" in request.headers.get("accept-encoding", ""):
            app = GZipResponder(self.app, minimum_size=1024, compresslevel=6)
        return await app(scope, receive, with_headers)

    @classmethod
    def _served(cls, scope, target: str) -> bool:
        """Whether `target` is a file in a folder the app serves (never a web address, never an upload)."""
        blocks = blocks_of(scope)
        if blocks is None or "://" in target or target.lower().startswith(("http:", "https:")):
            return False
        return cls._inside(target, served_folders(blocks)) is not None

    @staticmethod
    def _file(path: Path | None) -> Path | None:
        """`path` where it is a regular file; None otherwise, also where the system cannot say (a name too long)."""
        try:
            return path if path is not None and path.is_file() else None
        except OSError:
            return None

    @staticmethod
    def _inside(target, folders) -> Path | None:
        """The path `target` resolved (no way out by .. or a link) where it is in one of `folders`; None otherwise,
        or where it names no file at all (a NUL byte, a name too long)."""
        try:
            path = Path(target).resolve()
            return path if any(path.is_relative_to(Path(folder).resolve()) for folder in folders) else None
        except (OSError, ValueError):
            return None

    @classmethod
    def _backwards(cls, name: bytes, value: bytes) -> bool:
        """A Range header Gradio would misread: start after end."""
        found = cls.BACKWARDS.fullmatch(value.decode("latin-1").strip()) if name.lower() == b"range" else None
        return bool(found) and int(found[1]) > int(found[2])
