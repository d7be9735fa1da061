"""How much one browser session (or one API client) may hold in the queue at once.

Gradio's queue is shared: one session that queues 96 jobs would make everyone else wait behind
them. When one of a session's jobs starts while `cap` or more of its jobs are still waiting, that
job is answered at once with our message: a flood drains in about a millisecond a job instead of a
completion each, while a client that waits for each answer is never refused.

Gradio 6.31 has no public way to see a session's waiting jobs, nor a hook before a job enters the
queue that API callers would hear clearly (an event's `validator` answers them with a bare HTTP 400),
so `waiting_jobs` reads the queue's own list; tests/test_app_client.py breaks if that changes.
"""

import gradio as gr

from demo.canvas import InputError


def waiting_jobs(blocks: gr.Blocks, session: str) -> int:
    """Jobs of `session` in the queue, not started yet."""
    queues = blocks._queue.event_queue_per_concurrency_id.values()
    return sum(event.session_hash == session for queue in queues for event in list(queue.queue))


class SessionLimit:
    def __init__(self, blocks: gr.Blocks, cap: int = 4):
        self.blocks, self.cap = blocks, cap

    def admit(self, session: str | None) -> None:
        """Raise InputError if `session` has `cap` or more jobs waiting behind the one starting now."""
        waiting = waiting_jobs(self.blocks, session) if session else 0
        if waiting >= self.cap:
            raise InputError("too_many", count=waiting)


class BodyLimit:
    """ASGI middleware: a request body over `max_bytes` is refused with 413 before it is read whole.

    Gradio bounds uploads (`max_file_size`) but not the JSON of a call: 16 rows of 100,000 numbers
    (3 MB) parse into ~40 MB of Python objects, and a queue of such calls from many sessions would
    hold gigabytes. Our calls carry at most a 16x16 grid, so a few KB is plenty; uploads (`exempt`)
    keep Gradio's own limit.
    """

    def __init__(self, app, max_bytes: int = 64 * 1024, exempt: tuple[str, ...] = ("/gradio_api/upload",)):
        self.app, self.max_bytes, self.exempt = app, max_bytes, exempt

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith(self.exempt):
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return await self._refuse(send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:  # a chunked body that grows past the limit
                raise ValueError(f"request body over {self.max_bytes} bytes")
            return message

        return await self.app(scope, counted, send)

    async def _refuse(self, send) -> None:
        body = f'{{"error": "request body over {self.max_bytes} bytes"}}'.encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
