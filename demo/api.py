"""The public API and the page's questions, in one table: each name, the function that answers it, what it checks
(the message a wrong value gets, demo/locales/) and its limits.

Public endpoints (Gradio's queue; gradio_client's `api_name="/<name>"`, or POST /gradio_api/call/<name>):

| name                | answered by                  | parameters, in order, and the message a wrong one gets  |
|---------------------|------------------------------|---------------------------------------------------------|
| /complete           | DemoApp.complete             | model bad_model, levels bad_levels, known_rows bad_rows,
|                     |                              | temperature bad_temperature, seed bad_seed/no_seed,
|                     |                              | label bad_label/no_classes                               |
| /fill               | DemoApp.fill                 | model, levels, hole bad_hole/empty_hole, temperature,
|                     |                              | seed, label (as /complete)                               |
| /layers             | LayerView.layers             | model bad_model, row bad_row, col bad_column            |
| /learning           | Learning.learning            | model no_snapshots, epoch bad_epoch, seed bad_seed       |
| /levels_from_image  | DemoApp.levels_from_image    | image: no_picture, not_a_picture, huge_picture, ...     |
|                     | (the upload button's event)  | (demo.canvas.read_file)                                 |

ENDPOINTS holds the same as data (tests/test_api.py sends each wrong value and checks its message). Limits, the same
for every endpoint: one job of the model at a time (`limits`: the concurrency group "model"), the queue's
`queue_size`, ADDRESS_CAP jobs waiting per address (demo.limits.QueueShare), a body of 64 KB (BodyLimit), an upload
of MAX_UPLOAD_MB (Doorman and Gradio's `max_file_size`); /run/ is closed (`api_open=False`).

The page's questions (one gr.HTML server function, `ask`, outside the queue: demo.questions orders them,
demo.limits.InFlight bounds them per address): "complete", "fill", "gallery", "gif" (DemoApp.page, the same
checks as /complete and /fill), "learning" and "learning_grid" (the learning tab where the page cannot compute:
Learning.learning, Learning.complete_grid) and "field" (DemoApp.receptive_field: model, row, col). QUESTIONS lists
them.
"""

import io
import itertools
from dataclasses import dataclass

import gradio as gr

from demo import i18n
from demo.errors import InputError
from demo.handlers import DemoApp
from demo.layers import LayerView
from demo.learning import Learning
from demo.limits import InFlight
from demo.questions import Questions
from demo.refusals import address_of, refusal


@dataclass(frozen=True)
class Endpoint:
    name: str  # the API's name: /<name>
    answered_by: str  # the method that answers (endpoint_functions's function only passes the call on)
    checks: dict[str, str]  # parameter -> the message key a wrong value gets, in the order they are checked


_SAMPLING = {"temperature": "bad_temperature", "seed": "bad_seed", "label": "bad_label"}
ENDPOINTS = {
    e.name: e
    for e in (
        Endpoint("complete", "DemoApp.complete",
                 {"model": "bad_model", "levels": "bad_levels", "known_rows": "bad_rows", **_SAMPLING}),
        Endpoint("fill", "DemoApp.fill",
                 {"model": "bad_model", "levels": "bad_levels", "hole": "bad_hole", **_SAMPLING}),
        Endpoint("layers", "LayerView.layers", {"model": "bad_model", "row": "bad_row", "col": "bad_column"}),
        Endpoint("learning", "Learning.learning", {"model": "no_snapshots", "epoch": "bad_epoch", "seed": "bad_seed"}),
        Endpoint("levels_from_image", "DemoApp.levels_from_image", {"image": "not_a_picture"}),
    )
}  # fmt: skip
QUESTIONS = ("complete", "fill", "gallery", "gif", "learning", "learning_grid", "field")  # ("field:gated": of `gated`)


def limits(concurrency: int) -> dict:
    """Every endpoint's and private event's queue settings: the model's jobs, `concurrency` at once."""
    return {"concurrency_limit": concurrency, "concurrency_id": "model"}


def endpoint_functions(app: DemoApp, view: LayerView, learning: Learning) -> dict:
    """The functions the endpoints call, by name: typed, one parameter per input (Gradio reads the signatures for
    the API's page and gradio_client)."""
    uploads = itertools.count(1)

    def complete(
        model: str, levels: list, known_rows: int, temperature: float, seed: int, label: str | int | None = "any"
    ) -> dict:
        """Complete `levels` (16x16 ints 0-3) below `known_rows`; label: "any", 0-9 or a garment name."""
        return app.complete(model, levels, known_rows, temperature, seed, label)

    def fill(
        model: str, levels: list, hole: list, temperature: float, seed: int, label: str | int | None = "any"
    ) -> dict:
        """Draw the cells of `hole` (16x16 of 0/1, 1 = to fill) in raster order, keep the others; like /complete."""
        return app.fill(model, levels, hole, temperature, seed, label)

    def complete_batch(
        model: list, levels: list, known_rows: list, temperature: list, seed: list, label: list
    ) -> tuple[list]:
        return (app.complete_batch(model, levels, known_rows, temperature, seed, label),)

    def layers(model: str, row: int, col: int) -> dict:
        """The exact field of pixel (row, col) after each layer: {"layers": [{"layer", "field", ...}]}."""
        return view.layers(model, row, col)

    def learning_samples(model: str, epoch: int, seed: int = 0) -> dict:
        """The 16 images the model drew from scratch after `epoch` epochs (the nearest snapshot), seeds seed..."""
        return learning.learning(model, epoch, seed)

    def levels_from_image(image: bytes) -> dict:
        """The 16x16 levels (ints 0-3) of a picture of any size and mode: {"levels": [[...], ...]}; a photo is
        read as a garment (background removed, framed: "framed" is true), and "as_is" holds it read as it is."""
        # numbered: the same picture twice is still a new value, so the page paints it again
        picture = None if image is None else io.BytesIO(image)
        return {"kind": "levels", **app.levels_from_image(picture), "upload": next(uploads)}

    return {
        "complete": complete,
        "complete_batch": complete_batch,
        "fill": fill,
        "layers": layers,
        "learning": learning_samples,
        "levels_from_image": levels_from_image,
    }


def register(functions: dict, names, concurrency: int, batch: int = 0) -> None:
    """`names` as gr.api endpoints, inside the Blocks being built. batch > 0: /complete uses Gradio's batching (up to
    `batch` requests sampled together), only to measure it against one request at a time (bench/load.py)."""
    for name in names:
        if name == "complete" and batch:
            gr.api(functions["complete_batch"], api_name="complete", batch=True, max_batch_size=batch,
                   **limits(concurrency))  # fmt: skip
        else:
            gr.api(functions[name], api_name=name, **limits(concurrency))


def page_questions(app: DemoApp, learning: Learning, concurrency: int, queue_size: int, address_cap: int):
    """The page's one server function `ask` (see the module docstring), and the calls it has open per address
    (demo.limits.InFlight, for the Doorman)."""

    def answer(question: dict) -> dict:
        """One question of the page's components (see demo.questions), answered as a dict that echoes its
        kind and id; a mistake is answered with our message ("error"), shown beside the grid, not a pop-up."""
        kind = question.get("kind")
        what = kind.split(":")[0] if isinstance(kind, str) else None  # "field:gated": a field, of the gated model
        pixel, reply = [question.get(k) for k in ("model", "row", "col")], {"kind": kind, "id": question.get("id")}
        try:
            if what == "field":  # not asked by the page (it reads the measured files); bench.hostile asks it
                return {**reply, "field": app.receptive_field(*pixel)}
            # the learning tab, where the page cannot compute (?engine=off, no worker): its 16 pictures, its grid
            snapshot = [question.get(k) for k in ("model", "epoch", "seed")]
            if what == "learning":
                return {**reply, "result": learning.learning(*snapshot)}
            if what == "learning_grid":
                return {**reply, "result": learning.complete_grid(*snapshot, question.get("board"),
                                                                  question.get("known_rows"))}  # fmt: skip
            # the question's own "what" wins: a completion of the grid ("complete") may be a hole to "fill"
            return {**app.page({"what": what, **question}), "kind": kind}
        except InputError as error:
            return {"kind": kind, "id": question.get("id"), "error": refusal(error, None, question.get("lang"))}

    def busy(question: dict) -> dict:
        lang = i18n.language_of(None, question.get("lang"))
        return {"kind": question.get("kind"), "id": question.get("id"), "error": i18n.text("busy", lang)}

    questions, open_questions = Questions(answer, concurrency, queue_size), InFlight(address_cap)

    async def ask(question: dict, request: gr.Request) -> dict:
        """The server function of every component: every question the page asks (demo/page/questions.js `ask`).
        Outside Gradio's queue, so limited here: `concurrency` at work at once, `queue_size` waiting in all,
        `address_cap` open at once per address (one more is answered at once with our message)."""
        question, address = question if isinstance(question, dict) else {}, address_of(request)
        try:
            with open_questions.admit(address):
                return await questions.ask(question, busy, address)
        except InputError as error:
            text = refusal(error, request, question.get("lang"))
            return {"kind": question.get("kind"), "id": question.get("id"), "error": text}

    return ask, open_questions
