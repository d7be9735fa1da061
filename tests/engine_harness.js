// Runs demo/engine.js in node for tests/test_engine.py: reads one JSON question on stdin, writes the answer.
//   {"weights": path, "logits": [{levels, label}]}  -> the logits (256, L) of every pixel of each image, teacher-forced
//   {"weights": path, "trace": [{levels, known_pixels or hole, temperature, seed, label}]} -> engine.trace of each
//   {"weights": path, "teacher": [{levels, known_pixels, temperature, seed, label}]} -> engine.teacherForced of each
//   {"weights": path, "again": {label, asks: [{levels, known_pixels or hole, temperature, seed}]}}
//        -> each ask answered by one Completion kept between asks, and by a fresh one; the steps each took
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
  const kept = (q) => engine.keptCells(q.levels.length, q.known_pixels, q.hole);
  answer.trace = (question.trace || []).map((q) =>
    engine.trace(model, q.levels, kept(q), q.temperature, q.seed, q.label ?? null));
  answer.teacher = (question.teacher || []).map((q) =>
    engine.teacherForced(model, q.levels, kept(q), q.temperature, q.seed, q.label ?? null));
  if (question.again) {
    const completion = new engine.Completion(model, question.again.label ?? null), steps = [];
    answer.again = { kept: [], fresh: [], steps };
    for (const q of question.again.asks) {
      const before = completion.stepped;
      answer.again.kept.push(completion.trace(q.levels, kept(q), q.temperature, q.seed));
      steps.push(completion.stepped - before);
      answer.again.fresh.push(engine.trace(model, q.levels, kept(q), q.temperature, q.seed, question.again.label ?? null));
    }
  }
}
process.stdout.write(JSON.stringify(answer));
