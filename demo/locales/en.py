"""English: every sentence a person reads in the page or in an error message, keyed by name.

One file per language (`demo/locales/`): a translation is a second `TEXTS` with the same keys. Messages
with `{name}` fields are filled with `str.format` by the code that shows them; no sentence is built by
joining fragments. The page's JavaScript gets these dicts as data (locales.js: demo.i18n `module`).
"""

NAME = "English"

TEXTS = {
    # -- page: titles and teacher notes
    "title": "PixelCNN, pixel by pixel",
    "intro": (
        "A PixelCNN draws a 16x16 garment pixel by pixel, row by row. "
        "Paint the top rows or take a test image, then press Generate."
    ),
    "intro_more": (
        "A PixelCNN (van den Oord et al., 2016), here trained on FashionMNIST shrunk to 16x16 pixels and 4 grey "
        "levels, writes an image the way you read a page: each pixel is drawn from 4 probabilities that depend only "
        "on the pixels before it. Paint the top rows of a garment (or start from a real test image) and watch the "
        "network finish it; the Masks tab shows how it is kept from seeing the pixels still to come."
    ),
    "why": "why?",
    "tab_generate": "Generate",
    "tab_masks": "Masks",
    "present": "Presentation mode",
    "present_exit": "Leave presentation mode",
    "present_keys": "Keys: G generate · Space play or pause · ← → one pixel back or forward · L next layer · Esc leave",
    "paint_help": (
        "Click, drag or touch to paint with the chosen grey; keys 0-3 pick a grey, the arrow keys move the "
        "outlined cell and Space paints it. What you paint is exactly what the model reads."
    ),
    "kept_help": (
        "Rows above the yellow line are kept; the rows below it (tinted blue) are generated. "
        "Drag the line or use the slider."
    ),
    "temperature_help": (
        "Temperature: lower is safer and duller, higher is wilder; 0 always takes the likeliest grey. "
        "Compare the bars at T with the bars at T = 1 below. Move it once a result is shown: the whole completion "
        "is drawn again at each temperature, with the same seed."
    ),
    "seed_help": "Seed: the same seed with the same picture and temperature gives the same completion.",
    "inspect_help": (
        "Hover, click or tap a generated pixel (a click keeps it): the bars are the 4 probabilities it was drawn "
        "from, at your temperature and at T = 1 (the model's own belief)."
    ),
    "surprise_help": "Surprise is -log2 p(grey drawn) under T = 1, in bits: 0 means certain, 2 is a blind guess.",
    "bits_help": (
        "Bits per generated pixel: the model's mean surprise (at T = 1) at the pixels it drew, given the garment "
        "asked; your kept pixels are not counted. 2 is pure guessing among 4 greys; completing test garments "
        "at T = 1, the plain model scores about 0.4."
    ),
    "field_help": (
        "Coloured cells: the pixels this prediction can see (its receptive field), brighter where they weigh "
        "more. Pixel (0, 0) sees nothing: nothing comes before it."
    ),
    "blind_spot_help": (
        "The plain PixelCNN leaves a blind spot up and to the right: pixels it may look at, "
        "but that its stacked masks never reach. Its reach is short too: each layer adds one pixel, so near "
        "the bottom of the image the top rows are out of sight."
    ),
    "branch_help": (
        "Resample from here keeps every pixel before the inspected one and redraws it and all that follow, "
        "with the next seed; Back to previous returns to the result before."
    ),
    "gallery_help": "Four completions of the same rows, with seeds seed, seed+1, ...; pick one to play it.",
    "masks_help_a": (
        "Mask A (first layer): the network may look at every pixel above and at the pixels to the left in the "
        "current row, but not at the centre pixel: that is the one it must predict."
    ),
    "masks_help_b": (
        "Mask B (every later layer): the same, but the centre is allowed, because after the first layer the "
        "centre only carries information from earlier pixels."
    ),
    "masks_pick_help": (
        "Click a cell of a receptive-field picture (or focus it with Tab and use the arrow keys) to pick the "
        "pixel whose field is shown; the red square is that pixel."
    ),
    "gated_help": (
        "The gated PixelCNN has two stacks: a vertical one that looks at the rows above, and a horizontal one "
        "that looks at the pixels to the left. Added together they leave no hole: every earlier pixel counts, "
        "so it has no blind spot, and its layers reach across the whole 16x16 image."
    ),
    "mask_caption": "Mask {name} ({k}x{k})",
    "scale_low": "unseen",
    "scale_high": "strongest influence",
    "scale_little": "seen a little",
    "mask_seen": "the layer reads this pixel",
    "mask_hidden": "hidden from it",
    # -- page: controls
    "palette": "Grey to paint",
    "level_0": "black",
    "level_1": "dark grey",
    "level_2": "light grey",
    "level_3": "white",
    "undo": "Undo stroke",
    "clear": "Clear",
    "test_image": "Test image",
    "use_test_image": "Use",
    "upload": "Upload a picture",
    "kept_rows": "Rows to keep",
    "model": "Model",
    "garment": "Garment",
    "any_garment": "Any",
    "temperature": "Temperature",
    "seed": "Seed",
    "random_seed": "Random seed",
    "generate": "Generate",
    "four": "4 side by side",
    "play": "Play",
    "pause": "Pause",
    "back": "One pixel back",
    "forward": "One pixel forward",
    "to_end": "Jump to the end",
    "timeline": "Timeline",
    "speed": "Speed (pixels a second)",
    "resample": "Resample from here",
    "previous": "Back to previous",
    "show_field": "Show what it sees",
    "live_paint": "Complete as I paint (after a first Generate)",
    "save_png": "Save PNG",
    "save_gif": "Save GIF",
    "copy_link": "Copy link",
    "link_copied": "Link copied: whoever opens it sees this picture, computed again in their page, and this tab.",
    "link_copy_by_hand": "This browser did not let the page copy: the link is selected below, copy it (Ctrl+C).",
    "link_label": "Link to this picture",
    "link_broken": (
        "This link could not be read (its \u201c{part}\u201d is damaged or out of range): the page opened as usual."
    ),
    "link_unreadable": "This link could not be read (too long, or a part given twice): the page opened as usual.",
    "bars_t": "at T = {temperature}",
    "whatif": "What if the temperature were",
    "whatif_note": (
        "The red bars are what this pixel would have been drawn from at T = {temperature}; the picture is unchanged."
    ),
    "hole_mode": "Paint a hole",
    "hole_mode_off": "Back to kept rows",
    "hole_start": "Mark the cells to fill: click a cell, or drag a rectangle; then press Generate.",
    "hole_help": (
        "Paint a hole: the model fills only the marked cells, in reading order, and keeps every other pixel. "
        "Point at a filled cell afterwards: the known pixels after it (crossed out) never entered its prediction."
    ),
    "hole_unused": (
        "{count} known pixels after this one (crossed out) were not used: the model reads in order, so each pixel "
        "is drawn only from the pixels before it, never from those below it or to its right."
    ),
    "hole_blind": (
        "{count} known pixels before it (ringed in blue) were not used either: they sit in this model's blind spot, "
        "up and to the right, where its stacked masks let nothing through (the gated model has no blind spot)."
    ),
    "bars_t1": "at T = 1",
    "pixel": "Row {row}, column {col}: drew {level}",
    "surprise": "Surprise: {bits} bits (under T = 1)",
    "load": "Play this one",
    "pick_pixel": "Pixel to inspect: row {row}, column {col}",
    "gallery_caption": "seed {seed}",
    "sample_option": "{index}: {garment}",
    "garments": [
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ],  # the FashionMNIST classes, in their order (pixelcnn.data.CLASS_NAMES)
    # -- page: status lines
    "status_idle": "Paint, then press Generate.",
    "status_stale": "The settings changed since this picture was drawn: press Generate to draw with them.",
    "status_preview": (
        "The model's completion of your painting (seed {seed}), kept up as you paint: press Generate to play it."
    ),
    "status_waiting": "Computing the completion...",
    "status_no_answer": "No answer came from the server; press Generate to ask again.",
    "status_playing": "{model}, seed {seed}: pixel {step} of {steps}",
    "status_paused": "{model}, seed {seed}: paused at pixel {step} of {steps}",
    "status_done": "Done: {model}, seed {seed}, {bits} bits per generated pixel.",
    # after Resample from here (a pixel past a row's start): the pixels counted are those redrawn
    "status_playing_from": "{model}, seed {seed}, redrawn from row {row}, column {col}: pixel {step} of {steps}",
    "status_paused_from": (
        "{model}, seed {seed}, redrawn from row {row}, column {col}: paused at pixel {step} of {steps}"
    ),
    "status_done_from": (
        "Done: {model}, seed {seed}, {steps} pixels redrawn from row {row}, column {col}: "
        "{bits} bits per generated pixel."
    ),
    "hint_paint": "Click, tap or drag on the grid to paint; keys 0-3 pick a grey; the arrows and Space paint by keys.",
    "hint_inspect": "Click or tap a pixel of the result to inspect it; pick a grey to paint over it.",
    "status_nothing": "Every row is kept: there is nothing to generate.",
    "source_page": "Computed in your browser in {ms} ms: the server was not asked.",
    "source_page_thread": (
        "Computed in your browser in {ms} ms, on the page's own thread (no Web Worker here): the server was not asked."
    ),
    "engine_ready_thread": (
        "The model runs in your browser, on the page's own thread (no Web Worker here): the page may pause while it "
        "computes. Generate asks nothing of the server."
    ),
    "source_server": "Computed by the server.",
    "engine_loading": "The model is loading into your browser; until then the server computes.",
    "engine_ready": "The model runs in your browser: Generate asks nothing of the server.",
    "engine_failed": "The model could not be loaded into your browser: the server computes.",
    "engine_off": "The server computes everything (?engine=off).",
    "engine_kind_wasm": "Engine: WebAssembly with SIMD instructions, compiled from C (demo/engine.c).",
    "engine_kind_js": "Engine: JavaScript (demo/page/engine.js); this browser runs no WebAssembly SIMD.",
    "test_image_note": "Test image {index}: {garment}.",
    "upload_note": (
        "Your picture, read as it is by the training images' rule: laid on black, grey, shrunk smoothly, "
        "then each quarter of the grey scale one level."
    ),
    "upload_framed": (
        "Background removed, garment framed: your photo is read as a light garment on black, cropped and centred "
        "like the training images, then by their rule."
    ),
    "read_as_is": "Read it as it is",
    "read_as_garment": "Read it as a garment",
    "upload_private": "Read on this device: your picture is never sent anywhere.",
    "upload_reader_failed": (
        "The page's picture reader could not be loaded: check the connection, then choose the picture again."
    ),
    "upload_before": "Your picture",
    "upload_after": "Read as a garment",
    "upload_dark_note": (
        "Your picture, turned into 16x16 levels by the training images' rule (laid on black, grey, shrunk smoothly, "
        "each quarter of the grey scale one level), is mostly light, but the garments the network knows are light "
        "on black: press Invert greys to turn it over (Undo stroke undoes it)."
    ),
    "invert": "Invert greys",
    "inverted_note": "Greys inverted: black became white, white became black (Undo stroke undoes it).",
    # -- masks tab: the field layer by layer
    "layers_title": "The field, layer by layer",
    "layers_help": (
        "Which pixels can reach the chosen pixel's prediction after the first k layers, computed exactly from the "
        "masks: a pixel is in the field when a chain of taps, one per layer, leads from it to the chosen pixel. "
        "Click or tap a pixel of this picture to choose it (or use the arrow keys), move the layer slider (or "
        "press L for the next layer), or press Play to add one layer a second."
    ),
    "layers_click_help": (
        "Then Shift-click (or, in 'Why this pixel?' mode, click or tap) an earlier pixel, or move the dashed "
        "square with Shift and the arrow keys and press Enter: the page draws one chain of taps from it to the "
        "chosen pixel, or says why there is none."
    ),
    "layers_model": "Model",
    "layers_layer": "Layers: {layer} of {last}",
    "layers_masks": "Layer {layer}: {masks}",
    "layers_next": "Next layer",
    "layers_mode_pick": "Choose the pixel",
    "layers_mode_why": "Why this pixel?",
    "layers_pixel": "Pixel: row {row}, column {col}",
    "layers_legend_field": "in the field",
    "layers_legend_new": "added by this layer",
    "layers_legend_blind": "blind spot",
    "layers_legend_vertical": "through the vertical stack (rows above)",
    "layers_legend_horizontal": "through the horizontal stack (the row to the left)",
    "layers_legend_union": "their union: the whole field",
    "layers_legend_chosen": "the chosen pixel",
    "layers_chain": "A chain of {count} taps from row {row}, column {col} to the chosen pixel, one per layer:",
    "layers_chain_one": "A chain of one tap from row {row}, column {col} to the chosen pixel, at the first layer:",
    "layers_hop": "layer {layer}: {mask}, from row {source_row}, column {source_col} to row {row}, column {col}",
    "layers_hop_stay": "layer {layer}: {mask}, its centre tap: stays at row {row}, column {col}",
    "layers_mask_size": "{mask} ({rows}x{cols})",
    "layers_hop_stacks": (
        "layer {layer}: {mask}, from {source_stack} at row {source_row}, column {source_col} to {stack} at row {row}, "
        "column {col}"
    ),
    "layers_stack_vertical": "the vertical stack",
    "layers_stack_horizontal": "the horizontal stack",
    "layers_stacks_note": (
        "The vertical stack at row r only holds the rows above r (its first mask hides its own row), so a chain "
        "may pass through it to the right of the chosen pixel, or on its row, without seeing those pixels."
    ),
    "layers_exact": "Exact, after the last layer (from the masks)",
    "layers_measured": "Measured (gradients of the trained network)",
    "layers_measured_help": (
        "A measured field can only be smaller than the exact one: a pixel whose every path runs through "
        "activations that are zero (or whose weights cancel) looks unseen, although a chain of taps reaches it."
    ),
    "page_part_failed": "This part of the page could not be loaded; trying again by itself.",
    "field_failed": "The measured field of {model} could not be loaded; trying again by itself.",
    "field_not_shipped": "No measured field was shipped with {model}.",
    "layers_failed": "The layer view's code could not be loaded; trying again by itself.",
    "layers_blind_help": (
        "Blind spot (outlined): earlier pixels, up and to the right, that no chain of taps reaches, although "
        "pixels higher up in the same column are reached."
    ),
    "mask_name_A": "mask A",
    "mask_name_B": "mask B",
    "mask_name_vertical_A": "vertical mask A",
    "mask_name_vertical_B": "vertical mask B",
    "mask_name_horizontal_A": "horizontal mask A",
    "mask_name_horizontal_B": "horizontal mask B",
    "why_itself": (
        "This is the chosen pixel itself: the first layer's {first_mask} hides its centre, so a prediction never "
        "sees its own pixel."
    ),
    "why_after": (
        "This pixel comes after the chosen one in reading order: the masks never let a prediction see a pixel "
        "that is drawn later."
    ),
    "why_too_high": (
        "Out of reach, too far up: the first layer ({first_mask}) reaches {first} rows up and each later layer "
        "({later_mask}) at most {each} more, so after {layers} layers no chain climbs more than {reach} rows: "
        "nothing above row {limit} is seen. This pixel is in row {source_row}."
    ),
    "why_blind_spot": (
        "Blind spot: no chain of taps reaches here, yet pixels higher up in this column are reached. The first "
        "layer ({first_mask}) reaches {first} columns to the right, but only in the rows above; each later layer "
        "({later_mask}) reaches at most {each} more to the right, and only by climbing a row. So in row "
        "{source_row}, nothing is seen to the right of column {limit}; this pixel is in column {source_col}."
    ),
    "why_too_right": (
        "Out of reach to the right: the first layer ({first_mask}) reaches {first} columns to the right in the "
        "rows above and each later layer ({later_mask}) at most {each} more, so after {layers} layers, in row "
        "{source_row}, nothing is seen to the right of column {limit}. This pixel is in column {source_col}."
    ),
    "why_too_left": (
        "Out of reach to the left: the first layer ({first_mask}) reaches {first} columns to the left and each "
        "later layer ({later_mask}) at most {each} more, so after {layers} layers nothing is seen to the left of "
        "column {limit}. This pixel is in column {source_col}."
    ),
    "why_border": (
        "No chain of taps reaches here without leaving the 16x16 image, and outside it the network holds no "
        "features (its convolutions pad with zeros)."
    ),
    # -- messages for user mistakes (page and API)
    "bad_model": "Unknown model {value}; choose one of {names}.",
    "bad_levels": "levels must be 16 rows of 16 whole numbers from 0 to 3 (0 black ... 3 white).",
    "bad_hole": "hole must be 16 rows of 16 numbers, 1 for a cell to fill and 0 for a cell to keep.",
    "empty_hole": "The hole is empty: mark at least one cell to fill.",
    "bad_pixels": "The pixels to keep must be a whole number from 0 to 256, not {value}.",
    "bad_rows": "Rows to keep must be a whole number from 0 to 16, not {value}.",
    "bad_temperature": "Temperature must be a number from 0 (greedy) to {high}, not {value}.",
    "no_seed": "Give a seed (a whole number).",
    "bad_seed": "The seed must be a whole number from 0 to {high}, not {value}.",
    "bad_row": "The row must be a whole number from 0 to 15, not {value}.",
    "bad_column": "The column must be a whole number from 0 to 15, not {value}.",
    "no_measured": (
        "No measured fields were shipped with the model {model}: write them with `python -m pixelcnn.gradients`."
    ),
    "bad_layer": "The layer must be a whole number from 1 to {last}, not {value}.",
    "bad_label": 'Garment must be "any", a class number from 0 to 9, or one of: {names}; not {value}.',
    "no_classes": 'The model {model} knows no garment classes: leave Garment on "any".',
    "error_title": "Error",
    "warning_title": "Warning",
    "info_title": "Note",
    "close": "Close",
    "download_name": "pixelcnn-seed-{seed}",
    # Gradio's own words for its controls (exactly as Gradio 6.31 writes them in English)
    "gradio_footer": "Gradio footer navigation",
    "gradio_number": "number input for {label}",
    "gradio_range": "range slider for {label}",
    "gradio_reset": "Reset to default value",
    "gradio_more_tabs": "More tabs",
    "body_too_big": "This request is over {most} KB; the app's requests are far smaller (a 16x16 grid).",
    "too_big": "This file is {size} MB; pictures up to {most} MB are read.",
    "upload_too_big": "This upload is over {most} MB; pictures up to {most} MB are read.",
    "upload_slow": "This upload did not arrive whole within {seconds} s: send it again.",
    "upload_files": "An upload may carry {most} files at most: send one picture at a time.",
    "no_snapshots": "No snapshots for the model {value}: choose one of {names}.",
    "bad_epoch": "The epoch must be a number from 0 to {high}, not {value}.",
    "bad_call": "This call does not fit the endpoint ({reason}): send the arguments its API page lists.",
    "extra_arguments": (
        "This call sends {count} values; the endpoint takes {most}: send the arguments its API page lists."
    ),
    "file_url": "Files are not fetched from web addresses: upload the file itself.",
    "file_not_uploaded": "This file was not uploaded to this app: upload it first (gradio_client's handle_file does).",
    "broken_snapshot": "The snapshot of epoch {epoch} cannot be read on this server: choose another epoch.",
    "bad_request": "This request is not one the page sends; reload the page.",
    "no_picture": "No picture was sent: choose a PNG, JPEG, GIF, BMP, TIFF or WebP file.",
    "not_a_picture": "This file is not a picture this app can read: send a PNG, JPEG, GIF, BMP, TIFF or WebP file.",
    "broken_picture": "This picture is damaged or cut short and cannot be read: send the whole file again.",
    "huge_picture": (
        "This picture is {width}x{height} pixels; pictures up to {side}x{side} pixels (or as many pixels in "
        "another shape) are read. Shrink it first."
    ),
    "huge_picture_any": "This picture has more than {limit} million pixels, the most that is read. Shrink it first.",
    "costly_picture_page": (
        "Reading this {width}x{height} picture would take {cost} MB of memory; pictures that take up to {budget} MB "
        "are read. Shrink it first."
    ),
    "tiff_in_page": "This browser cannot read TIFF pictures: save it as PNG or JPEG, then upload that file.",
    "costly_picture": (
        "Reading this {width}x{height} picture would take {cost} MB of the server's memory; pictures up to {budget} MB "
        "are read. Shrink it first."
    ),
    "busy": "The server has many questions waiting: ask again in a moment.",
    "too_many": "{count} requests from your address are waiting: wait for their answers, then ask again.",
    # -- watch it learn
    "tab_learning": "Watch it learn",
    "decimal_point": ".",
    "curve_epoch": "epoch",
    "curve_bits": "bits per pixel (lower is better)",
    "curve_test": "{model}: test images",
    "curve_train": "{model}: training images",
    "learning_help": (
        "The same network saved after 0, 1, 2, 5, ... epochs of training (one epoch: every training image seen "
        "once). The 16 pictures are drawn from scratch with the same seeds at every epoch, so the same random "
        "numbers show how each stage decides. Epoch 0 is the untrained network: about 2 bits per pixel, noise."
    ),
    "learning_curve_help": (
        "Bits per pixel on the training images (dashed) and on the test images (solid), epoch by epoch, on a "
        "logarithmic scale: lower is better. The red line marks the epoch shown; point at an epoch (tap it, or "
        "use the arrow keys) to read its figures, click it (or press Enter) to show it."
    ),
    "learning_model": "Model (this tab's own choice)",
    "learning_epoch": "Epoch",
    "learning_seed": "Seed of the first picture",
    "learning_shown": "{model}, epoch {epoch} (the nearest snapshot): {bits} bits per pixel on the test images.",
    "learning_readout": (
        "{model} at epoch {epoch}: {test} bits per pixel on the test images, {train} on the training images."
    ),
    "learning_loading": "Loading the snapshot of epoch {epoch}…",
    "learning_needs_network": (
        "The snapshot of epoch {epoch} is not loaded yet and needs the network, which cannot be reached now: it "
        "loads by itself once the network is back. Epochs already shown still work."
    ),
    "learning_snapshot_failed": (
        "The snapshot of epoch {epoch} could not be loaded: the page tries again by itself. Epochs already shown "
        "still work."
    ),
    "learning_drawing": "Drawing with the snapshot of epoch {epoch}…",
    "learning_grid": "Complete my grid with this snapshot",
    "learning_samples_alt": (
        "The 16 pictures the {model} drew from scratch at epoch {epoch} of its training, seeds {first} to {last}."
    ),
    "learning_curve_alt": "Learning curves of the models: bits per pixel against epochs, epoch {epoch} marked.",
    "learning_grid_caption": (
        "Your grid completed by the {model} at epoch {epoch} of its training (rows kept: {rows}, seed {seed})."
    ),
    "learning_grid_help": (
        "Your grid from the first tab: its kept rows, completed by the network as it was at that epoch "
        "(the seed above, T = 1)."
    ),
    "learning_plain_note": "A model whose training kept no snapshots shows only its learning curve.",
    "learning_best_note": (
        "The other tabs use each model at its best epoch on images held out from training, which need not "
        "be the last one: a network that trains too long starts to learn its training images by heart."
    ),
    # -- the leaky model (first mask B, broken on purpose)
    "leak_story": (
        "This model is broken on purpose: its first layer uses mask B, so it sees the very pixel it must predict. "
        "In training that pixel is always there, so it learns to copy it: its loss falls to almost 0 bits per "
        "pixel, on the training images and on images it never saw alike (see the learning tab). A perfect score? "
        "Press Generate: from scratch, the pixel it would copy is not drawn yet (it is still black), so it copies "
        "black, and the picture stays blank: it has learned nothing about garments. Now press the button beside "
        "it: the test garment's hidden rows stay under the cover, as in training, and the model gives them back "
        "perfectly, because it reads each answer before giving it. That is why the first layer uses mask A: "
        "a model must never see the pixel it predicts."
    ),
    "leak_teacher": "As in training: complete test image {index} (it reads the answer)",
    "leak_teacher_note": (
        "As in training: test image {index} ({garment}) stays under the cover, and the model reads each pixel "
        "before predicting it. Compare with Generate."
    ),
    "leak_needs_engine": (
        "This completion runs in the page's own engine, which is not loaded: wait a moment, or open the page "
        "without ?engine=off."
    ),
    "mask_leak_caption": "First mask of {model}: mask {name} ({k}x{k}), its centre seen",
    "masks_help_leak": (
        "The leaky model's first layer uses mask B: its centre (magenta) is the pixel being predicted, seen. "
        "Its field then contains that pixel itself from layer 1 on, and it learns to copy it."
    ),
    "layers_legend_leak": "the pixel itself, seen: a leak",
    # -- model names
    "model_pixelcnn": "PixelCNN",
    "model_gated": "Gated PixelCNN",
    "model_leaky": "Leaky PixelCNN (mask B first: broken on purpose)",
    "model_short_leaky": "Leaky PixelCNN",
}
