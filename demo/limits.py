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
