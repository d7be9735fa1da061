// The masks tab's layer view (its gr.HTML's js_on_load mounts it, demo/mount.js): the exact field of a
// chosen pixel after 1, 2, ... layers, played one layer a second; a click on an earlier pixel asks "why": one
// chain of taps drawn hop by hop, or the sentence saying why there is none; the measured field beside the exact
// one. All computed in the page by demo/page/fields.js from each model's wiring (props.wirings, data from
// pixelcnn.field): nothing is asked of the server. Until the module has come, the view says so (and tries again).
// One state object; render(state) only draws it; handlers change the state and call render.
// Keys on the picture: arrows move the chosen pixel, Shift + arrows (or arrows in "why" mode) the probe, Enter
// asks why; L anywhere in the view: the next layer.

import { component, hatch, LEAK, SIZE } from "./component.js";

const CELL = 20; // canvas pixels per grid cell
const COLOURS = {
  field: "rgb(46,134,171)", vertical: "rgb(59,91,219)", horizontal: "rgb(232,89,12)",
  added: "rgba(250,210,60,0.75)", blind: "rgb(240,60,200)", union: "rgb(90,220,120)",
  chosen: "rgb(255,64,64)", chain: "rgb(255,255,255)", empty: "rgb(25,25,30)",
  leak: LEAK, // the chosen pixel inside its own field: the leaky model (mask B first) reads it
};
const leaks = (layers, s) => Boolean(layers && layers[s.layer - 1].field[s.row][s.col]);

function fillCells(ctx, grid, colour, cell) {
  ctx.fillStyle = colour;
  for (let r = 0; r < SIZE; r++) for (let c = 0; c < SIZE; c++) if (grid[r][c]) ctx.fillRect(c * cell, r * cell, cell, cell);
}

function outline(ctx, grid, colour, width, cell) { // the border of a set of cells
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.beginPath();
  const inside = (r, c) => r >= 0 && c >= 0 && r < SIZE && c < SIZE && grid[r][c];
  for (let r = 0; r < SIZE; r++) {
    for (let c = 0; c < SIZE; c++) {
      if (!grid[r][c]) continue;
      const x = c * cell, y = r * cell;
      if (!inside(r - 1, c)) { ctx.moveTo(x, y); ctx.lineTo(x + cell, y); }
      if (!inside(r + 1, c)) { ctx.moveTo(x, y + cell); ctx.lineTo(x + cell, y + cell); }
      if (!inside(r, c - 1)) { ctx.moveTo(x, y); ctx.lineTo(x, y + cell); }
      if (!inside(r, c + 1)) { ctx.moveTo(x + cell, y); ctx.lineTo(x + cell, y + cell); }
    }
  }
  ctx.stroke();
}

export function mount(gradio) {
  const ui = component(gradio);
  const { element, props, $, format, onLanguageChange, load, loaded, failing, importPage, loadField, fieldOf, fieldState } = ui;

  const state = {
    model: props.models[0], row: 8, col: 8, layer: 1,
    playing: null, // the play timer while playing
    mode: "pick", // "pick": a click chooses the pixel; "why": a click asks why
    probe: null, // [row, col] of the earlier pixel asked about (keyboard cursor in "why" mode)
    why: null, // the answer about the probe: {chain: hops} or {reason} (fields.js); shown hops grow one by one
    shownHops: 0,
    hopTimer: null, // while the chain is being drawn
  };
  const last = (s) => props.wirings[s.model].layers.length; // the model's number of layers
  const computed = { fields: {}, layers: {} }; // model -> fields.js Fields; "model:row:col" -> its layers

  function layersOf(s) { // every depth of the chosen pixel: [{layer, field, stacks, blindSpot, masks}], or null
    const fields = loaded("fields.js");
    if (!fields) return null;
    const key = `${s.model}:${s.row}:${s.col}`;
    if (!(key in computed.layers)) {
      const wiring = props.wirings[s.model];
      computed.fields[s.model] ??= new fields.Fields(wiring, SIZE);
      computed.layers[key] = computed.fields[s.model].at(s.row, s.col).map((layer, k) => {
        const masks = new Map(wiring.layers[k].map((c) => [c.mask_name, c.mask])); // the vertical one is listed once
        return { ...layer, masks: [...masks].map(([name, mask]) => ({ name, taps: mask })) };
      });
    }
    return computed.layers[key];
  }

  function explain() { // the chain from the probe to the pixel at this depth, or the reason there is none
    const fields = loaded("fields.js");
    clearInterval(state.hopTimer);
    if (!state.probe || !fields) return (state.why = null);
    const wiring = props.wirings[state.model];
    const hops = fields.chain(wiring, SIZE, state.row, state.col, state.layer, state.probe);
    state.why = hops ? { chain: hops } : { reason: fields.whyNot(wiring, SIZE, state.row, state.col, state.layer, state.probe) };
    state.shownHops = 0;
    if (hops) { // the chain drawn hop by hop
      state.hopTimer = setInterval(() => {
        state.shownHops += 1;
        if (state.shownHops >= hops.length) clearInterval(state.hopTimer);
        render(state);
      }, 250);
    }
  }

  // ---- drawing

  function drawGrid(s, layers) {
    const canvas = $(".layers-grid");
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = COLOURS.empty;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = "rgba(255,255,255,0.08)"; // faint cell lines
    ctx.lineWidth = 1;
    for (let i = 1; i < SIZE; i++) {
      ctx.beginPath(); ctx.moveTo(i * CELL + 0.5, 0); ctx.lineTo(i * CELL + 0.5, SIZE * CELL); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(0, i * CELL + 0.5); ctx.lineTo(SIZE * CELL, i * CELL + 0.5); ctx.stroke();
    }
    if (layers) {
      const now = layers[s.layer - 1];
      const stacks = Object.entries(now.stacks); // the gated model's two, each in its colour
      for (const [stack, cells] of stacks) fillCells(ctx, cells, COLOURS[stack] ?? COLOURS.field, CELL);
      if (!stacks.length) fillCells(ctx, now.field, COLOURS.field, CELL);
      const before = s.layer > 1 ? layers[s.layer - 2].field : null; // what this layer adds, drawn on top
      fillCells(ctx, now.field.map((row, r) => row.map((v, c) => v && !(before && before[r][c]))), COLOURS.added, CELL);
      if (stacks.length) outline(ctx, now.field, COLOURS.union, 3, CELL);
      if (now.blindSpot.some((row) => row.some(Boolean))) {
        outline(ctx, now.blindSpot, COLOURS.blind, 3, CELL);
        nameBlindSpot(ctx, now.blindSpot);
      }
    }
    if (leaks(layers, s)) { // the pixel itself is in its field
      ctx.fillStyle = COLOURS.leak;
      ctx.fillRect(s.col * CELL, s.row * CELL, CELL, CELL);
    }
    ctx.strokeStyle = COLOURS.chosen;
    ctx.lineWidth = 3;
    ctx.strokeRect(s.col * CELL + 1.5, s.row * CELL + 1.5, CELL - 3, CELL - 3);
    if (s.probe) {
      ctx.strokeStyle = COLOURS.chain;
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(s.probe[1] * CELL + 2.5, s.probe[0] * CELL + 2.5, CELL - 5, CELL - 5);
      ctx.setLineDash([]);
    }
    if (s.why && s.why.chain) drawChain(ctx, s.why.chain.slice(0, s.shownHops));
  }

  function nameBlindSpot(ctx, blind) { // its name written on the picture, beside its topmost cell
    let top = null;
    for (let r = 0; r < SIZE && !top; r++) for (let c = 0; c < SIZE; c++) if (blind[r][c]) { top = [r, c]; break; }
    ctx.font = "bold 12px sans-serif";
    const text = ui.T.layers_legend_blind;
    const width = ctx.measureText(text).width + 6;
    const x = Math.min(Math.max(0, top[1] * CELL + CELL / 2 - width / 2), SIZE * CELL - width);
    const y = Math.max(0, top[0] * CELL - 17);
    ctx.fillStyle = "rgba(0,0,0,0.75)";
    ctx.fillRect(x, y, width, 16);
    ctx.fillStyle = COLOURS.blind;
    ctx.fillText(text, x + 3, y + 12);
  }

  function drawChain(ctx, hops) {
    const centre = ([r, c]) => [c * CELL + CELL / 2, r * CELL + CELL / 2];
    ctx.strokeStyle = COLOURS.chain;
    ctx.fillStyle = COLOURS.chain;
    ctx.lineWidth = 2.5;
    for (const hop of hops) {
      const [x0, y0] = centre(hop.sourcePixel), [x1, y1] = centre(hop.pixel);
      ctx.beginPath(); ctx.arc(x0, y0, 4, 0, 2 * Math.PI); ctx.fill();
      if (x0 !== x1 || y0 !== y1) {
        ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
        const angle = Math.atan2(y1 - y0, x1 - x0); // an arrow head at the end of the hop
        ctx.beginPath();
        ctx.moveTo(x1, y1);
        ctx.lineTo(x1 - 8 * Math.cos(angle - 0.4), y1 - 8 * Math.sin(angle - 0.4));
        ctx.lineTo(x1 - 8 * Math.cos(angle + 0.4), y1 - 8 * Math.sin(angle + 0.4));
        ctx.fill();
      }
    }
  }

  function drawTaps(canvas, taps, tap, cell = 9) { // a mask: its taps green, the tap used (if any) yellow
    const rows = taps.length, cols = taps[0].length;
    canvas.width = cols * cell;
    canvas.height = rows * cell;
    const ctx = canvas.getContext("2d");
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const used = tap && r === tap[0] && c === tap[1];
        ctx.fillStyle = used ? "rgb(250,210,60)" : taps[r][c] ? "rgb(120,200,120)" : "rgb(70,70,70)";
        ctx.fillRect(c * cell + 1, r * cell + 1, cell - 2, cell - 2);
      }
    }
  }

  function drawSmall(canvas, grid, colourOf) {
    const ctx = canvas.getContext("2d");
    const cell = canvas.width / SIZE;
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        ctx.fillStyle = grid ? colourOf(grid[r][c]) : COLOURS.empty;
        ctx.fillRect(c * cell, r * cell, cell, cell);
      }
    }
  }

  function render(s) {
    const layers = layersOf(s);
    const slider = $(".layers-slider");
    slider.max = String(last(s));
    slider.value = String(s.layer);
    slider.setAttribute("aria-valuetext", format(ui.T.layers_layer, { layer: s.layer, last: last(s) }));
    $(".layers-layer").textContent = format(ui.T.layers_layer, { layer: s.layer, last: last(s) });
    $(".layers-play").textContent = s.playing ? ui.T.pause : ui.T.play;
    $(".layers-play").setAttribute("aria-pressed", String(Boolean(s.playing)));
    $(".layers-pixel").textContent = format(ui.T.layers_pixel, s);
    const named = (m) => format(ui.T.layers_mask_size, { mask: ui.T[`mask_name_${m.name}`], rows: m.taps.length, cols: m.taps[0].length });
    const masks = layers ? layers[s.layer - 1].masks.map(named).join(", ") : "";
    const pictures = (layers ? layers[s.layer - 1].masks : []).map((mask) => { // this layer's masks, drawn
      const canvas = document.createElement("canvas");
      drawTaps(canvas, mask.taps, null, 12);
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", named(mask));
      return canvas;
    });
    $(".layers-masks").replaceChildren(layers ? format(ui.T.layers_masks, { layer: s.layer, masks }) : "", ...pictures);
    for (const button of element.querySelectorAll(".layers-modes button")) {
      button.setAttribute("aria-pressed", String(button.dataset.mode === s.mode));
    }
    const grid = $(".layers-grid");
    grid.dataset.ready = layers ? "1" : "0";
    grid.dataset.pixel = `${s.row},${s.col}`;
    grid.dataset.layer = String(s.layer);
    grid.setAttribute("aria-label", `${format(ui.T.layers_pixel, s)}. ${$(".layers-layer").textContent}`);
    drawGrid(s, layers);
    renderLegend(layers, leaks(layers, s));
    renderWhy(s);
    const exact = layers ? layers[layers.length - 1].field : null;
    drawSmall($(".layers-exact"), exact, (v) => (v ? COLOURS.field : COLOURS.empty));
    const measured = fieldOf(s.model, s.row, s.col);
    drawSmall($(".layers-measured"), measured, (v) => (v > 0 ? `rgb(${Math.round(60 + 195 * v)},${Math.round(40 + 150 * v)},90)` : COLOURS.empty));
    if (!measured) hatch($(".layers-measured").getContext("2d"), 160, 160);
    $(".layers-measured").dataset.ready = measured ? "1" : "0";
    const missing = [failing("fields.js") && ui.T.layers_failed, fieldState(s.model)
      && format(ui.T[fieldState(s.model)], { model: ui.T[`model_${s.model}`] ?? s.model })].filter(Boolean);
    $(".layers-status").textContent = missing.join(" ");
    $(".layers-status").hidden = !missing.length;
  }

  function renderLegend(layers, leaked) {
    const items = [];
    const stacks = layers ? Object.keys(layers[0].stacks) : []; // the gated model's two
    if (stacks.length) items.push(...stacks.map((stack) => [stack, "fill"]), ["union", "line"]);
    else items.push(["field", "fill"]);
    items.push(["added", "fill"], ["chosen", "line"]);
    if (leaked) items.push(["leak", "fill"]);
    if (layers && layers.some((l) => l.blindSpot.some((row) => row.some(Boolean)))) items.push(["blind", "line"]);
    const names = { vertical: "layers_legend_vertical", horizontal: "layers_legend_horizontal", union: "layers_legend_union",
      field: "layers_legend_field", added: "layers_legend_new", chosen: "layers_legend_chosen", blind: "layers_legend_blind",
      leak: "layers_legend_leak" };
    const legend = $(".layers-legend");
    legend.replaceChildren(...items.map(([name, kind]) => {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "layers-swatch";
      swatch.style[kind === "fill" ? "background" : "borderColor"] = COLOURS[name];
      if (kind === "line") swatch.style.background = COLOURS.empty;
      item.append(swatch, ui.T[names[name]]);
      item.dataset.name = name;
      return item;
    }));
    const help = $(".layers-click-help");
    help.textContent = ui.T.layers_click_help + (items.some(([n]) => n === "blind") ? ` ${ui.T.layers_blind_help}` : "");
  }

  function renderWhy(s) {
    const box = $(".layers-why");
    box.dataset.state = !s.probe ? "none" : !s.why ? "asked" : s.why.chain ? "chain" : "sentence";
    if (!s.probe || !s.why) return box.replaceChildren();
    if (s.why.reason) { // said in the page's language now: a change of language says it again
      const p = document.createElement("p");
      p.className = "layers-sentence";
      p.textContent = loaded("fields.js").sentence(s.why.reason, ui.T);
      return box.replaceChildren(p);
    }
    const title = document.createElement("p");
    const chain = s.why.chain.length === 1 ? ui.T.layers_chain_one : ui.T.layers_chain; // "a chain of 1 taps": no
    title.textContent = format(chain, { count: s.why.chain.length, row: s.probe[0], col: s.probe[1] });
    const list = document.createElement("ol");
    const stacks = s.why.chain.some((hop) => hop.source !== hop.target); // a model with two stacks
    for (const hop of s.why.chain.slice(0, s.shownHops)) {
      const item = document.createElement("li");
      const taps = document.createElement("canvas");
      drawTaps(taps, hop.mask, hop.tap);
      const fields = { layer: hop.layer, mask: ui.T[`mask_name_${hop.maskName}`], source_row: hop.sourcePixel[0],
        source_col: hop.sourcePixel[1], row: hop.pixel[0], col: hop.pixel[1], source_stack: ui.T[`layers_stack_${hop.source}`],
        stack: ui.T[`layers_stack_${hop.target}`] };
      const stays = hop.sourcePixel.join() === hop.pixel.join() && hop.source === hop.target; // the centre tap
      item.append(taps, format(stays ? ui.T.layers_hop_stay : stacks ? ui.T.layers_hop_stacks : ui.T.layers_hop, fields));
      list.append(item);
    }
    const note = document.createElement("p");
    note.textContent = stacks ? ui.T.layers_stacks_note : "";
    box.replaceChildren(title, list, note);
  }

  // ---- input: change the state, render

  function forgetWhy() { // a new pixel or model: the probe and its answer no longer apply
    clearInterval(state.hopTimer);
    state.probe = state.why = null;
  }

  function choose(row, col) {
    state.row = Math.max(0, Math.min(SIZE - 1, row));
    state.col = Math.max(0, Math.min(SIZE - 1, col));
    forgetWhy();
    render(state);
  }

  function probe(row, col) {
    state.probe = [Math.max(0, Math.min(SIZE - 1, row)), Math.max(0, Math.min(SIZE - 1, col))];
    explain();
    render(state);
  }

  function toLayer(layer) {
    state.layer = Math.max(1, Math.min(last(state), layer));
    if (state.probe) explain(); // the chain or the reason for this depth
    render(state);
  }

  function stop() {
    clearInterval(state.playing);
    state.playing = null;
  }

  function play() {
    if (state.playing) return stop(), render(state);
    if (state.layer >= last(state)) toLayer(1);
    state.playing = setInterval(() => {
      if (state.layer >= last(state)) stop();
      else toLayer(state.layer + 1);
      render(state);
    }, 1000);
    render(state);
  }

  const grid = $(".layers-grid");
  grid.addEventListener("pointerdown", (event) => {
    const box = grid.getBoundingClientRect();
    const row = Math.floor(((event.clientY - box.top) / box.height) * SIZE);
    const col = Math.floor(((event.clientX - box.left) / box.width) * SIZE);
    grid.focus();
    if (state.mode === "why" || event.shiftKey) probe(row, col);
    else choose(row, col);
  });
  grid.addEventListener("keydown", (event) => {
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (event.key in moves) {
      event.preventDefault();
      const [dr, dc] = moves[event.key];
      if (state.mode === "why" || event.shiftKey) { // the probe (dashed square) moves; Enter asks about it
        const [r, c] = state.probe ?? [state.row, state.col];
        state.probe = [Math.max(0, Math.min(SIZE - 1, r + dr)), Math.max(0, Math.min(SIZE - 1, c + dc))];
        state.why = null;
        render(state);
      } else choose(state.row + dr, state.col + dc);
    } else if ((event.key === "Enter" || event.key === " ") && state.probe) {
      event.preventDefault();
      explain();
      render(state);
    }
  });
  $(".layers-slider").addEventListener("input", (event) => {
    stop();
    toLayer(Number(event.target.value));
  });
  $(".layers-play").addEventListener("click", play);
  $(".pcnn-layer-next").addEventListener("click", () => {
    stop();
    toLayer(state.layer >= last(state) ? 1 : state.layer + 1);
  });
  for (const button of element.querySelectorAll(".layers-modes button")) {
    button.addEventListener("click", () => {
      state.mode = button.dataset.mode;
      render(state);
    });
  }
  element.addEventListener("keydown", (event) => { // L: the next layer, wherever the focus is in the view
    if (event.defaultPrevented || event.key.toLowerCase() !== "l" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("select")) return;
    event.preventDefault();
    $(".pcnn-layer-next").click();
  });
  const select = $(".layers-model");
  select.addEventListener("change", () => {
    stop();
    state.model = select.value;
    state.layer = Math.min(state.layer, last(state));
    forgetWhy();
    loadField(state.model, () => render(state));
    render(state);
  });

  // ---- once: static texts, the fields module and the measured fields (loaded by themselves), then render

  function showTexts() {
    $(".layers-title").textContent = ui.T.layers_title;
    $(".layers-help").textContent = ui.T.layers_help;
    $(".layers-model-label span").textContent = ui.T.layers_model;
    $(".pcnn-layer-next").textContent = ui.T.layers_next;
    for (const button of element.querySelectorAll(".layers-modes button")) {
      button.textContent = ui.T[`layers_mode_${button.dataset.mode}`];
    }
    const [exact, measured] = element.querySelectorAll(".layers-compare figcaption");
    exact.textContent = ui.T.layers_exact;
    measured.textContent = ui.T.layers_measured;
    $(".layers-exact").setAttribute("aria-label", ui.T.layers_exact);
    $(".layers-measured").setAttribute("aria-label", ui.T.layers_measured);
    $(".layers-measured-help").textContent = ui.T.layers_measured_help;
    select.replaceChildren(...props.models.map((name) => new Option(ui.T[`model_${name}`] ?? name, name)));
    select.value = state.model;
    $(".layers-model-label").hidden = props.models.length < 2;
  }

  showTexts();
  onLanguageChange(() => {
    showTexts();
    render(state); // a reason is said again, in the new language
  });
  load("fields.js", (attempt) => importPage("fields.js", attempt), () => {
    if (state.probe) explain(); // a probe chosen before the module came
    render(state);
  });
  loadField(state.model, () => render(state));
  // a link to the page (demo/page/link.js) may name the model, pixel and layer shown here; the grid says what is wrong
  // with a link that is not valid, and this view keeps its own start
  load("link.js", (attempt) => importPage("link.js", attempt), () => {
    const linked = loaded("link.js")?.readLink(location.search, props.link_limits).state;
    if (!linked) return;
    if (linked.layersModel) select.value = linked.layersModel;
    if (linked.layersModel) select.dispatchEvent(new Event("change"));
    if (linked.pixel) choose(...linked.pixel);
    if (linked.layer) toLayer(linked.layer);
  });
  render(state);
}
