// The "watch it learn" tab (its gr.HTML's js_on_load mounts it, demo/mount.js), computed in the page: the
// curves drawn from each model's history (props.curves), the 16 pictures of the chosen epoch drawn by the page's
// engine from that snapshot's engine file (int8 as shipped: pixelcnn/export.py, dequantized by engine.js's
// readWeights), and "complete my grid" (the grid painted on the first tab) by the same snapshot. Nothing is asked
// of the server: demo/learning.py gives the same answers to scripts (/learning) and to the tests.
// A snapshot's file is fetched only when the tab is opened or its epoch chosen, kept in memory (it still works with
// the network cut), tried again by itself if it fails (component.js `load`); each loaded snapshot is computed by a Web
// Worker of its own (demo/page/engine_worker.js, the grid's engine: the same module worker, its files already
// loaded by the grid's workers), given the snapshot and engine.wasm from memory.
// One state object; render(state) only draws it; handlers change the state, ask, and call render.

import { component, SIZE } from "./component.js";
import { fetchBytes } from "./loads.js";
import { TEXTS } from "./locales.js";

export function mount(gradio) {
  const ui = component(gradio);
  const { element, props, $, format, decimal, language, onLanguageChange, ask, load, loaded, failing, pageURL } = ui;

  const CELL = 8; // canvas pixels per grid cell of a picture
  const GAP = 8; // between pictures
  const PICTURES = 16; // seeds seed, seed + 1, ..., the same at every epoch (demo/learning.py's SAMPLES)
  const COLUMNS = 4;
  const WORKERS = 3; // snapshots computed at once; an older one's worker stops (its file stays in memory)
  const WORKER_READY_MS = 30000; // a snapshot's worker silent that long (never started, or hung): the server draws
  const GREY = (level) => `rgb(${level * 85},${level * 85},${level * 85})`;
  const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"]; // one per model, in props.curves' order
  const MARK = "rgb(214,39,40)"; // the epoch chosen, on the curves
  const BOUNDARY = "rgb(245,197,66)"; // the kept rows' line, as on the first tab
  const PLOT = { left: 44, right: 470, top: 10, bottom: 262 }; // the curves' frame in the SVG's 480 x 300
  const curveNames = Object.keys(props.curves);

  const lastEpoch = (model) => Math.max(...Object.keys(props.snapshots[model]).map(Number));
  const state = {
    model: props.models[0] ?? null,
    epoch: props.models.length ? lastEpoch(props.models[0]) : 0,
    seedText: "0",
    opened: false, // the tab has been seen: its snapshot may load
    hovered: null, // the epoch pointed at on the curves
    shown: null, // {key, seed, images: 16 levels or null each, error}: the pictures asked last
    mine: null, // {model, epoch, rows, seed, levels, error}: "complete my grid", asked last
  };

  function nearest(model, epoch) { // the snapshot nearest to `epoch` (the slider may sit between two): Learning.model
    const found = Object.keys(props.snapshots[model]).map(Number);
    return found.reduce((best, e) => (Math.abs(e - epoch) < Math.abs(best - epoch) ? e : best), found[0]);
  }
  const keyOf = (model, epoch) => `${model}@${epoch}`; // a snapshot, named as the engine's model
  const broken = (model, epoch) => props.snapshots[model][epoch] === null; // its file could not be exported

  // ---- the snapshots: the engine's files kept in memory, one worker per snapshot computing

  let wasmURL = null; // engine.wasm kept in memory, as a blob: URL the workers fetch (offline too)
  // the server draws where the page cannot: ?engine=off, or no Web Worker could start here (Learning.learning and
  // Learning.complete_grid, asked through component.js `ask`: the same pictures)
  let byServer = new URLSearchParams(location.search).get("engine") === "off";
  const workers = new Map(); // snapshot key -> {worker, ready (promise), waiting: Map id -> resolve}, newest last

  function loadSnapshot(model, epoch) { // the snapshot's file, and the engine's own files with the first one
    if (byServer) return;
    const key = keyOf(model, epoch);
    load("learning:wasm", (attempt) => fetchBytes(props.engine_wasm, attempt), arrived);
    load(`learning:${key}`, (attempt) => fetchBytes(props.snapshots[model][epoch], attempt), arrived);
  }

  function arrived() { // a file came or failed once more: ask what waits for it
    if (!wasmURL && loaded("learning:wasm")) {
      wasmURL = URL.createObjectURL(new Blob([loaded("learning:wasm")], { type: "application/wasm" }));
    }
    askPictures();
    render(state);
  }

  function snapshotReady(key) { // the page can draw with it, or the server draws
    return byServer || Boolean(wasmURL && loaded(`learning:${key}`));
  }

  function workerOf(key) { // the snapshot's worker, started now if it has none (the oldest beyond WORKERS stops)
    let entry = workers.get(key);
    if (entry) {
      workers.delete(key);
      workers.set(key, entry); // the newest last
      return entry;
    }
    const worker = new Worker(pageURL("engine_worker.js"), { type: "module" });
    const model = key.split("@")[0];
    const limits = { ...props.engine_limits, labels: { [key]: props.engine_limits.labels[model] } };
    entry = { worker, waiting: new Map(), stopped: false };
    entry.ready = new Promise((resolve) => {
      const settle = (ok) => { // once: loaded, failed, or stopped
        clearTimeout(silent);
        resolve(ok);
      };
      entry.stop = () => {
        worker.terminate();
        settle(false);
      };
      const silent = setTimeout(entry.stop, WORKER_READY_MS); // silent too long: stopped, the server draws
      worker.onmessage = ({ data }) => {
        if ("loaded" in data || "failed" in data) settle("loaded" in data);
        else if ("id" in data) {
          entry.waiting.get(data.id)?.(data.reply);
          entry.waiting.delete(data.id);
        }
      };
      worker.onerror = (event) => {
        event.preventDefault?.();
        settle(false);
        for (const answer of entry.waiting.values()) answer(null);
        entry.waiting.clear();
      };
    });
    worker.postMessage({ limits, texts: TEXTS, wasm: wasmURL });
    worker.postMessage({ weights: key, bytes: loaded(`learning:${key}`) }); // a copy: the bytes stay in loads
    workers.set(key, entry);
    // the oldest other snapshot's worker with nothing asked stops (one waiting to start is started again if asked)
    const idle = [...workers].find(([other, held]) => other !== key && held.waiting.size === 0);
    if (workers.size > WORKERS && idle) {
      idle[1].stopped = true;
      idle[1].stop();
      workers.delete(idle[0]);
    }
    return entry;
  }

  let sent = 0; // ids of the questions sent to the workers
  async function compute(key, question) { // the engine's reply ({result} or {error}), or null if it failed
    let entry;
    try {
      entry = workerOf(key);
    } catch (error) {
      console.error(error); // no Web Worker allowed here
      return null;
    }
    const ready = await entry.ready;
    if (entry.stopped) return compute(key, question); // stopped for a newer snapshot while it started: again
    if (!ready) return null;
    const id = ++sent;
    return new Promise((resolve) => {
      entry.waiting.set(id, resolve);
      entry.worker.postMessage({ id, question: { ...question, kind: "learning", id, lang: language(), model: key } });
    });
  }

  // ---- the questions: the 16 pictures of the chosen epoch and seed, and "complete my grid"

  function seedValue(text) { // the seed box's text as the engine checks it: a decimal number, else the text itself
    const trimmed = text.trim(); // (refused with the server's sentence: "0x10" or "1e3" is never read as a number)
    if (trimmed === "") return null;
    return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
  }

  function askPictures() { // the chosen snapshot's 16 pictures, once it is loaded; nothing twice
    if (!state.opened || !state.model) return;
    const epoch = nearest(state.model, state.epoch), key = keyOf(state.model, epoch);
    const seed = seedValue(state.seedText);
    if ((state.shown && state.shown.key === key && state.shown.seed === seed) || broken(state.model, epoch)) return;
    loadSnapshot(state.model, epoch);
    if (!snapshotReady(key)) return;
    const shown = (state.shown = { key, seed, images: Array(PICTURES).fill(null), error: null });
    if (byServer) return pictures(shown, state.model, epoch, seed);
    const blank = Array.from({ length: SIZE }, () => Array(SIZE).fill(0));
    const whole = typeof seed === "number" && Number.isInteger(seed) && seed >= 0; // else refused by the engine
    const draw = (i) => { // one picture at a time: a question replaced stops after the picture being drawn
      const question = { what: "complete", levels: blank, known_rows: 0, temperature: 1, label: null,
        seed: whole ? (seed + i) % (props.engine_limits.maxSeed + 1) : seed };
      compute(key, question).then((reply) => {
        if (state.shown !== shown) return; // a newer question replaced it: its answer is not shown
        if (!reply) return engineFailed();
        if (reply.error) shown.error = reply.error;
        else shown.images[i] = reply.result.levels;
        render(state);
        if (!shown.error && i + 1 < PICTURES) draw(i + 1);
      });
    };
    draw(0);
  }

  async function pictures(shown, model, epoch, seed) { // the 16 pictures, drawn by the server
    render(state);
    const reply = await ask("learning", { model, epoch, seed });
    if (!reply || state.shown !== shown) return; // a newer question replaced it
    if (reply.error) shown.error = reply.error;
    else shown.images = reply.result.samples;
    render(state);
  }

  function engineFailed() { // no worker could draw here: the server draws, what was asked is asked of it
    console.error("the learning tab's engine could not start: the server draws");
    byServer = true;
    state.shown = null;
    askPictures();
    if (state.mine && !state.mine.levels && !state.mine.error) askMine();
  }

  function boardOfFirstTab() { // the grid painted on the first tab: {levels (16x16), rows kept}, or null
    const board = document.querySelector("#grid .pcnn-board");
    const digits = board?.dataset.levels ?? "";
    if (!/^[0-3]{256}$/.test(digits)) return null;
    const levels = Array.from({ length: SIZE }, (_, r) => [...digits.slice(r * SIZE, r * SIZE + SIZE)].map(Number));
    return { levels, rows: Number(board.dataset.keptRows) };
  }

  function askMine() {
    const epoch = nearest(state.model, state.epoch), key = keyOf(state.model, epoch);
    const seed = seedValue(state.seedText), board = boardOfFirstTab();
    const mine = (state.mine = { model: state.model, epoch, seed, rows: board?.rows ?? 0, levels: null, error: null });
    if (!board || broken(state.model, epoch)) {
      mine.error = board ? format(ui.T.broken_snapshot, { epoch }) : ui.T.bad_levels;
      return render(state);
    }
    loadSnapshot(state.model, epoch);
    if (!snapshotReady(key)) {
      mine.error = needsNetwork(key, epoch);
      return render(state);
    }
    render(state);
    if (byServer) return mineByServer(mine, board);
    const question = { what: "complete", levels: board.levels, known_rows: board.rows, temperature: 1, seed,
      label: null };
    compute(key, question).then((reply) => {
      if (state.mine !== mine) return;
      if (!reply) return engineFailed();
      if (reply.error) mine.error = reply.error;
      else mine.levels = reply.result.levels;
      render(state);
    });
  }

  async function mineByServer(mine, board) { // "complete my grid", drawn by the server
    const reply = await ask("learning_grid", { model: mine.model, epoch: mine.epoch, seed: mine.seed,
      board: board.levels.flat().join(""), known_rows: board.rows });
    if (!reply || state.mine !== mine) return;
    if (reply.error) mine.error = reply.error;
    else mine.levels = reply.result;
    render(state);
  }

  function needsNetwork(key, epoch) { // what to say of a snapshot not loaded yet: on its way, the network cut, or
    // the file refused (tried again by itself meanwhile: component.js `load`)
    const files = [`learning:${key}`, "learning:wasm"];
    if (!files.some(failing)) return format(ui.T.learning_loading, { epoch });
    return format(navigator.onLine ? ui.T.learning_snapshot_failed : ui.T.learning_needs_network, { epoch });
  }

  // ---- drawing

  function drawLevels(ctx, levels, x, y, cell) {
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        ctx.fillStyle = GREY(levels[r][c]);
        ctx.fillRect(x + c * cell, y + r * cell, cell, cell);
      }
    }
  }

  function drawPictures(s) {
    const canvas = $(".learning-samples"), ctx = canvas.getContext("2d"), side = SIZE * CELL;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const chosen = s.model ? keyOf(s.model, nearest(s.model, s.epoch)) : null;
    const images = s.shown?.key === chosen ? s.shown.images : []; // another epoch's pictures are never left shown
    for (let i = 0; i < PICTURES; i++) {
      const x = (i % COLUMNS) * (side + GAP), y = Math.floor(i / COLUMNS) * (side + GAP);
      if (images[i]) drawLevels(ctx, images[i], x, y, CELL);
      else {
        ctx.fillStyle = "rgb(200,200,205)";
        ctx.fillRect(x, y, side, side);
      }
    }
    canvas.dataset.drawn = images.filter(Boolean).length; // for the tests: how many are drawn
    canvas.dataset.key = s.shown?.key ?? "";
    canvas.dataset.levels = images.every(Boolean) && images.length ? JSON.stringify(images) : "";
  }

  const shortName = (model) => ui.T[`model_short_${model}`] ?? ui.T[`model_${model}`];

  // Epochs on a symmetric log scale (linear up to 1, then logarithmic: 0 untrained, then 1, 2, 5, 10, ... spread
  // evenly, where the network learns most); bits on a log scale, so that the trained epochs (0.4-0.5 bits) stay apart
  // while the untrained network (about 2 bits) is inside the frame too.
  const symlog = (epoch) => (epoch <= 1 ? epoch : 1 + Math.log10(epoch));

  function curveScale() { // epochs and bits -> the SVG's x and y
    const rows = curveNames.flatMap((name) => props.curves[name]);
    const last = Math.max(1, ...rows.map((row) => row[0]));
    const bits = rows.flatMap((row) => [row[1], row[2]]);
    const low = Math.log(Math.min(...bits) * 0.95), high = Math.log(Math.max(...bits) * 1.05);
    return {
      epochs: [0, 1, 2, 5, 10, 20, 50, 100, 200, 500].filter((e) => e <= last),
      bits: [-6, -5, -4, -3, -2, -1, 0, 1].flatMap((power) => (power < -2 ? [1] : [1, 2, 5]).map((m) => m * 10 ** power))
        .filter((b) => Math.log(b) >= low && Math.log(b) <= high), // 1, 2, 5 x 10^k; below 0.01, powers of ten
      x: (epoch) => PLOT.left + (symlog(epoch) / symlog(last)) * (PLOT.right - PLOT.left),
      y: (value) => PLOT.bottom - ((Math.log(value) - low) / (high - low)) * (PLOT.bottom - PLOT.top),
    };
  }

  const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  function bitsLabel(b) { // 2, 0.5, 0.02; below 0.01 a power of ten, 10⁻⁵ (short enough for the axis)
    const power = Math.round(Math.log10(b));
    if (b < 0.01) return `10⁻${[...String(-power)].map((d) => SUPERSCRIPT[d]).join("")}`;
    return decimal(b, Math.max(0, -Math.floor(Math.log10(b) + 1e-9)));
  }

  function svg(tag, attributes, text) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function drawCurves(s) {
    const plot = $(".learning-curve"), scale = curveScale();
    plot.replaceChildren();
    plot.append(svg("rect", { x: PLOT.left, y: PLOT.top, width: PLOT.right - PLOT.left,
      height: PLOT.bottom - PLOT.top, fill: "white", stroke: "#999" }));
    let lastTick = Infinity; // the y of the last bits' label drawn: labels at least 14 px apart (a model whose bits
    for (const b of scale.bits) { // fall to 0.001, the leaky one, spreads the axis over decades)
      if (lastTick - scale.y(b) < 14) continue;
      lastTick = scale.y(b);
      plot.append(svg("text", { x: PLOT.left - 4, y: scale.y(b) + 4, "text-anchor": "end" }, bitsLabel(b)));
      plot.append(svg("line", { x1: PLOT.left, x2: PLOT.right, y1: scale.y(b), y2: scale.y(b), stroke: "#eee" }));
    }
    for (const e of scale.epochs) {
      plot.append(svg("text", { x: scale.x(e), y: PLOT.bottom + 14, "text-anchor": "middle" }, String(e)));
    }
    plot.append(svg("text", { x: (PLOT.left + PLOT.right) / 2, y: 296, "text-anchor": "middle" }, ui.T.curve_epoch));
    plot.append(svg("text", { x: PLOT.left + 6, y: PLOT.bottom - 6 }, ui.T.curve_bits)); // under the curves, which
    // start at the top (about 2 bits, untrained) and fall
    curveNames.forEach((name, m) => {
      for (const [column, dash] of [[2, ""], [1, "5 4"]]) { // test solid, training dashed
        const points = props.curves[name].map((row) => `${scale.x(row[0])},${scale.y(row[column])}`).join(" ");
        plot.append(svg("polyline", { points, fill: "none", stroke: COLOURS[m % COLOURS.length], "stroke-width": 2,
          "stroke-dasharray": dash }));
      }
    });
    if (s.model) {
      const chosen = nearest(s.model, s.epoch);
      plot.append(svg("line", { x1: scale.x(chosen), x2: scale.x(chosen), y1: PLOT.top, y2: PLOT.bottom, stroke: MARK,
        "stroke-width": 2, class: "learning-mark", "data-epoch": chosen }));
    }
    if (s.hovered !== null) {
      plot.append(svg("line", { x1: scale.x(s.hovered), x2: scale.x(s.hovered), y1: PLOT.top, y2: PLOT.bottom,
        stroke: "#555", "stroke-dasharray": "2 3" }));
      curveNames.forEach((name, m) => {
        const row = props.curves[name].find((r) => r[0] === s.hovered);
        if (row) {
          plot.append(svg("circle", { cx: scale.x(row[0]), cy: scale.y(row[2]), r: 4,
            fill: COLOURS[m % COLOURS.length] }));
        }
      });
    }
    plot.setAttribute("aria-label", format(ui.T.learning_curve_alt, { epoch: s.model ? nearest(s.model, s.epoch) : 0 }));
    const legend = $(".learning-legend");
    legend.replaceChildren(...curveNames.flatMap((name, m) => [[ui.T.curve_test, ""], [ui.T.curve_train, "5 4"]].map(
      ([text, dash]) => {
        const item = document.createElement("li"), key = svg("svg", { width: 28, height: 8 });
        key.append(svg("line", { x1: 0, x2: 28, y1: 4, y2: 4, stroke: COLOURS[m % COLOURS.length], "stroke-width": 2,
          "stroke-dasharray": dash }));
        item.append(key, format(text, { model: shortName(name) }));
        return item;
      })));
  }

  // bits per pixel as the page writes them: 3 decimals (0.400), but a figure that would read 0.000 (the leaky model,
  // which sees what it predicts: 1e-4 bits) with its first 2 significant digits, as the curves plot it (0.00012)
  const bitsText = (bits) => (bits >= 0.0005 || bits === 0 ? decimal(bits, 3)
    : bits.toLocaleString(language(), { maximumSignificantDigits: 2 }));

  function readout(epoch) { // each model's figures at `epoch`, named: one sentence per model that has that epoch
    return curveNames.map((name) => props.curves[name].find((row) => row[0] === epoch)).map((row, m) => row
      && format(ui.T.learning_readout, { model: shortName(curveNames[m]), epoch, test: bitsText(row[2]),
        train: bitsText(row[1]) })).filter(Boolean).join(" ");
  }

  function status(s) { // [kind, sentence]: what the user must know now, in full, under the controls
    if (!s.model) return ["note", ui.T.learning_plain_note];
    const epoch = nearest(s.model, s.epoch), key = keyOf(s.model, epoch);
    if (broken(s.model, epoch)) return ["error", format(ui.T.broken_snapshot, { epoch })];
    if (s.shown?.key === key && s.shown.error) return ["error", s.shown.error];
    if (!snapshotReady(key)) {
      const sentence = needsNetwork(key, epoch);
      return [sentence === format(ui.T.learning_loading, { epoch }) ? "busy" : "error", sentence];
    }
    if (s.shown && s.shown.images.some((image) => !image)) return ["busy", format(ui.T.learning_drawing, { epoch })];
    return ["", ""];
  }

  function render(s) {
    $(".learning-model-label span").textContent = ui.T.learning_model;
    const select = $(".learning-model");
    if (select.options.length !== props.models.length) {
      select.replaceChildren(...props.models.map((name) => new Option(ui.T[`model_${name}`], name)));
    }
    [...select.options].forEach((option) => { option.textContent = ui.T[`model_${option.value}`]; });
    select.value = s.model ?? "";
    $(".learning-model-label").hidden = props.models.length < 2;
    $(".learning-epoch-label span").textContent = ui.T.learning_epoch;
    const slider = $(".learning-epoch");
    slider.max = s.model ? lastEpoch(s.model) : 0;
    slider.value = s.epoch;
    const chosen = s.model ? nearest(s.model, s.epoch) : 0;
    $(".learning-epoch-value").textContent = String(chosen);
    $(".learning-seed-label span").textContent = ui.T.learning_seed;
    if (document.activeElement !== $(".learning-seed")) $(".learning-seed").value = s.seedText;
    const [kind, sentence] = status(s);
    const line = $(".learning-status");
    line.textContent = sentence;
    line.dataset.kind = kind;
    if (s.model) {
      const row = props.curves[s.model]?.find((r) => r[0] === chosen);
      $(".learning-caption").textContent = format(ui.T.learning_shown, { model: ui.T[`model_${s.model}`], epoch: chosen,
        bits: row ? bitsText(row[2]) : "?" });
    }
    drawPictures(s);
    const seed = seedValue(s.seedText);
    $(".learning-samples").setAttribute("aria-label", s.model ? format(ui.T.learning_samples_alt, {
      model: ui.T[`model_${s.model}`], epoch: chosen, first: seed,
      last: Number.isInteger(seed) ? (seed + PICTURES - 1) % (props.engine_limits.maxSeed + 1) : seed }) : "");
    drawCurves(s);
    $(".learning-readout").textContent = readout(s.hovered ?? chosen);
    $(".learning-curve-help").textContent = ui.T.learning_curve_help;
    const plain = curveNames.some((name) => !props.models.includes(name)); // a curve without snapshots
    $(".learning-plain-note").textContent = plain ? ui.T.learning_plain_note : "";
    $(".learning-best-note").textContent = ui.T.learning_best_note;
    $(".learning-grid-button").textContent = ui.T.learning_grid;
    $(".learning-grid-button").hidden = !s.model;
    $(".learning-grid-help").textContent = ui.T.learning_grid_help;
    drawMine(s);
  }

  function drawMine(s) {
    const canvas = $(".learning-grid"), ctx = canvas.getContext("2d"), cell = canvas.width / SIZE;
    const caption = canvas.parentElement.querySelector("figcaption");
    canvas.hidden = !s.mine?.levels;
    canvas.dataset.levels = s.mine?.levels ? JSON.stringify(s.mine.levels) : "";
    if (!s.mine) return (caption.textContent = "");
    if (s.mine.error) return (caption.textContent = s.mine.error);
    if (!s.mine.levels) return (caption.textContent = format(ui.T.learning_drawing, { epoch: s.mine.epoch }));
    drawLevels(ctx, s.mine.levels, 0, 0, cell);
    ctx.fillStyle = BOUNDARY;
    const y = Math.min(Math.max(s.mine.rows * cell, 2), canvas.height - 2);
    ctx.fillRect(0, y - 2, canvas.width, 4);
    const text = format(ui.T.learning_grid_caption, { model: ui.T[`model_${s.mine.model}`],
      epoch: s.mine.epoch, rows: s.mine.rows, seed: s.mine.seed });
    caption.textContent = text;
    canvas.setAttribute("aria-label", text);
  }

  // ---- input: each handler changes the state, asks, and renders

  $(".learning-model").addEventListener("change", (event) => {
    state.model = event.target.value;
    state.epoch = Math.min(state.epoch, lastEpoch(state.model)); // stays if it was trained that long, else its last
    askPictures();
    render(state);
  });
  $(".learning-epoch").addEventListener("input", (event) => { // dragged: the epoch and its figures follow
    state.epoch = Number(event.target.value);
    render(state);
  });
  $(".learning-epoch").addEventListener("change", (event) => { // let go (or a key): its snapshot is asked for, so a
    state.epoch = Number(event.target.value); // drag from 120 to 0 loads one file, not the eight it passes
    askPictures();
    render(state);
  });
  $(".learning-seed").addEventListener("change", (event) => {
    state.seedText = event.target.value;
    askPictures();
    render(state);
  });
  $(".learning-grid-button").addEventListener("click", askMine);

  function epochAt(event) { // the epoch of the curves nearest to the pointer, among every model's rows
    const plot = $(".learning-curve"), box = plot.getBoundingClientRect(), scale = curveScale();
    const x = ((event.clientX - box.left) / box.width) * 480;
    const all = curveNames.flatMap((name) => props.curves[name].map((row) => row[0]));
    return all.reduce((best, e) => (Math.abs(scale.x(e) - x) < Math.abs(scale.x(best) - x) ? e : best), all[0]);
  }
  $(".learning-curve").addEventListener("pointermove", (event) => {
    state.hovered = epochAt(event);
    render(state);
  });
  $(".learning-curve").addEventListener("pointerleave", () => {
    state.hovered = null;
    render(state);
  });
  $(".learning-curve").addEventListener("click", (event) => { // a tap reads the epoch and chooses it
    const epoch = epochAt(event);
    state.hovered = epoch;
    if (state.model) {
      state.epoch = Math.min(epoch, lastEpoch(state.model));
      askPictures();
    }
    render(state);
  });

  $(".learning-curve").addEventListener("keydown", (event) => { // arrows read the epochs one by one, Enter shows one
    const all = [...new Set(curveNames.flatMap((name) => props.curves[name].map((row) => row[0])))].sort((a, b) => a - b);
    const at = all.indexOf(state.hovered ?? (state.model ? nearest(state.model, state.epoch) : 0));
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      state.hovered = all[Math.max(0, Math.min(all.length - 1, at + (event.key === "ArrowLeft" ? -1 : 1)))];
    } else if ((event.key === "Enter" || event.key === " ") && state.model && state.hovered !== null) {
      state.epoch = Math.min(state.hovered, lastEpoch(state.model));
      askPictures();
    } else return;
    event.preventDefault();
    render(state);
  });

  new IntersectionObserver((entries) => { // the tab opened: its snapshot loads now, never at page load
    if (!state.opened && entries.some((entry) => entry.isIntersecting)) {
      state.opened = true;
      askPictures();
      render(state);
    }
  }).observe(element);
  window.addEventListener("online", () => render(state));
  window.addEventListener("offline", () => render(state));
  onLanguageChange(() => render(state));
  render(state);
}
