"""Which input pixels can reach a pixel's prediction, layer by layer, computed exactly from the masks.

`pixelcnn.gradients` measures the field with gradients; this module derives it from the
structure alone. Every model describes its layers as `Connection`s (`model.wiring()`): in layer l,
stream `target` at pixel (i, j) reads stream `source` at (i + dr, j + dc) for every nonzero tap of
a mask. Input pixel q reaches pixel p after k layers when a chain of taps, one per layer, leads from
q to p; nothing else can carry information, and with all-positive weights every such chain does
(the tests check both against brute force).

    plain PixelCNN, pixel X:      layer 1 (mask A)         + 1 block (mask B)
                                  . . . . . . . . .        . . . . . . . . .
                                  . 1 1 1 1 1 1 1 .        1 1 1 1 1 1 1 1 1
                                  . 1 1 1 1 1 1 1 .        1 1 1 1 1 1 1 1 .
                                  . 1 1 1 1 1 1 1 .        1 1 1 1 1 1 1 . .   <- the blind spot:
                                  . 1 1 1 X . . . .        1 1 1 1 X . . . .      up and to the right

A gated model's layers have two stacks; a pixel is counted in the stack its chain enters by (the
convolution of its first hop): the vertical stack brings the rows above, the horizontal stack the
row to the left. Van den Oord et al., 2016b, figure 1.
"""

import functools
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Connection:
    """One convolution of a layer, as the field sees it: which taps carry `source` into `target`."""

    source: str  # the stream read; before the first layer every stream is the image
    target: str  # the stream written
    stack: str  # the stack whose convolution this is ("vertical", "horizontal"; one name for a plain model)
    mask_name: str  # what a person calls the mask ("A", "B", "vertical A", ...)
    mask: np.ndarray  # (kh, kw) 0/1, the kernel's mask as the network holds it
    anchor: tuple[int, int]  # the kernel cell over the output pixel

    @functools.cached_property
    def offsets(self) -> tuple[tuple[int, int], ...]:
        """(dr, dc) of every nonzero tap: the output at (i, j) reads (i + dr, j + dc). Read from the mask once: a chain
        asks for them thousands of times."""
        rows, cols = np.nonzero(self.mask)
        return tuple((int(r) - self.anchor[0], int(c) - self.anchor[1]) for r, c in zip(rows, cols))


@dataclass(frozen=True)
class Wiring:
    """A model's layers as connections; the logits at a pixel read stream `output` there after the last layer."""

    layers: tuple[tuple[Connection, ...], ...]
    output: str

    def stacks(self) -> list[str]:
        return list(dict.fromkeys(c.stack for layer in self.layers for c in layer))

    def to_dict(self) -> dict:
        """Plain JSON data (the page's fields, demo/page/fields.js, read it): {"output", "layers": [[{"source",
        "target", "stack", "mask_name", "mask": rows of 0/1, "anchor": [row, col]}, ...], ...]}."""
        layers = [
            [{**{k: getattr(c, k) for k in ("source", "target", "stack", "mask_name")},
              "mask": (c.mask != 0).astype(int).tolist(), "anchor": [int(a) for a in c.anchor]} for c in layer]
            for layer in self.layers
        ]  # fmt: skip
        return {"output": self.output, "layers": layers}

    @classmethod
    def from_dict(cls, data: dict) -> "Wiring":
        """What `to_dict` wrote (masks come back as 0/1 float32, as the network holds them)."""
        layers = tuple(
            tuple(
                Connection(c["source"], c["target"], c["stack"], c["mask_name"], np.array(c["mask"], np.float32),
                           (int(c["anchor"][0]), int(c["anchor"][1])))
                for c in layer
            )
            for layer in data["layers"]
        )  # fmt: skip
        return cls(layers, data["output"])


def _shift_or(into: np.ndarray, source: np.ndarray, dr: int, dc: int) -> None:
    """into[..., i, j] |= source[..., i + dr, j + dc] wherever both are inside the grid (zero padding)."""
    written, read = _shifted(*source.shape[-2:], dr, dc)
    into[written] |= source[read]


@functools.lru_cache(maxsize=4096)
def _shifted(h: int, w: int, dr: int, dc: int) -> tuple[tuple, tuple]:
    """_shift_or's two windows, (..., rows, columns) slices: where it writes and where it reads."""
    written = (Ellipsis, slice(max(0, -dr), h - max(0, dr)), slice(max(0, -dc), w - max(0, dc)))
    read = (Ellipsis, slice(max(0, dr), h - max(0, -dr)), slice(max(0, dc), w - max(0, -dc)))
    return written, read


def _spread(wiring: Wiring, start: np.ndarray) -> list[dict[tuple[str, str], np.ndarray]]:
    """Forward through every layer: start (N, H, W) bool -> per depth k = 1..K, for each (stream, entry stack),
    (N, H, W) bool: position (i, j) of that stream after k layers is reached from start[n] by a chain of
    taps whose first hop is a convolution of the entry stack."""
    states, previous = [], None
    for layer in wiring.layers:
        state = {}
        for connection in layer:
            sources = (
                {None: start}
                if previous is None
                else {entry: reached for (stream, entry), reached in previous.items() if stream == connection.source}
            )
            for entry, reached in sources.items():
                key = (connection.target, connection.stack if entry is None else entry)
                into = state.setdefault(key, np.zeros_like(start))
                for dr, dc in connection.offsets:
                    _shift_or(into, reached, dr, dc)
        states.append(state)
        previous = state
    return states


@dataclass(frozen=True)
class LayerField:
    """What reaches one pixel after `layer` layers; every map is (H, W) bool."""

    layer: int
    field: np.ndarray  # the union: every input pixel with a chain to the pixel
    stacks: dict[str, np.ndarray]  # by the stack its chains enter by (a model with more than one stack)
    blind_spot: np.ndarray  # outside the field although a pixel higher up in its column is inside


class Fields:
    """The exact fields of every pixel at every depth of one wiring on an H x W grid (computed once)."""

    def __init__(self, wiring: Wiring, size: int):
        self.wiring, self.size = wiring, size
        every = np.eye(size * size, dtype=bool).reshape(size * size, size, size)  # (N = H*W inputs, H, W)
        self._states = _spread(wiring, every)

    def at(self, row: int, col: int) -> list[LayerField]:
        """The fields of pixel (row, col) after 1, 2, ..., K layers."""
        stacks, layers = self.wiring.stacks(), []
        for k, state in enumerate(self._states, start=1):
            by_stack = {s: self._stack(state, s, row, col) for s in stacks}
            field = np.logical_or.reduce(list(by_stack.values()))
            seen_above = np.logical_or.accumulate(field, axis=0)  # a pixel at or above, same column, is seen
            blind = seen_above & ~field & before(self.size, row, col)
            layers.append(LayerField(k, field, by_stack if len(stacks) > 1 else {}, blind))
        return layers

    def _stack(self, state, stack: str, row: int, col: int) -> np.ndarray:
        reached = state.get((self.wiring.output, stack))
        if reached is None:
            return np.zeros((self.size, self.size), dtype=bool)
        return reached[:, row, col].reshape(self.size, self.size)


def sees_itself(wiring: Wiring) -> bool:
    """Whether a pixel's prediction reads the pixel itself: a first layer with its centre tap, as a first mask B has
    (the `leaky` model, broken on purpose). No honest model does; every later layer's centre tap then carries it."""
    return any(c.mask[c.anchor] != 0 for c in wiring.layers[0])


def before(size: int, row: int, col: int) -> np.ndarray:
    """(H, W) bool: the pixels before (row, col) in raster order, the only ones a prediction may see."""
    return (np.arange(size * size) < row * size + col).reshape(size, size)


def layer_fields(model, row: int, col: int) -> list[LayerField]:
    """The exact field of `model`'s prediction at (row, col) after each of its layers (`model`: torch or served,
    anything with `wiring()` and `config`)."""
    return Fields(model.wiring(), model.config.image_size).at(row, col)


# ---- one chain of taps, or why there is none


@dataclass(frozen=True)
class Hop:
    """Layer `layer` carries position `source_pixel` of stream `source` to `pixel` of `target` by tap `tap`."""

    layer: int
    source: str
    target: str
    mask_name: str
    mask: np.ndarray
    tap: tuple[int, int]  # (row, col) of the tap inside the mask
    source_pixel: tuple[int, int]
    pixel: tuple[int, int]


def chain(wiring: Wiring, size: int, row: int, col: int, depth: int, source: tuple[int, int]) -> list[Hop] | None:
    """One chain of taps from input pixel `source` to (row, col) through the first `depth` layers, one hop
    per layer, or None if there is none. Walked back from (row, col), each hop is the shortest tap that still
    leads to `source`: the chain moves in the first layers and stays put in the last ones."""
    start = np.zeros((1, size, size), dtype=bool)
    start[0, source[0], source[1]] = True
    layers = wiring.layers[:depth]
    reached = []  # per depth: stream -> (H, W) reached from `source`, whatever stack the chain entered by
    for state in _spread(Wiring(layers, wiring.output), start):
        reached.append({})
        for (stream, _), r in state.items():
            reached[-1][stream] = reached[-1].get(stream, False) | r[0]
    stream, pixel, hops, nowhere = wiring.output, (row, col), [], np.zeros((size, size), bool)
    if not reached[-1].get(stream, nowhere)[pixel]:
        return None
    for k in range(depth, 0, -1):
        candidates = []
        for connection in layers[k - 1]:
            if connection.target != stream:
                continue
            for dr, dc in connection.offsets:
                at = (pixel[0] + dr, pixel[1] + dc)
                inside = 0 <= at[0] < size and 0 <= at[1] < size
                if inside and (at == source if k == 1 else reached[k - 2].get(connection.source, nowhere)[at]):
                    candidates.append((abs(dr) + abs(dc), connection, (dr, dc), at))
        _, connection, (dr, dc), at = min(candidates, key=lambda c: c[0])
        tap = (connection.anchor[0] + dr, connection.anchor[1] + dc)
        hops.append(Hop(k, connection.source, stream, connection.mask_name, connection.mask, tap, at, pixel))
        stream, pixel = connection.source, at
    return hops[::-1]


@dataclass(frozen=True)
class Reason:
    """Why no chain reaches a pixel: the name of a sentence (demo/locales) and the numbers it needs.

    Fields named `*_mask` hold a mask's name (`Connection.mask_name`), for the page to say in its language."""

    key: str
    fields: dict


def _reach(layer: tuple[Connection, ...], direction: str) -> tuple[int, str]:
    """How far one layer's taps go ("up", "left", "right": to the right in a row above), and the mask that does."""
    best = (0, layer[0].mask_name)
    for connection in layer:
        for dr, dc in connection.offsets:
            far = {"up": -dr, "left": -dc, "right": dc if dr < 0 else 0}[direction]
            best = max(best, (far, connection.mask_name), key=lambda b: b[0])
    return best


def _unbounded(wiring: Wiring) -> tuple[np.ndarray, int]:
    """The field of one pixel on a grid with no border: (plane, left), plane[u, left + dc] True when the
    input u rows up and dc columns to the right reaches the pixel (u = 0..U). The grid is the sums of the
    layers' largest taps in every direction: no chain can leave it."""
    offsets = [[o for c in layer for o in c.offsets] for layer in wiring.layers]
    up, down, left, right = (
        sum(max(0, max(sign * o[axis] for o in layer)) for layer in offsets)
        for sign, axis in ((-1, 0), (1, 0), (-1, 1), (1, 1))
    )
    start = np.zeros((1, up + down + 1, left + right + 1), dtype=bool)
    start[0, down, right] = True  # what it reaches lies at most `up` rows below it and `left` columns right
    states = _spread(wiring, start)
    reached = np.logical_or.reduce([r[0] for (stream, _), r in states[-1].items() if stream == wiring.output])
    # reached[down + u, right - dc]: the input u rows up, dc columns right of a pixel reaches it
    return reached[down : down + up + 1, ::-1], left


def why_not(wiring: Wiring, size: int, row: int, col: int, depth: int, source: tuple[int, int]) -> Reason | None:
    """Why no chain of taps leads from `source` to (row, col) through `depth` layers; None if one does.

    The numbers come from the wiring: each layer's largest taps, and the field on a grid with no border."""
    if chain(wiring, size, row, col, depth, source) is not None:
        return None
    up, right = row - source[0], source[1] - col
    if (up, right) == (0, 0):
        return Reason("why_itself", {"first_mask": wiring.layers[0][0].mask_name})
    if up < 0 or (up == 0 and right > 0):
        return Reason("why_after", {})
    layers = Wiring(wiring.layers[:depth], wiring.output)
    plane, left = _unbounded(layers)
    rows_up = int(np.nonzero(plane.any(axis=1))[0].max())
    common = {"layers": depth, "up": up, "source_row": source[0], "source_col": source[1]}
    if up > rows_up:
        return Reason("why_too_high", {**common, **_reaches(layers, "up"), "reach": rows_up, "limit": row - rows_up})
    seen = np.nonzero(plane[up])[0] - left  # column offsets seen `up` rows up
    if right > seen.max():
        column = left + right
        blind = column < plane.shape[1] and plane[up + 1 :, column].any()  # seen higher up in its column
        only_up = all(dc <= 0 for layer in layers.layers for c in layer for dr, dc in c.offsets if dr == 0)
        key = "why_blind_spot" if blind and only_up else "why_too_right"
        reach = int(seen.max())
        return Reason(
            key, {**common, **_reaches(layers, "right"), "reach": reach, "right": right, "limit": col + reach}
        )
    if right < seen.min():
        reach = int(-seen.min())
        return Reason(
            "why_too_left", {**common, **_reaches(layers, "left"), "reach": reach, "left": -right, "limit": col - reach}
        )
    return Reason("why_border", common)


def _reaches(wiring: Wiring, direction: str) -> dict:
    """The first layer's reach in `direction` and its mask, the most any later layer adds and its mask."""
    first, first_mask = _reach(wiring.layers[0], direction)
    later = [_reach(layer, direction) for layer in wiring.layers[1:]] or [(0, first_mask)]
    each, later_mask = max(later, key=lambda r: r[0])
    return {"first": first, "first_mask": first_mask, "each": each, "later_mask": later_mask}
