"""The page: it arranges our components (`gr.HTML` each: the grid, the masks, the layer view) and the learning tab,
and wires them to `demo.handlers.DemoApp`.

The main tab is one component (`demo/grid.html`, `grid.css`, `grid.js`): paint, generate, play, inspect. The
page's components ask the server through one server function, `ask`, when the page's own engine cannot answer;
the public API is `/complete`, `/fill`, `/layers`, `/learning` and `/levels_from_image`, through Gradio's queue:
both are listed, with their checks and limits, in `demo.api`.
No computing here; every text comes from `demo/locales/` through `demo.i18n`, in the page's language.
"""

import base64
import html
import io
import tempfile
from pathlib import Path

import gradio as gr
import numpy as np
from PIL import Image
from starlette.middleware import Middleware

from demo import api, i18n
from demo.blocks import Guarded
from demo.canvas import GREYS, MAX_PIXELS, MAX_SIDE
from demo.errors import InputError
from demo.handlers import MAX_SEED, MAX_TEMPERATURE, DemoApp
from demo.layers import LayerView
from demo.learning import Learning
from demo.limits import ADDRESS_CAP, BodyLimit, Doorman, Edges, KnownFunctions, QueueShare
from demo.refusals import QuietErrors, refusal
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
  .row:has(> #upload) { margin: -46px 0 0 auto; width: fit-content; position: relative; z-index: 5; }  /* the
     upload button at the end of the tab bar's line, covering none of the tabs */
}
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
        "max_pixels": MAX_PIXELS,  # a picture other than a JPEG (read at a reduced scale) is checked in the page too
        "max_side": MAX_SIDE,
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
    """The page and the API (demo.api). batch > 0: /complete uses Gradio's batching (bench/load.py). `weights`:
    where the models' snapshots and curves are (the learning tab).

    A handler refuses by raising InputError: `Guarded` words it for the caller (demo.refusals); the page's
    questions (one server function, `ask`) and the learning tab catch it to answer in their own form."""

    ask, open_questions = api.page_questions(app, concurrency, queue_size, address_cap)
    learning = Learning(list(app.models), weights)
    functions = api.endpoint_functions(app, LayerView(app), learning)
    limits = api.limits(concurrency)
    # delete_cache: what a call did not delete (an upload nobody asked about, the learning curves) goes after 5 min
    with Guarded(title=i18n.TEXTS[i18n.DEFAULT]["title"], delete_cache=(300, 300)) as demo:  # i18n.HEAD retitles it
        gr.HTML(i18n.SWITCH, elem_id="languages")
        # one LABELS(...) per string: Gradio translates only the first
        gr.Markdown("# " + LABELS("title"), elem_id="title")
        gr.Markdown(LABELS("intro"), elem_id="intro")
        gr.Markdown(LABELS("intro_more_why"), elem_id="intro-more")
        with gr.Tab(LABELS("tab_generate")):
            with gr.Row():  # at the top, where a new user looks first, not under the whole component
                upload = gr.UploadButton(  # binary: in filepath mode Gradio 6.31 leaves an empty file per upload
                    LABELS("upload"), file_types=["image"], type="binary", elem_id="upload", size="sm", scale=0
                )
            grid = component("grid", ask, engine_script(), **page_props(app))
        with gr.Tab(LABELS("tab_masks")):
            component("masks", ask, **masks_props(app))
            component("layers", ask, **layers_props(app))
        with gr.Tab(LABELS("tab_learning")) as learning_tab:
            learning_inputs = learning_layout(learning)
        upload.upload(functions["levels_from_image"], upload, grid, api_name="levels_from_image", **limits)
        model, epoch, seed, show, samples, curve, caption, mine, board, kept, completed = learning_inputs

        def learning_pictures(model: str, epoch: float, seed: int, request: gr.Request):
            """The tab's pictures; a mistake is said in full in the caption, under the seed and the epoch where the
            user looks (not a pop-up that vanishes), and the pictures shown stay (no error badges over them)."""
            try:
                drawn, curve, caption, alts = learning.pictures(model, epoch, seed, i18n.language_of(request))
                return inline_picture(drawn, alts["samples"]), inline_picture(curve, alts["curve"]), caption
            except InputError as error:
                return gr.skip(), gr.skip(), "**" + html.escape(refusal(error, request)) + "**"

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
            api.register(functions, ["learning"], concurrency)
        api.register(functions, ["complete", "fill", "layers"], concurrency, batch)
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
