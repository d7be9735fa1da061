// Runs demo/page/engine.js's readWeights in node for tests/test_learning_engine.py: reads {"files": [path, ...]} on
// stdin, writes for each file {tensor name: sha256 of its float32 bytes as the page holds them} on stdout.
import { createHash } from "node:crypto";
import fs from "node:fs";
import * as engine from "../demo/page/engine.js";

const { files } = JSON.parse(fs.readFileSync(0, "utf8"));
const hashes = files.map((file) => {
  const bytes = fs.readFileSync(file);
  const { tensors } = engine.readWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const bytes32 = (array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  return Object.fromEntries(Object.entries(tensors).map(([name, array]) =>
    [name, createHash("sha256").update(bytes32(array)).digest("hex")]));
});
process.stdout.write(JSON.stringify(hashes));
