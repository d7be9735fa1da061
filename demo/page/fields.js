// Which input pixels can reach a pixel's prediction, layer by layer: the page's twin of pixelcnn/field.py,
// computed from a model's wiring as data (`Wiring.to_dict()`: {output, layers: [[{source, target, stack,
// mask_name, mask, anchor}, ...], ...]}), never from names typed here. Names follow the Python one for one
// (spread, Fields.at, chain, whyNot, reaches, unbounded); tests/test_fields_js.py checks both agree on every
// pixel of every shipped model at every depth, and on chains and reasons.
//
// In layer l, stream `target` at pixel (i, j) reads stream `source` at (i + dr, j + dc) for every nonzero tap
// of a mask. Input pixel q reaches pixel p after k layers when a chain of taps, one per layer, leads from q to
// p. A set of inputs is a bit set: `words` 32-bit words per grid position, bit q for input q.
//
// Also the measured fields, shipped beside the weights (pixelcnn/measured.py writes them): readMeasured.

// (dr, dc) of every nonzero tap, in the mask's reading order: the output at (i, j) reads (i + dr, j + dc).
export function offsets(connection) {
  const found = [];
  connection.mask.forEach((row, r) => row.forEach((tap, c) => {
    if (tap) found.push([r - connection.anchor[0], c - connection.anchor[1]]);
  }));
  return found;
}

// The stacks' names, in the order they first appear.
export function stacks(wiring) {
  return [...new Set(wiring.layers.flatMap((layer) => layer.map((c) => c.stack)))];
}

// into[i, j] |= source[i + dr, j + dc] wherever both are inside the height x width grid (zero padding).
function shiftOr(into, source, dr, dc, height, width, words) {
  for (let i = Math.max(0, -dr); i < height - Math.max(0, dr); i++) {
    for (let j = Math.max(0, -dc); j < width - Math.max(0, dc); j++) {
      const to = (i * width + j) * words, from = ((i + dr) * width + j + dc) * words;
      for (let w = 0; w < words; w++) into[to + w] |= source[from + w];
    }
  }
}

// Forward through every layer: start (height x width positions, `words` words each: the inputs at each
// position) -> per depth k = 1..K, a Map "stream|entry stack" -> {stream, entry, reached}: the inputs that
// reach each position of that stream after k layers by a chain whose first hop is a convolution of the entry
// stack.
function spread(layers, start, height, width, words) {
  const states = [];
  let previous = null;
  for (const layer of layers) {
    const state = new Map();
    for (const connection of layer) {
      const sources = previous === null
        ? [[null, start]]
        : [...previous.values()].filter((s) => s.stream === connection.source).map((s) => [s.entry, s.reached]);
      for (const [entry, reached] of sources) {
        const stack = entry === null ? connection.stack : entry;
        const key = `${connection.target}|${stack}`;
        if (!state.has(key)) state.set(key, { stream: connection.target, entry: stack, reached: new Uint32Array(start.length) });
        const into = state.get(key).reached;
        for (const [dr, dc] of offsets(connection)) shiftOr(into, reached, dr, dc, height, width, words);
      }
    }
    states.push(state);
    previous = state;
  }
  return states;
}

const has = (bits, position, words, input) => (bits[position * words + (input >>> 5)] >>> (input & 31)) & 1;

// size x size of false
const grid = (size, cell = () => false) => Array.from({ length: size }, (_, r) => Array.from({ length: size }, (_, c) => cell(r, c)));

// The pixels before (row, col) in raster order, the only ones a prediction may see.
export const before = (size, row, col) => grid(size, (r, c) => r * size + c < row * size + col);

// The exact fields of every pixel at every depth of one wiring on a size x size grid (computed once).
export class Fields {
  constructor(wiring, size) {
    this.wiring = wiring;
    this.size = size;
    this.words = Math.ceil((size * size) / 32);
    const every = new Uint32Array(size * size * this.words); // input p lit at position p only
    for (let p = 0; p < size * size; p++) every[p * this.words + (p >>> 5)] = 1 << (p & 31);
    this.states = spread(wiring.layers, every, size, size, this.words);
  }

  // The fields of pixel (row, col) after 1, 2, ..., K layers: [{layer, field, stacks, blindSpot}], each map
  // size x size of booleans; `stacks` by the stack the chains enter by (a model with more than one stack).
  at(row, col) {
    const names = stacks(this.wiring), size = this.size, position = row * size + col;
    const early = before(size, row, col);
    return this.states.map((state, k) => {
      const byStack = {};
      for (const name of names) {
        const reached = state.get(`${this.wiring.output}|${name}`);
        byStack[name] = grid(size, (r, c) => Boolean(reached && has(reached.reached, position, this.words, r * size + c)));
      }
      const field = grid(size, (r, c) => names.some((name) => byStack[name][r][c]));
      const seenAbove = grid(size, () => false); // a pixel at or above, same column, is seen
      for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) seenAbove[r][c] = field[r][c] || (r > 0 && seenAbove[r - 1][c]);
      const blindSpot = grid(size, (r, c) => seenAbove[r][c] && !field[r][c] && early[r][c]);
      return { layer: k + 1, field, stacks: names.length > 1 ? byStack : {}, blindSpot };
    });
  }
}

// ---- one chain of taps, or why there is none

// Per depth: stream -> the positions (height x width) reached from the one lit input, whatever the entry stack.
function reachedFrom(layers, start, height, width) {
  return spread(layers, start, height, width, 1).map((state) => {
    const byStream = {};
    for (const { stream, reached } of state.values()) {
      const into = byStream[stream] ?? (byStream[stream] = new Uint32Array(height * width));
      reached.forEach((bit, p) => { into[p] |= bit; });
    }
    return byStream;
  });
}

// One chain of taps from input pixel `source` ([row, col]) to (row, col) through the first `depth` layers, one
// hop per layer ({layer, source, target, maskName, mask, tap, sourcePixel, pixel}), or null if there is none.
// Walked back from (row, col), each hop is the shortest tap that still leads to `source`: the chain moves in
// the first layers and stays put in the last ones.
export function chain(wiring, size, row, col, depth, source) {
  const start = new Uint32Array(size * size);
  start[source[0] * size + source[1]] = 1;
  const layers = wiring.layers.slice(0, depth);
  const reached = reachedFrom(layers, start, size, size);
  const at = (k, stream, r, c) => Boolean(reached[k][stream]?.[r * size + c]);
  let stream = wiring.output, pixel = [row, col];
  if (!at(depth - 1, stream, row, col)) return null;
  const hops = [];
  for (let k = depth; k >= 1; k--) {
    let best = null;
    for (const connection of layers[k - 1]) {
      if (connection.target !== stream) continue;
      for (const [dr, dc] of offsets(connection)) {
        const from = [pixel[0] + dr, pixel[1] + dc];
        const inside = from[0] >= 0 && from[0] < size && from[1] >= 0 && from[1] < size;
        const leads = k === 1 ? from[0] === source[0] && from[1] === source[1] : at(k - 2, connection.source, ...from);
        const cost = Math.abs(dr) + Math.abs(dc);
        if (inside && leads && (best === null || cost < best.cost)) best = { cost, connection, dr, dc, from };
      }
    }
    const { connection, dr, dc, from } = best;
    hops.push({ layer: k, source: connection.source, target: stream, maskName: connection.mask_name,
      mask: connection.mask, tap: [connection.anchor[0] + dr, connection.anchor[1] + dc], sourcePixel: from, pixel });
    stream = connection.source;
    pixel = from;
  }
  return hops.reverse();
}

// How far one layer's taps go ("up", "left", "right": to the right in a row above), and the mask that does.
function reach(layer, direction) {
  let best = [0, layer[0].mask_name];
  for (const connection of layer) {
    for (const [dr, dc] of offsets(connection)) {
      const far = { up: -dr, left: -dc, right: dr < 0 ? dc : 0 }[direction];
      if (far > best[0]) best = [far, connection.mask_name];
    }
  }
  return best;
}

// The field of one pixel on a grid with no border: {plane, left}, plane[u][left + dc] true when the input u rows
// up and dc columns to the right reaches the pixel (u = 0..U). The grid is the sums of the layers' largest taps
// in every direction: no chain can leave it.
function unbounded(wiring) {
  const taps = wiring.layers.map((layer) => layer.flatMap(offsets));
  const [up, down, left, right] = [[-1, 0], [1, 0], [-1, 1], [1, 1]].map(([sign, axis]) =>
    taps.reduce((sum, layer) => sum + Math.max(0, Math.max(...layer.map((o) => sign * o[axis]))), 0));
  const height = up + down + 1, width = left + right + 1;
  const start = new Uint32Array(height * width);
  start[down * width + right] = 1; // what it reaches lies at most `up` rows below it and `left` columns right
  const states = reachedFrom(wiring.layers, start, height, width);
  const reached = states[states.length - 1][wiring.output] ?? new Uint32Array(height * width);
  // reached[down + u, right - dc]: the input u rows up, dc columns right of a pixel reaches it
  const plane = Array.from({ length: up + 1 }, (_, u) =>
    Array.from({ length: width }, (_, x) => Boolean(reached[(down + u) * width + width - 1 - x])));
  return { plane, left };
}

// The first layer's reach in `direction` and its mask, the most any later layer adds and its mask.
function reaches(wiring, direction) {
  const [first, firstMask] = reach(wiring.layers[0], direction);
  const later = wiring.layers.length > 1 ? wiring.layers.slice(1).map((layer) => reach(layer, direction)) : [[0, firstMask]];
  const [each, laterMask] = later.reduce((best, r) => (r[0] > best[0] ? r : best));
  return { first, first_mask: firstMask, each, later_mask: laterMask };
}

// Why no chain of taps leads from `source` to (row, col) through `depth` layers: {key, fields} (key: the name
// of a sentence in demo/locales; fields named `*_mask` hold a mask's name), or null if a chain does.
export function whyNot(wiring, size, row, col, depth, source) {
  if (chain(wiring, size, row, col, depth, source) !== null) return null;
  const up = row - source[0], right = source[1] - col;
  if (up === 0 && right === 0) return { key: "why_itself", fields: { first_mask: wiring.layers[0][0].mask_name } };
  if (up < 0 || (up === 0 && right > 0)) return { key: "why_after", fields: {} };
  const layers = { layers: wiring.layers.slice(0, depth), output: wiring.output };
  const { plane, left } = unbounded(layers);
  const rowsUp = Math.max(...plane.flatMap((cells, u) => (cells.some(Boolean) ? [u] : [])));
  const common = { layers: depth, up, source_row: source[0], source_col: source[1] };
  if (up > rowsUp) {
    return { key: "why_too_high", fields: { ...common, ...reaches(layers, "up"), reach: rowsUp, limit: row - rowsUp } };
  }
  const seen = plane[up].flatMap((cell, x) => (cell ? [x - left] : [])); // column offsets seen `up` rows up
  if (right > Math.max(...seen)) {
    const column = left + right;
    const blind = column < plane[0].length && plane.slice(up + 1).some((cells) => cells[column]); // seen higher up
    const onlyUp = layers.layers.every((layer) => layer.every((c) => offsets(c).every(([dr, dc]) => dr !== 0 || dc <= 0)));
    const most = Math.max(...seen);
    return { key: blind && onlyUp ? "why_blind_spot" : "why_too_right",
      fields: { ...common, ...reaches(layers, "right"), reach: most, right, limit: col + most } };
  }
  if (right < Math.min(...seen)) {
    const most = -Math.min(...seen);
    return { key: "why_too_left",
      fields: { ...common, ...reaches(layers, "left"), reach: most, left: -right, limit: col - most } };
  }
  return { key: "why_border", fields: common };
}

// The reason's sentence in one language (`texts`: that language's {key: text}), built as the server builds
// it (demo/layers.py): a field naming a mask is said by that mask's own name in the language.
export function sentence(reason, texts) {
  const named = Object.fromEntries(Object.entries(reason.fields).map(([k, v]) =>
    [k, k.endsWith("_mask") ? texts[`mask_name_${v}`] : v]));
  return texts[reason.key].replace(/\{(\w+)\}/g, (_, name) => String(named[name]));
}

// ---- measured fields (pixelcnn/measured.py): one safetensors file per model, tensor "fields" (H*W, H, W) of
// uint16, each the pixel's influences scaled to 0..1 times the "scale" of the metadata's JSON "measured"; 0 = unseen.

const measuredFiles = new Map(); // URL -> the promise of its fields: each file fetched once by the whole page

// The measured fields at `url` (fetched once, shared by every component that imports this module; a failed fetch
// is forgotten, so asking again tries again).
export function fetchMeasured(url) {
  if (!measuredFiles.has(url)) {
    const fields = fetch(url).then((answer) => {
      if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
      return answer.arrayBuffer();
    }).then(readMeasured);
    fields.catch(() => measuredFiles.delete(url));
    measuredFiles.set(url, fields);
  }
  return measuredFiles.get(url);
}

export function readMeasured(buffer) {
  const view = new DataView(buffer);
  const headerBytes = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, headerBytes)));
  const { dtype, shape, data_offsets: [begin] } = header.fields;
  if (dtype !== "U16" || shape.length !== 3 || shape[0] !== shape[1] * shape[2]) throw new Error("not measured fields");
  const [, height, width] = shape, { scale } = JSON.parse(header.__metadata__.measured);
  const offset = 8 + headerBytes + begin;
  return {
    size: height,
    // (row, col) -> height x width influences in 0..1
    at: (row, col) => Array.from({ length: height }, (_, r) => Array.from({ length: width }, (_, c) =>
      view.getUint16(offset + 2 * (((row * width + col) * height + r) * width + c), true) / scale)),
  };
}
