// The masks tab (its gr.HTML's js_on_load mounts it, demo/mount.js): masks A and B, and the measured
// receptive field of the pixel picked on the field itself (click, tap, or arrow keys), for every loaded model side
// by side, read from each model's measured fields file (loaded once, tried again by itself if it fails).
// One state object; render(state) only draws it; handlers change state, load the fields, and call render.

import { component, hatch, LEAK, SIZE } from "./component.js";

const CELL = 16; // canvas pixels per grid cell
const MAGMA = [[0, 0, 4], [81, 18, 124], [183, 55, 121], [252, 137, 97], [252, 253, 191]]; // its colour scale

const FAINTEST = 0.3; // where on the scale "seen a little" starts: a clear purple, never taken for black "unseen"

function colour(value) { // 0..1 -> a magma-like colour; exactly 0 (unseen) stays black
  if (value <= 0) return "rgb(0,0,0)";
  const x = (FAINTEST + (1 - FAINTEST) * value) * (MAGMA.length - 1);
  const i = Math.min(MAGMA.length - 2, Math.floor(x));
  const f = x - i;
  const mix = MAGMA[i].map((a, k) => Math.round(a + (MAGMA[i + 1][k] - a) * f));
  return `rgb(${mix.join(",")})`;
}

function drawMask(canvas, mask, leaks = false) {
  const k = mask.length;
  const cell = canvas.width / k;
  const ctx = canvas.getContext("2d");
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      ctx.fillStyle = mask[r][c] ? "rgb(120,200,120)" : "rgb(60,60,60)";
      ctx.fillRect(c * cell + 1, r * cell + 1, cell - 2, cell - 2);
    }
  }
  const centre = Math.floor(k / 2);
  if (leaks) { // the centre tap is on: the layer reads the pixel it predicts
    ctx.fillStyle = LEAK;
    ctx.fillRect(centre * cell + 1, centre * cell + 1, cell - 2, cell - 2);
  }
  ctx.strokeStyle = "rgb(255,64,64)";
  ctx.lineWidth = 3;
  ctx.strokeRect(centre * cell + 1.5, centre * cell + 1.5, cell - 3, cell - 3);
}

export function mount(gradio) {
  const ui = component(gradio);
  const { element, props, $, format, onLanguageChange, loads, loadField, fieldOf, fieldState } = ui;
  const state = { row: 8, col: 8, loads }; // the measured fields, once loaded (component.js)

  function render(s) {
    for (const canvas of element.querySelectorAll(".masks-field")) {
      const model = canvas.dataset.model;
      const field = fieldOf(model, s.row, s.col);
      const ctx = canvas.getContext("2d");
      for (let r = 0; r < SIZE; r++) {
        for (let c = 0; c < SIZE; c++) {
          ctx.fillStyle = field ? colour(field[r][c]) : "rgb(30,30,30)";
          ctx.fillRect(c * CELL, r * CELL, CELL, CELL);
        }
      }
      if (!field) hatch(ctx, canvas.width, canvas.height);
      ctx.strokeStyle = "rgb(255,64,64)";
      ctx.lineWidth = 3;
      ctx.strokeRect(s.col * CELL + 1.5, s.row * CELL + 1.5, CELL - 3, CELL - 3);
      canvas.dataset.pixel = `${s.row},${s.col}`;
      canvas.dataset.ready = field ? "1" : "0";
      canvas.setAttribute("aria-label", format(ui.T.pick_pixel, s));
    }
    $(".masks-pixel").textContent = format(ui.T.pick_pixel, s);
    const missing = props.models.filter(fieldState).map((model) =>
      format(ui.T[fieldState(model)], { model: ui.T[`model_${model}`] ?? model }));
    status.textContent = missing.join(" ");
    status.hidden = !missing.length;
  }

  function pick(row, col) {
    state.row = Math.max(0, Math.min(SIZE - 1, row));
    state.col = Math.max(0, Math.min(SIZE - 1, col));
    for (const model of props.models) loadField(model, () => render(state));
    render(state);
  }

  const shownTexts = []; // [node, () => its text, attribute?]: written again when the language changes

  function figure(canvas, caption) {
    const node = document.createElement("figure");
    const text = document.createElement("figcaption");
    shownTexts.push([text, caption]);
    node.append(canvas, text);
    return node;
  }

  // ---- once: build the pictures (captions below them, never over), the texts, then render

  const pictures = $(".masks-pictures");
  const status = document.createElement("p"); // a field that could not be had says so here
  status.className = "masks-status";
  status.setAttribute("role", "status");
  pictures.after(status);
  for (const { name, mask, model } of props.masks) { // model: a model's first mask that sees the centre (leaky)
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 160;
    canvas.className = "masks-mask";
    canvas.setAttribute("role", "img");
    shownTexts.push([canvas, () => ui.T[model ? "masks_help_leak" : `masks_help_${name.toLowerCase()}`], "aria-label"]);
    drawMask(canvas, mask, Boolean(model));
    if (model) canvas.dataset.model = model;
    const caption = model ? () => format(ui.T.mask_leak_caption, { model: ui.T[`model_${model}`] ?? model, name, k: mask.length })
      : () => format(ui.T.mask_caption, { name, k: mask.length });
    pictures.appendChild(figure(canvas, caption));
  }
  for (const model of props.models) {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = SIZE * CELL;
    canvas.className = "masks-field";
    canvas.dataset.model = model;
    canvas.tabIndex = 0;
    canvas.addEventListener("pointerdown", (event) => {
      const box = canvas.getBoundingClientRect();
      pick(Math.floor(((event.clientY - box.top) / box.height) * SIZE),
        Math.floor(((event.clientX - box.left) / box.width) * SIZE));
    });
    canvas.addEventListener("keydown", (event) => {
      const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      if (!(event.key in moves)) return;
      event.preventDefault();
      pick(state.row + moves[event.key][0], state.col + moves[event.key][1]);
    });
    pictures.appendChild(figure(canvas, () => ui.T[`model_${model}`] ?? model));
  }
  const scale = document.createElement("div");
  scale.className = "masks-scale";
  scale.innerHTML = `<span class="masks-swatch masks-unseen"></span><span></span>
    <span></span><span class="masks-scale-bar"></span><span></span>`;
  shownTexts.push([scale.children[1], () => ui.T.scale_low], [scale.children[2], () => ui.T.scale_little],
    [scale.children[4], () => ui.T.scale_high]);
  const legend = document.createElement("div"); // what the masks' two colours mean
  legend.className = "masks-scale";
  legend.innerHTML = `<span class="masks-swatch masks-seen"></span><span></span>
    <span class="masks-swatch masks-hidden"></span><span></span>`;
  shownTexts.push([legend.children[1], () => ui.T.mask_seen], [legend.children[3], () => ui.T.mask_hidden]);
  pictures.after(legend);
  const pixel = document.createElement("div");
  pixel.className = "masks-pixel";
  const help = $(".masks-help");
  help.append(pixel, scale);
  const notes = ["masks_pick_help", "masks_help_a", "masks_help_b", "field_help", "blind_spot_help"];
  if (props.gated) notes.push("gated_help");
  if (props.masks.some((mask) => mask.model)) notes.push("masks_help_leak");
  for (const key of notes) {
    const p = document.createElement("p");
    shownTexts.push([p, () => ui.T[key]]);
    help.appendChild(p);
  }

  function showTexts() {
    for (const [node, text, attribute] of shownTexts) {
      if (attribute) node.setAttribute(attribute, text());
      else node.textContent = text();
    }
  }

  showTexts();
  onLanguageChange(() => {
    showTexts();
    render(state);
  });
  pick(state.row, state.col);
}
