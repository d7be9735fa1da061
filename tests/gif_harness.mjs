// Runs demo/page/gif.js in node for tests/test_gif_js.py: reads one JSON question on stdin, writes the answer.
//   {"start": 16x16 levels, "trace": [{row, col, level}, ...], "settings": demo.handlers.gif_settings()}
//        -> {"gif": the GIF's bytes in base64, "ms": milliseconds the encoding took}
import { readFileSync } from "node:fs";
import { encodeGif } from "../demo/page/gif.js";

const { start, trace, settings } = JSON.parse(readFileSync(0, "utf8"));
const began = performance.now();
const gif = encodeGif(start, trace, settings);
process.stdout.write(JSON.stringify({ gif: Buffer.from(gif).toString("base64"), ms: performance.now() - began }));
