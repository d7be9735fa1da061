// An uploaded picture read in the page, never sent anywhere: the twin of demo/canvas.py's `read_file` (header checks,
// decoding, grey laid on black) followed by photo.js (the garment framed) and rule.js (16x16 levels), so that a
// file gives the levels, the reading and the refusal that the server's /levels_from_image gives it. An ES module:
// the page and node's tests import it alike; the DOM is touched only by `decodeBitmap` (formats other than PNG).
//
// PNG is decoded byte-exactly (npm's fast-png, vendored) into what Pillow holds for it, its "mode" (Pillow's names:
// "1", "L", "LA", "I;16", "RGB", "RGBA", "P"), then turned to grey and to RGBA exactly as Pillow converts that mode
// (its integer luma, its transparency rules, 16 bits cut to their high byte where Pillow cuts them). JPEG, GIF, WebP
// and BMP are decoded by the browser (createImageBitmap, no colour management, as Pillow): lossless ones agree with
// Pillow, a JPEG nearly (decoders differ; bench/upload_jpeg.py prints the share of equal levels). A JPEG is read at
// the reduced scale Pillow's `draft` reads it (the mean of each s x s block stands for libjpeg's scaled decoding).
//
// readUpload(bytes, limits) -> {levels, asIs, framed} (16x16 ints), or {error, fields}: the key of the sentence in
// demo/locales/ and what fills it.

import { garmentPicture } from "./photo.js";
import { toLevels } from "./rule.js";
import { decode } from "./vendor/png.js";

const BOMB = 2 * 89478485; // Pillow refuses to open a picture of more pixels (2 x Image.MAX_IMAGE_PIXELS)
const LINE = 8; // bytes Pillow adds per line of a picture
const STORED = { "1": 1, L: 1, P: 1, "I;16": 2 }; // bytes a pixel takes in Pillow; else 4
const THUMB = 256; // demo/canvas.py: a JPEG is drafted to at least SIZE * 16 pixels a side
// Pillow's mode for each PNG (bit depth, colour type): PngImagePlugin._MODES
const PNG_MODES = {
  "1,0": "1", "2,0": "L", "4,0": "L", "8,0": "L", "16,0": "I;16", "8,2": "RGB", "16,2": "RGB",
  "1,3": "P", "2,3": "P", "4,3": "P", "8,3": "P", "8,4": "LA", "16,4": "RGBA", "8,6": "RGBA", "16,6": "RGBA",
};

const refused = (error, fields = {}) => ({ error, fields });

// ---- the header: format, size and Pillow's mode, before anything is decoded

// bytes (Uint8Array) -> {format, width, height, mode, ...} as Pillow's Image.open reads it, or null: not a picture.
export function readHeader(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (at, n) => String.fromCharCode(...bytes.subarray(at, at + n));
  if (text(0, 8) === "\x89PNG\r\n\x1a\n") {
    if (bytes.length < 29 || text(12, 4) !== "IHDR") return null;
    const depth = bytes[24], colour = bytes[25], mode = PNG_MODES[`${depth},${colour}`];
    if (!mode) return null; // Pillow: "unknown PNG mode"
    return { format: "PNG", width: view.getUint32(16), height: view.getUint32(20), mode, depth, colour,
      interlaced: bytes[28] === 1 };
  }
  if (text(0, 6) === "GIF87a" || text(0, 6) === "GIF89a") {
    if (bytes.length < 10) return null;
    return { format: "GIF", width: view.getUint16(6, true), height: view.getUint16(8, true), mode: "P" };
  }
  if (text(0, 2) === "BM") {
    if (bytes.length < 30) return null;
    const bits = view.getUint16(28, true);
    return { format: "BMP", width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)),
      mode: bits <= 8 ? "P" : bits === 32 ? "RGBA" : "RGB" };
  }
  if (text(0, 4) === "RIFF" && text(8, 4) === "WEBP") return webpHeader(bytes, view, text);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpegHeader(bytes, view, text);
  if (text(0, 4) === "II*\0" || text(0, 4) === "MM\0*") return { format: "TIFF", width: 0, height: 0, mode: "RGBA" };
  return null;
}

function webpHeader(bytes, view, text) {
  const kind = text(12, 4);
  if (kind === "VP8X" && bytes.length >= 30) {
    return { format: "WEBP", width: 1 + (view.getUint32(24, true) & 0xffffff),
      height: 1 + (view.getUint32(27, true) & 0xffffff), mode: "RGBA" };
  }
  if (kind === "VP8L" && bytes.length >= 25) {
    const bits = view.getUint32(21, true);
    return { format: "WEBP", width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff), mode: "RGBA" };
  }
  if (kind === "VP8 " && bytes.length >= 30) {
    return { format: "WEBP", width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff,
      mode: "RGB" };
  }
  return null;
}

// A JPEG's frame header (SOF): its size, components and their sampling, and whether it is progressive.
function jpegHeader(bytes, view, text) {
  let at = 2, orientation = 1;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1];
    if (marker === 0xff) { at += 1; continue; }
    const length = view.getUint16(at + 2);
    if (marker === 0xe1 && text(at + 4, 6) === "Exif\0\0") { // APP1: the EXIF, a TIFF header after 6 bytes
      const size = Math.max(0, Math.min(length - 8, bytes.length - at - 10));
      orientation = exifOrientation(new DataView(bytes.buffer, bytes.byteOffset + at + 10, size));
    }
    const frame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (frame) {
      if (at + 10 > bytes.length) return null;
      const count = bytes[at + 9], layers = [];
      for (let i = 0; i < count && at + 12 + 3 * i <= bytes.length; i++) {
        const sampling = bytes[at + 11 + 3 * i];
        layers.push([sampling >> 4, sampling & 15]);
      }
      return { format: "JPEG", width: view.getUint16(at + 7), height: view.getUint16(at + 5),
        mode: { 1: "L", 3: "RGB", 4: "CMYK" }[count] ?? "RGB", progressive: marker === 0xc2, layers, orientation };
    }
    at += 2 + length;
  }
  return null;
}

// The EXIF orientation (1-8) in a JPEG's APP1 segment (a TIFF header, then IFD0's tag 0x0112); 1 if none or unread.
function exifOrientation(tiff) {
  try {
    const little = tiff.getUint16(0) === 0x4949, first = tiff.getUint32(4, little);
    for (let i = 0; i < tiff.getUint16(first, little); i++) {
      const entry = first + 2 + 12 * i;
      if (tiff.getUint16(entry, little) === 0x0112) return tiff.getUint16(entry + 8, little);
    }
  } catch {
    return 1; // cut short: no orientation
  }
  return 1;
}

// A picture the browser turned by its EXIF orientation (browsers always do: createImageBitmap's "from-image") turned
// back to the pixels as stored, as Pillow reads them: stored pixel (x, y) is at (xd, yd) of the turned one.
export function unturned(picture, orientation) {
  const turned = picture.data, swapped = orientation >= 5;
  const width = swapped ? picture.height : picture.width, height = swapped ? picture.width : picture.height;
  const where = {
    2: (x, y) => [width - 1 - x, y], 3: (x, y) => [width - 1 - x, height - 1 - y], 4: (x, y) => [x, height - 1 - y],
    5: (x, y) => [y, x], 6: (x, y) => [height - 1 - y, x], 7: (x, y) => [height - 1 - y, width - 1 - x],
    8: (x, y) => [y, width - 1 - x],
  }[orientation];
  if (!where) return picture;
  const data = new Uint8Array(turned.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [xd, yd] = where(x, y), from = 4 * (yd * picture.width + xd), to = 4 * (y * width + x);
      for (let c = 0; c < 4; c++) data[to + c] = turned[from + c];
    }
  }
  return { mode: "RGBA", width, height, data };
}

// The scale Pillow's draft reads a JPEG at (JpegImageFile.draft(mode, (256, 256))): 1, 2, 4 or 8.
export function jpegScale(width, height) {
  const most = Math.min(Math.floor(width / THUMB), Math.floor(height / THUMB));
  return [8, 4, 2, 1].find((s) => most >= s) ?? 1;
}

// demo/canvas.py reading_cost: the bytes the server's reading holds at the peak (same terms, same order).
export function readingCost(header, width, height, fullWidth, fullHeight) {
  const pixels = width * height, lines = LINE * height, mode = header.mode;
  let decoded = pixels * (STORED[mode] ?? 4) + lines;
  if (header.format === "WEBP") decoded = 19 * pixels;
  if (header.format === "TIFF") decoded += 4 * pixels;
  if (header.format === "JPEG" && header.progressive) decoded += coefficients(header.layers, fullWidth, fullHeight);
  const wide = mode === "I;16";
  let greying = wide ? 3 * 4 * pixels : 4 * (pixels + lines);
  if (!["L", "LA", "RGB", "RGBA"].includes(mode) && !wide) greying += 4 * pixels + lines;
  const greys = pixels * (wide ? 4 : 1);
  const shrink = 8 * pixels + 3 * 128 * Math.min(width, height) + 16 * (width + height);
  const photo = 8 * pixels + 2 * lines;
  const kept = pixels * (STORED[mode] ?? 4) + lines;
  return Math.max(decoded + greying, kept + greys + shrink, kept + photo);
}

function coefficients(layers, width, height) { // a progressive JPEG's coefficients, kept at full size by libjpeg
  const mostH = Math.max(...layers.map(([h]) => h)), mostV = Math.max(...layers.map(([, v]) => v));
  let blocks = 0;
  for (const [h, v] of layers) blocks += Math.ceil((width * h) / (8 * mostH)) * Math.ceil((height * v) / (8 * mostV));
  return 128 * blocks;
}

// What the server would refuse about a picture, from its header alone (demo/canvas.py open_picture), or null.
// limits: {maxPixels, maxSide, budget} (demo/canvas.py MAX_PIXELS, MAX_SIDE, BUDGET: the bytes the server lets
// reading one picture take; the page refuses the same pictures).
export function headerProblem(header, limits) {
  if (!header) return refused("not_a_picture");
  const { width, height } = header;
  if (header.format === "TIFF") return null; // its size is read by the browser's decoder, if it has one
  if (Math.max(1, width) * Math.max(1, height) > BOMB) {
    return refused("huge_picture_any", { limit: Math.round(limits.maxPixels / 1e5) / 10 });
  }
  const scale = header.format === "JPEG" ? jpegScale(width, height) : 1;
  const readWidth = Math.ceil(width / scale), readHeight = Math.ceil(height / scale);
  if (readWidth * readHeight > limits.maxPixels) {
    return refused("huge_picture", { width, height, side: limits.maxSide });
  }
  const cost = readingCost(header, readWidth, readHeight, width, height);
  if (cost > limits.budget) {
    const mb = { cost: Math.round(cost / 2 ** 20), budget: Math.round(limits.budget / 2 ** 20) };
    return refused("costly_picture_page", { width, height, ...mb });
  }
  return null;
}

// ---- PNG: decoded into what Pillow holds, {mode, width, height, data, transparency, palette}

export async function readPng(bytes, header) {
  // fast-png 8.0 unpacks an interlaced picture's passes as if each sample took a byte: one of 1, 2 or 4 bits
  // is decoded here (adam7Small)
  const png = header.interlaced && header.depth < 8 ? await adam7Small(bytes, header) : decode(bytes);
  const { width, height, depth } = png;
  const channels = png.channels, mode = header.mode;
  let data = png.data;
  if (depth < 8 && !header.interlaced) data = unpacked(data, width, height, depth);
  const count = width * height;
  if (mode === "1") data = data.map((v) => (v ? 255 : 0)); // Pillow's "1" unpacker: 0 or 255
  else if (mode === "L" && depth < 8) data = data.map((v) => v * (255 / ((1 << depth) - 1))); // "L;2", "L;4"
  else if (depth === 16 && mode !== "I;16") { // Pillow keeps each 16-bit sample's high byte ("RGB;16B", ...)
    const high = new Uint8Array(count * (mode === "RGBA" ? 4 : 3));
    if (channels === 2) { // grey and alpha, 16 bits: Pillow's "LA;16B" into RGBA
      for (let p = 0; p < count; p++) {
        high.fill(data[2 * p] >> 8, 4 * p, 4 * p + 3);
        high[4 * p + 3] = data[2 * p + 1] >> 8;
      }
    } else {
      for (let i = 0; i < high.length; i++) high[i] = data[i] >> 8;
    }
    data = high;
  }
  const picture = { mode, width, height, data };
  if (png.transparency && mode !== "P") picture.transparency = Array.from(png.transparency);
  if (mode === "1" && picture.transparency) picture.transparency = [picture.transparency[0] ? 255 : 0];
  if (mode === "P") picture.palette = png.palette;
  return picture;
}

// Samples of 1, 2 or 4 bits, packed in bytes line by line (each line starting on a byte) -> one byte each.
function unpacked(packed, width, height, depth, line = Math.ceil((width * depth) / 8), out = null, place = null) {
  const values = out ?? new Uint8Array(width * height), mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const value = (packed[y * line + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
      values[place ? place(x, y) : y * width + x] = value;
    }
  }
  return values;
}

// An interlaced PNG of 1, 2 or 4 bits a sample, as fast-png answers: {width, height, depth, channels, data (one
// byte a sample), palette ([r, g, b(, a)] each), transparency}. Its IDAT chunks inflated here, each of the 7
// passes unfiltered (one byte a pixel in the filters) and unpacked into place.
async function adam7Small(bytes, header) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), parts = [];
  let palette, transparency;
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = view.getUint32(at), kind = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (kind === "IDAT") parts.push(data);
    if (kind === "PLTE") {
      palette = Array.from({ length: data.length / 3 }, (_, i) => Array.from(data.subarray(3 * i, 3 * i + 3)));
    }
    if (kind === "tRNS" && palette) palette.forEach((colour, i) => colour.push(i < data.length ? data[i] : 255));
    if (kind === "tRNS" && !palette) transparency = [view.getUint16(at + 8)];
    if (kind === "IEND") break;
    at += 12 + length;
  }
  const stream = new Blob(parts).stream().pipeThrough(new DecompressionStream("deflate"));
  const raw = new Uint8Array(await new Response(stream).arrayBuffer());
  const { width, height, depth } = header, out = new Uint8Array(width * height);
  const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];
  let offset = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const passWidth = Math.ceil((width - x0) / dx), passHeight = Math.ceil((height - y0) / dy);
    if (passWidth <= 0 || passHeight <= 0) continue;
    const line = Math.ceil((passWidth * depth) / 8), lines = new Uint8Array(line * passHeight);
    if (offset + (line + 1) * passHeight > raw.length) throw new Error("cut short");
    for (let y = 0; y < passHeight; y++) {
      unfilter(raw[offset], raw.subarray(offset + 1, offset + 1 + line), lines.subarray(y * line, (y + 1) * line),
        y ? lines.subarray((y - 1) * line, y * line) : null);
      offset += line + 1;
    }
    unpacked(lines, passWidth, passHeight, depth, line, out, (x, y) => (y0 + y * dy) * width + x0 + x * dx);
  }
  return { width, height, depth, channels: 1, data: out, palette, transparency };
}

function unfilter(kind, line, out, above) { // one line of PNG filter `kind`, one byte a pixel
  for (let i = 0; i < line.length; i++) {
    const left = i ? out[i - 1] : 0, up = above ? above[i] : 0, corner = i && above ? above[i - 1] : 0;
    let guess = 0;
    if (kind === 1) guess = left;
    else if (kind === 2) guess = up;
    else if (kind === 3) guess = (left + up) >> 1;
    else if (kind === 4) {
      const p = left + up - corner, pa = Math.abs(p - left), pb = Math.abs(p - up), pc = Math.abs(p - corner);
      guess = pa <= pb && pa <= pc ? left : pb <= pc ? up : corner;
    } else if (kind !== 0) throw new Error(`filter ${kind}`);
    out[i] = (line[i] + guess) & 255;
  }
}

// ---- Pillow's conversions of a decoded picture

const luma = (r, g, b) => (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16; // Pillow's "L" of RGB (ITU-R 601-2)

// picture.convert("RGBA") in Pillow: a (h w 4) Uint8Array. A transparent colour ("1", "L", "RGB" with tRNS) is
// compared by its low byte, as Pillow's convert_transparent does; a palette's alphas come from its tRNS.
export function rgbaOf(picture) {
  const { mode, data, width, height } = picture, count = width * height;
  if (mode === "RGBA") return data;
  const out = new Uint8Array(4 * count).fill(255);
  const channels = { RGB: 3, LA: 2 }[mode] ?? 1;
  for (let p = 0; p < count; p++) {
    const at = channels * p, to = 4 * p;
    if (mode === "RGB") { out[to] = data[at]; out[to + 1] = data[at + 1]; out[to + 2] = data[at + 2]; }
    else if (mode === "P") {
      const colour = picture.palette[data[p]] ?? [data[p], data[p], data[p]]; // Pillow's palette starts as a ramp
      out[to] = colour[0]; out[to + 1] = colour[1]; out[to + 2] = colour[2]; out[to + 3] = colour[3] ?? 255;
    } else out[to] = out[to + 1] = out[to + 2] = data[at]; // "1", "L", "LA"
    if (mode === "LA") out[to + 3] = data[at + 1];
  }
  if (picture.transparency && mode !== "P") { // one colour made transparent: Pillow compares its low bytes
    const [r, g = r, b = r] = picture.transparency.map((v) => v & 255);
    for (let to = 0; to < 4 * count; to += 4) {
      if (out[to] === r && out[to + 1] === g && out[to + 2] === b) out[to + 3] = 0;
    }
  }
  return out;
}

// demo/canvas.py grey_on_black: the picture's greys (h w) laid on black, and the value of white. Grey x alpha // 255
// (ImageChops.multiply); "L" and "RGB" keep no transparency here, as in Pillow's convert("L").
export function greyOnBlack(picture) {
  const { mode, data, width, height } = picture, count = width * height;
  if (mode === "I;16") return { greys: data, white: 65535 };
  if (mode === "L") return { greys: data, white: 255 };
  const greys = new Uint8Array(count);
  if (mode === "RGB") {
    for (let p = 0; p < count; p++) greys[p] = luma(data[3 * p], data[3 * p + 1], data[3 * p + 2]);
  } else if (mode === "LA") {
    for (let p = 0; p < count; p++) greys[p] = Math.floor((data[2 * p] * data[2 * p + 1]) / 255);
  } else {
    const rgba = mode === "RGBA" ? data : rgbaOf(picture); // palette, 1-bit: through RGBA first
    for (let p = 0; p < count; p++) {
      greys[p] = Math.floor((luma(rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2]) * rgba[4 * p + 3]) / 255);
    }
  }
  return { greys, white: 255 };
}

// demo/canvas.py read_picture: read as it is, and as a garment where photo.js frames one.
export function readPicture(picture) {
  const { width, height } = picture;
  const { greys, white } = greyOnBlack(picture);
  const asIs = toLevels(greys, height, width, white);
  const garment = picture.mode === "I;16" ? null : garmentPicture(rgbaOf(picture), width, height);
  if (!garment) return { levels: asIs, asIs, framed: false };
  return { levels: toLevels(garment.greys, garment.side, garment.side, 255), asIs, framed: true };
}

// ---- the whole reading

// Block means of s x s pixels (the last ones cut short), rounded: a JPEG read at Pillow's draft scale.
export function reduced(picture, s) {
  if (s === 1) return picture;
  const { width, height, data } = picture, w = Math.ceil(width / s), h = Math.ceil(height / s);
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const rows = Math.min(s, height - y * s), cols = Math.min(s, width - x * s), n = rows * cols;
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) sum += data[((y * s + i) * width + x * s + j) * 4 + c];
        }
        out[(y * w + x) * 4 + c] = Math.floor((2 * sum + n) / (2 * n));
      }
    }
  }
  return { mode: "RGBA", width: w, height: h, data: out };
}

// A picture other than PNG, decoded by the browser: {mode: "RGBA", width, height, data}. As Pillow reads it: no colour
// management, no premultiplied alpha on the way in (a JPEG's EXIF turn is undone by readUpload); the canvas it is read
// from keeps colours premultiplied, so a half-transparent pixel's colour may move by a unit (opaque and clear pixels
// are exact).
export async function decodeBitmap(bytes) {
  const options = { colorSpaceConversion: "none", premultiplyAlpha: "none" };
  const bitmap = await createImageBitmap(new Blob([bytes]), options);
  const { width, height } = bitmap;
  const canvas = typeof OffscreenCanvas === "function" ? new OffscreenCanvas(width, height)
    : Object.assign(document.createElement("canvas"), { width, height });
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data } = context.getImageData(0, 0, width, height, { colorSpace: "srgb" });
  return { mode: "RGBA", width, height, data: new Uint8Array(data.buffer) };
}

// bytes: the file's Uint8Array. limits: as headerProblem's. decodeOther(bytes, format) -> a promise of a picture
// {mode: "RGBA", width, height, data}: the browser's decoder; in node (no createImageBitmap) only PNG is read.
export async function readUpload(bytes, limits, decodeOther = globalThis.createImageBitmap ? decodeBitmap : null) {
  const header = readHeader(bytes);
  const problem = headerProblem(header, limits);
  if (problem) return problem;
  let picture;
  try {
    if (header.format === "PNG") picture = await readPng(bytes, header);
    else if (decodeOther) picture = await decodeOther(bytes, header.format);
    else throw new Error("no decoder");
  } catch {
    return header.format === "TIFF" ? refused("tiff_in_page") : refused("broken_picture");
  }
  if (header.format === "TIFF") { // its size known only now
    const sized = headerProblem({ ...header, width: picture.width, height: picture.height }, limits);
    if (sized) return sized;
  }
  if (header.format === "JPEG") {
    picture = unturned(picture, header.orientation);
    picture = reduced(picture, jpegScale(picture.width, picture.height));
  }
  return readPicture(picture);
}
