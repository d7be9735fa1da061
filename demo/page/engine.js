// The PixelCNN engine of the page: both shipped models, computed in the browser (or in node, for the tests).
//
// One file, no framework: the layers are plain loops over flat Float32Arrays, in the spirit of llama2.c's run.c.
// It is the twin of the Python samplers and reads like them, name for name:
//   draw                          pixelcnn/drawing.py (draw); the uniforms come from ./rng.js (pixelcnn/rng.py)
//   Dense, dense, relu, gate      pixelcnn/numpy_layers.py (Dense, dense, relu, gate, sigmoid)
//   IncrementalStepper            pixelcnn/incremental.py (IncrementalStepper, BlockLayers)
//   GatedStepper                  pixelcnn/gated_incremental.py (GatedStepper, GatedLayerWeights, layer_weights)
//   keptCells, Completion, trace  pixelcnn/drawing.py (kept_cells, PixelLoop, trace), plus a memory: a
//                                 Completion asked again steps only from the first pixel that changed
//   Answers                       demo/handlers.py's answers to the page's questions (complete, gallery)
// Levels are plain arrays of rows, (H, W) integers 0..L-1.
// tests/test_engine.py runs this file in node and checks the logits at every step and the images drawn
// against Python's. One image at a time (batch 1): the shapes below drop Python's leading B.
//
// The weights come from one float32 safetensors file per model, written by pixelcnn/export.py from weights/:
// the Python stepper's matrices, masks applied, as (outputs, inputs) rows, so a layer is
// out = weight @ x + bias, the masked taps of a convolution in the order (row, column, channel).
//
// The incremental cache (why a whole image costs about one forward pass, not 256): every activation at
// raster position q depends only on pixels before q. When pixel p is about to be drawn, the activations of
// every layer at p are final; a step computes only those, reading the lower layer's cached activations in
// the kernel's window (all at positions <= p, computed at earlier steps), and writes its own into the cache.

import { uniform } from "./rng.js";

// ---- the one drawing rule (pixelcnn/drawing.py's draw): logits (L,) -> the level, and probs (L,) filled

function draw(logits, temperature, u, probs) {
  const L = logits.length;
  if (temperature <= 0) { // the argmax, the first one on a tie (numpy's argmax)
    let best = 0;
    for (let l = 1; l < L; l++) if (logits[l] > logits[best]) best = l;
    for (let l = 0; l < L; l++) probs[l] = l === best ? 1 : 0;
    return best;
  }
  const t = Math.max(temperature, 1e-6);
  let max = -Infinity, sum = 0;
  for (let l = 0; l < L; l++) max = Math.max(max, logits[l] / t);
  for (let l = 0; l < L; l++) sum += (probs[l] = Math.exp(logits[l] / t - max));
  for (let l = 0; l < L; l++) probs[l] /= sum;
  let cumulative = 0; // the first level whose cumulative probability exceeds u (the last if rounding leaves none)
  for (let l = 0; l < L - 1; l++) if (u < (cumulative += probs[l])) return l;
  return L - 1;
}

function softmax(logits) { // probabilities at T = 1, float64
  const probs = new Float64Array(logits.length);
  draw(logits, 1, 0, probs);
  return probs;
}

// ---- layers (pixelcnn/numpy_layers.py)

// A convolution read at one position (numpy_layers.Dense): out (C_out,) = weight (C_out, C_in) @ x (C_in,) +
// bias (C_out,), x the window's taps in (row, column) order, channels fastest. The weight is Python's transposed
// (export.py writes rows), so call(x, out) is llama2.c's matmul. Four running sums per row let the processor
// overlap the multiplications (about 1.6x faster in V8, measured).
class Dense {
  constructor(weight, bias) {
    this.weight = weight; // (C_out, C_in)
    this.bias = bias; // (C_out,)
  }

  call(x, out) { // Python's Dense.__call__, into out (C_out,)
    const { bias, weight } = this, n = bias.length, m = x.length;
    for (let o = 0; o < n; o++) {
      const row = o * m;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
      for (; i + 3 < m; i += 4) {
        s0 += x[i] * weight[row + i];
        s1 += x[i + 1] * weight[row + i + 1];
        s2 += x[i + 2] * weight[row + i + 2];
        s3 += x[i + 3] * weight[row + i + 3];
      }
      for (; i < m; i++) s0 += x[i] * weight[row + i];
      out[o] = bias[o] + (s0 + s1) + (s2 + s3);
    }
    return out;
  }

  // The layer read at `count` positions at once (a row's columns): x (count, C_in) -> out (count, C_out). Two
  // outputs for four positions at a time: each weight read serves four positions, each input two outputs. Measured in
  // node on the gated model's layer shapes: 2.4x faster than `count` calls; a whole gated image 1.65x faster.
  callMany(x, count, out) {
    const { bias, weight } = this, n = bias.length, m = weight.length / n;
    let p = 0;
    for (; p + 3 < count; p += 4) {
      const x0 = p * m, x1 = x0 + m, x2 = x1 + m, x3 = x2 + m;
      for (let o = 0; o < n; o += 2) {
        const second = o + 1 < n, ra = o * m, rb = second ? ra + m : ra; // an odd last output is computed twice
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        for (let i = 0; i < m; i++) {
          const wa = weight[ra + i], wb = weight[rb + i];
          const y0 = x[x0 + i], y1 = x[x1 + i], y2 = x[x2 + i], y3 = x[x3 + i];
          a0 += y0 * wa; a1 += y1 * wa; a2 += y2 * wa; a3 += y3 * wa;
          b0 += y0 * wb; b1 += y1 * wb; b2 += y2 * wb; b3 += y3 * wb;
        }
        out[p * n + o] = bias[o] + a0;
        out[(p + 1) * n + o] = bias[o] + a1;
        out[(p + 2) * n + o] = bias[o] + a2;
        out[(p + 3) * n + o] = bias[o] + a3;
        if (!second) continue;
        out[p * n + o + 1] = bias[o + 1] + b0;
        out[(p + 1) * n + o + 1] = bias[o + 1] + b1;
        out[(p + 2) * n + o + 1] = bias[o + 1] + b2;
        out[(p + 3) * n + o + 1] = bias[o + 1] + b3;
      }
    }
    for (; p < count; p++) this.call(x.subarray(p * m, (p + 1) * m), out.subarray(p * n, (p + 1) * n));
    return out;
  }
}

// The layer `name` of the weights file as a Dense (numpy_layers.dense: there from the PyTorch kernel; here the
// export has already masked, flattened and scaled it).
const dense = (tensors, name) => new Dense(tensors[name + ".weight"], tensors[name + ".bias"]);

function relu(x) { // in place: x (n,) -> max(x, 0)
  for (let i = 0; i < x.length; i++) if (x[i] < 0) x[i] = 0;
  return x;
}

// The rows x cols x channels window of a channels-last map (its rows width cells wide) whose top-left
// cell is (row, col), copied into out in (row, column, channel) order: Python's window.reshape(-1).
function windowAt(map, width, channels, row, col, rows, cols, out) {
  for (let r = 0, k = 0; r < rows; r++) {
    const begin = ((row + r) * width + col) * channels;
    out.set(map.subarray(begin, begin + cols * channels), k);
    k += cols * channels;
  }
  return out;
}

const tanh = Math.tanh;
const sigmoid = (x) => 0.5 * (1 + Math.tanh(0.5 * x)); // the logistic function, without overflow (as Python's)

// gate: pre (2C,) -> tanh(first half) * sigmoid(second half), into out (C,)
function gate(pre, out) {
  const half = out.length;
  for (let c = 0; c < half; c++) out[c] = tanh(pre[c]) * sigmoid(pre[half + c]);
  return out;
}

// ---- the weights file: safetensors (8-byte header length, a JSON header, then the float32 data)

// A snapshot's file (export.py's export_snapshot) keeps its weights int8, one row per output: NAME (int8) with
// scale:NAME (float32, a scale per row) and perhaps fold:NAME (a factor the stepper folds in), dequantized here as
// Python computes them: each product rounded once to float32 (a Float32Array's store rounds).
function readWeights(buffer) {
  const length = Number(new DataView(buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, length)));
  const stored = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const [begin, end] = info.data_offsets, bytes = buffer.slice(8 + length + begin, 8 + length + end);
    stored[name] = info.dtype === "I8" ? new Int8Array(bytes) : new Float32Array(bytes);
  }
  const tensors = {};
  for (const [name, value] of Object.entries(stored)) {
    if (name.includes(":")) continue; // a scale or fold of an int8 tensor
    if (!(value instanceof Int8Array)) tensors[name] = value;
    else {
      const scale = stored[`scale:${name}`], fold = stored[`fold:${name}`], row = value.length / scale.length;
      const weights = (tensors[name] = new Float32Array(value.length));
      for (let i = 0; i < value.length; i++) {
        weights[i] = value[i] * scale[Math.floor(i / row)];
        if (fold) weights[i] *= fold[0];
      }
    }
  }
  return { config: JSON.parse(header.__metadata__.config), tensors };
}

// ---- the plain PixelCNN (pixelcnn/model.py), stepped as pixelcnn/incremental.py's IncrementalStepper

class IncrementalStepper {
  // Steps from pixel 0 on (Python's start = 0: no PyTorch prefill here, the kept pixels are stepped through like
  // the others).
  // peek: the pixel itself is read from the levels given (teacher forcing, as in training: see teacherForced), not
  // taken as 0; only a first mask B (the leaky model) reads it.
  constructor(model, label = null, peek = false) {
    const { config, tensors } = model;
    this.width = config.image_size;
    this.leaks = config.first_mask === "B"; // the first layer sees the pixel itself (the leaky model)
    this.peek = peek;
    this.r1 = config.first_kernel >> 1;
    this.rb = config.block_kernel >> 1;
    this.first = dense(tensors, "first"); // (r1 + 1) * k1 taps of the image -> F; the 1/(L-1) scaling folded in
    this.blocks = [];
    for (let i = 0; i < config.blocks; i++) {
      const name = `blocks.${i}.`;
      this.blocks.push({ // BlockLayers
        reduce: dense(tensors, name + "reduce"), // 1x1, F -> F/2
        masked: dense(tensors, name + "masked"), // (rb + 1) x kb window of F/2 -> F/2, masked B
        expand: dense(tensors, name + "expand"), // 1x1, F/2 -> F
      });
    }
    this.head = [];
    for (let i = 0; i < config.head_layers; i++) this.head.push(dense(tensors, `head.${i}`)); // F -> F
    this.out = dense(tensors, "out"); // F -> L
    const { r1, rb, width } = this, height = width, filters = config.filters, half = filters >> 1;
    // The inputs of the spatial convolutions, zero-padded above, left and right (never below: a window
    // stops at the centre row): the raw levels, and each block's reduced features.
    this.image = new Float32Array((height + r1) * (width + 2 * r1)); // (H + r1, W + 2 r1)
    // (H + rb, W + 2 rb, F/2) per block
    this.caches = this.blocks.map(() => new Float32Array((height + rb) * (width + 2 * rb) * half));
    // scratch, reused by every step
    this.firstWindow = new Float32Array((r1 + 1) * (2 * r1 + 1));
    this.blockWindow = new Float32Array((rb + 1) * (2 * rb + 1) * half);
    this.h = new Float32Array(filters);
    this.hNext = new Float32Array(filters);
    this.reduced = new Float32Array(half);
    this.masked = new Float32Array(half);
    this.expanded = new Float32Array(filters);
    this.logitsOut = new Float32Array(config.levels);
  }

  // The image cache at (row, col), before its features: the pixel before enters it (the leaky model's features there
  // recomputed: they saw it as 0), and the pixel itself is 0, not drawn yet, or its true level when peeking (mask A
  // never reads it).
  enter(levels, row, col) {
    const { r1, width } = this, previous = row * width + col - 1;
    if (previous >= 0) { // the pixel drawn at the last step enters the image cache
      const prow = Math.floor(previous / width), pcol = previous % width;
      this.image[(prow + r1) * (width + 2 * r1) + pcol + r1] = levels[prow][pcol];
      if (this.leaks && !this.peek) this.features(prow, pcol); // its activations saw it as 0: now its level
    }
    this.image[(row + r1) * (width + 2 * r1) + col + r1] = this.peek ? levels[row][col] : 0;
  }

  // The features (F,) under the head at (row, col), from the image cache; each block's reduced features there enter
  // its cache (Python's features). Without `head` (a kept pixel: its logits are not asked), nothing: the last
  // block's output feeds only the head.
  features(row, col, head = true) {
    const { r1, rb, width } = this, half = this.reduced.length;
    let window = windowAt(this.image, width + 2 * r1, 1, row, col, r1 + 1, 2 * r1 + 1, this.firstWindow); // (r1+1, k1)
    const h = relu(this.first.call(window, this.h)); // (F,)
    for (let i = 0; i < this.blocks.length; i++) {
      const block = this.blocks[i], cache = this.caches[i];
      cache.set(relu(block.reduce.call(h, this.reduced)), ((row + rb) * (width + 2 * rb) + col + rb) * half); // (F/2,)
      if (!head && i + 1 === this.blocks.length) return null;
      // the (rb + 1, kb, F/2) window of the reduced features, up to this pixel
      window = windowAt(cache, width + 2 * rb, half, row, col, rb + 1, 2 * rb + 1, this.blockWindow);
      relu(block.expand.call(relu(block.masked.call(window, this.masked)), this.expanded)); // (F,)
      for (let c = 0; c < h.length; c++) h[c] += this.expanded[c]; // the residual
    }
    return h;
  }

  // The caches for positions begin .. end - 1 (kept pixels: no logits, each read at its known level); the next
  // call is for `end`. The pixel before `begin` enters the image too (it may have changed: the leaky model's
  // features there, which read it, are recomputed).
  prefill(levels, begin, end) {
    const { r1, width } = this;
    for (let p = Math.max(begin - 1, 0); p < end; p++) {
      const row = Math.floor(p / width), col = p % width;
      this.image[(row + r1) * (width + 2 * r1) + col + r1] = levels[row][col];
    }
    if (this.leaks && begin > 0) this.features(Math.floor((begin - 1) / width), (begin - 1) % width, false);
    for (let p = begin; p < end; p++) this.features(Math.floor(p / width), p % width, false);
  }

  // Logits (L,) at (row, col); levels (H, W) holds every pixel before it. Called for positions 0, 1, 2, ...
  logits(levels, row, col) {
    this.enter(levels, row, col);
    let h = this.features(row, col);
    for (const layer of this.head) {
      relu(layer.call(h, this.hNext));
      [h, this.hNext] = [this.hNext, h];
    }
    this.h = h;
    return this.out.call(h, this.logitsOut); // (L,)
  }

  // The next call is for `position` again (a pixel before it changed: not in Python, see Completion). Nothing to
  // forget: the cached values at positions >= position are stale, but every window reads them only through
  // masked (zero) taps until a step rewrites them (the leaky model's pixel before is recomputed by that step).
  rewind(position) {}

  copyFrom(other) { // other's state becomes this one's (a pre-pass shared by Completions of the same kept pixels)
    this.image.set(other.image);
    this.caches.forEach((cache, i) => cache.set(other.caches[i]));
  }
}

// ---- the gated PixelCNN (pixelcnn/gated.py), stepped as pixelcnn/gated_incremental.py's GatedStepper

// Gated layer i of the weights file (GatedLayerWeights, from layer_weights): kernel k, channelsIn C_in (1 for the
// first: the image), pad = k//2 (the zero padding of its input caches, above and on each side);
//   vertical: (k//2 + 1) x k window of the vertical input -> 2C; toHorizontal: 1x1, 2C -> 2C;
//   horizontal: 1 x (k//2 + 1) window of the horizontal input -> 2C; out: 1x1 after the gate, C -> C;
//   classBias: (classes + 1, 4C) per class: its bias of the vertical stack (2C), then the horizontal.
function layerWeights(tensors, i, kernel, channelsIn) {
  const name = `layers.${i}.`;
  return {
    kernel, channelsIn, pad: kernel >> 1,
    vertical: dense(tensors, name + "vertical"), toHorizontal: dense(tensors, name + "to_horizontal"),
    horizontal: dense(tensors, name + "horizontal"), out: dense(tensors, name + "out"),
    classBias: tensors[name + "class_bias"],
  };
}

// A layer's class bias for the class `index` (GatedLayerWeights.class_rows): [vertical (2C,), horizontal (2C,)]
function classRows(layer, index) {
  const C4 = 4 * layer.out.bias.length, rows = layer.classBias.subarray(index * C4, (index + 1) * C4), half = C4 >> 1;
  return [rows.subarray(0, half), rows.subarray(half)];
}

class GatedStepper {
  // label: a class index 0..classes-1, or null for any garment (the class index `classes`)
  constructor(model, label = null) {
    const { config, tensors } = model;
    const C = config.channels, width = config.image_size, index = label === null ? config.classes : label;
    this.width = width;
    this.scale = 1 / (config.levels - 1);
    this.layers = []; // per gated layer, layerWeights
    for (let i = 0; i <= config.layers; i++) {
      this.layers.push(layerWeights(tensors, i, i === 0 ? config.first_kernel : config.kernel, i === 0 ? 1 : C));
    }
    const rows = this.layers.map((layer) => classRows(layer, index));
    this.classVertical = rows.map(([vertical]) => vertical); // per layer (2C,): this class's bias of the vertical stack
    this.classHorizontal = rows.map(([, horizontal]) => horizontal); // per layer (2C,): and of the horizontal stack
    this.hidden = dense(tensors, "hidden"); // C -> C
    this.logit = dense(tensors, "logits"); // C -> L
    // Each layer's vertical input rows so far, zero-padded: (k//2 + H, W + 2 (k//2), C_in)
    this.verticalInputs = this.layers.map(({ pad, channelsIn }) =>
      new Float32Array((pad + width) * (width + 2 * pad) * channelsIn));
    // Each layer's horizontal inputs along the row being drawn, left-padded: (k//2 + W, C_in)
    this.horizontalInputs = this.layers.map(({ pad, channelsIn }) => new Float32Array((pad + width) * channelsIn));
    this.fromAbove = this.layers.map(() => new Float32Array(width * 2 * C)); // per layer (W, 2C): verticalRow's
    this.row = -1; this.done = 0; this.rowsDone = 0; // row being drawn, its columns computed, vertical rows done
    // scratch: a row's windows of every column, (W, k//2 + 1, k, C_in), and its vertical pre-activations (W, 2C)
    this.patches = new Float32Array(width * Math.max(...this.layers.map(({ kernel, channelsIn }) =>
      ((kernel >> 1) + 1) * kernel * channelsIn)));
    this.vPre = new Float32Array(width * 2 * C);
    this.toH = new Float32Array(width * 2 * C);
    this.pre = new Float32Array(2 * C);
    this.gated = new Float32Array(C);
    this.outH = new Float32Array(C);
    this.h = new Float32Array(C);
    this.top = new Float32Array(C);
    this.hiddenOut = new Float32Array(C);
    this.logitsOut = new Float32Array(config.levels);
  }

  // Row `row` of every vertical layer; returns this.fromAbove, refilled: each layer's contribution to the
  // horizontal stack (W, 2C). Each layer's row reads rows row - k//2 .. row of its input (the first layer's bottom
  // kernel row is masked): all computed before, so the rows are done once each, in order.
  // The row's columns go through each layer together (Dense.callMany).
  verticalRow(row) {
    const width = this.width, fromAbove = this.fromAbove;
    for (let depth = 0; depth < this.layers.length; depth++) {
      const layer = this.layers[depth], inputs = this.verticalInputs[depth], k = layer.kernel, pad = layer.pad;
      const classVertical = this.classVertical[depth], classHorizontal = this.classHorizontal[depth];
      const C2 = classVertical.length, above = fromAbove[depth], size = (pad + 1) * k * layer.channelsIn;
      const patches = this.patches.subarray(0, width * size);
      for (let col = 0; col < width; col++) { // (k//2 + 1, k, C_in) each
        windowAt(inputs, width + 2 * pad, layer.channelsIn, row, col, pad + 1, k, patches.subarray(col * size));
      }
      const vPre = layer.vertical.callMany(patches, width, this.vPre); // (W, 2C)
      for (let i = 0; i < vPre.length; i++) vPre[i] += classVertical[i % C2];
      const toH = layer.toHorizontal.callMany(vPre, width, this.toH); // (W, 2C)
      for (let i = 0; i < toH.length; i++) above[i] = toH[i] + classHorizontal[i % C2];
      if (depth + 1 < this.layers.length) { // the gated row is the next layer's input row
        const following = this.verticalInputs[depth + 1], next = this.layers[depth + 1].pad;
        for (let col = 0; col < width; col++) {
          const gated = gate(vPre.subarray(col * C2, (col + 1) * C2), this.gated);
          following.set(gated, ((next + row) * (width + 2 * next) + next + col) * (C2 >> 1));
        }
      }
    }
    return fromAbove;
  }

  // Rows < `row` of the image enter the first vertical layer; the vertical rows up to `row` are computed.
  startRow(levels, row) {
    const pad = this.layers[0].pad, width = this.width, first = this.verticalInputs[0];
    for (let r = 0; r < row; r++) {
      for (let c = 0; c < width; c++) first[(pad + r) * (width + 2 * pad) + pad + c] = levels[r][c] * this.scale;
    }
    for (let r = this.rowsDone; r <= row; r++) this.fromAbove = this.verticalRow(r);
    this.rowsDone = row + 1;
    for (const inputs of this.horizontalInputs) inputs.fill(0); // (k//2 + W, C_in) each
    this.row = row; this.done = 0;
  }

  // The horizontal stack at (this.row, col), every layer; returns the top features (C,).
  column(levels, col) {
    const pad = this.layers[0].pad, h = this.h, C = h.length; // the image is the first layer's input
    for (let c = 0; c < col; c++) this.horizontalInputs[0][pad + c] = levels[this.row][c] * this.scale; // not col
    for (let i = 0; i < this.layers.length; i++) {
      const layer = this.layers[i], inputs = this.horizontalInputs[i], above = this.fromAbove[i];
      if (i > 0) inputs.set(h, (layer.pad + col) * C);
      // the (k//2 + 1, C_in) window of the layer's horizontal input, up to this column
      const window = inputs.subarray(col * layer.channelsIn, (col + layer.pad + 1) * layer.channelsIn);
      const pre = layer.horizontal.call(window, this.pre); // (2C,)
      for (let c = 0; c < pre.length; c++) pre[c] += above[col * pre.length + c];
      const out = layer.out.call(gate(pre, this.gated), this.outH); // (C,)
      for (let c = 0; c < C; c++) h[c] = i === 0 ? out[c] : h[c] + out[c]; // residual from the second layer on
    }
    return h;
  }

  // Logits (L,) at (row, col); levels (H, W) holds every pixel before it.
  logits(levels, row, col) {
    if (row !== this.row) this.startRow(levels, row);
    let h;
    for (let c = this.done; c <= col; c++) h = this.column(levels, c); // columns not computed yet
    this.done = col + 1;
    this.top.set(h);
    const hidden = relu(this.hidden.call(relu(this.top), this.hiddenOut)); // relu(hidden(relu(h))), (C,)
    return this.logit.call(hidden, this.logitsOut); // (L,)
  }

  // The vertical rows up to `end`'s row (every pixel above it is kept); the columns of its row before `end` are
  // computed by the next logits (a jump is a step like any other here). The kept rows' horizontal stacks, which
  // only their own logits need, are never computed.
  prefill(levels, begin, end) {
    const row = Math.floor(end / this.width);
    if (row < this.width) this.startRow(levels, row);
  }

  copyFrom(other) { // other's state becomes this one's (a pre-pass shared by Completions of the same kept pixels)
    for (const name of ["verticalInputs", "horizontalInputs", "fromAbove"]) {
      this[name].forEach((array, i) => array.set(other[name][i]));
    }
    Object.assign(this, { row: other.row, done: other.done, rowsDone: other.rowsDone });
  }

  // The next call is for `position` again (a pixel before it changed: not in Python, see Completion). The
  // vertical rows up to its row hold only earlier rows and stay; its row's vertical pass and columns are redone.
  rewind(position) {
    this.rowsDone = Math.min(this.rowsDone, Math.floor(position / this.width));
    this.row = -1;
  }
}

// Each architecture's stepper, by the `name` its config carries (pixelcnn/models.py's MODELS).
const STEPPERS = { pixelcnn: IncrementalStepper, gated: GatedStepper };

function stepper(model, label = null, peek = false) {
  if (model.fast && !peek) return model.fast(label); // the WebAssembly twin (demo/page/engine_wasm.js), where it is loaded
  return new STEPPERS[model.config.name](model, label, peek); // the plain stepper takes no label, the gated no peek
}

// ---- sampling (pixelcnn/drawing.py): one image, pixels in raster order

// (H*W,) true where a pixel is given and kept (drawing.py's kept_cells): the first knownPixels pixels in
// raster order, or, with a hole (H, W) of 0/1, every cell outside it (1: a cell to draw).
function keptCells(size, knownPixels, hole = null) {
  const kept = new Uint8Array(size * size);
  for (let p = 0; p < size * size; p++) kept[p] = hole ? !hole[Math.floor(p / size)][p % size] : p < knownPixels;
  return kept;
}

// A completion that can be asked again, cheaply: the twin of PixelLoop and trace, plus a memory.
// Each pixel's logits depend only on the pixels before it; so when the same image is asked again with another
// temperature, seed or kept pixels, the kept logits serve as long as every pixel before is unchanged, and the
// network is stepped again only from the pixel after the first one that comes out different. (A small move of
// the temperature slider changes few pixels: most of the image costs nothing.) The kept pixels before the first
// one drawn are computed in one pre-pass (stepper.prefill), without logits: nothing is drawn from them; the model
// keeps its last pre-pass of each label, which a new Completion of the same kept pixels copies (Generate with
// another seed, 4 side by side). One model and label per Completion. trace(...) answers what /complete answers
// (demo/handlers.py's trace_json): the final levels, the seed, one entry per pixel drawn {row, col, level, probs
// (at T), probs_t1}, and bits, the mean surprise at T = 1 of the pixels drawn (the kept ones not counted); null
// when none was drawn. With `truth` (H, W), the network reads the true image instead of the pixels drawn, the
// pixel itself included where it can (teacher forcing, as in training: see teacherForced).
class Completion {
  constructor(model, label = null, truth = null) {
    const size = model.config.image_size, L = model.config.levels;
    this.model = model;
    this.label = label;
    this.stepper = stepper(model, label, truth !== null);
    this.truth = truth;
    this.levels = Array.from({ length: size }, () => new Array(size).fill(0)); // (H, W) of the last answer
    this.logits = Array.from({ length: size * size }, () => new Float32Array(L)); // (H*W, L) for those levels
    this.known = new Uint8Array(size * size); // 1 where logits[p] was computed (not skipped by a pre-pass)
    this.valid = 0; // the network's state and known logits hold for levels' pixels before p, for every p < valid
    this.next = 0; // the position the stepper would step next
    this.stepped = 0; // network steps with logits, over every answer (the benchmark and the tests read them)
    this.prefilled = 0; // positions computed by pre-passes, without logits
  }

  set(position, level) { // levels' pixel `position` is `level`; the positions after it see another image if it changed
    const size = this.levels.length, row = Math.floor(position / size), col = position % size;
    if (this.levels[row][col] === level) return;
    this.levels[row][col] = level;
    this.valid = Math.min(this.valid, position + 1);
  }

  // start: (H, W) levels, whose kept pixels are kept; kept: (H*W,) from keptCells. Each drawn pixel is
  // conditioned on every pixel before it, kept or drawn.
  trace(start, kept, temperature, seed) {
    const levels = this.levels, size = levels.length, probs = new Float64Array(this.logits[0].length);
    let prefix = 0; // the kept pixels before the first one drawn
    while (prefix < size * size && kept[prefix]) prefix++;
    for (let p = 0; p < prefix; p++) this.set(p, start[Math.floor(p / size)][p % size]);
    if (this.valid === 0 && prefix > 0 && this.truth === null) { // the model's last pre-pass of these pixels
      this.stepper.copyFrom(prepassed(this.model, this.label, levels, prefix));
    }
    else if (this.valid < prefix) { // their state in one pre-pass
      if (this.valid !== this.next) this.stepper.rewind(this.valid);
      this.stepper.prefill(levels, this.valid, prefix);
    }
    if (this.valid < prefix) {
      this.known.fill(0, this.valid, prefix);
      this.prefilled += prefix - this.valid;
      this.valid = this.next = prefix;
    }
    const entries = [];
    let surprise = 0;
    for (let position = prefix; position < size * size; position++) {
      const row = Math.floor(position / size), col = position % size, logits = this.logits[position];
      if (position >= this.valid || !this.known[position]) { // not known yet: the network steps
        if (position !== this.next) this.stepper.rewind(position);
        logits.set(this.stepper.logits(this.truth ?? levels, row, col));
        this.known[position] = 1;
        this.valid = this.next = position + 1;
        this.stepped++;
      }
      const level = kept[position] ? start[row][col] : draw(logits, temperature, uniform(seed, position), probs);
      if (this.truth === null) this.set(position, level); // the pixels after see another image if it changed
      else levels[row][col] = level; // teacher forcing: the network reads the true image, not the pixels drawn
      if (kept[position]) continue; // a kept pixel: not in the trace, not in bits
      const t1 = softmax(logits);
      surprise -= Math.log2(t1[level]);
      entries.push({ row, col, level, probs: Array.from(probs), probs_t1: Array.from(t1) });
    }
    const bits = entries.length ? surprise / entries.length : null; // Python's Trace.bits_per_drawn_pixel
    return { levels: levels.map((r) => r.slice()), seed, trace: entries, bits };
  }

  free() { // the stepper's memory back to its engine (the WebAssembly one keeps it for the next Completion)
    this.stepper.free?.();
  }
}

// A stepper whose state is the pre-pass of levels' first `prefix` pixels, for `label`: the model's last one of that
// label if it was of the same pixels, else computed now (and kept in its place).
function prepassed(model, label, levels, prefix) {
  const key = levels.flat().slice(0, prefix).join("");
  const kept = (model.prepassed ??= new Map()), last = kept.get(label) ?? { stepper: stepper(model, label), key: null };
  if (last.key !== key) {
    last.stepper.rewind(0);
    last.stepper.prefill(levels, 0, prefix);
    last.key = key;
    kept.set(label, last);
  }
  return last.stepper;
}

function trace(model, start, kept, temperature, seed, label = null) {
  const completion = new Completion(model, label);
  try {
    return completion.trace(start, kept, temperature, seed);
  } finally {
    completion.free();
  }
}

// ---- the server's checks (demo/handlers.py's check_*), twin for twin: a question the server would refuse is
// refused here with the same sentence (the key and fields of its InputError, in the question's language), never
// coerced into one that can be answered.

class Refusal extends Error {
  constructor(key, fields = {}) {
    super(key);
    this.key = key; // a sentence of demo/locales/
    this.fields = fields; // its {fields}, as the server fills them
  }
}

// Python's repr of what JSON carries (the server's messages quote a refused value so), cut to 120 characters as
// demo/errors.py's _shortened cuts it.
function pythonRepr(value) {
  let text;
  if (value === null || value === undefined) text = "None";
  else if (typeof value === "boolean") text = value ? "True" : "False";
  else if (typeof value === "number") {
    text = Number.isNaN(value) ? "nan" : !Number.isFinite(value) ? (value > 0 ? "inf" : "-inf")
      : String(value).replace(/e([+-])(\d)$/, (_, sign, digit) => `e${sign}0${digit}`); // Python: 1e-07
  } else if (typeof value === "string") {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const escaped = value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
    text = quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
  } else if (Array.isArray(value)) text = `[${value.map(pythonRepr).join(", ")}]`;
  else text = `{${Object.entries(value).map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(", ")}}`;
  return text.length <= 120 ? text : text.slice(0, 119) + "\u2026";
}

// `value` if a number (not a string, not a boolean) in [low, high], whole if asked; else `refusal` is thrown.
function number(value, low, high, whole, refusal) {
  if (typeof value !== "number" || !(low <= value && value <= high) || (whole && !Number.isInteger(value))) {
    throw refusal;
  }
  return value;
}

function checkGrid(grid, allowed, key) { // a 16x16 list of whole numbers in `allowed` (levels, or a hole's 0/1)
  const fits = Array.isArray(grid) && grid.length === 16 && grid.every((row) => Array.isArray(row) && row.length === 16
    && row.every((v) => typeof v === "number" && Number.isInteger(v) && allowed.includes(v)));
  if (!fits) throw new Refusal(key);
  return grid;
}

function checkLabel(label, model, labels) { // null / "any" / a class number / a class name -> null or its index
  if (label === null || label === undefined || (typeof label === "string" && label.trim().toLowerCase() === "any")) {
    return null;
  }
  if (!labels.length) throw new Refusal("no_classes", { model });
  const named = typeof label === "string" ? labels.findIndex((n) => n.toLowerCase() === label.trim().toLowerCase()) : -1;
  if (named >= 0) return named;
  if (typeof label === "number" && Number.isInteger(label) && label >= 0 && label < labels.length) return label;
  throw new Refusal("bad_label", { names: labels.join(", "), value: pythonRepr(label) });
}

// A question of the page, checked as the server checks it (DemoApp.page, _traces): what it asks ("complete": the
// kept rows or pixels; "fill": the hole's cells; "gallery": the kept rows), then the values a completion needs, or a
// Refusal thrown. limits: {maxSeed, maxTemperature, labels: {model name: its garment names}}.
function checkQuestion(asked, limits) {
  const what = asked.what ?? (["complete", "gallery"].includes(asked.kind) ? asked.kind
    : asked.hole ? "fill" : "complete"); // the page's own kinds (the live redraws): a hole fills, else completes
  if (what === "fill" && (asked.hole === null || asked.hole === undefined)) throw new Refusal("bad_hole");
  const names = Object.keys(limits.labels);
  if (typeof asked.model !== "string" || !names.includes(asked.model)) {
    throw new Refusal("bad_model", { value: pythonRepr(asked.model), names: names.join(", ") });
  }
  const levels = checkGrid(asked.levels, [0, 1, 2, 3], "bad_levels");
  const rows = what === "fill" ? 0
    : number(asked.known_rows, 0, 16, true, new Refusal("bad_rows", { value: pythonRepr(asked.known_rows) }));
  const pixels = what === "complete" ? asked.known_pixels ?? null : null, hole = what === "fill" ? asked.hole : null;
  if (pixels !== null) number(pixels, 0, 256, true, new Refusal("bad_pixels", { value: pythonRepr(pixels) }));
  if (hole !== null && !checkGrid(hole, [0, 1], "bad_hole").some((row) => row.includes(1))) {
    throw new Refusal("empty_hole");
  }
  const high = String(limits.maxTemperature);
  const temperature = number(asked.temperature, 0, limits.maxTemperature, false,
    new Refusal("bad_temperature", { high, value: pythonRepr(asked.temperature) }));
  if (asked.seed === null || asked.seed === undefined) throw new Refusal("no_seed");
  const seed = number(asked.seed, 0, limits.maxSeed, true,
    new Refusal("bad_seed", { high: limits.maxSeed, value: pythonRepr(asked.seed) }));
  const label = checkLabel(asked.label, asked.model, limits.labels[asked.model]);
  return { what, levels, kept: keptCells(16, pixels ?? rows * 16, hole), temperature, seed, label };
}

// A refusal's sentence in `lang` (English if there is none), as demo/i18n.py's text words it: a decimal number
// among its fields takes the language's decimal point.
function sentence(refusal, texts, lang) {
  const words = texts[lang] ?? texts.en, point = words.decimal_point ?? ".";
  return words[refusal.key].replace(/\{(\w+)\}/g, (_, name) => {
    const value = String(refusal.fields[name]);
    return /^-?\d+\.\d+$/.test(value) ? value.replace(".", point) : value;
  });
}

// The pixels not kept of the true image `truth` (H, W) drawn from what the network predicts when it reads the true
// image, as training shows it (pixelcnn/sampling.py's teacher_forced): an honest model predicts each from the true
// pixels before it; the leaky model also reads the pixel itself, and gives back the hidden rows it never drew.
function teacherForced(model, truth, kept, temperature, seed, label = null) {
  return new Completion(model, label, truth).trace(truth, kept, temperature, seed);
}

// ---- the page's questions (demo/page/grid.js), answered in a Web Worker (demo/page/engine_worker.js) or, without one, on the
// page's own thread: the same answers as the server's (demo/handlers.py), each result timed.
// A question: {kind, id, lang, what?, model, levels, known_rows, known_pixels?, hole?, temperature, seed, label,
// teacher?} (teacher, if any: the rows below are drawn as in training, reading the true image `levels`:
// teacherForced); "gallery" asks 4 completions of the kept rows with seeds seed, seed + 1, ... (a hole is not filled
// there, as the server; with "only": i, the page's own, the one of seed + i alone); every other kind ("complete",
// and the live redraws) one completion (of a hole, with "what": "fill"). A question the server would refuse is
// answered {kind, id, error} with the server's sentence.
class Answers {
  // limits: checkQuestion's; texts: {language: {key: sentence}} (demo/locales/); fast: a WebAssembly engine
  // (demo/page/engine_wasm.js's WasmEngine) that each model loaded is given to, or null: this file's steppers compute
  constructor(limits, texts, fast = null) {
    this.limits = limits;
    this.texts = texts;
    this.fast = fast;
    this.engine = fast ? "wasm" : "js"; // which engine computes, for the page to say
    this.models = {}; // model name -> its weights (readWeights), once loaded
    this.completions = new Map(); // "model:label:seed" -> a Completion, asked again by the live redraws; 8 at most
  }

  async load(name, url) { // the model's engine file (pixelcnn/export.py), fetched as the browser caches it
    const answer = await fetch(url);
    if (!answer.ok) throw new Error(`${url}: ${answer.status}`);
    this.add(name, await answer.arrayBuffer());
  }

  add(name, buffer) { // the model's engine file, read
    this.models[name] = readWeights(buffer);
    this.fast?.attach(this.models[name]);
  }

  complete(asked, seed) { // one completion of checked values, from a Completion kept for reuse
    const truth = asked.teacher ? asked.levels : null; // teacher forcing (teacherForced): it reads the true image
    const key = `${asked.model}:${asked.label}:${seed}:${truth ? truth.flat().join("") : ""}`;
    const completion = this.completions.get(key) ?? new Completion(this.models[asked.model], asked.label, truth);
    this.completions.delete(key);
    this.completions.set(key, completion); // the newest last
    if (this.completions.size > 8) {
      const oldest = this.completions.keys().next().value;
      this.completions.get(oldest).free();
      this.completions.delete(oldest);
    }
    const begin = performance.now();
    const result = completion.trace(asked.levels, asked.kept, asked.temperature, seed);
    return { ...result, ms: performance.now() - begin };
  }

  answer(question) { // {kind, id, result}, for "gallery" {kind, id, results}, or {kind, id, error}
    const reply = { kind: question.kind, id: question.id };
    try {
      const asked = { ...checkQuestion(question, this.limits), model: question.model, teacher: Boolean(question.teacher) };
      if (asked.what !== "gallery") reply.result = this.complete(asked, asked.seed);
      else {
        let seeds = [0, 1, 2, 3].map((i) => (asked.seed + i) % (this.limits.maxSeed + 1));
        if (question.only in seeds) seeds = [seeds[question.only]]; // one of them (the page shares them out)
        reply.results = seeds.map((seed) => this.complete(asked, seed));
      }
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      reply.error = sentence(error, this.texts, question.lang);
    }
    return reply;
  }
}

export {
  draw, readWeights, IncrementalStepper, GatedStepper, stepper, keptCells, Completion, trace, teacherForced, Refusal,
  checkQuestion, sentence, Answers,
};
