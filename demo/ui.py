"""The page: it arranges our components (`gr.HTML` each: the grid, the masks, the layer view) and the learning tab,
and wires them to `demo.handlers.DemoApp`.

The main tab is one component (`demo/grid.html`, `grid.css`, `grid.js`): paint, generate, play, inspect. The
page's components ask the server through one server function, `ask` (limits and order in `demo.questions`,
answers by `DemoApp.page`) when the page's own engine cannot answer; the public API is `/complete`, `/fill`,
`/layers`, `/learning` and `/levels_from_image`, through Gradio's queue.
No computing here; every text comes from `demo/locales/` through `demo.i18n`, in the page's language.
"""

import base64
import hashlib
import html
import io
import itertools
import shutil
import tempfile
from pathlib import Path

import gradio as gr
import numpy as np
from PIL import Image
from starlette.middleware import Middleware

from demo import i18n
from demo.blocks import Guarded
from demo.canvas import BUDGET, GREYS, MAX_PIXELS, MAX_SIDE
from demo.errors import InputError
from demo.handlers import MAX_SEED, MAX_TEMPERATURE, DemoApp
from demo.layers import LayerView
from demo.learning import Learning
from demo.limits import ADDRESS_CAP, BodyLimit, Doorman, Edges, InFlight, KnownFunctions, QueueShare
from demo.questions import Questions
from demo.refusals import QuietErrors, address_of, refusal
from pixelcnn.export import export, write_named_by_content
from pixelcnn.field import sees_itself
from pixelcnn.models import WEIGHTS_DIR

HERE = Path(__file__).resolve().parent
MAX_UPLOAD_MB = 2  # uploads above are refused, by the page before they are sent (grid.js) and by Gradio
SESSIONS = 100  # sessions whose state Gradio keeps (see launch_options)
MIDDLEWARE = [  # each request passes them in this order (demo/refusals.py, demo/limits.py)
    Middleware(Edges),  # Gradio's routes the app does not need: closed; security headers on every answer
    Middleware(QuietErrors),  # what a route raises on a request it did not check: our words, one log line
    Middleware(Doorman, upload_bytes=MAX_UPLOAD_MB << 20),  # an address beyond its share: refused unread
    Middleware(BodyLimit),  # a body over 64 KB: refused; else read whole
    Middleware(KnownFunctions),  # a server-function call names one of the page's
]
ENGINE_DIR = Path(tempfile.gettempdir()) / "pixelcnn-engine"  # the engine files, written at start-up, served as is
PAGE_CSS = """
#grid, #masks, #layers { max-width: 1100px; }
#languages { text-align: right; font-size: 13px; }
#title h1 { margin: 0; }
#intro p { margin: 0; }
#intro-more { font-size: 13px; }
#intro-more details > :not(summary) { margin: 4px 0 0; }
#intro-more .pcnn-why > summary { cursor: pointer; width: fit-content; color: #3b4a8a; font-size: 13px; }
@media (min-width: 601px) {  /* a laptop: the grid, the greys, a test image and Generate on the first screen */
  #languages { position: absolute; top: 0; right: 0; z-index: 5; }
  #title { padding-right: 320px; }  /* beside the language links */
}
.row:has(> #upload) { display: none !important; }  /* Gradio's upload button: the grid's own button is shown */
#grid > .wrap { display: none !important; }  /* Gradio's status badge: the grid has its own status line, and a
                                                refused upload's message is a pop-up, not a badge on the grid */
.toast-wrap { top: 60px !important; }  /* Gradio's pop-ups under the language links, not over them */
@media (max-width: 600px) {  /* a phone: the grid, Generate, the player and the status line on the first screen */
  .toast-wrap { top: 40px !important; }
  #languages .html-container { padding: 0 !important; }
  #languages, #languages * { font-size: 12px; white-space: nowrap; }
  #title h1 { font-size: 20px; margin: 0; }
  #intro p { font-size: 12px; line-height: 1.3; margin: 0; }
}
"""
PAGE_CSS += (HERE / "present.css").read_text(encoding="utf-8")  # presentation mode (demo/present.js)
LABELS = i18n.gr_i18n()  # static texts, translated in the page: LABELS("key")


def _read(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def inline_picture(picture: np.ndarray, alt: str, caption: str = "") -> str:
    """An RGB picture as an <img> holding its PNG (a data: URL), `alt` saying what it shows (in the page's
    language), a caption under it if given. Gradio writes no file for it, as it does for every gr.Image answer
    (a file per call, kept until `delete_cache` removes it)."""
    buffer = io.BytesIO()
    Image.fromarray(picture).save(buffer, format="PNG")
    data = base64.b64encode(buffer.getvalue()).decode()
    style = "width: 100%; image-rendering: pixelated"
    img = f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" style="{style}">'
    return f"<figure>{img}<figcaption>{html.escape(caption)}</figcaption></figure>" if caption else img


def component(name: str, ask, *scripts: str, **props) -> gr.HTML:
    """One of our components: demo/<name>.html, .css and .js (after prelude.js and `scripts`), asking the server
    through the page's one server function `ask`; `props` are its data."""
    return gr.HTML(
        value={"kind": "start"},
        html_template=_read(f"{name}.html"),
        css_template=_read(f"{name}.css"),
        js_on_load=_read("prelude.js") + "".join(scripts) + _read(f"{name}.js"),
        server_functions=[ask],
        elem_id=name,
        **props,
    )


ENGINE_FILES = ("engine.js", "engine_wasm.js")  # the page's engine: the reference, and its WebAssembly driver


def engine_script() -> str:
    """demo/engine.js and demo/engine_wasm.js as two values, `engine` and `engineWasm`, in the grid component's
    scope: no global of the page. The page's thread runs them only without a Web Worker (`engine_worker`)."""
    body = "\n".join(_read(name) for name in ENGINE_FILES)
    return "const { engine, engineWasm } = (() => {\n" + body + "\nreturn { engine, engineWasm };\n})();\n"


def engine_weights(app: DemoApp) -> dict:
    """Each model's engine file (pixelcnn.export), written into ENGINE_DIR if new: {name: its URL, from the page}.
    Named by content, so a browser may keep it; served by Gradio's file route (`allowed_paths` in launch_options)."""
    return {name: f"gradio_api/file={export(model, name, ENGINE_DIR)}" for name, model in app.models.items()}


def engine_worker() -> str:
    """The page's Web Worker (demo/engine_worker.js after the engine's files, the very files the page runs), written
    into ENGINE_DIR, named by content; its URL from the page. Served like the weights, from the page's own address."""
    script = "\n".join(_read(name) for name in (*ENGINE_FILES, "engine_worker.js"))
    return served(script.encode(), "engine-worker", ".js")


def served(data: bytes, stem: str, suffix: str) -> str:
    """`data` written into ENGINE_DIR named by its content (the browser may keep it), if new; its URL from the page."""
    return f"gradio_api/file={write_named_by_content(data, stem, suffix, ENGINE_DIR)}"


def page_module(name: str) -> str:
    """demo/page/<name> and the modules it imports by relative path (photo.js, rule.js, vendor/png.js): the whole
    folder written into ENGINE_DIR once, named by its content (the browser may keep it); the URL of <name>."""
    files = sorted(path for path in (HERE / "page").rglob("*") if path.is_file())
    content = hashlib.sha256()
    for path in files:
        content.update(path.relative_to(HERE / "page").as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    folder = ENGINE_DIR / f"page-{content.hexdigest()[:12]}"
    if not folder.exists():
        partial = Path(tempfile.mkdtemp(dir=ENGINE_DIR.parent))
        shutil.copytree(HERE / "page", partial, dirs_exist_ok=True)
        ENGINE_DIR.mkdir(parents=True, exist_ok=True)
        try:
            partial.replace(folder)  # a reader never sees half a folder
        except OSError:  # written meanwhile by another start
            shutil.rmtree(partial)
    return f"gradio_api/file={folder / name}"


def fields_props(app: DemoApp) -> dict:
    """What every component that shows fields gets: the URL of demo/page/fields.js (an ES module the page imports),
    and of each model's measured fields (pixelcnn.measured; None where none was shipped with the model)."""
    module = HERE / "page" / "fields.js"
    measured = {name: path and served(path.read_bytes(), f"{name}-measured", path.suffix)
                for name, path in app.measured.items()}  # fmt: skip
    return {"fields_module": served(module.read_bytes(), module.stem, module.suffix), "measured": measured}


def engine_wasm() -> str:
    """demo/engine.wasm (built from demo/engine.c), written into ENGINE_DIR, named by content; its URL from the page.
    Gradio serves .wasm as application/wasm."""
    return served((HERE / "engine.wasm").read_bytes(), "engine", ".wasm")


def engine_limits(app: DemoApp) -> dict:
    """What the page's engine refuses as the server does (demo/handlers.py's checks): engine.js's checkQuestion."""
    labels = {name: list(model.labels) for name, model in app.models.items()}
    return {"maxSeed": MAX_SEED, "maxTemperature": MAX_TEMPERATURE, "labels": labels}


def page_props(app: DemoApp) -> dict:
    """What the page's JavaScript gets as data: texts, models, greys, test images, the engine's weights."""
    models = [
        {"name": name, "classes": model.config.classes, "leaks": sees_itself(model.wiring())}
        for name, model in app.models.items()
    ]
    samples = [
        {"levels": levels.tolist(), "label": int(label)} for levels, label in zip(app.samples, app.sample_labels)
    ]
    return {
        "texts": i18n.TEXTS,  # every language: the page shows the one in <html lang>
        "models": models,
        "greys": GREYS,
        "samples": samples,
        "max_seed": MAX_SEED,
        "max_upload_mb": MAX_UPLOAD_MB,
        "max_pixels": MAX_PIXELS,  # the page refuses what the server refuses (a JPEG: at the scale it is read)
        "max_side": MAX_SIDE,
        "reading_budget": BUDGET,  # what the server lets reading a picture take: the page refuses the same pictures
        "upload_module": page_module("upload.js"),  # an upload is read in the page, unless ?engine=off
        "max_temperature": MAX_TEMPERATURE,
        "engine_weights": engine_weights(app),
        "engine_worker": engine_worker(),
        **fields_props(app),
        "engine_wasm": engine_wasm(),
        "engine_limits": engine_limits(app),
    }


def masks_props(app: DemoApp) -> dict:
    """What the masks tab's JavaScript gets: texts, model names, masks A and B, whether a model has no blind spot."""
    return {
        "texts": i18n.TEXTS,
        "models": list(app.models),
        "masks": app.masks(),
        "gated": app.has_model_without_blind_spot(),
        **fields_props(app),
    }


def layers_props(app: DemoApp) -> dict:
    """What the layer view's JavaScript gets: texts, model names, each model's wiring as data (pixelcnn.field
    `Wiring.to_dict`: demo/page/fields.js computes the fields, chains and reasons from it in the page)."""
    wirings = {name: model.wiring().to_dict() for name, model in app.models.items()}
    return {"texts": i18n.TEXTS, "models": list(app.models), "wirings": wirings, **fields_props(app)}


def learning_layout(learning: Learning) -> tuple:
    """The 'watch it learn' tab's components (inside its gr.Tab); their events are wired in `build`."""
    names = learning.names()
    last = max(learning.epochs[names[0]]) if names else 0
    gr.Markdown(LABELS("learning_help"))
    with gr.Row():
        with gr.Column():
            first = names[0] if names else None
            choices = [(LABELS(f"model_{name}"), name) for name in names]
            model = gr.Dropdown(
                choices, value=first, label=LABELS("learning_model"), visible=len(names) > 1, elem_id="learning-model"
            )
            # a name not in the choices: our sentence (Learning.model), not Gradio 6.31's English and a traceback
            model.preprocess = lambda payload: payload
            epoch = gr.Slider(0, max(last, 1), value=last, step=1, label=LABELS("learning_epoch"), elem_id="epoch")
            # its range ends at the chosen model's last snapshot; a value sent while the range changes (a fast click
            # right after a model change) is not refused, as gr.Slider would: Learning.model takes the nearest snapshot
            epoch.preprocess = lambda payload: payload
            with gr.Row():
                seed = gr.Number(0, label=LABELS("learning_seed"), elem_id="learning-seed")  # our message for -1 or 1.5
                show = gr.Button(LABELS("learning_show"), variant="primary")
            caption = gr.Markdown(elem_id="learning-caption")
            samples = gr.HTML(elem_id="learning-samples")  # inline pictures: no file in Gradio's cache per answer
        with gr.Column():
            curve = gr.HTML(elem_id="learning-curve")
            gr.Markdown(LABELS("learning_curve_help"))
            if any(not found for found in learning.epochs.values()):
                gr.Markdown(LABELS("learning_plain_note"))
            gr.Markdown(LABELS("learning_best_note"))
            mine = gr.Button(LABELS("learning_grid"), visible=bool(names))
            board, kept = gr.Textbox(visible=False), gr.Number(visible=False)
            completed = gr.HTML(elem_id="learning-grid")
            gr.Markdown(LABELS("learning_grid_help"))
    return model, epoch, seed, show, samples, curve, caption, mine, board, kept, completed


def build(
    app: DemoApp,
    concurrency: int = 1,
    queue_size: int = 256,
    address_cap: int = ADDRESS_CAP,
    batch: int = 0,
    weights: Path = WEIGHTS_DIR,
) -> gr.Blocks:
    """The page and the API. batch > 0: /complete uses Gradio's batching (up to `batch` requests sampled
    together), only to measure it against one request at a time (bench/load.py). `weights`: where the
    models' snapshots and curves are (the learning tab).

    A handler refuses by raising InputError: `Guarded` words it for the caller (demo.refusals); the page's
    questions (one server function, `ask`) and the learning tab catch it to answer in their own form."""

    view = LayerView(app)

    def answer(question: dict) -> dict:
        """One question of the page's components (see demo.questions), answered as a dict that echoes its
        kind and id; a mistake is answered with our message ("error"), shown beside the grid, not a pop-up."""
        kind = question.get("kind")
        what = kind.split(":")[0] if isinstance(kind, str) else None  # "field:gated": a field, of the gated model
        pixel, reply = [question.get(k) for k in ("model", "row", "col")], {"kind": kind, "id": question.get("id")}
        try:
            if what == "field":  # not asked by the page (it reads the measured files); bench.hostile asks it
                return {**reply, "field": app.receptive_field(*pixel)}
            # the question's own "what" wins: a completion of the grid ("complete") may be a hole to "fill"
            return {**app.page({"what": what, **question}), "kind": kind}
        except InputError as error:
            return {"kind": kind, "id": question.get("id"), "error": refusal(error, None, question.get("lang"))}

    def busy(question: dict) -> dict:
        lang = i18n.language_of(None, question.get("lang"))
        return {"kind": question.get("kind"), "id": question.get("id"), "error": i18n.text("busy", lang)}

    questions, open_questions = Questions(answer, concurrency, queue_size), InFlight(address_cap)

    async def ask(question: dict, request: gr.Request) -> dict:
        """The server function of both components: every question the page asks (demo/prelude.js `ask`).
        Outside Gradio's queue, so limited here: `concurrency` at work at once, `queue_size` waiting in all,
        `address_cap` open at once per address (one more is answered at once with our message)."""
        question, address = question if isinstance(question, dict) else {}, address_of(request)
        try:
            with open_questions.admit(address):
                return await questions.ask(question, busy, address)
        except InputError as error:
            text = refusal(error, request, question.get("lang"))
            return {"kind": question.get("kind"), "id": question.get("id"), "error": text}

    def layers(model: str, row: int, col: int) -> dict:
        """The exact field of pixel (row, col) after each layer: {"layers": [{"layer", "field", ...}]}."""
        return view.layers(model, row, col)

    uploads = itertools.count(1)

    def levels_from_image(image: bytes) -> dict:
        """The 16x16 levels (ints 0-3) of a picture of any size and mode: {"levels": [[...], ...]}; a photo is read
        as a garment (background removed, framed: "framed" is true), and "as_is" holds it read as it is."""
        # numbered: the same picture twice is still a new value, so the page paints it again
        picture = None if image is None else io.BytesIO(image)
        return {"kind": "levels", **app.levels_from_image(picture), "upload": next(uploads)}

    def complete(
        model: str,
        levels: list,
        known_rows: int,
        temperature: float,
        seed: int,
        label: str | int | None = "any",
    ) -> dict:
        """Complete `levels` (16x16 ints 0-3) below `known_rows`; label: "any", 0-9 or a garment name."""
        return app.complete(model, levels, known_rows, temperature, seed, label)

    def fill(
        model: str,
        levels: list,
        hole: list,
        temperature: float,
        seed: int,
        label: str | int | None = "any",
    ) -> dict:
        """Draw the cells of `hole` (16x16 of 0/1, 1 = to fill) in raster order, keep the others; like /complete."""
        return app.fill(model, levels, hole, temperature, seed, label)

    def complete_batch(
        model: list, levels: list, known_rows: list, temperature: list, seed: list, label: list
    ) -> tuple[list]:
        return (app.complete_batch(model, levels, known_rows, temperature, seed, label),)

    limits = {"concurrency_limit": concurrency, "concurrency_id": "model"}
    # delete_cache: what a call did not delete (an upload nobody asked about, the learning curves) goes after 5 min
    with Guarded(title=i18n.TEXTS[i18n.DEFAULT]["title"], delete_cache=(300, 300)) as demo:  # i18n.HEAD retitles it
        gr.HTML(i18n.SWITCH, elem_id="languages")
        # one LABELS(...) per string: Gradio translates only the first
        gr.Markdown("# " + LABELS("title"), elem_id="title")
        gr.Markdown(LABELS("intro"), elem_id="intro")
        gr.Markdown(LABELS("intro_more_why"), elem_id="intro-more")
        with gr.Tab(LABELS("tab_generate")):
            with gr.Row():
                # the grid's own button (grid.html) reads a picture in the page (demo/page/upload.js); with
                # ?engine=off it hands the file to this one, hidden, which sends it to /levels_from_image.
                # binary: in filepath mode Gradio 6.31 leaves an empty file per upload
                upload = gr.UploadButton(
                    LABELS("upload"), file_types=["image"], type="binary", elem_id="upload", size="sm", scale=0,
                    visible="hidden",
                )  # fmt: skip
            grid = component("grid", ask, engine_script(), **page_props(app))
        with gr.Tab(LABELS("tab_masks")):
            component("masks", ask, **masks_props(app))
            component("layers", ask, **layers_props(app))
        learning = Learning(list(app.models), weights)
        with gr.Tab(LABELS("tab_learning")) as learning_tab:
            learning_inputs = learning_layout(learning)
        upload.upload(levels_from_image, upload, grid, api_name="levels_from_image", **limits)
        model, epoch, seed, show, samples, curve, caption, mine, board, kept, completed = learning_inputs

        def learning_pictures(model: str, epoch: float, seed: int, request: gr.Request):
            """The tab's pictures; a mistake is said in full in the caption, under the seed and the epoch where the
            user looks (not a pop-up that vanishes), and the pictures shown stay (no error badges over them)."""
            try:
                drawn, curve, caption, alts = learning.pictures(model, epoch, seed, i18n.language_of(request))
                return inline_picture(drawn, alts["samples"]), inline_picture(curve, alts["curve"]), caption
            except InputError as error:
                return gr.skip(), gr.skip(), "**" + html.escape(refusal(error, request)) + "**"

        def learning_samples(model: str, epoch: int, seed: int = 0) -> dict:
            """The 16 images the model drew from scratch after `epoch` epochs (the nearest snapshot), seeds seed..."""
            return learning.learning(model, epoch, seed)

        def learning_grid(model: str, epoch: float, seed: int, board: str, kept: float, request: gr.Request):
            caption = learning.grid_caption(model, epoch, seed, kept, i18n.language_of(request))
            return inline_picture(learning.complete_grid(model, epoch, seed, board, kept), caption, caption)

        if learning.names():
            shown, pictures = [model, epoch, seed], [samples, curve, caption]
            # input: the mouse, the arrow keys and the typed number alike; only the last one waiting is drawn
            events = [learning_tab.select, show.click, epoch.input, seed.submit, seed.blur]
            gr.on(
                events, learning_pictures, shown, pictures,
                api_visibility="private", trigger_mode="always_last", **limits,
            )  # fmt: skip
            hidden = {"api_visibility": "private", "show_progress": "hidden"}

            def epoch_range(name: str, shown: float) -> gr.Slider:
                """The chosen model's range; the epoch stays if it was trained that long, else its last. A name
                that is not a model's is refused by the pictures that follow (Learning.model)."""
                found = learning.epochs.get(name) if isinstance(name, str) else None
                return gr.Slider(maximum=max(found or [1]), value=learning.epoch_for(name, shown))

            moved = model.change(epoch_range, [model, epoch], epoch, **hidden)
            moved.then(learning_pictures, shown, pictures, api_visibility="private", **limits)
            read_board = (
                "(m, e, s, b, k) => { const board = document.querySelector('#grid .pcnn-board');"
                " return [m, e, s, board ? board.dataset.levels : '', board ? Number(board.dataset.keptRows) : 0]; }"
            )
            mine.click(
                learning_grid, [*shown, board, kept], completed, js=read_board, api_visibility="private", **limits
            )
            gr.api(learning_samples, api_name="learning", **limits)
        if batch:
            gr.api(complete_batch, api_name="complete", batch=True, max_batch_size=batch, **limits)
        else:
            gr.api(complete, api_name="complete", **limits)
        gr.api(fill, api_name="fill", **limits)
        gr.api(layers, api_name="layers", **limits)
    demo.queue(max_size=queue_size, api_open=False)  # /run/ closed: every call goes through the queue
    QueueShare(demo, address_cap, functions=open_questions, total=queue_size // 2).install()
    return demo


def launch_options() -> dict:
    return {
        "css": PAGE_CSS,
        "theme": gr.themes.Soft(),
        "max_file_size": f"{MAX_UPLOAD_MB}mb",
        "allowed_paths": [str(ENGINE_DIR)],
        "i18n": LABELS,
        "head": i18n.HEAD,
        "app_kwargs": {"middleware": MIDDLEWARE},
        "enable_monitoring": False,  # Gradio's /monitoring (closed by Edges too): no traffic analytics kept
        # sessions Gradio keeps (each raw /call/ and each new server-function session is one, ~0.2 MB;
        # the oldest goes first, and a browser whose session went gets a fresh one: the page keeps no state there).
        # Measured: 1,200 learning-tab answers, each in its own session, level off at +121 MB with 100, +196 MB
        # with 500 (bench.hostile prints the level after each quarter of its 1,000)
        "state_session_capacity": SESSIONS,
    }
