// The animated GIF of a completion, encoded in the page: the twin of demo/handlers.py's gif_bytes (its frames, size,
// palette and timing, given by the server as data: props.gif). An ES module: the page and node import it alike; no
// DOM, no globals. npm's gifenc (vendored, pinned) writes the file.
//
// The frames: first the picture with the pixels still to draw tinted (the palette's colour after the 4 greys), then
// the drawn pixels appearing in the trace's order, one frame each or, past `mostFrames` pixels, one frame every
// ceil(pixels / mostFrames) pixels (the frame step), the last frame always the finished picture, held longest.
// The palette is the 4 greys and the tint, exactly: every pixel is an index, nothing is quantized.

import { GIFEncoder } from "./vendor/gif.js";

// settings: {size: cells a side, scale: GIF pixels a cell, most_frames, first_ms, frame_ms, last_ms,
//            greys: the 4 greys (0-255), pending: [r, g, b]}

// start: size x size levels (0-3) before the completion; trace: [{row, col, level}] in drawing order
// -> the frames, each a Uint8Array of size * size palette indices (row by row), and each frame's duration in ms
export function gifFrames(start, trace, settings) {
  const { size, most_frames: mostFrames } = settings;
  const pending = settings.greys.length; // the tint: the palette's colour after the greys
  const picture = Uint8Array.from(start.flat());
  for (const { row, col } of trace) picture[row * size + col] = pending;
  const frames = [picture.slice()];
  const every = Math.max(1, Math.ceil(trace.length / mostFrames));
  trace.forEach(({ row, col, level }, i) => {
    picture[row * size + col] = level;
    if ((i + 1) % every === 0 || i + 1 === trace.length) frames.push(picture.slice());
  });
  const durations = frames.map((_, i) => (i === frames.length - 1 ? settings.last_ms : i === 0 ? settings.first_ms
    : settings.frame_ms));
  return { frames, durations };
}

// the GIF's bytes (a Uint8Array): each frame at size * scale pixels a side, looping for ever. After the first, a frame
// is only the rectangle of cells that changed since the one before, at its place; inside it the cells that did not
// change are transparent (the palette's last colour, never drawn) and the frame before stays under it all
// (disposal 1): what a viewer shows is every frame whole, and the file is small (as Pillow's, whose frames it crops
// the same way). Pixels are written with 3-bit codes to start (the palette has 8 colours at most).
const DEPTH = 3; // bits of a palette index
const KEEP = 1; // disposal: the frame stays under the next
// gifenc writes every frame at (0, 0); the GIF format (89a) places a frame by its image descriptor, which follows
// the frame's 8-byte graphic control extension: its left and top (2 bytes each, little-endian) are set after.
const LEFT = 8 + 1; // bytes from a frame's start (after the first) to its left

function changed(before, frame, size) { // the rectangle of cells that differ, {top, left, rows, cols}, or null
  let top = size, left = size, bottom = -1, right = -1;
  for (let cell = 0; cell < frame.length; cell++) {
    if (before[cell] === frame[cell]) continue;
    const row = Math.floor(cell / size), col = cell % size;
    top = Math.min(top, row); bottom = Math.max(bottom, row);
    left = Math.min(left, col); right = Math.max(right, col);
  }
  return bottom < 0 ? null : { top, left, rows: bottom - top + 1, cols: right - left + 1 };
}

export function encodeGif(start, trace, settings) {
  const { size, scale } = settings;
  const palette = [...settings.greys.map((g) => [g, g, g]), settings.pending];
  const clear = palette.length; // the transparent index
  const { frames, durations } = gifFrames(start, trace, settings);
  const gif = GIFEncoder();
  frames.forEach((frame, i) => {
    const before = frames[i - 1];
    // a frame like the one before (none is) would still hold its time: one transparent cell
    const box = !before ? { top: 0, left: 0, rows: size, cols: size }
      : changed(before, frame, size) ?? { top: 0, left: 0, rows: 1, cols: 1 };
    const width = box.cols * scale, height = box.rows * scale;
    const pixels = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      const row = (box.top + Math.floor(y / scale)) * size;
      for (let x = 0; x < width; x++) {
        const cell = row + box.left + Math.floor(x / scale);
        pixels[y * width + x] = before && before[cell] === frame[cell] ? clear : frame[cell];
      }
    }
    const at = gif.bytesView().length;
    gif.writeFrame(pixels, width, height, { palette: i === 0 ? [...palette, [0, 0, 0]] : undefined,
      delay: durations[i], repeat: 0, colorDepth: DEPTH, transparent: i > 0, transparentIndex: clear, dispose: KEEP });
    if (i > 0) {
      const bytes = gif.bytesView();
      const [left, top] = [box.left * scale, box.top * scale];
      bytes.set([left & 255, left >> 8, top & 255, top >> 8], at + LEFT);
    }
  });
  gif.finish();
  return gif.bytes();
}
