"""The page: it arranges components and wires them to `demo.handlers.DemoApp`; no computing here."""

import functools
import inspect

import gradio as gr

from demo.canvas import CANVAS, GREYS, InputError
from demo.handlers import MAX_DELAY_MS, MAX_SEED, MAX_TEMPERATURE, DemoApp, preview

CSS = """
.pixels, #preview img, #masks img, #field img, #surprise img { image-rendering: pixelated; }
.live { display: flex; gap: 16px; align-items: flex-start; flex-wrap: wrap; }
.live .pixels { width: 256px; height: 256px; }
.probs { min-width: 200px; font-size: 14px; }
.prob { display: flex; align-items: center; gap: 6px; margin: 4px 0; }
.swatch { width: 14px; height: 14px; border: 1px solid #888; display: inline-block; }
.bar { height: 12px; background: #e05050; display: inline-block; max-width: 90px; }
"""

INTRO = """# PixelCNN, pixel by pixel
A PixelCNN (van den Oord et al., 2016) trained on FashionMNIST shrunk to **16x16 pixels and 4 grey levels**.
It writes an image the way you read a page: left to right, top to bottom, each pixel drawn from a
probability over the 4 levels that depends **only on the pixels before it**. Draw the top rows of a
garment (or start from a real test image) and watch the network finish it."""

MASKS = """**Mask A** (first layer, 7x7): the network may look at every pixel above, and at the pixels to the
left in the current row, but **not at the centre pixel**: that is the one it must predict.

**Mask B** (every later layer, 3x3 in the residual blocks): the same, but the centre is allowed, because
after the first layer the centre feature only carries information from earlier pixels.

**Receptive field**: which input pixels can actually change the prediction at the pixel you pick,
measured on the trained network with gradients. The triangle missing up and to the right is the
**blind spot** of a plain PixelCNN: pixels it is allowed to see, but that stacked masks never reach."""

CANVAS_HELP = f"""Choose the brush (left toolbar), then paint with the 4 levels. Each of the 16x16 cells of the
{CANVAS}x{CANVAS} canvas is averaged and set to the nearest level (0, 85, 170, 255): the preview shows
exactly what the model reads. Only the rows you keep are used."""


def _shown(handler):
    """Turn an InputError from a handler into a message in the page (gr.Error), for plain and streaming handlers."""
    if inspect.isgeneratorfunction(handler):

        @functools.wraps(handler)
        def streaming(*args):
            try:
                yield from handler(*args)
            except InputError as error:
                raise gr.Error(str(error)) from None

        return streaming

    @functools.wraps(handler)
    def plain(*args):
        try:
            return handler(*args)
        except InputError as error:
            raise gr.Error(str(error)) from None

    return plain


def build(app: DemoApp, stream_concurrency: int = 32, queue_size: int = 64) -> gr.Blocks:
    names = list(app.models)
    first, block = (app.models[names[0]].config.first_kernel, app.models[names[0]].config.block_kernel)

    def complete(model, sketch, known_rows, temperature, seed, delay_ms):
        for frame in app.complete(model, sketch, known_rows, temperature, seed, delay_ms):
            yield frame.html, frame.status, frame.result

    with gr.Blocks(title="PixelCNN demo", delete_cache=(600, 1800)) as demo:
        gr.Markdown(INTRO)
        model = gr.Dropdown(names, value=names[0], label="Model", visible=len(names) > 1)

        with gr.Tab("1. Masks and receptive field"):
            with gr.Row(elem_id="masks"):
                mask_a = gr.Image(label=f"Mask A ({first}x{first}): centre hidden", format="png", interactive=False)
                mask_b = gr.Image(label=f"Mask B ({block}x{block}): centre seen", format="png", interactive=False)
                field = gr.Image(label="Receptive field (red: the predicted pixel)", format="png", elem_id="field")
            with gr.Row():
                field_row = gr.Slider(0, 15, value=8, step=1, label="Pixel row")
                field_col = gr.Slider(0, 15, value=8, step=1, label="Pixel column")
            gr.Markdown(MASKS)

        with gr.Tab("2. Draw and generate"):
            with gr.Row():
                with gr.Column():
                    sketch = gr.Sketchpad(
                        value=app.blank_canvas(),
                        label="Draw the top rows",
                        canvas_size=(CANVAS, CANVAS),
                        fixed_canvas=True,
                        layers=False,
                        transforms=(),
                        format="png",
                        image_mode="RGBA",
                        brush=gr.Brush(
                            colors=[f"rgb({g},{g},{g})" for g in reversed(GREYS)],  # white first: the default
                            default_color=f"rgb({GREYS[-1]},{GREYS[-1]},{GREYS[-1]})",
                            color_mode="fixed",
                            default_size=20,
                        ),
                        elem_id="sketch",
                    )
                    gr.Markdown(CANVAS_HELP)
                    with gr.Row():
                        clear = gr.Button("Clear")
                        sample_index = gr.Number(value=0, precision=0, label="Test image #", minimum=0)
                        use_sample = gr.Button("Use test image")
                    sample_note = gr.Markdown()
                    known_rows = gr.Slider(0, 16, value=8, step=1, label="Rows to keep (the rest is generated)")
                    preview_image = gr.Image(
                        label="What the model reads (blue: to generate)", format="png", elem_id="preview"
                    )
                    preview_note = gr.Markdown()
                with gr.Column():
                    live = gr.HTML(label="Generation", elem_id="live")
                    status = gr.Markdown(elem_id="status")
                    temperature = gr.Slider(0, MAX_TEMPERATURE, value=1.0, step=0.05, label="Temperature (0 = greedy)")
                    with gr.Row():
                        seed = gr.Number(value=0, precision=0, label="Seed", minimum=0, maximum=MAX_SEED)
                        dice = gr.Button("🎲 Random seed")
                    delay = gr.Slider(0, MAX_DELAY_MS, value=8, step=1, label="Animation delay (ms per pixel)")
                    with gr.Row():
                        generate = gr.Button("Generate", variant="primary", elem_id="generate")
                        stop = gr.Button("Stop", variant="stop")
                    with gr.Accordion("Raw result (API)", open=False):
                        result = gr.JSON(label="levels, current pixel")
            with gr.Row():
                many = gr.Button("4 completions side by side (seed, seed+1, ...)")
                score = gr.Button("How surprising are my rows?")
            gallery = gr.Gallery(label="Completions", columns=4, height=220, format="png")
            with gr.Row(elem_id="surprise"):
                surprise_map = gr.Image(label="Surprise per pixel (bits; bright = surprising)", format="png")
                surprise_text = gr.Markdown()

        preview_inputs, field_inputs = [sketch, known_rows], [model, field_row, field_col]
        demo.load(_shown(app.masks), model, [mask_a, mask_b], api_name="masks")
        demo.load(_shown(app.receptive_field), field_inputs, field, api_name=False)
        demo.load(preview, preview_inputs, [preview_image, preview_note], api_name=False)
        field_events = [field_row.release, field_col.release, model.change]
        gr.on(field_events, _shown(app.receptive_field), field_inputs, field, api_name="receptive_field")
        gr.on(
            [sketch.change, sketch.input, sketch.apply, known_rows.change],
            preview,
            preview_inputs,
            [preview_image, preview_note],
            api_name="preview",
            show_progress="hidden",
            trigger_mode="always_last",
        )
        clear.click(app.blank_canvas, None, sketch, api_name=False)
        use_sample.click(_shown(app.sample_image), sample_index, [sketch, sample_note], api_name="sample_image")
        dice.click(app.new_seed, None, seed, api_name="new_seed")
        run = generate.click(
            _shown(complete),
            [model, sketch, known_rows, temperature, seed, delay],
            [live, status, result],
            api_name="complete",
            show_progress="hidden",
            concurrency_limit=stream_concurrency,
        )
        stop.click(None, cancels=[run])
        many.click(_shown(app.gallery), [model, sketch, known_rows, temperature, seed], gallery, api_name="gallery")
        score.click(
            _shown(app.surprise), [model, sketch, known_rows], [surprise_map, surprise_text], api_name="surprise"
        )
    return demo.queue(default_concurrency_limit=2, max_size=queue_size)


def launch_options() -> dict:
    return {"css": CSS, "theme": gr.themes.Soft()}
