// Runs demo/page/photo.js in node for tests/test_photo.py: reads a JSON list of {path, height, width} on stdin (each
// file holds a picture's RGBA bytes, row by row), writes the list of answers: null, or {side, greys: [...]}.
import { readFileSync } from "node:fs";
import { garmentPicture } from "../demo/page/photo.js";

const pictures = JSON.parse(readFileSync(0, "utf8"));
const answers = pictures.map(({ path, height, width }) => {
  const framed = garmentPicture(new Uint8Array(readFileSync(path)), width, height);
  return framed && { side: framed.side, greys: Array.from(framed.greys) };
});
process.stdout.write(JSON.stringify(answers));
