"""The GIF the page encodes (demo/page/gif.js, run in node) against the server's (demo.handlers.gif_bytes, its
Python twin), decoded by Pillow: the same number of frames, every frame the same pixels, the same durations and
loop, the first frame the start with the pixels to draw tinted, each later one the trace's pixels drawn so far,
and the last the finished picture, held longest; and the page's file no larger than the server's."""

import base64
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from demo.canvas import GREYS
from demo.handlers import GIF_FRAMES, GIF_LAST_MS, gif_settings
from pixelcnn.figures import PENDING
from tests.test_engine import node
from tests.test_handlers import STRIPES

HARNESS = Path(__file__).resolve().parent / "gif_harness.mjs"
COLOURS = [(g, g, g) for g in GREYS] + [PENDING]  # palette index -> colour: levels 0-3, then "still to draw"


def frames(gif: bytes) -> tuple[list[np.ndarray], list[int], int | None]:
    """Every frame as a (512, 512, 3) picture, as a viewer shows it; each frame's duration; the loop count."""
    image = Image.open(io.BytesIO(gif))
    pictures, durations = [], []
    for index in range(image.n_frames):
        image.seek(index)
        pictures.append(np.asarray(image.convert("RGB")))
        durations.append(image.info["duration"])
    return pictures, durations, image.info.get("loop")


def cells(picture: np.ndarray) -> np.ndarray:
    """(512, 512, 3) -> (16, 16) palette indices, after checking each 32x32 square is one colour."""
    blocks = picture.reshape(16, 32, 16, 32, 3)
    assert (blocks == blocks[:, :1, :, :1]).all(), "a cell of the GIF is not one square of one colour"
    centres = blocks[:, 0, :, 0]
    return np.array([[COLOURS.index(tuple(int(v) for v in rgb)) for rgb in row] for row in centres])


def page_gif(start, trace) -> bytes:
    answer = node({"start": start, "trace": trace, "settings": gif_settings()}, harness=HARNESS)
    return base64.b64decode(answer["gif"])


CASES = {  # (levels, kept rows, hole): 208 pixels (one frame every 2: 105 frames), half, a hole, nothing to draw
    "most": (STRIPES, 3, None),
    "half": (STRIPES, 8, None),
    "hole": (STRIPES, 16, [[int(3 <= r < 6 and 2 <= c < 9) for c in range(16)] for r in range(16)]),
    "none": (STRIPES, 16, None),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_pages_gif_is_the_servers_frame_for_frame(demo_app, case):
    levels, rows, hole = CASES[case]
    asked = ("pixelcnn", levels, rows, 1.0, 5)
    answer = demo_app.fill(*asked[:2], hole, *asked[3:]) if hole else demo_app.complete(*asked)
    trace = answer["trace"]
    page, server = page_gif(levels, trace), demo_app.gif(*asked, hole=hole)
    assert len(page) <= 1.1 * len(server)  # each frame only the cells that changed, as Pillow crops them
    ours, durations, loop = frames(page)
    theirs, their_durations, their_loop = frames(server)
    every = max(1, -(-len(trace) // GIF_FRAMES))  # the frame step: one frame every `every` drawn pixels
    assert len(ours) == len(theirs) == 1 + -(-len(trace) // every)
    assert durations == their_durations and durations[-1] == GIF_LAST_MS and loop == their_loop == 0
    for index, (picture, their_picture) in enumerate(zip(ours, theirs)):
        assert np.array_equal(picture, their_picture), f"frame {index}"
        drawn = min(index * every, len(trace))  # the trace's pixels shown in this frame
        expected = np.array(levels)
        for k, entry in enumerate(trace):
            expected[entry["row"], entry["col"]] = entry["level"] if k < drawn else len(GREYS)
        assert np.array_equal(cells(picture), expected), f"frame {index}"
    assert np.array_equal(cells(ours[-1]), np.array(answer["levels"]))  # ends on the finished picture
