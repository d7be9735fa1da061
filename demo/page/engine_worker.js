// The page's engine in a Web Worker: the network runs here, never on the page's own thread (a gated completion
// takes tens of ms in WebAssembly, 0.2-0.4 s in JavaScript: the page would freeze that long).
// A module worker (`new Worker(url, {type: "module"})`) importing the very files the page's thread would run;
// demo/ui.py serves demo/page/ as one folder named by its content; demo/page/grid_engine.js starts it (up to 4 of
// them: 4 side by side are shared out), and falls back to the engine on its own thread without one.
// Messages from the page:
//   {limits, texts, wasm: url, load: {name: url}}  the engine to start (WebAssembly if it runs here, else
//                       engine.js's own steppers) and the weights to load (absolute URLs: this script's own address
//                       is not the page's); limits and texts: engine.Answers's, to refuse as the server does
//   {id, question}      a question for engine.Answers (one at a time: the page sends the next on the reply)
// Messages to the page:
//   {engine: "wasm" or "js"}          which engine computes, once started
//   {loaded: name} or {failed: name}  each model, once its weights are loaded or could not be
//   {id, reply}                       the answer; reply null if the engine failed on it (the page asks the server)

import { Answers } from "./engine.js";
import { WasmEngine } from "./engine_wasm.js";

let answers = null;

async function start({ limits, texts, wasm, load }) {
  let fast = null;
  try {
    const answer = await fetch(wasm);
    if (answer.ok) fast = await WasmEngine.create(await answer.arrayBuffer());
  } catch (error) {
    console.error(error); // no WebAssembly here: engine.js's steppers compute
  }
  answers = new Answers(limits, texts, fast);
  postMessage({ engine: answers.engine });
  for (const [name, url] of Object.entries(load)) {
    answers.load(name, url).then(() => postMessage({ loaded: name }), () => postMessage({ failed: name }));
  }
}

onmessage = ({ data }) => {
  if (data.load) {
    start(data);
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
