// Runs demo/engine.js in node for tests/test_engine.py: reads one JSON question on stdin, writes the answer.
//   {"weights": path, "logits": [{levels, label}]}  -> the logits (256, L) of every pixel of each image, teacher-forced
//   {"weights": path, "trace": [{levels, known_pixels, temperature, seed, label}]} -> engine.trace of each
//   {"uniform": [[seed, pixel], ...]}                 -> the uniforms
const fs = require("fs");
const path = require("path");
const engine = require(path.join(__dirname, "..", "demo", "engine.js"));

const question = JSON.parse(fs.readFileSync(0, "utf8"));
const answer = {};
if (question.uniform) answer.uniform = question.uniform.map(([seed, pixel]) => engine.uniform(seed, pixel));
if (question.weights) {
  const file = fs.readFileSync(question.weights);
  const model = engine.readWeights(file.buffer.slice(file.byteOffset, file.byteOffset + file.length));
  answer.logits = (question.logits || []).map(({ levels, label }) => {
    const stepper = engine.stepper(model, label ?? null), size = levels.length, out = [];
    for (let p = 0; p < size * size; p++) out.push(Array.from(stepper.logits(levels, Math.floor(p / size), p % size)));
    return out;
  });
  answer.trace = (question.trace || []).map((q) =>
    engine.trace(model, q.levels, q.known_pixels, q.temperature, q.seed, q.label ?? null));
}
process.stdout.write(JSON.stringify(answer));
