"""The page: it arranges our components (`gr.HTML` each: the grid, the masks, the layer view, the learning tab)
and wires them to `demo.handlers.DemoApp`.

The main tab is one component (`demo/grid.html`, `grid.css`, `grid.js`): paint, generate, play, inspect. The
page's components ask the server through one server function, `ask`, when the page's own engine cannot answer;
the public API is `/complete`, `/fill`, `/layers`, `/learning` and `/levels_from_image`, through Gradio's queue:
both are listed, with their checks and limits, in `demo.api`.
No computing here; every text comes from `demo/locales/` through `demo.i18n`, in the page's language.
"""

import functools
import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import gradio as gr
from starlette.middleware import Middleware

from demo import api, i18n
from demo.blocks import Guarded
from demo.canvas import BUDGET, GREYS, MAX_PIXELS, MAX_SIDE
from demo.gradio_internals import poll_calmly
from demo.handlers import MAX_SEED, MAX_TEMPERATURE, DemoApp, gif_settings
from demo.layers import LayerView
from demo.learning import Learning
from demo.limits import ADDRESS_CAP, BodyLimit, Doorman, Edges, KnownFunctions, QueueShare
from demo.refusals import QuietErrors
from pixelcnn.export import export, write_named_by_content
from pixelcnn.field import sees_itself

HERE = Path(__file__).resolve().parent
MAX_UPLOAD_MB = 2  # uploads above are refused, by the page before they are sent (grid_upload.js) and by Gradio
SESSIONS = 100  # sessions whose state Gradio keeps (see launch_options)
ENGINE_DIR = Path(tempfile.gettempdir()) / "pixelcnn-engine"  # the engine files, written at start-up, served as is
MIDDLEWARE = [  # each request passes them in this order (demo/refusals.py, demo/limits.py)
    # Gradio's routes the app does not need: closed; security headers on every answer; files named by their content
    # (ENGINE_DIR's: each written by write_named_by_content or page_dir) kept by the browser
    Middleware(Edges, named_by_content=[ENGINE_DIR]),
    Middleware(QuietErrors),  # what a route raises on a request it did not check: our words, one log line
    Middleware(Doorman, upload_bytes=MAX_UPLOAD_MB << 20),  # an address beyond its share: refused unread
    Middleware(BodyLimit),  # a body over 64 KB: refused; else read whole
    Middleware(KnownFunctions),  # a server-function call names one of the page's
]
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
PAGE_CSS += (HERE / "present.css").read_text(encoding="utf-8")  # presentation mode (demo/page/present.js)
LABELS = i18n.gr_i18n()  # static texts, translated in the page: LABELS("key")


def _read(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


COMPONENTS = ("grid", "masks", "layers", "learning")  # demo/page/<name>.js, each mounted by its gr.HTML


def component(name: str, ask, **props) -> gr.HTML:
    """One of our components: demo/<name>.html and .css, and its ES module demo/page/<name>.js, which the page imports
    from the page's folder and mounts (demo/mount.js, its js_on_load); it asks the server through the page's one
    server function `ask`; `props` are its data (with `page`, the folder's URL, and `part_failed`, what it says in each
    language while its module cannot be had). The texts come once for the whole page, in the folder's locales.js.

    The data go as one JSON string, which mount.js parses once: Gradio 6.31's frontend proxies and clones a prop's
    every nested list on each page load (the grid's 40 test images as lists cost the page's thread about 80 ms a
    load, measured, against a few as a string)."""
    part_failed = {code: texts["page_part_failed"] for code, texts in i18n.TEXTS.items()}
    data = {"page": page_folder(), "part_failed": part_failed, **props}
    return gr.HTML(
        value={"kind": "start"},
        html_template=_read(f"{name}.html"),
        css_template=_read(f"{name}.css"),
        js_on_load=_read("mount.js").replace("COMPONENTS", json.dumps(COMPONENTS)).replace("COMPONENT", name),
        server_functions=[ask],
        elem_id=name,
        data=json.dumps(data, ensure_ascii=False, separators=(",", ":")),
    )


PAGE_DIR = HERE / "page"  # the page's ES modules: the engine, its worker, the fields, the rule, the vendored libraries


def engine_weights(app: DemoApp) -> dict:
    """Each model's engine file (pixelcnn.export), written into ENGINE_DIR if new: {name: its URL, from the page}.
    Named by content, so a browser may keep it; served by Gradio's file route (`allowed_paths` in launch_options)."""
    return {name: f"gradio_api/file={export(model, name, ENGINE_DIR)}" for name, model in app.models.items()}


def served(data: bytes, stem: str, suffix: str) -> str:
    """`data` written into ENGINE_DIR named by its content (the browser may keep it), if new; its URL from the page."""
    return f"gradio_api/file={write_named_by_content(data, stem, suffix, ENGINE_DIR)}"


def fields_props(app: DemoApp) -> dict:
    """What every component that shows fields gets: the URL of each model's measured fields (pixelcnn.measured; None
    where none was shipped with the model), which demo/page/fields.js reads."""
    measured = {name: path and served(path.read_bytes(), f"{name}-measured", path.suffix)
                for name, path in app.measured.items()}  # fmt: skip
    return {"measured": measured}


def page_folder() -> str:
    """The URL of the page's folder (`page_dir`) from the page, ending in "/": every component's data.page."""
    return f"gradio_api/file={page_dir()}/"


@functools.cache  # once per process: every component's props name the same folder
def page_dir() -> Path:
    """demo/page/ (the page's ES modules and vendor/) and locales.js (the texts: demo.i18n `module`), copied into
    ENGINE_DIR as one folder named by the content of all its files, if new: a module's relative imports (gif.js's
    ./vendor/gif.js, component.js's ./locales.js) resolve, and a browser may keep them. The Web Worker's script,
    engine_worker.js, imports engine.js from the same folder."""
    files = {path.relative_to(PAGE_DIR): path.read_bytes() for path in sorted(PAGE_DIR.rglob("*")) if path.is_file()}
    files[Path("locales.js")] = i18n.module().encode()  # the texts, once for every component of the page
    digest = hashlib.sha256()
    for name, data in files.items():
        digest.update(f"{name}\0{len(data)}\0".encode() + data)
    folder = ENGINE_DIR / f"page-{digest.hexdigest()[:12]}"
    if not folder.exists():
        ENGINE_DIR.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix="partial-", dir=ENGINE_DIR))
        for name, data in files.items():
            (partial / name).parent.mkdir(parents=True, exist_ok=True)
            (partial / name).write_bytes(data)
        try:
            partial.rename(folder)  # a reader never sees half a folder
        except OSError:  # another process wrote it first
            shutil.rmtree(partial)
    return folder


def link_limits(app: DemoApp) -> dict:
    """What a link to the page may hold (demo/page/link.js readLink): each model's garments and layers, and the
    seed's and temperature's ranges, as the server checks them."""
    models = {name: {"classes": model.config.classes, "layers": len(model.wiring().layers)}
              for name, model in app.models.items()}  # fmt: skip
    return {"models": models, "maxSeed": MAX_SEED, "maxTemperature": MAX_TEMPERATURE}


def engine_wasm() -> str:
    """demo/engine.wasm (built from demo/engine.c), written into ENGINE_DIR, named by content; its URL from the page.
    Gradio serves .wasm as application/wasm."""
    return served((HERE / "engine.wasm").read_bytes(), "engine", ".wasm")


def engine_limits(app: DemoApp) -> dict:
    """What the page's engine refuses as the server does (demo/handlers.py's checks): engine.js's checkQuestion."""
    labels = {name: list(model.labels) for name, model in app.models.items()}
    return {"maxSeed": MAX_SEED, "maxTemperature": MAX_TEMPERATURE, "labels": labels}


def page_props(app: DemoApp) -> dict:
    """What the page's JavaScript gets as data: models, greys, test images, the engine's weights."""
    models = [
        {"name": name, "classes": model.config.classes, "leaks": sees_itself(model.wiring())}
        for name, model in app.models.items()
    ]
    samples = [
        {"levels": levels.tolist(), "label": int(label)} for levels, label in zip(app.samples, app.sample_labels)
    ]
    return {
        "models": models,
        "greys": GREYS,
        "samples": samples,
        "max_seed": MAX_SEED,
        "max_upload_mb": MAX_UPLOAD_MB,
        "max_pixels": MAX_PIXELS,  # the page refuses what the server refuses (a JPEG: at the scale it is read)
        "max_side": MAX_SIDE,
        "reading_budget": BUDGET,  # what the server lets reading a picture take: the page refuses the same pictures
        "max_temperature": MAX_TEMPERATURE,
        "engine_weights": engine_weights(app),
        **fields_props(app),
        "engine_wasm": engine_wasm(),
        "engine_limits": engine_limits(app),
        "gif": gif_settings(),
        "link_limits": link_limits(app),
    }


def masks_props(app: DemoApp) -> dict:
    """What the masks tab's JavaScript gets: model names, masks A and B, whether a model has no blind spot."""
    return {
        "models": list(app.models),
        "masks": app.masks(),
        "gated": app.has_model_without_blind_spot(),
        **fields_props(app),
    }


def layers_props(app: DemoApp) -> dict:
    """What the layer view's JavaScript gets: model names, each model's wiring as data (pixelcnn.field
    `Wiring.to_dict`: demo/page/fields.js computes the fields, chains and reasons from it in the page)."""
    wirings = {name: model.wiring().to_dict() for name, model in app.models.items()}
    return {"models": list(app.models), "wirings": wirings, **fields_props(app), "link_limits": link_limits(app)}


def learning_props(app: DemoApp, learning: Learning) -> dict:
    """What the learning tab's JavaScript (demo/page/learning.js) gets: the models with snapshots, every model's
    curve (its history.json's figures per epoch), each snapshot's engine file (int8 as shipped: pixelcnn.export,
    loaded by the page when its epoch is chosen), and the engine's files and limits, to draw as the server does."""
    curves = {
        name: [[row["epoch"], row["train_bpd"], row["test_bpd"]] for row in rows]
        for name, rows in learning.curves.items() if rows
    }  # fmt: skip
    files = learning.engine_files(ENGINE_DIR)
    snapshots = {
        name: {str(epoch): path and f"gradio_api/file={path}" for epoch, path in found.items()}
        for name, found in files.items()
    }
    return {
        "models": learning.names(),
        "curves": curves,
        "snapshots": snapshots,
        "engine_wasm": engine_wasm(),
        "engine_limits": engine_limits(app),
    }


def learning_layout(app: DemoApp, learning: Learning, ask) -> None:
    """The 'watch it learn' tab (inside its gr.Tab): one component computing everything in the page."""
    gr.Markdown(LABELS("learning_help"))
    component("learning", ask, **learning_props(app, learning))


def build(
    app: DemoApp,
    learning: Learning | None = None,
    concurrency: int = 1,
    queue_size: int = 256,
    address_cap: int = ADDRESS_CAP,
    batch: int = 0,
) -> gr.Blocks:
    """The page and the API (demo.api). batch > 0: /complete uses Gradio's batching (bench/load.py). `learning`:
    the models' snapshots and curves (the learning tab); by default the shipped ones of the app's models.

    A handler refuses by raising InputError: `Guarded` words it for the caller (demo.refusals); the page's
    questions (one server function, `ask`) and the learning tab catch it to answer in their own form."""

    learning = Learning(list(app.models)) if learning is None else learning
    ask, open_questions = api.page_questions(app, learning, concurrency, queue_size, address_cap)
    functions = api.endpoint_functions(app, LayerView(app), learning)
    limits = api.limits(concurrency)
    # delete_cache: what a call did not delete (an upload nobody asked about, the learning curves) goes after 5 min
    with Guarded(title=i18n.TEXTS[i18n.DEFAULT]["title"], delete_cache=(300, 300)) as demo:  # i18n.head retitles it
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
            grid = component("grid", ask, **page_props(app))
        with gr.Tab(LABELS("tab_masks")):
            component("masks", ask, **masks_props(app))
            component("layers", ask, **layers_props(app))
        with gr.Tab(LABELS("tab_learning")):
            learning_layout(app, learning, ask)
        upload.upload(functions["levels_from_image"], upload, grid, api_name="levels_from_image", **limits)
        api.register(functions, ["learning"] if learning.names() else [], concurrency)
        api.register(functions, ["complete", "fill", "layers"], concurrency, batch)
    demo.queue(max_size=queue_size, api_open=False)  # /run/ closed: every call goes through the queue
    poll_calmly(demo)  # an idle app at 3% of a core, not 6-10%
    QueueShare(demo, address_cap, functions=open_questions, total=queue_size // 2).install()
    return demo


def launch_options() -> dict:
    return {
        "css": PAGE_CSS,
        "theme": gr.themes.Soft(),
        "max_file_size": f"{MAX_UPLOAD_MB}mb",
        "allowed_paths": [str(ENGINE_DIR)],
        "i18n": LABELS,
        "head": i18n.head(page_folder()),
        "app_kwargs": {"middleware": MIDDLEWARE},
        "enable_monitoring": False,  # Gradio's /monitoring (closed by Edges too): no traffic analytics kept
        # sessions Gradio keeps (each raw /call/ and each new server-function session is one, ~0.2 MB;
        # the oldest goes first, and a browser whose session went gets a fresh one: the page keeps no state there).
        # Measured: 1,200 learning-tab answers, each in its own session, level off at +121 MB with 100, +196 MB
        # with 500 (bench.hostile prints the level after each quarter of its 1,000)
        "state_session_capacity": SESSIONS,
    }
