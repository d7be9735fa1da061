// The page's engine in a Web Worker: the network runs here, never on the page's own thread (a gated completion
// takes tens of ms in WebAssembly, 0.2-0.4 s in JavaScript: the page would freeze that long).
// A module worker (`new Worker(url, {type: "module"})`) importing the very files the page's thread would run;
// demo/ui.py serves demo/page/ as one folder named by its content; demo/page/grid_engine.js starts it (up to 4 of
// them: 4 side by side are shared out), and falls back to the engine on its own thread without one.
// Messages from the page:
//   {limits, texts, wasm: url}  the engine to start (WebAssembly if it runs here, else engine.js's own steppers; an
//                       absolute URL: this script's own address is not the page's); limits and texts:
//                       engine.Answers's, to refuse as the server does
//   {weights: name, bytes}  a model's engine file, fetched once by the page for all its workers
//   {id, question}      a question for engine.Answers (one at a time: the page sends the next on the reply)
// Messages to the page:
//   {engine: "wasm" or "js"}          which engine computes, once started
//   {loaded: name} or {failed: name}  each model, once its weights are loaded or could not be
//   {id, reply}                       the answer; reply null if the engine failed on it (the page asks the server)

import { Answers } from "./engine.js";
import { WasmEngine } from "./engine_wasm.js";

let answers = null;
let started = null; // start's promise: weights may come before the engine has started

async function start({ limits, texts, wasm }) {
  let fast = null;
  try {
    const answer = await fetch(wasm);
    if (answer.ok) fast = await WasmEngine.create(await answer.arrayBuffer());
  } catch (error) {
    console.error(error); // no WebAssembly here: engine.js's steppers compute
  }
  answers = new Answers(limits, texts, fast);
  postMessage({ engine: answers.engine });
}

async function add({ weights, bytes }) {
  try {
    await started;
    answers.add(weights, bytes);
    postMessage({ loaded: weights });
  } catch (error) {
    console.error(error); // a broken file (or no engine): the server answers for this model
    postMessage({ failed: weights });
  }
}

onmessage = ({ data }) => {
  if (data.wasm) {
    started = start(data);
    return;
  }
  if (data.weights) {
    add(data);
    return;
  }
  let reply = null;
  try {
    reply = answers.answer(data.question);
  } catch (error) {
    console.error(error);
  }
  postMessage({ id: data.id, reply });
};
