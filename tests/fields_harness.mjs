// Runs demo/page/fields.js in node for tests/test_fields_js.py: reads one JSON question on stdin, writes the answer.
//   {"wiring": Wiring.to_dict(), "size": 16, "pixels": [[row, col], ...]}
//        -> "fields": per pixel, per depth {layer, field, stacks: {name: cells}, blind_spot}, cells as "0101..."
//   {"wiring", "size", "why": [[row, col, depth, source_row, source_col], ...], "texts": {lang: {key: text}}}
//        -> "why": per question {chain: [hop, ...]} or {reason: {key, fields}, sentences: {lang: sentence}}
//   {"measured": path, "pixels": [[row, col], ...]} -> "measured": per pixel its field (rows of numbers)
import { readFileSync } from "node:fs";
import { Fields, chain, readMeasured, sentence, whyNot } from "../demo/page/fields.js";

const question = JSON.parse(readFileSync(0, "utf8"));
const cells = (grid) => grid.map((row) => row.map(Number).join("")).join("");
const answer = {};
if (question.pixels && question.wiring) {
  const fields = new Fields(question.wiring, question.size);
  answer.fields = question.pixels.map(([row, col]) => fields.at(row, col).map((layer) => ({
    layer: layer.layer,
    field: cells(layer.field),
    stacks: Object.fromEntries(Object.entries(layer.stacks).map(([name, grid]) => [name, cells(grid)])),
    blind_spot: cells(layer.blindSpot),
  })));
}
if (question.why) {
  answer.why = question.why.map(([row, col, depth, sourceRow, sourceCol]) => {
    const source = [sourceRow, sourceCol];
    const hops = chain(question.wiring, question.size, row, col, depth, source);
    if (hops) return { chain: hops };
    const reason = whyNot(question.wiring, question.size, row, col, depth, source);
    const sentences = Object.fromEntries(Object.entries(question.texts ?? {}).map(([lang, t]) => [lang, sentence(reason, t)]));
    return { reason, sentences };
  });
}
if (question.measured) {
  const file = readFileSync(question.measured);
  const measured = readMeasured(file.buffer.slice(file.byteOffset, file.byteOffset + file.length));
  answer.measured = question.pixels.map(([row, col]) => measured.at(row, col));
}
process.stdout.write(JSON.stringify(answer));
