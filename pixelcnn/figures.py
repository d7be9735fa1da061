"""Pictures as RGB arrays (uint8, (H*s, W*s, 3)): level grids, masks, receptive fields, surprise maps.

Plain NumPy (matplotlib for the learning curve), usable from a notebook (`PIL.Image.fromarray(picture)`
or `plt.imshow(picture)`); the "watch it learn" tab shows them.
"""

import numpy as np
from matplotlib import colormaps

HIGHLIGHT = (255, 64, 64)  # the pixel being drawn, or the pixel whose view is shown
PENDING = (40, 60, 110)  # pixels not generated yet
VISIBLE, HIDDEN = (120, 200, 120), (60, 60, 60)  # mask taps
BOUNDARY = (245, 197, 66)  # the line under the kept rows, the page's yellow


def _upscale(rgb: np.ndarray, scale: int, grid: bool) -> np.ndarray:
    """(H, W, 3) -> (H*scale, W*scale, 3), nearest neighbour, with thin dark grid lines."""
    big = rgb.repeat(scale, 0).repeat(scale, 1)
    if grid and scale >= 8:
        big[::scale, :] = big[::scale, :] // 2 + 20
        big[:, ::scale] = big[:, ::scale] // 2 + 20
    return big


def _outline(big: np.ndarray, row: int, col: int, scale: int, colour=HIGHLIGHT, width: int = 2) -> None:
    top, left = row * scale, col * scale
    cell = big[top : top + scale, left : left + scale]
    cell[:width], cell[-width:], cell[:, :width], cell[:, -width:] = colour, colour, colour, colour


def levels_picture(
    levels: np.ndarray,
    num_levels: int = 4,
    scale: int = 16,
    current: tuple[int, int] | None = None,
    pending_from: int | None = None,
    grid: bool = False,
    kept_rows: int | None = None,
) -> np.ndarray:
    """An image of integer levels (H, W): level 0 black, the top level white.

    current: (row, col) outlined in red; pending_from: raster position from which pixels are
    shown as "not generated yet"; kept_rows: a 4-pixel yellow line under them (inside the picture at 0 and H).
    """
    grey = (levels.astype(np.float32) * (255 / (num_levels - 1))).round().astype(np.uint8)
    rgb = np.repeat(grey[..., None], 3, axis=2)
    if pending_from is not None:
        rgb.reshape(-1, 3)[pending_from:] = PENDING
    big = _upscale(rgb, scale, grid)
    if current is not None:
        _outline(big, *current, scale)
    if kept_rows is not None:
        y = min(max(kept_rows * scale, 2), big.shape[0] - 2)
        big[y - 2 : y + 2] = BOUNDARY
    return big


def mask_picture(mask: np.ndarray, scale: int = 32) -> np.ndarray:
    """A causal mask (k, k): green taps are seen, grey are hidden, the centre outlined in red."""
    rgb = np.where(mask[..., None] > 0, np.array(VISIBLE, np.uint8), np.array(HIDDEN, np.uint8)).astype(np.uint8)
    big = _upscale(rgb, scale, grid=True)
    centre = mask.shape[0] // 2
    _outline(big, centre, centre, scale, width=3)
    return big


def heat_picture(values: np.ndarray, scale: int = 16, vmax: float | None = None, cmap: str = "magma") -> np.ndarray:
    """Non-negative values (H, W) as a colour map from 0 to vmax (default: their maximum)."""
    top = float(values.max()) if vmax is None else vmax
    normed = np.clip(values / top, 0, 1) if top > 0 else np.zeros_like(values, dtype=np.float32)
    rgb = (colormaps[cmap](normed)[..., :3] * 255).astype(np.uint8)
    return _upscale(rgb, scale, grid=True)


def receptive_field_picture(field: np.ndarray, row: int, col: int, scale: int = 16) -> np.ndarray:
    """Influence (H, W) of each input pixel on the prediction at (row, col): unseen pixels stay black."""
    seen = np.sqrt(field / field.max()) if field.max() > 0 else field  # sqrt: faint influence stays visible
    big = heat_picture(np.where(field > 0, 0.15 + 0.85 * seen, 0.0), scale, vmax=1.0, cmap="magma")
    _outline(big, row, col, scale)
    return big


def tile_picture(images: np.ndarray, columns: int = 4, scale: int = 6, gap: int = 4) -> np.ndarray:
    """Integer level images (N, H, W) side by side in rows of `columns`, on a grey background."""
    count, height, width = images.shape
    rows = -(-count // columns)
    cell_h, cell_w = height * scale + gap, width * scale + gap
    sheet = np.full((rows * cell_h + gap, columns * cell_w + gap, 3), 128, np.uint8)
    for i, image in enumerate(images):
        top, left = gap + (i // columns) * cell_h, gap + (i % columns) * cell_w
        sheet[top : top + height * scale, left : left + width * scale] = levels_picture(image, scale=scale)
    return sheet


CURVE_LABELS = {  # the axis and legend texts of learning_curve_picture, in English
    "epoch": "epoch",
    "bits": "bits/dim (lower is better)",
    "test": "{model}: test",
    "train": "{model}: train",
    "start": "epoch 0: {bits} ↑",
}


CURVE_FONT = 12  # points at 100 dpi: the legend and axes still about 11 px when a phone shows the picture 340 px wide


def learning_curve_picture(
    curves: dict[str, list[dict]], epoch: int | None = None, labels: dict = CURVE_LABELS, size=(4.8, 4.8)
) -> np.ndarray:
    """Train (dashed) and test (solid) bits/dim per epoch, one colour per model; `epoch` marked by a line.

    curves: model name -> [{"epoch", "train_bpd", "test_bpd"}, ...] as `pixelcnn.snapshots.curve` gives;
    labels: the axis and legend texts (CURVE_LABELS' keys), for a page in another language."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(figsize=size, dpi=100)
    trained = []  # the figures from epoch 1 on, which set the frame: epoch 0's ~2 bits/dim would flatten them
    for (name, history), colour in zip(curves.items(), ("tab:blue", "tab:orange", "tab:green")):
        epochs = [h["epoch"] for h in history]
        axes.plot(epochs, [h["test_bpd"] for h in history], color=colour, label=labels["test"].format(model=name))
        train_label = labels["train"].format(model=name)
        axes.plot(epochs, [h["train_bpd"] for h in history], color=colour, linestyle="--", label=train_label)
        trained += [h[key] for h in history if h["epoch"] > 0 for key in ("test_bpd", "train_bpd")]
    if epoch is not None:
        axes.axvline(epoch, color="tab:red", linewidth=1)
    axes.set_xlabel(labels["epoch"], fontsize=CURVE_FONT)
    axes.set_ylabel(labels["bits"], fontsize=CURVE_FONT - 2)  # a long label, along the plot's height
    axes.tick_params(labelsize=CURVE_FONT - 1)
    axes.set_xscale("symlog", linthresh=1)  # 0 (untrained), then epochs 1, 2, 5, 10, ... spread evenly
    axes.set_xlim(left=-0.1)  # room for the line at epoch 0, off the frame
    last = max((h["epoch"] for history in curves.values() for h in history), default=1)
    ticks = [t for t in (0, 1, 2, 5, 10, 20, 50, 100, 200, 500) if t <= last]
    axes.set_xticks(ticks, [str(t) for t in ticks])
    axes.minorticks_off()
    if trained:  # epoch 0's lines come in from above the frame, their value written at the top
        low, high = min(trained), max(trained)
        axes.set_ylim(low - 0.05 * (high - low), high + 0.05 * (high - low))
        untrained = [h["test_bpd"] for history in curves.values() for h in history if h["epoch"] == 0]
        if untrained and max(untrained) > high:
            bits = f"{max(untrained):.2f}".replace(".", labels.get("point", "."))
            top = high + 0.05 * (high - low)
            axes.annotate(labels["start"].format(bits=bits), (0, top), xytext=(4, -4), textcoords="offset points",
                          va="top", fontsize=CURVE_FONT - 1, color="0.3",
                          bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85})  # fmt: skip
    axes.grid(alpha=0.3)
    # under the plot, one line each: over the curves it hid them, and at 8 points a phone could not read it
    axes.legend(fontsize=CURVE_FONT, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1, frameon=False)
    figure.tight_layout()
    figure.canvas.draw()
    picture = np.asarray(figure.canvas.buffer_rgba())[..., :3].copy()
    plt.close(figure)
    return picture
