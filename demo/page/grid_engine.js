// The model in the page, for the grid (demo/page/grid.js): demo/page/engine.js answers a completion and 4 side by
// side here once the model's weights are loaded, and the server is not asked; until then, or if they cannot be
// loaded, the server answers (component.js `ask` is unchanged). The engine computes in WebAssembly
// (demo/page/engine_wasm.js, demo/engine.wasm) where the browser runs its SIMD, else in engine.js's JavaScript; the
// page says which. It runs in a Web Worker (demo/page/engine_worker.js, a module worker), so that the page's thread,
// which draws, plays and takes the clicks, never waits for the network; 4 side by side are shared out among up to 4
// workers (one per processor core), each with its own copy of the weights, fetched once by this thread. Without a
// worker (no Worker in this browser, or it failed, or ?worker=off) the engine runs on the page's thread, imported
// from the page's modules.
// ?engine=off asks the server for everything.

import { fetchBytes } from "./loads.js";
import { TEXTS } from "./locales.js";

export const REPLACED = { replaced: true }; // the answer to a request replaced by a newer one before it was computed
export const GALLERY = 4; // completions side by side

// props: the grid's (engine_weights, engine_wasm, engine_limits); pageURL, importPage: component.js's;
// changed(): a model loaded or failed, the engine started or a worker failed. Returns `here`: what is loaded where,
// `compute(question)` and `computing(kind)`; `start()` loads the models.
export function pageEngine({ props, pageURL, importPage, changed }) {
  const address = new URLSearchParams(location.search);
  const here = {
    off: address.get("engine") === "off",
    workers: [], // the Web Workers computing, while they work: the first answers everything, the others help it
    loaded: [], // per worker, {model name: true} once its weights are loaded there
    answers: null, // engine.Answers on this thread: without a worker
    engine: null, // which engine computes: "wasm" (WebAssembly SIMD) or "js"; null until one has started
    models: {}, // model name -> where its weights are loaded: "worker" or "page" (this thread)
    failed: {}, // model name -> true if its weights could not be loaded: the server answers for it
    queues: {}, // kind -> {busy, next}: the request being computed, and the newest one waiting for it
    sent: 0, // requests sent to the workers: each one's id
    parts: new Map(), // id of a request sent to a worker -> {queue, index}: whose answer, which part of it
  };

  function loadModels() {
    const urls = Object.fromEntries(Object.entries(props.engine_weights ?? {})
      .map(([name, url]) => [name, new URL(url, document.baseURI).href])); // absolute: the worker's base differs
    if (here.off) return;
    if (address.get("worker") !== "off" && typeof Worker === "function") {
      const wasm = new URL(props.engine_wasm, document.baseURI).href;
      const start = { limits: props.engine_limits, texts: TEXTS, wasm };
      const count = Math.max(1, Math.min(GALLERY, navigator.hardwareConcurrency || 1));
      try {
        for (let i = 0; i < count; i++) {
          const worker = new Worker(pageURL("engine_worker.js"), { type: "module" });
          worker.onmessage = ({ data }) => fromWorker(i, data);
          worker.onerror = worker.onmessageerror = (event) => {
            event.preventDefault?.();
            workerFailed(i, urls);
          };
          worker.postMessage(start);
          here.workers.push(worker);
          here.loaded.push({});
        }
        for (const [name, url] of Object.entries(urls)) shareWeights(name, url);
        return;
      } catch (error) {
        console.error(error); // no worker allowed here: this thread computes
        if (here.workers.length) return;
      }
    }
    loadHere(urls);
  }

  // A model's weights fetched once here and given to every worker (4.4 MB for the gated model: each worker fetched
  // its own before, as many downloads as processor cores); the last takes the bytes themselves, the others a copy.
  async function shareWeights(name, url) {
    let bytes;
    try {
      bytes = await fetchBytes(url);
    } catch (error) {
      console.error(error); // the server answers for this model
      here.failed[name] = true;
      changed();
      return;
    }
    const workers = here.workers.filter(Boolean);
    workers.forEach((worker, i) => worker.postMessage({ weights: name, bytes }, i < workers.length - 1 ? [] : [bytes]));
  }

  async function loadHere(urls) {
    let engine, fast = null;
    try {
      engine = await importPage("engine.js");
    } catch (error) {
      console.error(error); // the engine's files could not be had: the server answers
      for (const name of Object.keys(urls)) here.failed[name] = true;
      changed();
      return;
    }
    try {
      const { WasmEngine } = await importPage("engine_wasm.js");
      fast = await WasmEngine.create(await (await fetch(props.engine_wasm)).arrayBuffer());
    } catch (error) {
      console.error(error); // no WebAssembly here: engine.js's steppers compute
    }
    here.answers = new engine.Answers(props.engine_limits, TEXTS, fast);
    here.engine = here.answers.engine;
    for (const [name, url] of Object.entries(urls)) {
      here.answers.load(name, url)
        .then(() => { here.models[name] = "page"; }, () => { here.failed[name] = true; })
        .finally(changed);
    }
  }

  function fromWorker(index, data) { // an answer, the engine started, or a model loaded (or not) in worker `index`
    if ("id" in data) {
      const part = here.parts.get(data.id);
      here.parts.delete(data.id);
      if (part) answered(part, data.reply);
      return;
    }
    if ("engine" in data) {
      if (index === 0) here.engine = data.engine;
    } else if ("loaded" in data) {
      here.loaded[index][data.loaded] = true;
      if (index === 0) here.models[data.loaded] = "worker";
    } else if (index === 0) here.failed[data.failed] = true;
    changed();
  }

  function workerFailed(index, urls) { // the first: its requests are answered null (the server answers them), then
    if (!here.workers[index]) return; // this thread loads; another: only its part is asked again of the first
    if (index > 0) {
      here.workers[index].terminate();
      here.workers[index] = null;
      here.loaded[index] = {};
      for (const [id, part] of here.parts) if (part.worker === index) { here.parts.delete(id); send(part.queue, part.index, 0); }
      return;
    }
    for (const worker of here.workers) worker?.terminate();
    here.workers = [];
    here.engine = null;
    for (const name of Object.keys(here.models)) delete here.models[name];
    here.parts.clear();
    for (const queue of Object.values(here.queues)) if (queue.busy) finish(queue, null);
    loadHere(urls);
    changed();
  }

  // The engine's answer to a question, or null when it cannot answer (the model is not loaded, or the engine
  // failed on it), or REPLACED. One request of each kind is computed at a time; while it is, the newest one of
  // that kind waits and replaces any older one waiting, which is never computed: a dragged slider asks again at
  // every move, and only its latest value is computed once the engine is free.
  function compute(question) {
    if (!here.models[question.model]) return Promise.resolve(null);
    const queue = (here.queues[question.kind] ??= { busy: null, next: null });
    return new Promise((resolve) => {
      queue.next?.resolve(REPLACED);
      queue.next = { question, resolve };
      if (!queue.busy) computeNext(queue);
    });
  }

  function computeNext(queue) {
    const job = (queue.busy = queue.next);
    queue.next = null;
    if (!job) return;
    const where = (job.where = here.models[job.question.model]);
    if (where === "worker") {
      // 4 side by side: each worker that has the model computes some of them (engine.Answers's `only`)
      const helpers = here.workers.map((w, i) => i).filter((i) => here.loaded[i][job.question.model]);
      const shared = job.question.kind === "gallery" && helpers.length > 1;
      job.replies = shared ? new Array(GALLERY).fill(undefined) : [undefined];
      job.replies.forEach((_, index) => send(queue, shared ? index : null, helpers[shared ? index % helpers.length : 0]));
      return;
    }
    setTimeout(() => { // after the status line is drawn
      try {
        finish(queue, where ? here.answers.answer(job.question) : null);
      } catch (error) {
        console.error(error); // a fault of the engine: the server answers
        finish(queue, null);
      }
    }, 0);
  }

  function send(queue, index, worker) { // part `index` of the queue's job (null: the whole question) to a worker
    const id = ++here.sent, question = index === null ? queue.busy.question : { ...queue.busy.question, only: index };
    here.parts.set(id, { queue, index, worker, job: queue.busy });
    here.workers[worker].postMessage({ id, question });
  }

  function answered(part, reply) { // a worker's reply to a part; the whole answer once every part has come
    const { queue, job, index } = part;
    if (queue.busy !== job) return;
    if (index === null || !reply || reply.error) {
      finish(queue, reply);
      return;
    }
    job.replies[index] = reply.results[0];
    if (job.replies.every((result) => result !== undefined)) finish(queue, { ...reply, results: job.replies });
  }

  function finish(queue, reply) {
    const job = queue.busy;
    queue.busy = null;
    for (const [id, part] of here.parts) if (part.job === job) here.parts.delete(id); // parts not needed any more
    if (reply) for (const result of reply.results ?? (reply.result ? [reply.result] : [])) result.source = job.where;
    job.resolve(reply);
    computeNext(queue);
  }

  const computing = (kind) => !!(here.queues[kind]?.busy || here.queues[kind]?.next);

  return Object.assign(here, { start: loadModels, compute, computing });
}
