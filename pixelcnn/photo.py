"""A photo of a garment -> a grey picture framed as FashionMNIST frames its garments, for the training rule.

FashionMNIST's pictures are product photos turned over: a light garment on black, cropped to the garment,
its longest side filling the frame, centred. A pupil's photo is a garment somewhere on a table, a bed or a
wall, in any colours, or cut out on a transparent background. Read as it is (laid on black, grey, shrunk),
a red pullover on a wooden table is a grey block; so the photo is first brought to FashionMNIST's form:

1. shrink it to at most WORK pixels a side by whole-block averages (the grid at the end has 16);
2. the background: one plane per channel (red, green, blue premultiplied by alpha, and alpha) fitted by
   least squares to the picture's border, then again to the better-fitting half of the border (a garment
   touching the edge, a shadow): a plain colour, a gradient, or transparency;
3. the garment's grey: how far each pixel's colour is from the background there (a distance over the four
   channels), less the background's own spread, scaled so that the garment's bright part is white: light
   on black, whatever the colours (light on dark, dark on light, colour on colour, cut out);
4. the frame: the box of the pixels clearly off the background, in a black square as wide as its longest
   side, centred.

Left as it is (`garment_picture` answers None), read by the training rule as today, bit for bit:
a picture already light on black and square (a FashionMNIST test image saved as PNG), a grid the page saved
(16x16 blocks of its four greys), and a picture where nothing stands out of its background.

The twin, demo/page/photo.js, takes the same steps with the same integer and float64 arithmetic in the same
order, so both give the same bytes (tests/test_photo.py runs both on a set of photos).
"""

import numpy as np

WORK = 512  # pixels a side at most while reading a photo: the grid reads 16
PAGE_GREYS = (0, 85, 170, 255)  # a grid saved by the page holds only these
GRID = 16  # cells a side of the page's grid
BLACK_MOST = 24  # a pixel no further than this from opaque black (in each channel) is black
BLACK_SHARE = 0.25  # a picture whose border is black for at least this share is light on black (FashionMNIST's
#                    test images: 29% at least, the training images 38%, a garment touching the edges)
SQUARE = 0.02  # a picture whose sides differ by less than this share is square
FLOOR = 0.9  # the background's spread: this share of its better-fitting border pixels lie nearer its planes
TOP = 0.99  # white: this share of the garment's pixels lie nearer the background (the 1% above: highlights)


def shrunk(rgba: np.ndarray) -> np.ndarray:
    """(h, w, 4) uint8 -> (h', w', 4) ints, at most WORK a side: the mean of each k x k block (the last ones cut
    short), rounded half up, in integers. Colours are premultiplied by alpha first, so a transparent pixel's colour
    counts for nothing. A picture larger than WORK a side is read a strip of k rows at a time, never copied whole;
    one no larger is premultiplied whole, 32 bytes a pixel (demo.canvas.reading_cost counts them)."""
    height, width = rgba.shape[:2]
    k = -(-max(height, width) // WORK)
    if k == 1:  # small enough already: each pixel is its own block (and one pass, not one per row, 7x faster)
        return premultiplied(rgba)
    cols = np.arange(0, width, k)
    counts = np.diff(cols, append=width)  # (w',) pixels across each block
    out = np.empty((-(-height // k), len(cols), 4), np.int64)
    for i, top in enumerate(range(0, height, k)):
        strip = premultiplied(rgba[top : top + k])  # (k, w, 4)
        sums = np.add.reduceat(strip.sum(0, dtype=np.int64), cols, axis=0)  # (w', 4)
        n = (counts * len(strip))[:, None]
        out[i] = (2 * sums + n) // (2 * n)
    return out


def premultiplied(rgba: np.ndarray) -> np.ndarray:
    """(..., 4) uint8 -> int64, the colours times alpha / 255, rounded half up (in place: one copy, 32 bytes a
    pixel)."""
    values = rgba.astype(np.int64)
    colours = values[..., :3]
    colours *= values[..., 3:]
    colours += 127
    colours //= 255
    return values


def border(height: int, width: int) -> np.ndarray:
    """A (h, w) mask of the picture's outer band, 1/20 of its shorter side wide (at least one pixel)."""
    band = max(1, min(height, width) // 20)
    mask = np.ones((height, width), bool)
    mask[band : height - band, band : width - band] = False
    return mask


def plane(values: np.ndarray, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """Least-squares planes v = a + b x + c y, one per channel, through the points (xs, ys) of values (n, 4), the
    coordinates taken from the picture's middle: (4, 3) coefficients. The sums are whole numbers (exact in float64
    below 2^53, as in JavaScript); the 3x3 normal equations are solved in float64 by Cramer's rule, in the twin's
    order."""
    n, sx, sy = float(len(xs)), float(xs.sum()), float(ys.sum())
    sxx, sxy, syy = float((xs * xs).sum()), float((xs * ys).sum()), float((ys * ys).sum())
    m = ((n, sx, sy), (sx, sxx, sxy), (sy, sxy, syy))

    def det(a):
        return (
            a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
            - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
            + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])
        )

    whole = det(m)
    coefficients = []
    for channel in values.T:
        rhs = (float(channel.sum()), float((channel * xs).sum()), float((channel * ys).sum()))
        if whole == 0:  # all points on one line (a picture one pixel wide): a flat background
            coefficients.append((rhs[0] / n, 0.0, 0.0))
            continue
        swapped = [[[rhs[r] if c == k else m[r][c] for c in range(3)] for r in range(3)] for k in range(3)]
        coefficients.append(tuple(det(s) / whole for s in swapped))
    return np.array(coefficients)


def distance(values: np.ndarray, ys: np.ndarray, xs: np.ndarray, planes: np.ndarray) -> np.ndarray:
    """Euclidean distance over the four channels from each pixel's values (n, 4) to the background there."""
    total = np.zeros(len(xs))
    for c in range(4):
        a, b, d = planes[c]
        total = total + (values[:, c] - (a + b * xs + d * ys)) ** 2
    return np.sqrt(total)


def ranked(values: np.ndarray, share: float) -> float:
    """The value below which `share` of `values` lie (the sorted array's element at floor(share x (n - 1)))."""
    return float(np.sort(values)[int(share * (len(values) - 1))])


def saved_grid(rgba: np.ndarray) -> bool:
    """A grid the page saved, to be read as it is: square, in GRID x GRID blocks each of one of the page's four
    greys, opaque. (A drawing in black and white is not one: it is read as a garment.)"""
    height, width = rgba.shape[:2]
    if height != width or height % GRID or not (rgba[..., 3] == 255).all():
        return False
    grey, k = rgba[..., 0], height // GRID
    if not ((rgba[..., :3] == grey[..., None]).all() and np.isin(grey, PAGE_GREYS).all()):
        return False
    blocks = grey.reshape(GRID, k, GRID, k)
    return bool((blocks == blocks[:, :1, :, :1]).all())


def garment_picture(rgba: np.ndarray) -> np.ndarray | None:
    """A photo (h, w, 4) uint8 RGBA -> the garment light on black, framed, (s, s) uint8 greys; or None when the
    picture is best read as it is (see the module's docstring)."""
    if saved_grid(rgba):
        return None
    values = shrunk(rgba)  # (h, w, 4) ints
    height, width = values.shape[:2]
    ys, xs = np.indices((height, width)).reshape(2, -1) - np.array([[height // 2], [width // 2]])  # from the middle
    flat = values.reshape(-1, 4)
    edge = border(height, width).reshape(-1)
    black = (np.abs(flat[edge] - (0, 0, 0, 255)).max(1) <= BLACK_MOST).mean() >= BLACK_SHARE
    if black and abs(height - width) <= SQUARE * max(height, width):
        return None  # light on black and square, as FashionMNIST's own
    planes = plane(flat[edge], ys[edge], xs[edge])
    spread = distance(flat[edge], ys[edge], xs[edge], planes)
    best = np.flatnonzero(edge)[spread <= ranked(spread, 0.5)]  # the better-fitting half of the border
    planes = plane(flat[best], ys[best], xs[best])
    off = distance(flat, ys, xs, planes)  # (h * w,)
    floor = ranked(off[best], FLOOR)  # noise, texture, what the planes miss
    garment = off > 2 * floor + 16
    if garment.sum() < 4:
        return None  # nothing stands out of the background
    top = ranked(off[garment], TOP)
    greys = np.floor(np.clip((off - floor) * 255 / max(top - floor, 1), 0, 255) + 0.5).astype(np.uint8)  # half up
    greys, garment = greys.reshape(height, width), garment.reshape(height, width)
    rows, cols = garment.sum(1), garment.sum(0)
    rows, cols = np.flatnonzero(rows >= rows.max() / 20), np.flatnonzero(cols >= cols.max() / 20)
    crop = greys[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    side = max(crop.shape)
    framed = np.zeros((side, side), np.uint8)
    top_row, left = (side - crop.shape[0]) // 2, (side - crop.shape[1]) // 2
    framed[top_row : top_row + crop.shape[0], left : left + crop.shape[1]] = crop
    return framed
