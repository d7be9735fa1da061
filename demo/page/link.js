// A link that reproduces what the page shows: the page's state written into the address's query, and read back,
// checked like any input. An ES module: the page and node import it alike; no DOM, no globals.
//
//   ?model=gated&garment=3&seed=12&temperature=0.75&rows=8&grid=<86 characters>&shown=1&tab=masks
//    &pixel=5,9&layer=3&layers_model=gated
//
// model, garment ("any" or a class number), seed, temperature (a multiple of 0.05, as the slider gives), rows (the
// kept rows, 0-16) or hole (the cells to fill), pixels (a completion resampled from a pixel: the pixels kept), grid
// (the painted levels), shown (1: the completion of all this was on the board), tab, and the layer view's pixel,
// layer and model. Every key may be missing (its default stays); one key of ours that is not valid makes the whole
// link unread, and the page opens as usual and says which key it could not read. Keys of others (Gradio's ?lang= and
// ?view=, ?engine=off, ?worker=off) are left alone.
//
// The grid: 256 levels of 2 bits, 4 a byte (the first cell in the byte's high bits), 64 bytes, in base64url without
// padding: 86 characters. The hole: 256 bits, 8 a byte (the first cell in the high bit), 32 bytes: 43 characters.

export const SIZE = 16;
export const TABS = ["generate", "masks", "learning"]; // the page's tabs, in order
export const KEYS = ["model", "garment", "seed", "temperature", "rows", "pixels", "hole", "grid", "shown", "tab", "pixel",
  "layer", "layers_model"];
// each key's name in the state, where it differs
const FIELDS = { layers_model: "layersModel", garment: "label", rows: "keptRows", pixels: "keptPixels", grid: "levels" };
// the order keys are read in: what a key is checked against first (the model before its garment, the rows before the
// pixels, the layer view's model before its layer)
const READ_ORDER = ["model", "layers_model", "garment", "seed", "temperature", "rows", "pixels", "hole", "grid", "shown",
  "tab", "pixel", "layer"];
export const MOST_CHARACTERS = 1000; // a query longer than this is not one the page wrote (ours is under 300)

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

export function toBase64url(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const characters = Math.ceil(((Math.min(3, bytes.length - i)) * 8) / 6);
    for (let k = 0; k < characters; k++) text += ALPHABET[(chunk >> (18 - 6 * k)) & 63];
  }
  return text;
}

// the bytes of a base64url text of exactly `length` bytes, or null: another length, another character, padding, or
// bits past the last byte that are not 0 (so that one picture has one link)
export function fromBase64url(text, length) {
  if (typeof text !== "string" || text.length !== Math.ceil((length * 8) / 6)) return null;
  const bytes = new Uint8Array(length);
  let bits = 0, value = 0, at = 0;
  for (const character of text) {
    const digit = ALPHABET.indexOf(character);
    if (digit < 0) return null;
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (value >> bits) & 255;
      value &= (1 << bits) - 1;
    }
  }
  return value === 0 ? bytes : null;
}

const cellsOf = (grid) => grid.flat();
const gridOf = (cells) => Array.from({ length: SIZE }, (_, r) => Array.from(cells.slice(r * SIZE, (r + 1) * SIZE)));

export function packLevels(levels) { // 16x16 levels 0-3 -> 86 characters
  const bytes = new Uint8Array((SIZE * SIZE) / 4);
  cellsOf(levels).forEach((level, i) => { bytes[i >> 2] |= level << (6 - 2 * (i & 3)); });
  return toBase64url(bytes);
}

export function unpackLevels(text) { // -> 16x16 levels, or null
  const bytes = fromBase64url(text, (SIZE * SIZE) / 4);
  if (!bytes) return null;
  return gridOf(Array.from({ length: SIZE * SIZE }, (_, i) => (bytes[i >> 2] >> (6 - 2 * (i & 3))) & 3));
}

export function packHole(hole) { // 16x16 of 0/1 -> 43 characters
  const bytes = new Uint8Array((SIZE * SIZE) / 8);
  cellsOf(hole).forEach((cell, i) => { bytes[i >> 3] |= (cell ? 1 : 0) << (7 - (i & 7)); });
  return toBase64url(bytes);
}

export function unpackHole(text) { // -> 16x16 of 0/1 with at least one 1 (a hole with no cell fills nothing), or null
  const bytes = fromBase64url(text, (SIZE * SIZE) / 8);
  if (!bytes || bytes.every((byte) => byte === 0)) return null;
  return gridOf(Array.from({ length: SIZE * SIZE }, (_, i) => (bytes[i >> 3] >> (7 - (i & 7))) & 1));
}

// a whole number written plainly (no sign, no exponent, no leading zero) in [low, high], or null
function whole(text, low, high) {
  if (!/^(0|[1-9][0-9]{0,9})$/.test(text)) return null;
  const number = Number(text);
  return number >= low && number <= high ? number : null;
}

function temperatureOf(text, most) { // "0.75" -> 0.75: at most 2 decimals, a multiple of 0.05, in [0, most]
  const match = /^(0|[1-9][0-9]?)(?:\.([0-9]{1,2}))?$/.exec(text);
  if (!match) return null;
  const hundredths = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return hundredths % 5 === 0 && hundredths <= most * 100 ? hundredths / 100 : null;
}

// The state a link holds (each part null where the link does not say):
//   {model, label ("any" or a class number), seed, temperature, keptRows, keptPixels, hole, levels, shown,
//    tab, pixel ([row, col]), layer, layersModel}
// limits: {models: {name: {classes, layers}}, maxSeed, maxTemperature} (demo/ui.py link_limits)

export function linkQuery(state) { // -> the query's pairs [[key, text], ...], in KEYS's order, for what is not null
  const texts = {
    model: state.model, garment: state.label === null || state.label === undefined ? null : String(state.label),
    seed: state.seed, temperature: state.temperature, rows: state.keptRows, pixels: state.keptPixels,
    hole: state.hole && packHole(state.hole), grid: state.levels && packLevels(state.levels),
    shown: state.shown ? 1 : null, tab: state.tab, pixel: state.pixel && state.pixel.join(","), layer: state.layer,
    layers_model: state.layersModel,
  };
  return KEYS.filter((key) => texts[key] !== null && texts[key] !== undefined).map((key) => [key, String(texts[key])]);
}

// the address's query with the state's keys: the others' keys kept as they were written (?lang=fr, ?engine=off), ours
// after them (written anew: none of an earlier link's stays); a comma stays a comma (pixel=5,9)
export function linkSearch(query, state) {
  const others = query.replace(/^\?/, "").split("&").filter((pair) => pair && !KEYS.includes(decodeKey(pair)));
  const ours = linkQuery(state).map(([key, text]) => `${key}=${encodeURIComponent(text).replace(/%2C/g, ",")}`);
  return `?${[...others, ...ours].join("&")}`;
}

function decodeKey(pair) { // a pair's key, as URLSearchParams reads it ("+" a space; a bad escape left as written)
  const key = pair.split("=")[0].replace(/\+/g, " ");
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

// query: the address's query (location.search) -> {state, problem}: state null when the link holds none of our keys
// or is not valid; problem: the key that could not be read ("link" for the whole: too long, a key twice), else null
export function readLink(query, limits) {
  if (typeof query !== "string" || query.length > MOST_CHARACTERS) return { state: null, problem: "link" };
  const params = new URLSearchParams(query);
  const given = {};
  for (const [key, text] of params) {
    if (!KEYS.includes(key)) continue; // another's key (?lang=, ?view=, ?engine=), or one we do not know: left alone
    if (key in given) return { state: null, problem: "link" }; // said twice: which one was meant?
    given[key] = text;
  }
  if (!Object.keys(given).length) return { state: null, problem: null };
  const names = Object.keys(limits.models);
  const read = {
    model: (text) => (names.includes(text) ? text : null),
    layers_model: (text) => (names.includes(text) ? text : null),
    garment: (text, state) => (text === "any" ? "any"
      : whole(text, 0, (limits.models[state.model ?? names[0]].classes || 0) - 1)),
    seed: (text) => whole(text, 0, limits.maxSeed),
    temperature: (text) => temperatureOf(text, limits.maxTemperature),
    rows: (text) => whole(text, 0, SIZE),
    pixels: (text, state) => { // a resampled completion keeps its rows and some pixels of the next
      const pixels = whole(text, 0, SIZE * SIZE - 1);
      return pixels !== null && Math.floor(pixels / SIZE) === (state.keptRows ?? -1) ? pixels : null;
    },
    hole: unpackHole,
    grid: unpackLevels,
    shown: (text) => (text === "1" ? true : null),
    tab: (text) => (TABS.includes(text) ? text : null),
    pixel: (text) => {
      const match = /^([0-9]{1,2}),([0-9]{1,2})$/.exec(text);
      const pixel = match && [whole(match[1], 0, SIZE - 1), whole(match[2], 0, SIZE - 1)];
      return pixel && pixel.every((v) => v !== null) ? pixel : null;
    },
    layer: (text, state) => whole(text, 1, limits.models[state.layersModel ?? names[0]].layers),
  };
  const state = Object.fromEntries(KEYS.map((key) => [FIELDS[key] ?? key, null]));
  for (const key of READ_ORDER) {
    if (!(key in given)) continue;
    const value = read[key](given[key], state);
    if (value === null) return { state: null, problem: key };
    state[FIELDS[key] ?? key] = value;
  }
  return { state, problem: null };
}

// the sentence for a link that could not be read, in the page's language (texts: demo/locales/, the page's T); the
// link's own text is never repeated in it, only the name of the key at fault
export function linkProblemText(problem, texts) {
  return problem === "link" ? texts.link_unreadable : texts.link_broken.replace("{part}", problem);
}
