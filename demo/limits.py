"""How much one browser session (or one API client) may ask for in a short time.

Gradio's queue is shared: one session that queues 96 jobs would make everyone else wait. A
completion takes tens of milliseconds, so a session may start `cap` jobs in any `window` seconds;
beyond that its jobs are answered at once with our message, costing the queue about a millisecond
each instead of a completion. (Gradio 6.31 offers no hook before a job enters the queue that an
API client would hear clearly: an event's `validator` answers API callers with a bare HTTP 400.)
"""

import threading
import time
from collections import defaultdict, deque

from demo.canvas import InputError
from demo.texts import TEXTS


class SessionLimit:
    def __init__(self, cap: int = 10, window: float = 1.0):
        self.cap, self.window = cap, window
        self._started: dict[str, deque[float]] = defaultdict(deque)  # session -> start times in the window
        self._lock = threading.Lock()

    def admit(self, session: str) -> None:
        """Count one job of `session`, or raise InputError if it started `cap` in the last `window` s."""
        now = time.monotonic()
        with self._lock:
            for key in [k for k, times in self._started.items() if now - times[-1] >= self.window]:
                del self._started[key]  # forget quiet sessions: memory stays bounded by the active ones
            times = self._started[session]
            while times and now - times[0] >= self.window:
                times.popleft()
            if len(times) >= self.cap:
                raise InputError(TEXTS["too_many"].format(count=len(times), seconds=f"{self.window:g}"))
            times.append(now)
