"""demo.questions: a replaced question costs no work, too many waiting are answered at once, order is kept."""

import threading

import anyio

from demo.questions import Questions


def busy(question: dict) -> dict:
    return {"id": question["id"], "error": "busy"}


def run_with_the_slot_held(questions: Questions, asked: list[dict]) -> list[dict]:
    """Hold the only slot with a first question, ask `asked` meanwhile, then free it; the answers in order."""
    free = threading.Event()
    answers = [None] * len(asked)

    async def main():
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(questions.ask, {"page": "holder", "kind": "complete", "id": 1, "hold": free}, busy)
            await anyio.sleep(0.05)
            for i, question in enumerate(asked):

                async def one(i=i, question=question):
                    answers[i] = await questions.ask(question, busy, question.get("address", ""))

                tasks.start_soon(one)
                await anyio.sleep(0.01)  # in this order
            free.set()

    anyio.run(main)
    return answers


def answering(worked: list, waiting: int = 3) -> Questions:
    def answer(question: dict) -> dict:
        if "hold" in question:
            question["hold"].wait(5)
        worked.append((question["page"], question["id"]))
        return {"id": question["id"], "done": True}

    return Questions(answer, concurrency=1, waiting=waiting)


def test_a_question_replaced_while_it_waits_is_answered_superseded_without_work():
    worked = []
    answers = run_with_the_slot_held(answering(worked, waiting=4), [
        {"page": "a", "kind": "complete", "id": 1},
        {"page": "a", "kind": "complete", "id": 2},  # a double click: the first is replaced
        {"page": "b", "kind": "complete", "id": 1},  # another page's question is its own
        {"page": "a", "kind": "gallery", "id": 1},  # another kind is its own
    ])  # fmt: skip
    assert answers[0] == {"kind": "complete", "id": 1, "superseded": True}
    assert [a.get("done") for a in answers[1:]] == [True, True, True]
    assert worked == [("holder", 1), ("a", 2), ("b", 1), ("a", 1)]  # in the order asked, the replaced one skipped


def test_when_too_many_wait_a_new_question_is_answered_busy_at_once():
    worked = []
    asked = [{"page": str(i), "kind": "complete", "id": 1} for i in range(4)]
    answers = run_with_the_slot_held(answering(worked), asked)
    assert [a.get("error") for a in answers] == [None, None, None, "busy"]
    assert len(worked) == 4  # the holder and the three that could wait


def test_nothing_is_kept_once_answered():
    questions = answering([])
    run_with_the_slot_held(questions, [{"page": "a", "kind": "complete", "id": i} for i in (1, 2)])
    assert questions.newest == {} and questions.waiting == 0


def test_an_older_question_still_waiting_when_the_newest_is_answered_is_superseded():
    """Questions arrive out of order (a script, or a slow network): id 5 answered first must not make id 3,
    still waiting, fail (it raised KeyError: HTTP 500) nor cost work."""
    worked = []
    questions = answering(worked)
    newest, older = ({"page": "p", "kind": "complete", "id": i} for i in (5, 3))
    answers = run_with_the_slot_held(questions, [newest, older])
    assert answers == [{"id": 5, "done": True}, {"kind": "complete", "id": 3, "superseded": True}]
    assert ("p", 3) not in worked and not questions.newest and not questions.open


def test_questions_wait_in_turns_by_address_not_in_the_order_asked():
    """One address asking many cannot hold another's question up: an address with nothing waiting or at work goes
    after the first question of each (demo.limits.fair_position), and newcomers keep the order they came in."""
    worked = []
    flood = [{"page": f"a{i}", "kind": "complete", "id": 1, "address": "A"} for i in range(3)]
    others = [{"page": p, "kind": "complete", "id": 1, "address": p.upper()} for p in ("b", "c")]
    run_with_the_slot_held(answering(worked, waiting=8), [*flood, *others])
    assert worked == [("holder", 1), ("a0", 1), ("b", 1), ("c", 1), ("a1", 1), ("a2", 1)]


def test_a_question_whose_caller_leaves_gives_its_place_back():
    questions = answering([])

    async def main():
        free = threading.Event()
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(questions.ask, {"page": "h", "kind": "complete", "id": 1, "hold": free}, busy)
            await anyio.sleep(0.05)
            with anyio.move_on_after(0.05):  # the caller of a waiting question goes away
                await questions.ask({"page": "gone", "kind": "complete", "id": 1}, busy, "A")
            free.set()
        return await questions.ask({"page": "next", "kind": "complete", "id": 1}, busy, "B")

    assert anyio.run(main) == {"id": 1, "done": True}
    assert questions.turns.free == 1 and not questions.turns.line and not questions.turns.working
