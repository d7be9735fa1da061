"""Pictures as RGB arrays (uint8, (H*s, W*s, 3)): level grids, masks, receptive fields, surprise maps.

Plain NumPy (matplotlib's colour maps), usable from a notebook (`PIL.Image.fromarray(picture)` or
`plt.imshow(picture)`). The "watch it learn" tab draws its pictures and curves in the page (demo/page/learning.js).
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
