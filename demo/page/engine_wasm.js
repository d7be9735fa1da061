// The page's engine in WebAssembly: demo/engine.c, built into demo/engine.wasm (scripts/build_wasm.sh), loaded and
// driven from here. It gives demo/page/engine.js's models a faster stepper (model.fast, which engine.js's `stepper`
// takes when it is there); everything else (the random numbers, the draw, the trace, the questions) stays in
// engine.js. Where WebAssembly or its 128-bit SIMD is missing, WasmEngine.create answers null and engine.js's own
// steppers compute.
//
// An ES module (exports WasmEngine, supported): the same file runs in the page, in the Web Worker
// (demo/page/engine_worker.js imports it) and in node (tests/engine_harness.mjs imports it).

// Whether this runtime can run `bytes` (engine.wasm): WebAssembly there, and its SIMD instructions valid.
function supported(bytes) {
  return typeof WebAssembly === "object" && WebAssembly.validate(bytes);
}

class WasmEngine {
  // One instance of engine.wasm, its own memory: each model given to `attach` is packed into it once.
  static async create(bytes) { // null where it cannot run here
    if (!supported(bytes)) return null;
    const { instance } = await WebAssembly.instantiate(bytes, {});
    return new WasmEngine(instance.exports);
  }

  constructor(exports) {
    this.wasm = exports; // engine.c's functions, and its memory
    this.scratch = { pointer: 0, length: 0 }; // where a layer's weights wait to be repacked (reused: never freed)
  }

  floats(pointer, length) { // a view of `length` float32 in the module's memory (a new one after it grew)
    return new Float32Array(this.wasm.memory.buffer, pointer, length);
  }

  copyIn(array) { // a Float32Array copied into new memory of the module; returns its address
    const pointer = this.wasm.engine_alloc(array.length * 4);
    if (!pointer) throw new Error("engine.wasm: out of memory");
    this.floats(pointer, array.length).set(array);
    return pointer;
  }

  pointers(list) { // an array of addresses (Dense *, const float *) in the module's memory
    const pointer = this.wasm.engine_alloc(list.length * 4);
    new Int32Array(this.wasm.memory.buffer, pointer, list.length).set(list);
    return pointer;
  }

  dense(tensors, name) { // the layer `name` of the weights file, repacked by engine.c's dense_new
    const weight = tensors[name + ".weight"], bias = tensors[name + ".bias"], length = weight.length + bias.length;
    if (length > this.scratch.length) this.scratch = { pointer: this.wasm.engine_alloc(length * 4), length };
    const pointer = this.scratch.pointer;
    this.floats(pointer, weight.length).set(weight);
    this.floats(pointer + weight.length * 4, bias.length).set(bias);
    return this.wasm.dense_new(bias.length, weight.length / bias.length, pointer, pointer + weight.length * 4);
  }

  // model: engine.js's readWeights(...); from now on engine.js's Completions of it step in WebAssembly. Only the
  // architectures engine.c knows (a plain model whose first mask is A, the gated model); false for another, which
  // engine.js's own steppers compute.
  attach(model) {
    const { config, tensors } = model, w = this.wasm, size = config.image_size;
    const known = config.name === "gated" || (config.name === "pixelcnn" && (config.first_mask ?? "A") === "A");
    if (!known) return false;
    let pointer;
    if (config.name === "pixelcnn") {
      const names = ["first"];
      for (let i = 0; i < config.blocks; i++) names.push(...["reduce", "masked", "expand"].map((n) => `blocks.${i}.${n}`));
      for (let i = 0; i < config.head_layers; i++) names.push(`head.${i}`);
      names.push("out");
      const layers = this.pointers(names.map((name) => this.dense(tensors, name)));
      pointer = w.plain_new(size, config.first_kernel >> 1, config.block_kernel >> 1, config.filters, config.blocks,
        config.head_layers, config.levels, layers);
    } else {
      const names = [], biases = [];
      for (let i = 0; i <= config.layers; i++) {
        names.push(...["vertical", "to_horizontal", "horizontal", "out"].map((n) => `layers.${i}.${n}`));
        biases.push(this.copyIn(tensors[`layers.${i}.class_bias`]));
      }
      names.push("hidden", "logits");
      const layers = this.pointers(names.map((name) => this.dense(tensors, name)));
      pointer = w.gated_new(size, config.layers + 1, config.channels, config.levels, config.first_kernel,
        config.kernel, layers, this.pointers(biases));
    }
    model.fast = (label) => new WasmStepper(this, config, pointer, label);
    return true;
  }
}

// engine.js's stepper interface (logits, prefill, rewind), one call into engine.wasm per pixel. The levels the
// network reads are copied into the module's memory as they become known: pixel p - 1 before the step at p.
class WasmStepper {
  constructor(engine, config, model, label) {
    const w = engine.wasm, plain = config.name === "pixelcnn";
    this.engine = engine;
    this.width = config.image_size;
    this.levelCount = config.levels;
    this.calls = plain
      ? { step: w.plain_step, prefill: w.plain_prefill, copy: w.plain_copy, free: w.plain_free, levels: w.plain_levels,
        logits: w.plain_logits_at }
      : { step: w.gated_step, prefill: w.gated_prefill, copy: w.gated_copy, free: w.gated_free, levels: w.gated_levels,
        logits: w.gated_logits_at };
    this.rewindCall = plain ? null : w.gated_rewind; // the plain model has nothing to forget (engine.js says why)
    this.state = plain ? w.plain_state(model) : w.gated_state(model, label === null ? config.classes : label);
    this.levelsAt = this.calls.levels(this.state); // (H * W) float32 in the module's memory
    this.logitsAt = this.calls.logits(this.state); // (L,)
  }

  write(levels, begin, end) { // pixels begin .. end - 1 of levels (H, W) into the module's copy
    const copy = this.engine.floats(this.levelsAt, this.width * this.width), width = this.width;
    for (let p = Math.max(begin, 0); p < end; p++) copy[p] = levels[Math.floor(p / width)][p % width];
  }

  logits(levels, row, col) { // (L,), a view into the module's memory: valid until the next call
    const position = row * this.width + col;
    this.write(levels, position - 1, position);
    this.calls.step(this.state, row, col);
    return this.engine.floats(this.logitsAt, this.levelCount);
  }

  prefill(levels, begin, end) {
    this.write(levels, 0, end);
    this.calls.prefill(this.state, begin, end);
  }

  rewind(position) {
    this.rewindCall?.(this.state, position);
  }

  copyFrom(other) {
    this.calls.copy(this.state, other.state);
  }

  free() { // its memory kept by engine.wasm for the next stepper of the model
    if (this.state) this.calls.free(this.state);
    this.state = 0;
  }
}

export { WasmEngine, supported };
