// Runs demo/page/engine.js (an ES module, the very file the page imports) in node for tests/test_engine.py: reads one JSON question on stdin, writes the answer.
// "engine": "wasm" makes the model's steppers those of demo/page/engine_wasm.js (demo/engine.wasm); else engine.js's own.
//   {"weights": path, "logits": [{levels, label}]}  -> the logits (256, L) of every pixel of each image, teacher-forced
//   {"weights": path, "trace": [{levels, known_pixels or hole, temperature, seed, label}]} -> engine.trace of each
//   {"weights": path, "teacher": [{levels, known_pixels, temperature, seed, label}]} -> engine.teacherForced of each
//   {"weights": path, "again": {label, asks: [{levels, known_pixels or hole, temperature, seed}]}}
//        -> each ask answered by one Completion kept between asks, and by a fresh one; the steps each took
//   {"answers": {limits, texts, weights: {name: path}, questions: [...]}}
//        -> engine.Answers's reply to each of the page's questions, and the questions as JavaScript writes them
//   {"uniform": [[seed, pixel], ...]}                 -> the uniforms
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as engine from "../demo/page/engine.js";
import { WasmEngine } from "../demo/page/engine_wasm.js";
import { uniform } from "../demo/page/rng.js";

const demo = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "demo");

function read(file) { // a file's bytes as an ArrayBuffer of their own
  const bytes = fs.readFileSync(file);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
}

async function main() {
  const question = JSON.parse(fs.readFileSync(0, "utf8"));
  const fast = question.engine === "wasm" ? await WasmEngine.create(fs.readFileSync(path.join(demo, "engine.wasm"))) : null;
  if (question.engine === "wasm" && !fast) throw new Error("no WebAssembly SIMD in this node");
  const answer = {};
  if (question.uniform) answer.uniform = question.uniform.map(([seed, pixel]) => uniform(seed, pixel));
  if (question.weights) {
    const model = engine.readWeights(read(question.weights));
    fast?.attach(model);
    answer.logits = (question.logits || []).map(({ levels, label }) => {
      const stepper = engine.stepper(model, label ?? null), size = levels.length, out = [];
      for (let p = 0; p < size * size; p++) out.push(Array.from(stepper.logits(levels, Math.floor(p / size), p % size)));
      stepper.free?.();
      return out;
    });
    const kept = (q) => engine.keptCells(q.levels.length, q.known_pixels, q.hole);
    answer.trace = (question.trace || []).map((q) =>
      engine.trace(model, q.levels, kept(q), q.temperature, q.seed, q.label ?? null));
    answer.teacher = (question.teacher || []).map((q) =>
      engine.teacherForced(model, q.levels, kept(q), q.temperature, q.seed, q.label ?? null));
    if (question.again) {
      const completion = new engine.Completion(model, question.again.label ?? null), steps = [], prefilled = [];
      answer.again = { kept: [], fresh: [], steps, prefilled };
      for (const q of question.again.asks) {
        const before = [completion.stepped, completion.prefilled];
        answer.again.kept.push(completion.trace(q.levels, kept(q), q.temperature, q.seed));
        steps.push(completion.stepped - before[0]);
        prefilled.push(completion.prefilled - before[1]);
        answer.again.fresh.push(engine.trace(model, q.levels, kept(q), q.temperature, q.seed, question.again.label ?? null));
      }
    }
  }
  if (question.answers) {
    const { limits, texts, weights, questions } = question.answers;
    const answers = new engine.Answers(limits, texts, fast);
    for (const [name, file] of Object.entries(weights)) answers.add(name, read(file));
    answer.answers = questions.map((q) => answers.answer(q));
    answer.asked = questions; // as the page would send them to the server: numbers as JavaScript writes them
  }
  process.stdout.write(JSON.stringify(answer));
}

main();
