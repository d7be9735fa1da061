// A photo of a garment -> a grey picture framed as FashionMNIST frames its garments: the twin of pixelcnn/photo.py
// (read its docstring for the why). Same steps, same names, the same integer and float64 arithmetic in the same
// order, so both give the same bytes (tests/test_photo.py runs both on a set of photos). An ES module: the page
// and node import it alike; no DOM, no globals.
//
// garmentPicture(rgba, width, height): rgba is the picture's bytes, 4 a pixel, row by row (a canvas ImageData's
// data, not premultiplied); the answer is {side, greys} (a side x side Uint8Array, the garment light on black,
// framed), or null when the picture is best read as it is.

export const WORK = 512; // pixels a side at most while reading a photo: the grid reads 16
export const PAGE_GREYS = [0, 85, 170, 255]; // a grid saved by the page holds only these
export const GRID = 16; // cells a side of the page's grid
export const BLACK_MOST = 24; // a pixel no further than this from opaque black (in each channel) is black
export const BLACK_SHARE = 0.25; // a picture whose border is black for at least this share is light on black
export const SQUARE = 0.02; // a picture whose sides differ by less than this share is square
export const FLOOR = 0.9; // the background's spread: this share of its better-fitting border pixels lie nearer its planes
export const TOP = 0.99; // white: this share of the garment's pixels lie nearer the background

// (h, w, 4) bytes -> {values: Int32Array (h' w' 4), height, width}, at most WORK a side: the mean of each k x k
// block (the last ones cut short), rounded half up; colours premultiplied by alpha first.
export function shrunk(rgba, width, height) {
  const k = Math.ceil(Math.max(height, width) / WORK);
  const h = Math.ceil(height / k), w = Math.ceil(width / k);
  const sums = new Float64Array(h * w * 4), counts = new Float64Array(h * w);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4, cell = Math.floor(y / k) * w + Math.floor(x / k), alpha = rgba[at + 3];
      for (let c = 0; c < 3; c++) sums[cell * 4 + c] += Math.floor((rgba[at + c] * alpha + 127) / 255);
      sums[cell * 4 + 3] += alpha;
      counts[cell] += 1;
    }
  }
  const values = new Int32Array(h * w * 4);
  for (let i = 0; i < values.length; i++) {
    const n = counts[i >> 2];
    values[i] = Math.floor((2 * sums[i] + n) / (2 * n));
  }
  return { values, height: h, width: w };
}

// The picture's outer band, 1/20 of its shorter side wide (at least one pixel): its pixels' flat indices, in order.
export function border(height, width) {
  const band = Math.max(1, Math.floor(Math.min(height, width) / 20)), inside = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y < band || y >= height - band || x < band || x >= width - band) inside.push(y * width + x);
    }
  }
  return inside;
}

const det = (a) =>
  a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
  - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
  + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);

// Least-squares planes v = a + b x + c y, one per channel, through the pixels `points` (flat indices) of `values`,
// the coordinates taken from the middle (xs, ys: Int32Array per pixel): [[a, b, c] x 4]. Cramer's rule, as in Python.
export function plane(values, ys, xs, points) {
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
  for (const p of points) {
    n += 1; sx += xs[p]; sy += ys[p];
    sxx += xs[p] * xs[p]; sxy += xs[p] * ys[p]; syy += ys[p] * ys[p];
  }
  const m = [[n, sx, sy], [sx, sxx, sxy], [sy, sxy, syy]];
  const whole = det(m), coefficients = [];
  for (let c = 0; c < 4; c++) {
    const rhs = [0, 0, 0];
    for (const p of points) {
      const v = values[p * 4 + c];
      rhs[0] += v; rhs[1] += v * xs[p]; rhs[2] += v * ys[p];
    }
    if (whole === 0) { // all points on one line (a picture one pixel wide): a flat background
      coefficients.push([rhs[0] / n, 0, 0]);
      continue;
    }
    const swapped = [0, 1, 2].map((k) => m.map((row, r) => row.map((entry, col) => (col === k ? rhs[r] : entry))));
    coefficients.push(swapped.map((s) => det(s) / whole));
  }
  return coefficients;
}

// Euclidean distance over the four channels from each pixel of `points` to the background there: a Float64Array.
export function distance(values, ys, xs, points, planes) {
  const out = new Float64Array(points.length);
  points.forEach((p, i) => {
    let total = 0;
    for (let c = 0; c < 4; c++) {
      const [a, b, d] = planes[c];
      const off = values[p * 4 + c] - (a + b * xs[p] + d * ys[p]);
      total = total + off * off;
    }
    out[i] = Math.sqrt(total);
  });
  return out;
}

// The value below which `share` of `values` lie (the sorted values' element at floor(share x (n - 1))).
export function ranked(values, share) {
  return Float64Array.from(values).sort()[Math.floor(share * (values.length - 1))];
}

// A grid the page saved, to be read as it is: square, in GRID x GRID blocks each of one of the page's four greys,
// opaque. (A drawing in black and white is not one: it is read as a garment.)
export function savedGrid(rgba, width, height) {
  if (height !== width || height % GRID) return false;
  const k = height / GRID;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4, grey = rgba[at], corner = rgba[(y - (y % k)) * width * 4 + (x - (x % k)) * 4];
      if (rgba[at + 3] !== 255 || rgba[at + 1] !== grey || rgba[at + 2] !== grey) return false;
      if (!PAGE_GREYS.includes(grey) || grey !== corner) return false;
    }
  }
  return true;
}

export function garmentPicture(rgba, width, height) {
  if (savedGrid(rgba, width, height)) return null;
  const { values, height: h, width: w } = shrunk(rgba, width, height);
  const ys = new Int32Array(h * w), xs = new Int32Array(h * w);
  for (let p = 0; p < h * w; p++) {
    ys[p] = Math.floor(p / w) - Math.floor(h / 2); // from the middle
    xs[p] = (p % w) - Math.floor(w / 2);
  }
  const edge = border(h, w);
  let blacks = 0;
  for (const p of edge) {
    const far = Math.max(values[p * 4], values[p * 4 + 1], values[p * 4 + 2], Math.abs(values[p * 4 + 3] - 255));
    if (far <= BLACK_MOST) blacks += 1;
  }
  if (blacks / edge.length >= BLACK_SHARE && Math.abs(h - w) <= SQUARE * Math.max(h, w)) return null; // as FashionMNIST's
  const spread = distance(values, ys, xs, edge, plane(values, ys, xs, edge));
  const half = ranked(spread, 0.5);
  const best = edge.filter((p, i) => spread[i] <= half); // the better-fitting half of the border
  const planes = plane(values, ys, xs, best);
  const everywhere = Array.from({ length: h * w }, (_, p) => p);
  const off = distance(values, ys, xs, everywhere, planes);
  const floor = ranked(best.map((p) => off[p]), FLOOR); // noise, texture, what the planes miss
  const garment = [];
  for (let p = 0; p < off.length; p++) if (off[p] > 2 * floor + 16) garment.push(p);
  if (garment.length < 4) return null; // nothing stands out of the background
  const top = ranked(garment.map((p) => off[p]), TOP);
  const scale = Math.max(top - floor, 1);
  const greys = off.map((o) => Math.floor(Math.min(Math.max(((o - floor) * 255) / scale, 0), 255) + 0.5));
  const rowCounts = new Array(h).fill(0), colCounts = new Array(w).fill(0);
  for (const p of garment) {
    rowCounts[Math.floor(p / w)] += 1;
    colCounts[p % w] += 1;
  }
  const spanned = (counts) => {
    const most = Math.max(...counts), kept = [];
    counts.forEach((count, i) => { if (count >= most / 20) kept.push(i); });
    return [kept[0], kept[kept.length - 1]];
  };
  const [top0, bottom] = spanned(rowCounts), [left0, right] = spanned(colCounts);
  const cropH = bottom - top0 + 1, cropW = right - left0 + 1, side = Math.max(cropH, cropW);
  const framed = new Uint8Array(side * side);
  const down = Math.floor((side - cropH) / 2), across = Math.floor((side - cropW) / 2);
  for (let r = 0; r < cropH; r++) {
    for (let c = 0; c < cropW; c++) framed[(down + r) * side + across + c] = greys[(top0 + r) * w + left0 + c];
  }
  return { side, greys: framed };
}
