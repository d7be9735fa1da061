// The one quantization rule, in the page: a grey picture -> size x size levels, as the training data was made.
// The twin of pixelcnn/rule.py, line for line: antialiased bilinear shrink (a triangle stretched over the shrink
// factor), along the rows then along the columns, float64 throughout (JavaScript's numbers), every sum taken tap by
// tap in increasing order (the columns first for a picture taller than wide, as Python); then level =
// floor(levels * x), at most levels - 1. Same levels as Python, bit for bit
// (tests/test_rule.py runs both on every FashionMNIST image).

// The filter from `source` samples to `target`: for each output, its first input and its normalised weights.
export function filterTaps(source, target) {
  const scale = source / target;
  const support = scale >= 1 ? scale : 1; // the triangle's half-width, in input samples
  const stretch = scale >= 1 ? 1 / scale : 1;
  const starts = [], weights = [];
  for (let i = 0; i < target; i++) {
    const centre = scale * (i + 0.5);
    const first = Math.max(Math.trunc(centre - support + 0.5), 0); // truncation toward zero, as C++'s cast
    const last = Math.min(Math.trunc(centre + support + 0.5), source);
    const row = [];
    for (let j = 0; j < last - first; j++) row.push(Math.max(0, 1 - Math.abs((j + first - centre + 0.5) * stretch)));
    let total = 0;
    for (const w of row) total += w;
    starts.push(first);
    weights.push(total !== 0 ? row.map((w) => w / total) : row);
  }
  return { starts, weights };
}

// x: Float64Array of h * w values (row by row) -> Float64Array of h * target, each row shrunk to `target`.
function shrinkRows(x, h, w, target) {
  const { starts, weights } = filterTaps(w, target);
  const out = new Float64Array(h * target);
  for (let r = 0; r < h; r++) {
    for (let i = 0; i < target; i++) {
      let sum = 0;
      const row = weights[i];
      for (let tap = 0; tap < row.length; tap++) sum += row[tap] * x[r * w + starts[i] + tap];
      out[r * target + i] = sum;
    }
  }
  return out;
}

// x: h * w values -> target * w, each column shrunk to `target`.
function shrinkColumns(x, h, w, target) {
  const { starts, weights } = filterTaps(h, target);
  const out = new Float64Array(target * w);
  for (let i = 0; i < target; i++) {
    const column = weights[i];
    for (let c = 0; c < w; c++) {
      let sum = 0;
      for (let tap = 0; tap < column.length; tap++) sum += column[tap] * x[(starts[i] + tap) * w + c];
      out[i * w + c] = sum;
    }
  }
  return out;
}

// greys: h * w numbers (row by row) from 0 (black) to `white` -> levels, an array of `size` rows of `size` integers.
export function toLevels(greys, h, w, white = 255, size = 16, levels = 4) {
  const x = new Float64Array(h * w);
  for (let p = 0; p < h * w; p++) x[p] = greys[p] / white;
  const small = h > w
    ? shrinkRows(shrinkColumns(x, h, w, size), size, w, size) // taller than wide: along each column first
    : shrinkColumns(shrinkRows(x, h, w, size), h, size, size);
  const rows = [];
  for (let r = 0; r < size; r++) {
    const row = [];
    for (let c = 0; c < size; c++) row.push(Math.min(Math.max(Math.floor(small[r * size + c] * levels), 0), levels - 1));
    rows.push(row);
  }
  return rows;
}
