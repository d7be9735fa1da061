// Runs demo/page/upload.js in node for tests/test_upload_js.py: reads a JSON list of file paths on stdin, reads each
// file as the page reads an upload, and writes the list of answers: {levels, asIs, framed} or {error, fields}.
import { readFileSync } from "node:fs";
import { readUpload } from "../demo/page/upload.js";

const [maxPixels, maxSide, budget] = process.argv.slice(2).map(Number);
const answers = [];
for (const path of JSON.parse(readFileSync(0, "utf8"))) {
  answers.push(await readUpload(new Uint8Array(readFileSync(path)), { maxPixels, maxSide, budget }));
}
process.stdout.write(JSON.stringify(answers));
