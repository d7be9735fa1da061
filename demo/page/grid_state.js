// The grid's state (demo/page/grid.js), and what is computed from it alone: one state object, which input handlers
// change and render (grid_render.js) draws; these functions touch nothing else (no page, no engine), so that node's
// tests import them (tests/grid_state_harness.mjs).

import { SIZE } from "./component.js";

export const blank = () => Array.from({ length: SIZE }, () => new Array(SIZE).fill(0));
export const copy = (levels) => levels.map((row) => row.slice());

export const initialState = (props, { loads, questions }) => ({
  levels: blank(), // what is painted (the model keeps its rows above keptRows)
  keptRows: 8,
  level: 3, // the grey painted
  focus: { row: 0, col: 0 }, // the keyboard's cell
  strokes: [], // levels before each stroke, for undo
  stroke: null, // {last: {row, col}} while painting, {boundary: true} while dragging the boundary
  model: props.models[0].name,
  label: "any",
  temperature: 1.0,
  seed: 0,
  speed: 128, // pixels a second
  hole: null, // 16x16 of 0/1 while "paint a hole" is on (1: a cell the model fills); null: rows are kept
  run: null, // the result shown: {id, start, keptRows, keptPixels, hole, seed, model, label, temperature, trace,
  //            levels, bits}; a run with a hole filled only its cells
  whatIf: null, // the inspector's own temperature (the bars redrawn at it); null: the run's
  cursor: 0, // how many pixels of run.trace are shown
  progress: 0, // cursor as a float while playing
  playing: false,
  hovered: null, // index into run.trace under the mouse, if generated
  pinned: null, // index into run.trace clicked, tapped or chosen with the keys; else the current pixel
  history: [], // earlier runs, newest last
  gallery: { id: 0, runs: [] }, // 4 runs side by side, from the answer `id` of kind "gallery"
  sample: 0, // the test image chosen in the picker
  loads, // what the page loads by itself: the fields module, each model's measured fields (component.js)
  showField: true,
  questions, // the latest question of each kind, and which still wait for their answer (component.js)
  message: "", // a note or our error message
  refused: false, // the message is the server's refusal of the last question (a new valid input clears it)
  live: true, // while painting after a result, the rows below the line show the model's completion, kept current
  upload: null, // the uploaded picture: {garment, asIs (its two readings' levels), framed, way ("garment" or
  //              "as_is": the reading on the board), picture (the file's URL, for the preview; null if unknown)}
});

// ---- what the board shows

export function shownLevels(s) { // the run's picture after `cursor` pixels: the trace's later pixels still blank
  if (!s.run) return s.levels;
  const levels = copy(s.run.start);
  s.run.trace.forEach(({ row, col, level }, i) => { levels[row][col] = i < s.cursor ? level : 0; });
  return levels;
}

export function unusedCells(run, row, col) { // known cells after (row, col) in reading order: there, never used for it
  const cells = [];
  for (let p = row * SIZE + col + 1; p < SIZE * SIZE; p++) {
    const [r, c] = [Math.floor(p / SIZE), p % SIZE];
    if (!run.hole[r][c]) cells.push([r, c]);
  }
  return cells;
}

// known cells before (row, col) in reading order that its prediction never saw: the plain model's blind spot, up
// and to the right (its field, measured by the server, is 0 there); none until the field has come, none for a
// model without one
export function blindCells(run, row, col, field) { // field: its measured field (fieldOf), or null
  const cells = [];
  if (!field) return cells;
  for (let p = 0; p < row * SIZE + col; p++) {
    const [r, c] = [Math.floor(p / SIZE), p % SIZE];
    if (!run.hole[r][c] && field[r][c] <= 0) cells.push([r, c]);
  }
  return cells;
}

// ---- inspecting a pixel: hover (mouse), click or tap (pinned), arrows and Space (keyboard);
// its two sets of bars, its surprise and its receptive field (asked when it is wanted, drawn when known)

export function inspectedIndex(s) {
  if (!s.run || !s.run.trace.length) return null;
  if (s.hovered !== null) return s.hovered;
  if (s.pinned !== null) return s.pinned;
  return s.cursor > 0 && s.cursor < s.run.trace.length ? s.cursor - 1 : null; // finished: the clean picture
}

export function traceIndex(s, row, col) { // the pixel's step if it is generated and already shown, else null
  const index = s.run.trace.findIndex((entry) => entry.row === row && entry.col === col);
  return index >= 0 && index < s.cursor ? index : null;
}

export function atTemperature(probsT1, temperature) { // p^(1/T), renormalised; T = 0: all on the likeliest grey
  if (temperature <= 0) {
    const best = probsT1.indexOf(Math.max(...probsT1));
    return probsT1.map((_, level) => Number(level === best));
  }
  const powered = probsT1.map((p) => p ** (1 / temperature));
  const total = powered.reduce((a, b) => a + b, 0);
  return powered.map((p) => p / total);
}

// a probability as the bars show it: its hundredths (they add up to 1.00), but one that would read 0.00 with two
// significant digits (0.0031), so that a pupil can follow it to the 0.08 it becomes at T = 5
export function barValue(p, hundredth, decimal) { // decimal(x, digits): written in the page's language
  if (hundredth > 0 || p === 0) return decimal(hundredth, 2);
  if (p < 1e-6) return `< ${decimal(1e-6, 6)}`;
  return decimal(p, 1 - Math.floor(Math.log10(p)));
}

export function hundredths(probs) { // rounded to 0.01 so that they add up to 1.00: the largest remainders round up
  const floors = probs.map((p) => Math.floor(p * 100 + 1e-9));
  let spare = 100 - floors.reduce((sum, f) => sum + f, 0);
  const order = probs.map((p, level) => [p * 100 - floors[level], level]).sort((a, b) => b[0] - a[0]);
  for (const [, level] of order) if (spare-- > 0) floors[level] += 1;
  return floors.map((f) => f / 100);
}

export function pin(s, row, col) {
  if (s.run) s.pinned = traceIndex(s, row, col);
}

// ---- questions and answers

export function question(s) { // with a hole: fill its cells ("what" says so; the answer takes the place of a completion)
  const hole = s.hole ? { what: "fill", hole: copy(s.hole) } : {};
  return {
    model: s.model, levels: copy(s.levels), known_rows: s.keptRows,
    temperature: s.temperature, seed: s.seed, label: s.label, ...hole,
  };
}

export function runOf(asked, result, id) {
  return {
    id, start: asked.levels, keptRows: asked.known_rows, keptPixels: asked.known_pixels ?? asked.known_rows * SIZE,
    hole: asked.hole ?? null,
    seed: result.seed, model: asked.model, label: asked.label,
    temperature: asked.temperature, trace: result.trace, levels: result.levels, bits: result.bits ?? NaN,
    source: result.source ?? "server", ms: result.ms, teacher: asked.teacher ?? null,
  };
}

export function leaveRun(s) {
  if (!s.run) return;
  s.levels = shownLevels(s);
  s.keptRows = s.run.keptRows;
  s.history.push(s.run);
  s.run = null;
  s.playing = false;
}

// a seed Generate takes: a whole number from 0 to `most` (else Generate says why)
export const validSeed = (seed, most) => Number.isInteger(seed) && seed >= 0 && seed <= most;

export function stale(s) { // the model, garment, seed or temperature shown are no longer those of the picture shown
  const run = s.run;
  return !!run && (run.model !== s.model || String(run.label) !== String(s.label) || run.seed !== s.seed
    || run.temperature !== s.temperature);
}

export function paintCell(s, row, col) {
  if (row >= 0 && row < SIZE && col >= 0 && col < SIZE) s.levels[row][col] = s.level;
}

export function markHole(s, from, to) { // the rectangle between two cells becomes hole (or kept, if `from` was hole)
  const value = s.stroke.mark;
  s.hole = copy(s.stroke.before);
  for (let r = Math.min(from.row, to.row); r <= Math.max(from.row, to.row); r++) {
    for (let c = Math.min(from.col, to.col); c <= Math.max(from.col, to.col); c++) {
      if (r >= 0 && r < SIZE && c >= 0 && c < SIZE) s.hole[r][c] = value;
    }
  }
}

export function paintLine(s, from, to) { // every cell between two pointer positions, so fast strokes leave no gaps
  const steps = Math.max(Math.abs(to.row - from.row), Math.abs(to.col - from.col), 1);
  for (let i = 0; i <= steps; i++) {
    paintCell(s, Math.round(from.row + ((to.row - from.row) * i) / steps),
      Math.round(from.col + ((to.col - from.col) * i) / steps));
  }
}