// The hot loops of the page's engine in WebAssembly with 128-bit SIMD: the twin of demo/page/engine.js's two steppers
// (IncrementalStepper, GatedStepper), the same arithmetic on the same exported weights, computed 15-20x faster.
// demo/page/engine.js stays the readable reference (and the fallback where WebAssembly SIMD is missing); read it first:
// the names here are its names. demo/page/engine_wasm.js loads this module and drives it, one call per pixel; the random
// numbers, the draw and the trace stay in JavaScript.
//
// Built by scripts/build_wasm.sh (clang 14 + lld, no libc): the committed demo/engine.wasm is what this file
// builds to, byte for byte (tests/test_engine_wasm.py).
//
// What makes it fast (measured in issue #29's spike, one core, ms per 16x16 completion: plain 110 -> 6.4, gated
// 508 -> 24.5):
//   - each layer's weights are repacked once, at load, into blocks of 16 outputs: for each input, its 16 weights
//     side by side, read in order; 8 independent f32x4 running sums (two blocks, or two columns) keep the
//     processor's adders busy (0.7 -> 12 GMAC/s);
//   - several columns of a row go through a layer together (the gated vertical stack a whole row, the plain
//     model's kept rows in the pre-pass), each weight loaded once for two columns;
//   - the gate's tanh and sigmoid four at a time, in float32;
//   - masked taps (weights all zero, the last ones of every window in raster order) are not read at all.
// The sums are taken in another order than NumPy's: logits agree with Python's to about 1e-5.

#include <wasm_simd128.h>

#define EXPORT __attribute__((visibility("default"))) // called by engine_wasm.js
#define LANES 16 // outputs per block of packed weights: 4 f32x4
#define MAX_WIDTH 16 // columns of a row computed together, at most (the image is 16x16)

// ---- memory: one bump allocator; the states of finished completions are kept for reuse, never returned

extern unsigned char __heap_base;
static unsigned long heap_top;

EXPORT void *engine_alloc(int bytes) { // 16-byte aligned, zeroed (fresh pages are); 0 when the memory cannot grow
  if (!heap_top) heap_top = ((unsigned long)&__heap_base + 15) & ~15ul;
  unsigned long begin = heap_top, end = (begin + (unsigned long)bytes + 15) & ~15ul;
  unsigned long pages = __builtin_wasm_memory_size(0);
  if (end > pages << 16 && __builtin_wasm_memory_grow(0, ((end - (pages << 16)) >> 16) + 1) < 0) return 0;
  heap_top = end;
  return (void *)begin;
}

static void clear(float *x, int n) {
  for (int i = 0; i < n; i++) x[i] = 0;
}

static void copy(float *to, const float *from, int n) {
  for (int i = 0; i < n; i++) to[i] = from[i];
}

// ---- layers

// A convolution read at one position (engine.js's Dense): out (C_out,) = weight (C_out, C_in) @ x + bias, packed:
// block b holds outputs 16b .. 16b + 15 as `in` rows of 16 weights, one row per input, in input order.
typedef struct {
  int out, in; // C_out, and the inputs read: C_in less the trailing inputs whose weights are all zero (masked)
  float *weight; // (ceil(C_out / 16), in, 16)
  float *bias; // (ceil(C_out / 16) * 16,), zero-padded
} Dense;

// weight (C_out, C_in) and bias (C_out,) as engine.js reads them, repacked into a new Dense.
EXPORT Dense *dense_new(int out, int in, const float *weight, const float *bias) {
  Dense *d = engine_alloc(sizeof(Dense));
  int used = in, blocks = (out + LANES - 1) / LANES;
  for (; used > 0; used--) { // trailing all-zero inputs (masked taps) are left out
    int zero = 1;
    for (int o = 0; o < out && zero; o++) zero = weight[o * in + used - 1] == 0;
    if (!zero) break;
  }
  d->out = out, d->in = used;
  d->weight = engine_alloc(blocks * used * LANES * sizeof(float));
  d->bias = engine_alloc(blocks * LANES * sizeof(float));
  for (int o = 0; o < out; o++) {
    d->bias[o] = bias[o];
    for (int i = 0; i < used; i++) d->weight[((o / LANES) * used + i) * LANES + o % LANES] = weight[o * in + i];
  }
  return d;
}

static void store(const Dense *d, int block, float *y, v128_t s0, v128_t s1, v128_t s2, v128_t s3) {
  const float *bias = d->bias + block * LANES;
  s0 = wasm_f32x4_add(s0, wasm_v128_load(bias));
  s1 = wasm_f32x4_add(s1, wasm_v128_load(bias + 4));
  s2 = wasm_f32x4_add(s2, wasm_v128_load(bias + 8));
  s3 = wasm_f32x4_add(s3, wasm_v128_load(bias + 12));
  float *to = y + block * LANES, last[LANES];
  int n = d->out - block * LANES;
  if (n < LANES) to = last; // a partial block (the 4 logits): through a scratch, not past y's end
  wasm_v128_store(to, s0);
  wasm_v128_store(to + 4, s1);
  wasm_v128_store(to + 8, s2);
  wasm_v128_store(to + 12, s3);
  if (n < LANES) copy(y + block * LANES, last, n);
}

// Every sum below runs over the inputs in order, one input at a time, from 0, the bias added last: one column or
// two, a step or the pre-pass, a value comes out the same to the last bit (a Completion asked again answers exactly
// as a fresh one). The 8 running sums are 8 sets of outputs (two blocks of one column, or one block of two).

#define MUL_ADD(sum, x, w) sum = wasm_f32x4_add(sum, wasm_f32x4_mul(x, wasm_v128_load(w)))

// y (C_out,) = d(x): two blocks of 16 outputs at a time.
static void dense1(const Dense *d, const float *x, float *y) {
  int n = d->in, blocks = (d->out + LANES - 1) / LANES, b = 0;
  for (; b + 1 < blocks; b += 2) {
    const float *w = d->weight + b * n * LANES, *v = w + n * LANES;
    v128_t a0 = wasm_f32x4_splat(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    for (int i = 0; i < n; i++, w += LANES, v += LANES) {
      v128_t u = wasm_v128_load32_splat(x + i);
      MUL_ADD(a0, u, w), MUL_ADD(a1, u, w + 4), MUL_ADD(a2, u, w + 8), MUL_ADD(a3, u, w + 12);
      MUL_ADD(b0, u, v), MUL_ADD(b1, u, v + 4), MUL_ADD(b2, u, v + 8), MUL_ADD(b3, u, v + 12);
    }
    store(d, b, y, a0, a1, a2, a3);
    store(d, b + 1, y, b0, b1, b2, b3);
  }
  if (b < blocks) { // an odd block (the logits' 4 outputs)
    const float *w = d->weight + b * n * LANES;
    v128_t a0 = wasm_f32x4_splat(0), a1 = a0, a2 = a0, a3 = a0;
    for (int i = 0; i < n; i++, w += LANES) {
      v128_t u = wasm_v128_load32_splat(x + i);
      MUL_ADD(a0, u, w), MUL_ADD(a1, u, w + 4), MUL_ADD(a2, u, w + 8), MUL_ADD(a3, u, w + 12);
    }
    store(d, b, y, a0, a1, a2, a3);
  }
}

// y0 = d(x0), y1 = d(x1): two columns, each weight loaded once for both.
static void dense2(const Dense *d, const float *x0, const float *x1, float *y0, float *y1) {
  int n = d->in;
  for (int b = 0; b * LANES < d->out; b++) {
    const float *w = d->weight + b * n * LANES;
    v128_t a0 = wasm_f32x4_splat(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    for (int i = 0; i < n; i++, w += LANES) {
      v128_t u = wasm_v128_load32_splat(x0 + i), v = wasm_v128_load32_splat(x1 + i);
      v128_t w0 = wasm_v128_load(w), w1 = wasm_v128_load(w + 4), w2 = wasm_v128_load(w + 8),
             w3 = wasm_v128_load(w + 12);
      a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(u, w0)), a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(u, w1));
      a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(u, w2)), a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(u, w3));
      b0 = wasm_f32x4_add(b0, wasm_f32x4_mul(v, w0)), b1 = wasm_f32x4_add(b1, wasm_f32x4_mul(v, w1));
      b2 = wasm_f32x4_add(b2, wasm_f32x4_mul(v, w2)), b3 = wasm_f32x4_add(b3, wasm_f32x4_mul(v, w3));
    }
    store(d, b, y0, a0, a1, a2, a3);
    store(d, b, y1, b0, b1, b2, b3);
  }
}

// d applied to `count` columns: x (count, xStride) -> y (count, yStride), two columns at a time.
static void dense_columns(const Dense *d, const float *x, int xStride, float *y, int yStride, int count) {
  int c = 0;
  for (; c + 1 < count; c += 2) dense2(d, x + c * xStride, x + (c + 1) * xStride, y + c * yStride, y + (c + 1) * yStride);
  if (c < count) dense1(d, x + c * xStride, y + c * yStride);
}

static void relu(float *x, int n) { // in place, n a multiple of 4
  v128_t zero = wasm_f32x4_splat(0);
  for (int i = 0; i < n; i += 4) wasm_v128_store(x + i, wasm_f32x4_max(wasm_v128_load(x + i), zero));
}

// e**x for x <= 0, four at a time: 2**n * e**r with |r| <= ln(2)/2, e**r by its Taylor polynomial to r**7/7!
// (relative error below 1e-7); x below -87 gives about 1e-38, where float32 stops anyway.
static v128_t exp_negative(v128_t x) {
  x = wasm_f32x4_max(x, wasm_f32x4_splat(-87.0f));
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f))); // ln 2 in two parts (Cody-Waite)
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.0f / 5040);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f / 720));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f / 120));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f / 24));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f / 6));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(0.5f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.0f));
  v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23); // 2**n
  return wasm_f32x4_mul(p, scale);
}

// tanh, four at a time: sign(x) (1 - e) / (1 + e) with e = e**(-2|x|) (absolute error about 1e-7)
static v128_t tanh4(v128_t x) {
  v128_t e = exp_negative(wasm_f32x4_mul(wasm_f32x4_abs(x), wasm_f32x4_splat(-2.0f)));
  v128_t t = wasm_f32x4_div(wasm_f32x4_sub(wasm_f32x4_splat(1.0f), e), wasm_f32x4_add(wasm_f32x4_splat(1.0f), e));
  v128_t sign = wasm_v128_and(x, wasm_i32x4_splat((int)0x80000000));
  return wasm_v128_or(t, sign);
}

// gate: pre (2C,) -> tanh(first half) * sigmoid(second half), into out (C,); sigmoid(x) = (1 + tanh(x / 2)) / 2
static void gate(const float *pre, float *out, int half) {
  v128_t one_half = wasm_f32x4_splat(0.5f);
  for (int c = 0; c < half; c += 4) {
    v128_t s = tanh4(wasm_f32x4_mul(wasm_v128_load(pre + half + c), one_half));
    s = wasm_f32x4_mul(wasm_f32x4_add(s, wasm_f32x4_splat(1.0f)), one_half);
    wasm_v128_store(out + c, wasm_f32x4_mul(tanh4(wasm_v128_load(pre + c)), s));
  }
}

// The rows x cols x channels window of a channels-last map (its rows `width` cells wide) whose top-left cell is
// (row, col), copied into out in (row, column, channel) order; only its first `used` values (the taps a Dense
// reads: the masked ones at the end are not copied).
static void window_at(const float *map, int width, int channels, int row, int col, int rows, int cols, int used,
                      float *out) {
  for (int r = 0; r < rows && used > 0; r++) {
    int n = cols * channels < used ? cols * channels : used;
    copy(out, map + ((row + r) * width + col) * channels, n);
    out += n, used -= n;
  }
}

// ---- the plain PixelCNN (engine.js's IncrementalStepper)

typedef struct {
  int width, r1, rb, filters, half, blocks, heads, levels;
  Dense *first, **reduce, **masked, **expand, **head, *out;
  void *spare; // states of finished completions, for reuse (a list through their first field)
} Plain;

typedef struct PlainState {
  struct PlainState *next_spare;
  Plain *m;
  float *levels; // (H * W) the image's levels so far, written by engine_wasm.js before each call
  float *image; // (H + r1, W + 2 r1) the first layer's input, zero-padded above, left and right
  float **caches; // per block (H + rb, W + 2 rb, F/2): its reduced features
  float *windows, *h, *reduced, *masked, *expanded; // per column computed together: (16, taps), (16, F), ...
  float *logits; // (L,)
} PlainState;

// layers: first, then each block's reduce, masked, expand, then the head layers, then out (engine.js's names).
EXPORT Plain *plain_new(int width, int r1, int rb, int filters, int blocks, int heads, int levels, Dense **layers) {
  Plain *m = engine_alloc(sizeof(Plain));
  *m = (Plain){width, r1, rb, filters, filters / 2, blocks, heads, levels};
  m->first = layers[0];
  m->reduce = engine_alloc(3 * blocks * sizeof(Dense *));
  m->masked = m->reduce + blocks, m->expand = m->masked + blocks;
  for (int i = 0; i < blocks; i++) {
    m->reduce[i] = layers[1 + 3 * i], m->masked[i] = layers[2 + 3 * i], m->expand[i] = layers[3 + 3 * i];
  }
  m->head = layers + 1 + 3 * blocks, m->out = layers[1 + 3 * blocks + heads];
  return m;
}

EXPORT PlainState *plain_state(Plain *m) { // a fresh state (zeroed), new or reused
  int width = m->width, r1 = m->r1, rb = m->rb, F = m->filters, half = m->half;
  int cache = (width + rb) * (width + 2 * rb) * half, image = (width + r1) * (width + 2 * r1);
  int taps = (rb + 1) * (2 * rb + 1) * half > (r1 + 1) * (2 * r1 + 1) ? (rb + 1) * (2 * rb + 1) * half
                                                                      : (r1 + 1) * (2 * r1 + 1);
  PlainState *s = m->spare;
  if (s) {
    m->spare = s->next_spare;
    clear(s->image, image);
    for (int i = 0; i < m->blocks; i++) clear(s->caches[i], cache);
    return s;
  }
  s = engine_alloc(sizeof(PlainState));
  s->m = m;
  s->levels = engine_alloc(width * width * sizeof(float));
  s->image = engine_alloc(image * sizeof(float));
  s->caches = engine_alloc(m->blocks * sizeof(float *));
  for (int i = 0; i < m->blocks; i++) s->caches[i] = engine_alloc(cache * sizeof(float));
  s->windows = engine_alloc(MAX_WIDTH * taps * sizeof(float));
  s->h = engine_alloc(MAX_WIDTH * F * sizeof(float));
  s->reduced = engine_alloc(MAX_WIDTH * half * sizeof(float));
  s->masked = engine_alloc(MAX_WIDTH * half * sizeof(float));
  s->expanded = engine_alloc(MAX_WIDTH * F * sizeof(float));
  s->logits = engine_alloc(LANES * sizeof(float));
  return s;
}

EXPORT void plain_free(PlainState *s) {
  s->next_spare = s->m->spare;
  s->m->spare = s;
}

EXPORT float *plain_levels(PlainState *s) { return s->levels; }

EXPORT float *plain_logits_at(PlainState *s) { return s->logits; }

// Columns col .. col + count - 1 of `row`, layer by layer (every layer of a column reads only columns at or before
// it: a layer's columns are all done before the next layer's). With `logits`, the head too, and the logits of the
// last column into s->logits; without (the kept pixels' pre-pass), the work only the head needs is skipped: the
// last block's masked and expand layers.
static void plain_columns(PlainState *s, int row, int col, int count, int logits) {
  Plain *m = s->m;
  int width = m->width, r1 = m->r1, rb = m->rb, F = m->filters, half = m->half;
  int firstTaps = (r1 + 1) * (2 * r1 + 1), blockTaps = (rb + 1) * (2 * rb + 1) * half;
  // the pixels the first layer's windows read: the rows above, and this row before the last column
  for (int r = row - r1 < 0 ? 0 : row - r1; r <= row; r++) {
    int cols = r < row ? width : col + count - 1;
    copy(s->image + (r + r1) * (width + 2 * r1) + r1, s->levels + r * width, cols);
  }
  for (int c = 0; c < count; c++) {
    window_at(s->image, width + 2 * r1, 1, row, col + c, r1 + 1, 2 * r1 + 1, m->first->in, s->windows + c * firstTaps);
  }
  dense_columns(m->first, s->windows, firstTaps, s->h, F, count);
  relu(s->h, count * F);
  for (int i = 0; i < m->blocks; i++) {
    float *cache = s->caches[i];
    dense_columns(m->reduce[i], s->h, F, s->reduced, half, count);
    relu(s->reduced, count * half);
    for (int c = 0; c < count; c++) copy(cache + ((row + rb) * (width + 2 * rb) + col + c + rb) * half, s->reduced + c * half, half);
    if (!logits && i + 1 == m->blocks) return; // the last block's output feeds only the head
    for (int c = 0; c < count; c++) {
      window_at(cache, width + 2 * rb, half, row, col + c, rb + 1, 2 * rb + 1, m->masked[i]->in, s->windows + c * blockTaps);
    }
    dense_columns(m->masked[i], s->windows, blockTaps, s->masked, half, count);
    relu(s->masked, count * half);
    dense_columns(m->expand[i], s->masked, half, s->expanded, F, count);
    relu(s->expanded, count * F);
    for (int k = 0; k < count * F; k += 4) { // the residual
      wasm_v128_store(s->h + k, wasm_f32x4_add(wasm_v128_load(s->h + k), wasm_v128_load(s->expanded + k)));
    }
  }
  float *h = s->h + (count - 1) * F, *other = s->expanded;
  for (int i = 0; i < m->heads; i++) {
    dense1(m->head[i], h, other);
    relu(other, F);
    float *t = h;
    h = other, other = t;
  }
  dense1(m->out, h, s->logits);
}

// Logits (L,) at (row, col) into plain_logits_at(s); s->levels holds every pixel before it.
EXPORT void plain_step(PlainState *s, int row, int col) { plain_columns(s, row, col, 1, 1); }

// The state for positions begin .. end - 1 (the kept pixels before the first drawn one), no logits: whole rows
// together, the rest a pixel at a time.
EXPORT void plain_prefill(PlainState *s, int begin, int end) {
  int width = s->m->width;
  while (begin < end) {
    int row = begin / width, col = begin % width;
    int count = end - begin < width - col ? end - begin : width - col;
    plain_columns(s, row, col, count, 0);
    begin += count;
  }
}

// engine.js's copyFrom: the state of `from` becomes `to`'s.
EXPORT void plain_copy(PlainState *to, const PlainState *from) {
  Plain *m = to->m;
  int width = m->width, r1 = m->r1, rb = m->rb;
  copy(to->levels, from->levels, width * width);
  copy(to->image, from->image, (width + r1) * (width + 2 * r1));
  for (int i = 0; i < m->blocks; i++) copy(to->caches[i], from->caches[i], (width + rb) * (width + 2 * rb) * m->half);
}

// ---- the gated PixelCNN (engine.js's GatedStepper)

typedef struct {
  int kernel, channels_in, pad;
  Dense *vertical, *to_horizontal, *horizontal, *out;
  const float *class_bias; // (classes + 1, 4C): per class, its bias of the vertical stack (2C), then the horizontal
} GatedLayer;

typedef struct {
  int width, depth, C, levels; // depth: the gated layers
  float scale; // 1 / (L - 1)
  GatedLayer *layers;
  Dense *hidden, *logit;
  void *spare;
} Gated;

typedef struct GatedState {
  struct GatedState *next_spare;
  Gated *m;
  const float **class_vertical, **class_horizontal; // per layer (2C,): this label's bias rows
  float *levels; // (H * W), written by engine_wasm.js
  float **vertical_inputs; // per layer (k//2 + H, W + 2 (k//2), C_in)
  float **horizontal_inputs; // per layer (k//2 + W, C_in)
  float **from_above; // per layer (W, 2C)
  int row, done, rows_done; // the row being drawn, its columns computed, vertical rows done
  float *patches, *v_pre, *pre, *gated, *h, *out, *top, *logits; // scratch
} GatedState;

// layers: per gated layer its vertical, to_horizontal, horizontal, out; then hidden, logits. class_biases: per layer.
EXPORT Gated *gated_new(int width, int depth, int C, int levels, int first_kernel, int kernel, Dense **layers,
                 const float **class_biases) {
  Gated *m = engine_alloc(sizeof(Gated));
  *m = (Gated){width, depth, C, levels, 1.0f / (levels - 1)};
  m->layers = engine_alloc(depth * sizeof(GatedLayer));
  for (int i = 0; i < depth; i++) {
    int k = i == 0 ? first_kernel : kernel;
    m->layers[i] = (GatedLayer){k, i == 0 ? 1 : C, k / 2, layers[4 * i], layers[4 * i + 1], layers[4 * i + 2],
                                layers[4 * i + 3], class_biases[i]};
  }
  m->hidden = layers[4 * depth], m->logit = layers[4 * depth + 1];
  return m;
}

// A fresh state (zeroed) for class `index` (classes: any garment).
EXPORT GatedState *gated_state(Gated *m, int index) {
  int width = m->width, C = m->C;
  GatedState *s = m->spare;
  if (s) {
    m->spare = s->next_spare;
  } else {
    int taps = 0;
    for (int i = 0; i < m->depth; i++) {
      GatedLayer *l = m->layers + i;
      if ((l->pad + 1) * l->kernel * l->channels_in > taps) taps = (l->pad + 1) * l->kernel * l->channels_in;
    }
    s = engine_alloc(sizeof(GatedState));
    s->m = m;
    s->class_vertical = engine_alloc(2 * m->depth * sizeof(float *));
    s->class_horizontal = s->class_vertical + m->depth;
    s->levels = engine_alloc(width * width * sizeof(float));
    s->vertical_inputs = engine_alloc(3 * m->depth * sizeof(float *));
    s->horizontal_inputs = s->vertical_inputs + m->depth, s->from_above = s->horizontal_inputs + m->depth;
    for (int i = 0; i < m->depth; i++) {
      GatedLayer *l = m->layers + i;
      s->vertical_inputs[i] = engine_alloc((l->pad + width) * (width + 2 * l->pad) * l->channels_in * sizeof(float));
      s->horizontal_inputs[i] = engine_alloc((l->pad + width) * l->channels_in * sizeof(float));
      s->from_above[i] = engine_alloc(width * 2 * C * sizeof(float));
    }
    s->patches = engine_alloc(MAX_WIDTH * taps * sizeof(float));
    s->v_pre = engine_alloc(MAX_WIDTH * 2 * C * sizeof(float));
    s->pre = engine_alloc(2 * C * sizeof(float));
    s->gated = engine_alloc(C * sizeof(float));
    s->h = engine_alloc(C * sizeof(float));
    s->out = engine_alloc(C * sizeof(float));
    s->top = engine_alloc(C * sizeof(float));
    s->logits = engine_alloc(LANES * sizeof(float));
  }
  for (int i = 0; i < m->depth; i++) {
    GatedLayer *l = m->layers + i;
    clear(s->vertical_inputs[i], (l->pad + width) * (width + 2 * l->pad) * l->channels_in);
    s->class_vertical[i] = l->class_bias + index * 4 * C;
    s->class_horizontal[i] = s->class_vertical[i] + 2 * C;
  }
  s->row = -1, s->done = 0, s->rows_done = 0;
  return s;
}

EXPORT void gated_free(GatedState *s) {
  s->next_spare = s->m->spare;
  s->m->spare = s;
}

EXPORT float *gated_levels(GatedState *s) { return s->levels; }

EXPORT float *gated_logits_at(GatedState *s) { return s->logits; }

static void add(float *x, const float *y, int n) { // x += y, n a multiple of 4
  for (int i = 0; i < n; i += 4) wasm_v128_store(x + i, wasm_f32x4_add(wasm_v128_load(x + i), wasm_v128_load(y + i)));
}

// Row `row` of every vertical layer, all its columns together; refills s->from_above (each layer's contribution
// to the horizontal stack) and the next layer's vertical input row.
static void vertical_row(GatedState *s, int row) {
  Gated *m = s->m;
  int width = m->width, C2 = 2 * m->C;
  for (int depth = 0; depth < m->depth; depth++) {
    GatedLayer *l = m->layers + depth;
    int k = l->kernel, pad = l->pad, taps = (pad + 1) * k * l->channels_in;
    for (int col = 0; col < width; col++) {
      window_at(s->vertical_inputs[depth], width + 2 * pad, l->channels_in, row, col, pad + 1, k, l->vertical->in,
                s->patches + col * taps);
    }
    dense_columns(l->vertical, s->patches, taps, s->v_pre, C2, width); // (W, 2C)
    for (int col = 0; col < width; col++) add(s->v_pre + col * C2, s->class_vertical[depth], C2);
    float *above = s->from_above[depth];
    dense_columns(l->to_horizontal, s->v_pre, C2, above, C2, width);
    for (int col = 0; col < width; col++) add(above + col * C2, s->class_horizontal[depth], C2);
    if (depth + 1 < m->depth) { // the gated row is the next layer's input row
      int next = m->layers[depth + 1].pad;
      float *following = s->vertical_inputs[depth + 1] + ((next + row) * (width + 2 * next) + next) * m->C;
      for (int col = 0; col < width; col++) gate(s->v_pre + col * C2, following + col * m->C, m->C);
    }
  }
}

static void start_row(GatedState *s, int row) {
  Gated *m = s->m;
  int pad = m->layers[0].pad, width = m->width;
  float *first = s->vertical_inputs[0];
  for (int r = 0; r < row; r++) {
    for (int c = 0; c < width; c++) first[(pad + r) * (width + 2 * pad) + pad + c] = s->levels[r * width + c] * m->scale;
  }
  for (int r = s->rows_done; r <= row; r++) vertical_row(s, r);
  s->rows_done = row + 1;
  for (int i = 0; i < m->depth; i++) {
    GatedLayer *l = m->layers + i;
    clear(s->horizontal_inputs[i], (l->pad + width) * l->channels_in);
  }
  s->row = row, s->done = 0;
}

// The horizontal stack at (s->row, col), every layer; the top features into s->h (C,).
static void column(GatedState *s, int col) {
  Gated *m = s->m;
  int pad = m->layers[0].pad, C = m->C, C2 = 2 * C;
  for (int c = 0; c < col; c++) s->horizontal_inputs[0][pad + c] = s->levels[s->row * m->width + c] * m->scale;
  for (int i = 0; i < m->depth; i++) {
    GatedLayer *l = m->layers + i;
    float *inputs = s->horizontal_inputs[i];
    if (i > 0) copy(inputs + (l->pad + col) * C, s->h, C);
    dense1(l->horizontal, inputs + col * l->channels_in, s->pre); // the (k//2 + 1, C_in) window up to this column
    add(s->pre, s->from_above[i] + col * C2, C2);
    gate(s->pre, s->gated, C);
    dense1(l->out, s->gated, s->out);
    if (i == 0) copy(s->h, s->out, C);
    else add(s->h, s->out, C); // residual from the second layer on
  }
}

// Logits (L,) at (row, col) into gated_logits_at(s); s->levels holds every pixel before it.
EXPORT void gated_step(GatedState *s, int row, int col) {
  Gated *m = s->m;
  if (row != s->row) start_row(s, row);
  for (int c = s->done; c <= col; c++) column(s, c);
  s->done = col + 1;
  copy(s->top, s->h, m->C);
  relu(s->top, m->C);
  dense1(m->hidden, s->top, s->out);
  relu(s->out, m->C);
  dense1(m->logit, s->out, s->logits);
}

// The vertical rows up to `end`'s row (engine.js's prefill).
EXPORT void gated_prefill(GatedState *s, int begin, int end) {
  if (end / s->m->width < s->m->width) start_row(s, end / s->m->width);
}

// engine.js's copyFrom: the state of `from` (of the same label) becomes `to`'s.
EXPORT void gated_copy(GatedState *to, const GatedState *from) {
  Gated *m = to->m;
  int width = m->width;
  copy(to->levels, from->levels, width * width);
  for (int i = 0; i < m->depth; i++) {
    GatedLayer *l = m->layers + i;
    copy(to->vertical_inputs[i], from->vertical_inputs[i], (l->pad + width) * (width + 2 * l->pad) * l->channels_in);
    copy(to->horizontal_inputs[i], from->horizontal_inputs[i], (l->pad + width) * l->channels_in);
    copy(to->from_above[i], from->from_above[i], width * 2 * m->C);
  }
  to->row = from->row, to->done = from->done, to->rows_done = from->rows_done;
}

EXPORT void gated_rewind(GatedState *s, int position) {
  int row = position / s->m->width;
  if (row < s->rows_done) s->rows_done = row;
  s->row = -1;
}
