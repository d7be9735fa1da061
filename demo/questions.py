"""The page's questions: one server function answers every question the page's components ask.

The page asks through `ask(kind, payload)` in `demo/page/questions.js`: each question carries its kind
("complete", "gallery", "gif", "field", ...; "field:gated" names a subject too, when one component
asks for several at once), an id that grows with each question of that kind, and
the page's own token. The page shows an answer only if it answers its newest question of that kind.

A gr.HTML server function is answered outside Gradio's queue (no concurrency limit, no queue size:
measured in Gradio 6.31), and one call is one promise in the page, so an answer can never be mistaken
for another's. The limits are here:
- at most `concurrency` questions are worked on at once; the others wait without a thread, in turns by
  address (`Turns`: an address's first waiting question before anyone's second, as in Gradio's queue,
  demo.limits), so one address asking many cannot hold another's up by more than one question;
- a waiting question whose page has since asked a newer one of the same kind is answered
  "superseded" when its turn comes, without work: a double click costs one completion, and a flood
  of clicks from one page drains at once;
- when `waiting` questions already wait, a new one is answered "busy" at once, never left hanging.
"""

import asyncio
import logging
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from demo.limits import fair_position

log = logging.getLogger("demo")


class Turns:
    """`slots` places of work, handed out in turns by address (the order of demo.limits.fair_position, counting
    the questions each address has at work): like a semaphore whose waiting line is fair, not first-come."""

    def __init__(self, slots: int):
        self.free, self.line, self.working = slots, [], Counter()  # line: [(address, future)], in turn order
        self.first = set()  # the turns in the line of addresses that had nothing waiting or at work when they came

    async def take(self, address: str) -> None:
        if self.free and not self.line:
            self.free -= 1
            self.working[address] += 1
            return
        turn = asyncio.get_running_loop().create_future()
        addresses, first = [a for a, _ in self.line], sum(t in self.first for _, t in self.line)
        if not self.working[address] and address not in addresses:
            self.first.add(turn)  # goes before every other address's, after the newcomers before it
        self.line.insert(fair_position(addresses, address, self.working, first), (address, turn))
        try:
            await turn
        except asyncio.CancelledError:  # the caller went away: out of the line, or give back the place it got
            if (address, turn) in self.line:
                self.line.remove((address, turn))
                self.first.discard(turn)
            else:
                self.give_back(address)
            raise

    def give_back(self, address: str) -> None:
        self.working[address] -= 1
        if not self.working[address]:
            del self.working[address]
        if self.line:
            address, turn = self.line.pop(0)
            self.first.discard(turn)
            self.working[address] += 1
            turn.set_result(None)
        else:
            self.free += 1


class Questions:
    def __init__(self, answer: Callable[[dict], dict], concurrency: int = 1, waiting: int = 256):
        self.answer = answer  # question -> answer dict (run in a thread); raises nothing a user can cause
        self.turns = Turns(concurrency)
        # the work on `concurrency` threads of our own, always the same: glibc's malloc keeps a heap per thread
        # that has allocated, and anyio's pool would spread the work over up to 40 threads
        self.workers = ThreadPoolExecutor(concurrency, thread_name_prefix="questions")
        self.waiting, self.max_waiting = 0, waiting
        self.newest = {}  # (page, kind) -> the newest id asked, while a question of that kind is open
        self.open = Counter()  # (page, kind) -> questions of that kind not answered yet

    async def ask(self, question: dict, busy: Callable[[dict], dict], address: str = "") -> dict:
        """The answer to `question` from `address`; `busy(question)` is the answer when too many wait."""
        question = question if isinstance(question, dict) else {}
        number = question.get("id")
        number = number if isinstance(number, int) and not isinstance(number, bool) else 0
        key = (str(question.get("page")), str(question.get("kind")))
        if self.waiting >= self.max_waiting:
            log.warning("busy: %d questions waiting", self.waiting)
            return busy(question)
        self.newest[key] = max(self.newest.get(key, number), number)
        self.open[key] += 1
        try:
            self.waiting += 1
            try:
                await self.turns.take(address)
            finally:
                self.waiting -= 1
            try:
                if self.newest[key] > number:
                    return {"kind": question.get("kind"), "id": number, "superseded": True}
                return await asyncio.wrap_future(self.workers.submit(self.answer, question))
            finally:
                self.turns.give_back(address)
        finally:
            self.open[key] -= 1
            if not self.open[key]:  # the last one open: an older one still waiting must still see the newest
                del self.open[key], self.newest[key]
