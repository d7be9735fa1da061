// The page's heart (its gr.HTML's js_on_load mounts it, demo/mount.js).
// Paint a 16x16 grid of 4 greys, get a completion (from the model in the page, demo/page/engine.js, or else from
// the server), then play its trace pixel by pixel with requestAnimationFrame, step, scrub and inspect it.
// One state object; render(state) only draws it; input handlers change the state, ask questions
// (component.js `ask`, never from render) and call render.

import { component, hatch, LEAK, SIZE } from "./component.js";

export function mount(gradio) {
  const ui = component(gradio);
  const { server, watch } = gradio;
  const { element, props, $, format, decimal, language, onLanguageChange, ask, waitingFor, questions, loads, load, loaded, failing, importPage, pageURL, loadField, fieldOf, fieldAsked, temperatureText } = ui;

  const GREYS = props.greys; // 0, 85, 170, 255
  const PENDING = "rgb(40,60,110)"; // pixels still to be drawn
  const HOLE = "rgba(200,40,160,0.55)"; // cells marked as a hole, to be filled
  const UNUSED = "rgb(230,40,40)"; // known pixels after an inspected hole cell: crossed, never used
  const BLIND = "rgb(0,170,230)"; // known pixels before it that its field never reaches (a blind spot): ringed
  const blank = () => Array.from({ length: SIZE }, () => new Array(SIZE).fill(0));
  const copy = (levels) => levels.map((row) => row.slice());

  const state = {
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
  };

  // ---- what the board shows

  function shownLevels(s) { // the run's picture after `cursor` pixels: the trace's later pixels still blank
    if (!s.run) return s.levels;
    const levels = copy(s.run.start);
    s.run.trace.forEach(({ row, col, level }, i) => { levels[row][col] = i < s.cursor ? level : 0; });
    return levels;
  }


  // ---- render: the one function that draws (it never asks the server anything)

  const board = $(".pcnn-board");
  const context = board.getContext("2d");
  const CELL = board.width / SIZE;

  function render(s) {
    drawBoard(s);
    for (const button of element.querySelectorAll(".pcnn-level")) {
      button.setAttribute("aria-checked", String(Number(button.dataset.level) === s.level));
    }
    $(".pcnn-kept").value = s.keptRows;
    $(".pcnn-kept-value").textContent = s.keptRows;
    $(".pcnn-model").value = s.model;
    $(".pcnn-garment-field").style.display = modelClasses(s.model) > 0 ? "" : "none";
    $(".pcnn-garment").value = s.label;
    $(".pcnn-temperature").value = s.temperature;
    $(".pcnn-temperature-value").textContent = temperatureText(s.temperature);
    if (document.activeElement !== $(".pcnn-seed")) $(".pcnn-seed").value = s.seed ?? "";
    $(".pcnn-speed").value = String(s.speed);
    $(".pcnn-sample").value = String(s.sample);
    const steps = s.run ? s.run.trace.length : 0;
    const timeline = $(".pcnn-timeline");
    timeline.max = steps;
    timeline.value = s.cursor;
    timeline.disabled = !steps;
    const play = $(".pcnn-play");
    play.textContent = s.playing ? ui.T.pause : ui.T.play;
    Object.assign(play.dataset, { play: ui.T.play, pause: ui.T.pause }); // both sized in, so it never changes width
    for (const name of ["play", "back", "forward", "end"]) $(`.pcnn-${name}`).disabled = !steps;
    $(".pcnn-undo").disabled = !s.strokes.length;
    $(".pcnn-branch").disabled = inspectedIndex(s) === null;
    $(".pcnn-previous").disabled = !s.history.length;
    $(".pcnn-save-gif").disabled = !s.run;
    $(".pcnn-hole-mode").setAttribute("aria-pressed", String(!!s.hole));
    $(".pcnn-hole-mode").textContent = s.hole ? ui.T.hole_mode_off : ui.T.hole_mode;
    $(".pcnn-kept").disabled = !!s.hole;
    $(".pcnn-status").textContent = statusText(s);
    $(".pcnn-hint").textContent = s.run ? ui.T.hint_inspect : s.hole ? ui.T.hole_start : ui.T.hint_paint; // what a click does now
    $(".pcnn-source").textContent = sourceText(s);
    $(".pcnn-engine").textContent = here.engine ? ui.T[`engine_kind_${here.engine}`] : ""; // which engine runs here
    $(".pcnn-engine").dataset.engine = here.engine ?? "";
    $(".pcnn-engine").dataset.models = Object.keys(here.models).sort().join(","); // loaded here (for the tests)
    $(".pcnn-live").checked = s.live;
    renderLeak(s);
    renderInspector(s);
    renderGallery(s);
    renderUpload(s);
    renderLink();
  }

  function drawBoard(s) {
    const preview = previewOf(s);
    const levels = preview ? preview.levels : shownLevels(s);
    const keptRows = s.run ? s.run.keptRows : s.keptRows;
    const pending = new Set(); // the trace's pixels not drawn yet
    if (s.run) for (let i = s.cursor; i < s.run.trace.length; i++) pending.add(s.run.trace[i].row * SIZE + s.run.trace[i].col);
    const hole = s.run ? s.run.hole : s.hole;
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        const g = GREYS[levels[r][c]];
        context.fillStyle = pending.has(r * SIZE + c) ? PENDING : `rgb(${g},${g},${g})`;
        context.fillRect(c * CELL, r * CELL, CELL, CELL);
        if (!s.run && s.hole && s.hole[r][c]) {
          context.fillStyle = HOLE; // marked: the model fills it
          context.fillRect(c * CELL, r * CELL, CELL, CELL);
        } else if (!s.run && !s.hole && r >= keptRows) {
          context.fillStyle = "rgba(60,90,200,0.45)"; // painted but not kept: to be generated
          context.fillRect(c * CELL, r * CELL, CELL, CELL);
        }
      }
    }
    context.strokeStyle = "rgba(128,128,128,0.35)";
    context.lineWidth = 1;
    for (let i = 1; i < SIZE; i++) {
      line(i * CELL, 0, i * CELL, board.height);
      line(0, i * CELL, board.width, i * CELL);
    }
    if (hole) drawHoleEdge(hole);
    const index = inspectedIndex(s);
    if (index !== null) {
      const { row, col } = s.run.trace[index];
      if (s.showField && fieldAsked(s.run.model)) hatch(context, board.width, (row + 1) * CELL); // rows it sees
      else if (s.showField) drawField(fieldOf(s.run.model, row, col), row, col);
      if (s.run.hole) for (const [r, c] of unusedCells(s.run, row, col)) cross(r, c);
      if (s.run.hole) for (const [r, c] of blindCells(s.run, row, col)) ring(r, c);
      outline(row, col, "rgb(255,64,64)", 3);
    }
    if (!hole) { // the rows-to-keep boundary, with a handle to drag
      context.strokeStyle = "#f5c542";
      context.lineWidth = 4;
      const y = Math.min(Math.max(keptRows * CELL, 2), board.height - 2); // at 0 or 16 rows, inside the frame
      line(0, y, board.width, y);
      context.fillStyle = "#f5c542";
      context.fillRect(board.width - 18, Math.min(Math.max(y - 7, 0), board.height - 14), 18, 14);
    }
    if (document.activeElement === board) outline(s.focus.row, s.focus.col, "#f5c542", 2);
    board.dataset.levels = levels.flat().join("");
    board.dataset.cursor = s.cursor;
    board.dataset.keptRows = keptRows;
    board.dataset.hole = hole ? hole.flat().join("") : "";
    board.dataset.run = s.run ? s.run.id : "";
    board.dataset.asked = s.questions.newest.complete ?? 0;
    board.dataset.redraws = here.redraws;
    board.dataset.waiting = Object.keys(s.questions.open).join(" "); // the kinds still waiting for their answer
    board.dataset.drawn = s.run ? JSON.stringify({ model: s.run.model, seed: s.run.seed, keptRows: s.run.keptRows,
      keptPixels: s.run.keptPixels, temperature: s.run.temperature, label: s.run.label }) : ""; // what made it
    board.setAttribute("aria-label", ui.T.paint_help);
  }

  function drawField(field, row, col) { // the measured field of pixel (row, col)
    if (!field) return;
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        if (field[r][c] <= 0) continue;
        const leak = r === row && c === col; // the pixel itself moves its own prediction: the leaky model
        context.fillStyle = leak ? LEAK : `rgba(255,140,0,${0.15 + 0.75 * field[r][c]})`;
        context.fillRect(c * CELL + 3, r * CELL + 3, CELL - 6, CELL - 6);
      }
    }
  }

  function drawHoleEdge(hole) { // the hole's border, so it stays visible while it fills
    context.strokeStyle = "rgb(230,60,190)";
    context.lineWidth = 3;
    const marked = (r, c) => r >= 0 && r < SIZE && c >= 0 && c < SIZE && hole[r][c] === 1;
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        if (!marked(r, c)) continue;
        if (!marked(r - 1, c)) line(c * CELL, r * CELL, (c + 1) * CELL, r * CELL);
        if (!marked(r + 1, c)) line(c * CELL, (r + 1) * CELL, (c + 1) * CELL, (r + 1) * CELL);
        if (!marked(r, c - 1)) line(c * CELL, r * CELL, c * CELL, (r + 1) * CELL);
        if (!marked(r, c + 1)) line((c + 1) * CELL, r * CELL, (c + 1) * CELL, (r + 1) * CELL);
      }
    }
  }

  function unusedCells(run, row, col) { // known cells after (row, col) in reading order: there, never used for it
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
  function blindCells(run, row, col) {
    const field = fieldOf(run.model, row, col), cells = [];
    if (!field) return cells;
    for (let p = 0; p < row * SIZE + col; p++) {
      const [r, c] = [Math.floor(p / SIZE), p % SIZE];
      if (!run.hole[r][c] && field[r][c] <= 0) cells.push([r, c]);
    }
    return cells;
  }

  function ring(row, col) {
    context.strokeStyle = BLIND;
    context.lineWidth = 2;
    context.beginPath();
    context.arc((col + 0.5) * CELL, (row + 0.5) * CELL, CELL / 2 - 4, 0, 2 * Math.PI);
    context.stroke();
  }

  function cross(row, col) {
    context.strokeStyle = UNUSED;
    context.lineWidth = 2;
    line(col * CELL + 5, row * CELL + 5, (col + 1) * CELL - 5, (row + 1) * CELL - 5);
    line((col + 1) * CELL - 5, row * CELL + 5, col * CELL + 5, (row + 1) * CELL - 5);
  }

  function line(x0, y0, x1, y1) {
    context.beginPath();
    context.moveTo(x0, y0);
    context.lineTo(x1, y1);
    context.stroke();
  }

  function outline(row, col, colour, width) {
    context.strokeStyle = colour;
    context.lineWidth = width;
    context.strokeRect(col * CELL + width / 2, row * CELL + width / 2, CELL - width, CELL - width);
  }

  function statusText(s) {
    if (s.message) return s.message;
    if (waitingFor("complete")) return ui.T.status_waiting;
    if (!s.run) return previewOf(s) ? format(ui.T.status_preview, { seed: s.seed }) : ui.T.status_idle;
    if (stale(s) && !computing("redraw")) return ui.T.status_stale; // until it is drawn again here, or Generate is pressed
    const steps = s.run.trace.length;
    if (!steps) return ui.T.status_nothing;
    const drawn = { model: ui.T[`model_${s.run.model}`] ?? s.run.model, seed: s.run.seed }; // which model drew it
    // resampled from a pixel past a row's start: say from where, so "pixel 5 of 60" counts what was redrawn (from a
    // row's start, it is a completion that keeps the rows above, as the yellow line shows)
    const col = s.run.keptPixels % SIZE, from = col ? "_from" : "";
    Object.assign(drawn, { row: Math.floor(s.run.keptPixels / SIZE), col, steps });
    if (s.cursor === steps) return format(ui.T[`status_done${from}`], { ...drawn, bits: decimal(s.run.bits, 3) });
    return format(ui.T[`status_${s.playing ? "playing" : "paused"}${from}`], { ...drawn, step: s.cursor });
  }

  function sourceText(s) { // who computed what is shown: the model in the page, or the server (and why)
    const model = s.run ? s.run.model : s.model;
    const ms = s.run ? Math.max(1, Math.round(s.run.ms)) : 0;
    if (s.run && s.run.source === "worker") return format(ui.T.source_page, { ms });
    if (s.run && s.run.source === "page") return format(ui.T.source_page_thread, { ms });
    const why = here.off ? ui.T.engine_off : here.failed[model] ? ui.T.engine_failed
      : here.models[model] === "page" ? ui.T.engine_ready_thread : here.models[model] ? ui.T.engine_ready : ui.T.engine_loading;
    return s.run ? `${ui.T.source_server} ${why}` : why;
  }

  function renderLeak(s) { // a model that sees the pixel it predicts (mask B first): its story, and "as in training"
    $(".pcnn-leak").hidden = !modelOf(s.model)?.leaks;
    $(".pcnn-teacher").textContent = format(ui.T.leak_teacher, { index: s.sample });
    const taught = s.run?.teacher; // {sample}: the run shown was drawn as in training, from that test image
    $(".pcnn-leak-note").textContent = !taught ? ""
      : format(ui.T.leak_teacher_note, { index: taught.sample, garment: ui.T.garments[props.samples[taught.sample].label] });
  }

  function renderGallery(s) {
    const box = $(".pcnn-gallery");
    box.classList.toggle("pcnn-waiting", waitingFor("gallery"));
    const shown = `${s.gallery.id}:${language()}`;
    if (box.dataset.shown === shown) return; // drawn already
    box.dataset.shown = shown;
    box.replaceChildren(...s.gallery.runs.map((run) => {
      const figure = document.createElement("figure");
      const small = document.createElement("canvas");
      small.width = small.height = SIZE;
      paintLevels(small.getContext("2d"), run.levels, 1);
      const caption = document.createElement("figcaption");
      caption.textContent = format(ui.T.gallery_caption, { seed: run.seed });
      const load = document.createElement("button");
      load.type = "button";
      load.className = "pcnn-load";
      load.textContent = ui.T.load;
      load.addEventListener("click", () => {
        showRun(run); // the picture above the button, whatever was asked since
        refresh();
      });
      figure.append(small, caption, load);
      return figure;
    }));
  }

  function paintLevels(ctx, levels, cell) {
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        const g = GREYS[levels[r][c]];
        ctx.fillStyle = `rgb(${g},${g},${g})`;
        ctx.fillRect(c * cell, r * cell, cell, cell);
      }
    }
  }

  // ---- inspecting a pixel: hover (mouse), click or tap (pinned), arrows and Space (keyboard);
  // its two sets of bars, its surprise and its receptive field (asked when it is wanted, drawn when known)

  function inspectedIndex(s) {
    if (!s.run || !s.run.trace.length) return null;
    if (s.hovered !== null) return s.hovered;
    if (s.pinned !== null) return s.pinned;
    return s.cursor > 0 && s.cursor < s.run.trace.length ? s.cursor - 1 : null; // finished: the clean picture
  }

  function traceIndex(s, row, col) { // the pixel's step if it is generated and already shown, else null
    const index = s.run.trace.findIndex((entry) => entry.row === row && entry.col === col);
    return index >= 0 && index < s.cursor ? index : null;
  }

  function askInspectedField(s) { // the model's measured fields, loaded once, when a pixel is first inspected
    if (inspectedIndex(s) !== null && s.showField) loadField(s.run.model, () => render(state));
  }

  function atTemperature(probsT1, temperature) { // p^(1/T), renormalised; T = 0: all on the likeliest grey
    if (temperature <= 0) {
      const best = probsT1.indexOf(Math.max(...probsT1));
      return probsT1.map((_, level) => Number(level === best));
    }
    const powered = probsT1.map((p) => p ** (1 / temperature));
    const total = powered.reduce((a, b) => a + b, 0);
    return powered.map((p) => p / total);
  }

  function renderInspector(s) {
    const index = inspectedIndex(s);
    const entry = index === null ? null : s.run.trace[index];
    const temperature = s.whatIf ?? (s.run ? s.run.temperature : s.temperature);
    $(".pcnn-bars-t .pcnn-bars-title").textContent = format(ui.T.bars_t, { temperature: temperatureText(temperature) });
    $(".pcnn-whatif-field").style.visibility = entry ? "" : "hidden"; // only with a pixel to redraw (no shift)
    $(".pcnn-whatif").value = temperature;
    $(".pcnn-whatif-value").textContent = temperatureText(temperature);
    $(".pcnn-whatif-note").textContent = entry && s.whatIf !== null
      ? format(ui.T.whatif_note, { temperature: temperatureText(temperature) }) : "";
    const unused = entry && s.run.hole ? unusedCells(s.run, entry.row, entry.col).length : 0;
    const blind = entry && s.run.hole ? blindCells(s.run, entry.row, entry.col).length : 0;
    $(".pcnn-unused").textContent = [unused ? format(ui.T.hole_unused, { count: unused }) : "",
      blind ? format(ui.T.hole_blind, { count: blind }) : ""].filter(Boolean).join(" "); // two whole sentences
    $(".pcnn-unused").dataset.blind = blind;
    $(".pcnn-pixel").textContent = entry ? format(ui.T.pixel, { ...entry, level: ui.T[`level_${entry.level}`] }) : "";
    const bits = entry ? -Math.log2(Math.max(entry.probs_t1[entry.level], 1e-12)) : null;
    $(".pcnn-surprise").textContent = entry ? format(ui.T.surprise, { bits: decimal(bits, 2) }) : "";
    fillBars($(".pcnn-bars-t"), entry ? (s.whatIf === null ? entry.probs : atTemperature(entry.probs_t1, s.whatIf)) : null);
    fillBars($(".pcnn-bars-t1"), entry ? entry.probs_t1 : null);
  }

  function fillBars(box, probs) {
    let rows = box.querySelectorAll(".pcnn-bar-row");
    if (!rows.length) {
      for (let level = 0; level < GREYS.length; level++) {
        const row = document.createElement("div");
        row.className = "pcnn-bar-row";
        const g = GREYS[level];
        row.innerHTML = `<span class="pcnn-swatch" style="background:rgb(${g},${g},${g})"></span>
          <span class="pcnn-bar-track"><span class="pcnn-bar" style="display:block;width:0"></span></span>
          <span class="pcnn-bar-value"></span>`;
        box.appendChild(row);
      }
      rows = box.querySelectorAll(".pcnn-bar-row");
    }
    box.dataset.probs = probs ? JSON.stringify(probs) : "";
    const shown = probs ? hundredths(probs) : null;
    rows.forEach((row, level) => {
      const p = probs ? probs[level] : 0;
      row.title = ui.T[`level_${level}`];
      row.querySelector(".pcnn-bar").style.width = `${(p * 100).toFixed(1)}%`;
      row.querySelector(".pcnn-bar-value").textContent = probs ? barValue(p, shown[level]) : "";
    });
  }

  // a probability as the bars show it: its hundredths (they add up to 1.00), but one that would read 0.00 with two
  // significant digits (0.0031), so that a pupil can follow it to the 0.08 it becomes at T = 5
  function barValue(p, hundredth) {
    if (hundredth > 0 || p === 0) return decimal(hundredth, 2);
    if (p < 1e-6) return `< ${decimal(1e-6, 6)}`;
    return decimal(p, 1 - Math.floor(Math.log10(p)));
  }

  function hundredths(probs) { // rounded to 0.01 so that they add up to 1.00: the largest remainders round up
    const floors = probs.map((p) => Math.floor(p * 100 + 1e-9));
    let spare = 100 - floors.reduce((sum, f) => sum + f, 0);
    const order = probs.map((p, level) => [p * 100 - floors[level], level]).sort((a, b) => b[0] - a[0]);
    for (const [, level] of order) if (spare-- > 0) floors[level] += 1;
    return floors.map((f) => f / 100);
  }

  function pin(s, row, col) {
    if (s.run) s.pinned = traceIndex(s, row, col);
  }

  function revealBars() { // on a phone the bars sit just under the grid (grid.css): scroll no further than to show them
    const bars = $(".pcnn-bars-grid");
    const box = bars.getBoundingClientRect();
    if (box.bottom > window.innerHeight || box.top < 0) bars.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  // ---- questions to the server (component.js `ask`): a completion, 4 side by side, a GIF (with ?engine=off)

  function question(s) { // with a hole: fill its cells ("what" says so; the answer takes the place of a completion)
    const hole = s.hole ? { what: "fill", hole: copy(s.hole) } : {};
    return {
      model: s.model, levels: copy(s.levels), known_rows: s.keptRows,
      temperature: s.temperature, seed: s.seed, label: s.label, ...hole,
    };
  }

  async function generate(asked) {
    state.playing = false;
    state.message = "";
    const answer = ask("complete", asked);
    render(state); // "Computing the completion..."
    const reply = await answer;
    if (!reply) return; // a newer question was asked: its answer is the one to show
    if (reply.error) Object.assign(state, { message: reply.error, refused: true });
    else showRun(runOf(asked, reply.result, reply.id));
    refresh();
  }

  async function askGallery(asked) {
    state.message = "";
    const answer = ask("gallery", asked);
    render(state);
    const reply = await answer;
    if (!reply) return;
    if (reply.error) state.message = reply.error;
    else state.gallery = { id: reply.id, runs: reply.results.map((result, i) => runOf(asked, result, `${reply.id}.${i}`)) };
    render(state);
  }

  // the GIF of a run, encoded here by demo/page/gif.js (the twin of the server's, props.gif: its frames, size and
  // palette) from the run's trace: nothing is asked of the server. With ?engine=off, or before the module has come,
  // the server encodes it (component.js `ask`).
  async function saveGif(run) {
    const name = `${format(ui.T.download_name, { seed: run.seed })}.gif`;
    const encoder = here.off ? null : loaded("gif.js");
    if (encoder) {
      const url = URL.createObjectURL(new Blob([encoder.encodeGif(run.start, run.trace, props.gif)], { type: "image/gif" }));
      download(url, name);
      setTimeout(() => URL.revokeObjectURL(url), 60_000); // the browser has read it by then
      return;
    }
    const reply = await ask("gif", { model: run.model, levels: run.start, known_rows: run.keptRows,
      known_pixels: run.keptPixels, hole: run.hole, temperature: run.temperature, seed: run.seed, label: run.label });
    if (!reply) return;
    if (reply.error) {
      state.message = reply.error;
      render(state);
    } else download(reply.gif, name);
  }

  function runOf(asked, result, id) {
    return {
      id, start: asked.levels, keptRows: asked.known_rows, keptPixels: asked.known_pixels ?? asked.known_rows * SIZE,
      hole: asked.hole ?? null,
      seed: result.seed, model: asked.model, label: asked.label,
      temperature: asked.temperature, trace: result.trace, levels: result.levels, bits: result.bits ?? NaN,
      source: result.source ?? "server", ms: result.ms, teacher: asked.teacher ?? null,
    };
  }

  function showRun(run) { // the inputs shown become the run's: they say what made the picture on screen
    if (state.run && state.run !== run) state.history.push(state.run);
    Object.assign(state, { run, seed: run.seed, model: run.model, label: run.label, temperature: run.temperature,
      keptRows: run.keptRows, hole: run.hole, cursor: 0, progress: 0, hovered: null, pinned: null, whatIf: null,
      message: "", refused: false });
    play(run.trace.length > 0);
  }

  function leaveRun(s) {
    if (!s.run) return;
    s.levels = shownLevels(s);
    s.keptRows = s.run.keptRows;
    s.history.push(s.run);
    s.run = null;
    s.playing = false;
  }

  // An uploaded picture is read here, in the page (demo/page/upload.js: the server's reading, the same levels and the
  // same refusals), and never sent anywhere. With ?engine=off the file is handed to Gradio's hidden upload button,
  // which sends it to the server's /levels_from_image, as scripts call it. Either way a file of the wrong type or
  // size, or (from its header) too large to read, is refused here first, in the page's language, beside the grid.
  let picked = null; // the URL of the file last chosen, for the upload's before/after preview
  let uploadReader = null; // the promise of the reader, once asked for (again after a failure): {module, read}
  const READER_READY_MS = 10000; // a worker that has not said it is ready by then: this thread reads

  function readerModule() { // asked at start-up, so that a picture is read with the network cut later
    if (uploadReader === null) {
      uploadReader = startReader().then((reader) => {
        $(".pcnn-pick").dataset.reader = reader.where; // which thread reads pictures (for the tests)
        return reader;
      }, () => { uploadReader = null; return null; });
    }
    return uploadReader;
  }

  // demo/page/upload.js, and its worker (demo/page/upload_worker.js) where the browser runs module workers: a large
  // picture is read there, off this thread; without one, or if it fails, this thread reads.
  async function startReader() {
    const module = await importPage("upload.js");
    const onThisThread = (bytes, limits) => module.readUpload(bytes, limits)
      .catch((error) => { console.error(error); return { error: "broken_picture", fields: {} }; });
    const page = { module, read: onThisThread, where: "page" };
    if (here.off) return page; // only its header checks are used: the server reads
    let worker;
    try {
      worker = new Worker(pageURL("upload_worker.js"), { type: "module" });
    } catch (error) {
      console.error(error);
      return page;
    }
    const waiting = new Map(); // id -> {resolve, bytes, limits}
    let sent = 0;
    const ready = await new Promise((resolve) => {
      worker.onmessage = ({ data }) => {
        if (data === "ready") return resolve(true);
        waiting.get(data.id)?.resolve(data.reading);
        waiting.delete(data.id);
      };
      worker.onerror = (event) => { // failed to start, or later: what it was reading is read here
        event.preventDefault?.();
        worker.terminate();
        worker = null;
        for (const asked of waiting.values()) onThisThread(asked.bytes, asked.limits).then(asked.resolve);
        waiting.clear();
        resolve(false);
      };
      setTimeout(() => resolve(false), READER_READY_MS);
    });
    if (!ready || !worker) return page;
    const read = (bytes, limits) => {
      if (!worker) return onThisThread(bytes, limits);
      const id = ++sent;
      return new Promise((resolve) => {
        waiting.set(id, { resolve, bytes, limits });
        worker.postMessage({ id, bytes, limits });
      });
    };
    return { module, read, where: "worker" };
  }

  function refuseUpload(message) {
    Object.assign(state, { message, refused: true });
    render(state);
    $(".pcnn-status").scrollIntoView({ block: "nearest", behavior: "smooth" }); // below a laptop's first screen
  }

  let chosen = 0; // pictures chosen so far: only the newest one's reading or refusal is shown

  async function pictureChosen(file) {
    const asked = ++chosen;
    const size = file.size / 2 ** 20;
    if (!file.type.startsWith("image/")) return refuseUpload(ui.T.not_a_picture);
    const most = props.max_upload_mb;
    if (size > most) return refuseUpload(format(ui.T.too_big, { size: decimal(size, 1), most }));
    const reader = await readerModule();
    const limits = { maxPixels: props.max_pixels, maxSide: props.max_side, budget: props.reading_budget };
    const bytes = new Uint8Array(await file.arrayBuffer());
    const reading = here.off || !reader ? null : await reader.read(bytes, limits);
    if (asked !== chosen) return; // another picture was chosen meanwhile
    if (here.off) { // the server reads it; what its header shows is refused here first
      const problem = reader?.module.headerProblem(reader.module.readHeader(bytes), limits);
      return problem ? refuseUpload(uploadRefusal(problem)) : sendToServer(file);
    }
    if (!reader) return refuseUpload(ui.T.upload_reader_failed); // never sent instead: the page said it stays here
    if (reading.error) return refuseUpload(uploadRefusal(reading));
    preview(file);
    showUpload({ garment: reading.levels, asIs: reading.asIs, framed: reading.framed });
  }

  function preview(file) { // the file shown beside its reading (the URL of the one before is let go)
    if (picked) URL.revokeObjectURL(picked);
    picked = URL.createObjectURL(file);
  }

  function uploadRefusal({ error, fields }) { // a refusal's key and fields -> our sentence (decimals as the page writes)
    return format(ui.T[error], { ...fields, ...("limit" in fields ? { limit: decimal(fields.limit, 1) } : {}) });
  }

  function sendToServer(file) { // through Gradio's upload button (hidden; ui.py): its answer comes as our value
    const input = document.getElementById("upload")?.previousElementSibling;
    if (!(input instanceof HTMLInputElement)) return refuseUpload(ui.T.status_no_answer);
    preview(file);
    const files = new DataTransfer();
    files.items.add(file);
    input.files = files.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function onUpload(reply) { // the server's reading of a picture (Gradio's upload button sets the component's value)
    if (!reply || reply.kind !== "levels") return;
    showUpload({ garment: reply.levels, asIs: reply.as_is ?? reply.levels, framed: !!reply.framed });
  }

  function showUpload(reading) { // a picture read, by the page or the server: on the board, undone like a stroke
    leaveRun(state);
    state.strokes.push(copy(state.levels));
    state.upload = { ...reading, picture: picked };
    readUpload(state, state.upload.framed ? "garment" : "as_is");
  }

  function readUpload(s, way) { // the board takes the uploaded picture read as a garment (framed) or as it is
    s.upload.way = way;
    s.levels = copy(way === "garment" ? s.upload.garment : s.upload.asIs);
    const light = s.levels.flat().reduce((sum, level) => sum + level, 0) / (SIZE * SIZE) > 1.5;
    // read as it is and mostly light (dark on white): Invert is offered; a framed garment is light on black already
    s.message = way === "garment" ? ui.T.upload_framed : light ? ui.T.upload_dark_note : ui.T.upload_note;
    refresh();
  }

  function renderUpload(s) { // the photo beside its reading as a garment, and the other reading one press away
    const panel = $(".pcnn-upload");
    panel.hidden = !s.upload || !s.upload.framed;
    if (panel.hidden) return;
    const before = $(".pcnn-upload-before");
    before.hidden = !s.upload.picture;
    if (s.upload.picture && before.getAttribute("src") !== s.upload.picture) before.src = s.upload.picture;
    before.alt = ui.T.upload_before;
    const after = $(".pcnn-upload-after");
    paintLevels(after.getContext("2d"), s.upload.garment, after.width / SIZE);
    after.setAttribute("aria-label", ui.T.upload_after);
    $(".pcnn-read-as").textContent = s.upload.way === "garment" ? ui.T.read_as_is : ui.T.read_as_garment;
  }

  function download(url, name) {
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    element.appendChild(link);
    link.click();
    link.remove();
  }

  // ---- a link to what is shown (demo/page/link.js): "Copy link" writes the page's state into the address and copies
  // it; a page opened from such a link takes that state and computes its completion again here (the engine is
  // deterministic for a seed: the same picture), then shows the tab it names; the layer view (layers.js) takes its
  // pixel and layer from the same address. A link that is not valid is said in one sentence; the page opens as usual.

  function linkState(s) { // what the link holds: the picture on the board (the run's inputs, if one is shown), the tab
    const run = s.run, hole = run ? run.hole : s.hole;
    const tabs = [...document.querySelectorAll("[role=tab]")]; // Gradio's tab bar
    const tab = tabs.findIndex((button) => button.getAttribute("aria-selected") === "true");
    const layers = document.querySelector("#layers .layers-grid"); // the layer view, once its tab was opened
    return {
      model: run ? run.model : s.model, label: run ? run.label : s.label, seed: run ? run.seed : s.seed,
      temperature: run ? run.temperature : s.temperature, keptRows: run ? run.keptRows : s.keptRows,
      keptPixels: run && run.keptPixels !== run.keptRows * SIZE ? run.keptPixels : null,
      hole: hole && hole.flat().some(Boolean) ? hole : null, levels: run ? run.start : s.levels,
      shown: !!run && !run.teacher, // drawn "as in training" from a test image: the link gives that image, not the run
      tab: loaded("link.js").TABS[tab] ?? null,
      pixel: layers ? layers.dataset.pixel.split(",").map(Number) : null,
      layer: layers ? Number(layers.dataset.layer) : null,
      layersModel: layers ? document.querySelector("#layers .layers-model").value : null,
    };
  }

  async function copyLink() {
    const link = loaded("link.js");
    const url = new URL(location.href);
    url.search = link.linkSearch(location.search, linkState(state));
    history.replaceState(history.state, "", url.href); // the address says it too
    here.linkBox = null;
    try {
      await navigator.clipboard.writeText(url.href);
      state.message = ui.T.link_copied;
    } catch { // copying refused (no permission, no secure context): the link, selected, in a box to copy by hand
      here.linkBox = url.href;
      state.message = ui.T.link_copy_by_hand;
    }
    render(state);
    if (here.linkBox) $(".pcnn-link-box").select();
  }

  function openLink(link) { // the address's link, once link.js has come: its state taken, or its sentence said
    const { state: linked, problem } = link.readLink(location.search, props.link_limits);
    if (problem) {
      sayLinkProblem(problem);
      render(state);
      return;
    }
    if (!linked) return;
    const given = (value, otherwise) => (value === null ? otherwise : value);
    Object.assign(state, {
      model: given(linked.model, state.model), seed: given(linked.seed, state.seed),
      temperature: given(linked.temperature, state.temperature), keptRows: given(linked.keptRows, state.keptRows),
      levels: given(linked.levels, state.levels), hole: given(linked.hole, state.hole),
    });
    state.label = modelClasses(state.model) ? given(linked.label, state.label) : "any";
    if (linked.shown) {
      const asked = question(state);
      here.linked = linked.keptPixels === null ? asked : { ...asked, known_pixels: linked.keptPixels };
    }
    if (linked.tab) document.querySelectorAll("[role=tab]")[link.TABS.indexOf(linked.tab)]?.click();
    refresh();
  }

  function sayLinkProblem(key) { // in the page's language; said again in another while it is still shown
    state.message = loaded("link.js").linkProblemText(key, ui.T);
    here.linkProblem = { key, said: state.message };
  }

  function reproduceLink() { // the link's completion, once the page's engine has its model (or cannot have it)
    const asked = here.linked;
    if (!asked || !(here.off || here.models[asked.model] || here.failed[asked.model])) return;
    here.linked = null;
    generate(asked).then(() => seek(Infinity)); // the finished picture, as it was when the link was copied
  }

  function renderLink() {
    $(".pcnn-copy-link").disabled = !loaded("link.js");
    const box = $(".pcnn-link-box");
    box.hidden = !here.linkBox;
    box.value = here.linkBox ?? "";
    box.setAttribute("aria-label", ui.T.link_label);
  }

  // ---- the model in the page: demo/page/engine.js answers a completion and 4 side by side here once the model's
  // weights are loaded, and the server is not asked; until then, or if they cannot be loaded, the server answers
  // (component.js `ask` is unchanged). The engine computes in WebAssembly (demo/page/engine_wasm.js, demo/engine.wasm)
  // where the browser runs its SIMD, else in engine.js's JavaScript; the page says which. It runs in a Web Worker
  // (demo/page/engine_worker.js, a module worker), so that this thread, which draws, plays and takes the clicks, never
  // waits for the network; 4 side by side are shared out among up to 4 workers (one per processor core), each with its own copy
  // of the weights. Without a worker (no Worker in this browser, or it failed, or ?worker=off) the engine runs
  // here, imported from the page's modules (component.js `importPage`). ?engine=off asks the server for everything.

  const address = new URLSearchParams(location.search);
  const here = {
    off: address.get("engine") === "off",
    workers: [], // the Web Workers computing, while they work: the first answers everything, the others help it
    loaded: [], // per worker, {model name: true} once its weights are loaded there
    answers: null, // engine.Answers on this thread: without a worker
    engine: null, // which engine computes: "wasm" (WebAssembly SIMD) or "js"; null until one has started
    models: {}, // model name -> where its weights are loaded: "worker" or "page" (this thread)
    failed: {}, // model name -> true if its weights could not be loaded: the server answers for it
    queues: {}, // kind -> {busy, next}: the request being computed, and the newest one waiting for it
    sent: 0, // requests sent to the workers: each one's id
    parts: new Map(), // id of a request sent to a worker -> {queue, index}: whose answer, which part of it
    preview: { asked: null, levels: null }, // the completion under the painting: its question (JSON), its levels
    redraws: 0, // completions computed live (temperature slider, painting), counted for the browser test
    linked: null, // a link's question, until the engine can answer it (then its completion is computed here)
    linkProblem: null, // {key, said}: the key of the address's link that could not be read, and the sentence said
    linkBox: null, // the link to copy by hand, where the browser refused to copy it
  };
  const REPLACED = { replaced: true }; // the answer to a request replaced by a newer one before it was computed
  const GALLERY = 4; // completions side by side

  function loadModels() {
    const urls = Object.fromEntries(Object.entries(props.engine_weights ?? {})
      .map(([name, url]) => [name, new URL(url, document.baseURI).href])); // absolute: the worker's base differs
    if (here.off) return;
    if (address.get("worker") !== "off" && typeof Worker === "function") {
      const start = { limits: props.engine_limits, texts: props.texts, load: urls,
        wasm: new URL(props.engine_wasm, document.baseURI).href };
      const count = Math.max(1, Math.min(GALLERY, navigator.hardwareConcurrency || 1));
      try {
        for (let i = 0; i < count; i++) {
          const worker = new Worker(pageURL("engine_worker.js"), { type: "module" });
          worker.onmessage = ({ data }) => fromWorker(i, data);
          worker.onerror = worker.onmessageerror = (event) => {
            event.preventDefault?.();
            workerFailed(i, urls);
          };
          worker.postMessage(start);
          here.workers.push(worker);
          here.loaded.push({});
        }
        return;
      } catch (error) {
        console.error(error); // no worker allowed here: this thread computes
        if (here.workers.length) return;
      }
    }
    loadHere(urls);
  }

  async function loadHere(urls) {
    let engine, fast = null;
    try {
      engine = await importPage("engine.js");
    } catch (error) {
      console.error(error); // the engine's files could not be had: the server answers
      for (const name of Object.keys(urls)) here.failed[name] = true;
      refresh();
      return;
    }
    try {
      const { WasmEngine } = await importPage("engine_wasm.js");
      fast = await WasmEngine.create(await (await fetch(props.engine_wasm)).arrayBuffer());
    } catch (error) {
      console.error(error); // no WebAssembly here: engine.js's steppers compute
    }
    here.answers = new engine.Answers(props.engine_limits, props.texts, fast);
    here.engine = here.answers.engine;
    for (const [name, url] of Object.entries(urls)) {
      here.answers.load(name, url)
        .then(() => { here.models[name] = "page"; }, () => { here.failed[name] = true; })
        .finally(refresh);
    }
  }

  function fromWorker(index, data) { // an answer, the engine started, or a model loaded (or not) in worker `index`
    if ("id" in data) {
      const part = here.parts.get(data.id);
      here.parts.delete(data.id);
      if (part) answered(part, data.reply);
      return;
    }
    if ("engine" in data) {
      if (index === 0) here.engine = data.engine;
    } else if ("loaded" in data) {
      here.loaded[index][data.loaded] = true;
      if (index === 0) here.models[data.loaded] = "worker";
    } else if (index === 0) here.failed[data.failed] = true;
    refresh();
  }

  function workerFailed(index, urls) { // the first: its requests are answered null (the server answers them), then
    if (!here.workers[index]) return; // this thread loads; another: only its part is asked again of the first
    if (index > 0) {
      here.workers[index].terminate();
      here.workers[index] = null;
      here.loaded[index] = {};
      for (const [id, part] of here.parts) if (part.worker === index) { here.parts.delete(id); send(part.queue, part.index, 0); }
      return;
    }
    for (const worker of here.workers) worker?.terminate();
    here.workers = [];
    here.engine = null;
    for (const name of Object.keys(here.models)) delete here.models[name];
    here.parts.clear();
    for (const queue of Object.values(here.queues)) if (queue.busy) finish(queue, null);
    loadHere(urls);
    render(state);
  }

  // The engine's answer to a question, or null when it cannot answer (the model is not loaded, or the engine
  // failed on it), or REPLACED. One request of each kind is computed at a time; while it is, the newest one of
  // that kind waits and replaces any older one waiting, which is never computed: a dragged slider asks again at
  // every move, and only its latest value is computed once the engine is free.
  function compute(question) {
    if (!here.models[question.model]) return Promise.resolve(null);
    const queue = (here.queues[question.kind] ??= { busy: null, next: null });
    return new Promise((resolve) => {
      queue.next?.resolve(REPLACED);
      queue.next = { question, resolve };
      if (!queue.busy) computeNext(queue);
    });
  }

  function computeNext(queue) {
    const job = (queue.busy = queue.next);
    queue.next = null;
    if (!job) return;
    const where = (job.where = here.models[job.question.model]);
    if (where === "worker") {
      // 4 side by side: each worker that has the model computes some of them (engine.Answers's `only`)
      const helpers = here.workers.map((w, i) => i).filter((i) => here.loaded[i][job.question.model]);
      const shared = job.question.kind === "gallery" && helpers.length > 1;
      job.replies = shared ? new Array(GALLERY).fill(undefined) : [undefined];
      job.replies.forEach((_, index) => send(queue, shared ? index : null, helpers[shared ? index % helpers.length : 0]));
      return;
    }
    setTimeout(() => { // after the status line is drawn
      try {
        finish(queue, where ? here.answers.answer(job.question) : null);
      } catch (error) {
        console.error(error); // a fault of the engine: the server answers
        finish(queue, null);
      }
    }, 0);
  }

  function send(queue, index, worker) { // part `index` of the queue's job (null: the whole question) to a worker
    const id = ++here.sent, question = index === null ? queue.busy.question : { ...queue.busy.question, only: index };
    here.parts.set(id, { queue, index, worker, job: queue.busy });
    here.workers[worker].postMessage({ id, question });
  }

  function answered(part, reply) { // a worker's reply to a part; the whole answer once every part has come
    const { queue, job, index } = part;
    if (queue.busy !== job) return;
    if (index === null || !reply || reply.error) {
      finish(queue, reply);
      return;
    }
    job.replies[index] = reply.results[0];
    if (job.replies.every((result) => result !== undefined)) finish(queue, { ...reply, results: job.replies });
  }

  function finish(queue, reply) {
    const job = queue.busy;
    queue.busy = null;
    for (const [id, part] of here.parts) if (part.job === job) here.parts.delete(id); // parts not needed any more
    if (reply) for (const result of reply.results ?? (reply.result ? [reply.result] : [])) result.source = job.where;
    job.resolve(reply);
    computeNext(queue);
  }

  const computing = (kind) => !!(here.queues[kind]?.busy || here.queues[kind]?.next);

  async function answerHere(question) { // the answer computed here, or null when the server must answer
    if (!["complete", "gallery"].includes(question.kind)) return null;
    const answer = await compute(question); // REPLACED: ask drops it (a newer question of its kind was asked)
    return answer ?? (question.teacher ? { ...question, error: ui.T.leak_needs_engine } : null); // only the page does it
  }

  questions.answerFrom = async (question) => (await answerHere(question)) ?? server.ask(question);
  loadModels();

  // What is shown follows the inputs shown, with no question to the server: after a result, the result drawn again
  // (another temperature, seed, model or garment); while painting after one, the completion of what is painted.
  function follow(s) {
    reproduceLink();
    redrawSoon();
    askPreview(s);
  }

  function stale(s) { // the model, garment, seed or temperature shown are no longer those of the picture shown
    const run = s.run;
    return !!run && (run.model !== s.model || String(run.label) !== String(s.label) || run.seed !== s.seed
      || run.temperature !== s.temperature);
  }

  // Live: the result shown, computed again with the inputs shown (the Completion steps only from the first pixel
  // that changes); the player shows it finished. A redraw answered after another result was shown is dropped.
  function redrawSoon() {
    const run = state.run, seed = state.seed;
    const valid = Number.isInteger(seed) && seed >= 0 && seed <= props.max_seed;
    if (!run || !stale(state) || !valid || !here.models[state.model]) return; // else "press Generate"
    const asked = { model: state.model, levels: run.start, known_rows: run.keptRows, known_pixels: run.keptPixels,
      hole: run.hole, temperature: state.temperature, seed, label: state.label, teacher: run.teacher };
    compute({ kind: "redraw", ...asked }).then((reply) => {
      if (!reply || reply === REPLACED || reply.error || state.run?.id !== run.id) return;
      const again = runOf(asked, reply.result, run.id);
      Object.assign(state, { run: again, cursor: again.trace.length, progress: again.trace.length, playing: false });
      here.redraws++;
      render(state);
    });
  }

  // While painting after a result (state.live), the rows below the queue show the completion of what is painted,
  // with the seed and temperature shown: repainting a kept pixel recomputes it from that pixel on, once for each
  // picture. Until its answer comes, the rows below show the completion computed last.
  function previewWanted(s) {
    return !s.run && !s.hole && s.live && s.history.length > 0 && !!here.models[s.model] && s.seed !== null;
  }

  function askPreview(s) {
    const asked = previewWanted(s) ? { model: s.model, levels: copy(s.levels), known_rows: s.keptRows,
      temperature: s.temperature, seed: s.seed, label: s.label } : null;
    const key = JSON.stringify(asked);
    if (key === here.preview.asked) return;
    here.preview.asked = key;
    if (!asked) {
      here.preview.levels = null;
      return;
    }
    compute({ kind: "preview", ...asked }).then((reply) => {
      if (!reply || reply === REPLACED || reply.error || here.preview.asked === "null") return;
      here.preview.levels = reply.result.levels;
      here.redraws++;
      render(state);
    });
  }

  function previewOf(s) { // what render shows under the painting: the kept rows as painted, the rows below computed
    if (!previewWanted(s) || !here.preview.levels) return null;
    return { levels: s.levels.map((row, r) => (r < s.keptRows ? row : here.preview.levels[r])) };
  }

  // ---- playing: requestAnimationFrame, so the animation is smooth whatever the server does

  let lastFrame = null;

  function play(on) {
    state.playing = on && !!state.run && state.run.trace.length > 0;
    if (state.playing && state.cursor >= state.run.trace.length) state.cursor = state.progress = 0;
    state.progress = state.cursor;
    lastFrame = null;
    if (state.playing) requestAnimationFrame(tick);
  }

  function tick(now) {
    if (!state.playing) return;
    const seconds = lastFrame === null ? 0 : (now - lastFrame) / 1000;
    lastFrame = now;
    state.progress = Math.min(state.run.trace.length, state.progress + seconds * state.speed);
    state.cursor = Math.floor(state.progress);
    if (state.cursor >= state.run.trace.length) state.playing = false;
    render(state);
    if (state.playing) requestAnimationFrame(tick);
  }

  function seek(cursor) {
    if (!state.run) return;
    state.playing = false;
    state.cursor = Math.max(0, Math.min(state.run.trace.length, cursor));
    state.progress = state.cursor;
    state.hovered = state.pinned = null;
    refresh();
  }

  function refresh() { // after an input: ask for the field now wanted (if any), follow the inputs, then draw
    askInspectedField(state);
    follow(state);
    render(state);
  }

  // ---- painting: pointer events serve mouse, pen and touch alike

  function cellAt(event) {
    const box = board.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * SIZE;
    const y = ((event.clientY - box.top) / box.height) * SIZE;
    return { row: Math.floor(y), col: Math.floor(x), y, inside: x >= 0 && x < SIZE && y >= 0 && y < SIZE };
  }

  function paintCell(s, row, col) {
    if (row >= 0 && row < SIZE && col >= 0 && col < SIZE) s.levels[row][col] = s.level;
  }

  function markHole(s, from, to) { // the rectangle between two cells becomes hole (or kept, if `from` was hole)
    const value = s.stroke.mark;
    s.hole = copy(s.stroke.before);
    for (let r = Math.min(from.row, to.row); r <= Math.max(from.row, to.row); r++) {
      for (let c = Math.min(from.col, to.col); c <= Math.max(from.col, to.col); c++) {
        if (r >= 0 && r < SIZE && c >= 0 && c < SIZE) s.hole[r][c] = value;
      }
    }
  }

  function paintLine(s, from, to) { // every cell between two pointer positions, so fast strokes leave no gaps
    const steps = Math.max(Math.abs(to.row - from.row), Math.abs(to.col - from.col), 1);
    for (let i = 0; i <= steps; i++) {
      paintCell(s, Math.round(from.row + ((to.row - from.row) * i) / steps),
        Math.round(from.col + ((to.col - from.col) * i) / steps));
    }
  }

  board.addEventListener("pointerdown", (event) => {
    const cell = cellAt(event);
    if (!cell.inside) return;
    event.preventDefault();
    board.setPointerCapture(event.pointerId);
    const keptRows = state.run ? state.run.keptRows : state.keptRows;
    if (state.hole && !state.run) { // marking a hole: a click toggles a cell, a drag marks a rectangle
      state.stroke = { hole: cell, before: copy(state.hole), mark: 1 - state.hole[cell.row][cell.col] };
      markHole(state, cell, cell);
    } else if (Math.abs(cell.y - keptRows) < 0.4 && !state.hole) {
      leaveRun(state);
      state.stroke = { boundary: true };
    } else if (state.run) { // over a result, a click or tap pins a pixel to inspect; painting starts from the palette
      pin(state, cell.row, cell.col);
      if (event.pointerType === "touch") requestAnimationFrame(revealBars);
    } else {
      state.strokes.push(copy(state.levels));
      state.stroke = { last: cell };
      paintCell(state, cell.row, cell.col);
    }
    refresh();
  });

  board.addEventListener("pointermove", (event) => {
    const cell = cellAt(event);
    if (state.stroke && state.stroke.hole) {
      markHole(state, state.stroke.hole, cell);
    } else if (state.stroke && state.stroke.boundary) {
      state.keptRows = Math.max(0, Math.min(SIZE, Math.round(cell.y)));
    } else if (state.stroke) {
      paintLine(state, state.stroke.last, cell);
      state.stroke.last = cell;
    } else if (state.run && cell.inside && event.pointerType === "mouse") {
      state.hovered = traceIndex(state, cell.row, cell.col);
    } else return;
    refresh();
  });

  for (const name of ["pointerup", "pointercancel"]) {
    board.addEventListener(name, () => {
      state.stroke = null;
      render(state);
    });
  }

  board.addEventListener("pointerleave", (event) => {
    if (state.stroke || event.pointerType !== "mouse" || state.hovered === null) return;
    state.hovered = null;
    refresh();
  });

  // ---- keyboard: 0-3 pick a grey anywhere in the component; on the board, arrows move, Space/Enter paint

  element.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z" && !event.target.matches("input, select")) {
      $(".pcnn-undo").click(); // Ctrl+Z (Cmd+Z): undo a stroke, as the button does
      event.preventDefault();
      return;
    }
    const typing = event.target.matches("input[type=number], select");
    if (!typing && ["0", "1", "2", "3"].includes(event.key)) {
      pickLevel(Number(event.key));
      event.preventDefault();
    }
  });

  board.addEventListener("keydown", (event) => {
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (event.key in moves) {
      const [dr, dc] = moves[event.key];
      state.focus = {
        row: Math.max(0, Math.min(SIZE - 1, state.focus.row + dr)),
        col: Math.max(0, Math.min(SIZE - 1, state.focus.col + dc)),
      };
      pin(state, state.focus.row, state.focus.col);
    } else if (event.key === " " || event.key === "Enter") {
      if (state.run) pin(state, state.focus.row, state.focus.col);
      else if (state.hole) state.hole[state.focus.row][state.focus.col] ^= 1;
      else {
        state.strokes.push(copy(state.levels));
        paintCell(state, state.focus.row, state.focus.col);
      }
    } else return;
    event.preventDefault();
    refresh();
  });
  board.addEventListener("focus", () => render(state));
  board.addEventListener("blur", () => render(state));

  function pickLevel(level) {
    leaveRun(state); // painting goes on from the picture shown
    state.hole = null; // a grey paints: out of "paint a hole"
    state.level = level;
    state.message = "";
    refresh();
  }

  // ---- the controls

  const on = (selector, type, handler) => $(selector).addEventListener(type, handler);
  // a button that toggles or saves does it once for a double click too (its second click, event.detail 2, is the same
  // press said twice); a key's press has detail 0
  const once = (handler) => (event) => event.detail > 1 || handler(event);

  for (const button of element.querySelectorAll(".pcnn-level")) {
    button.addEventListener("click", () => pickLevel(Number(button.dataset.level)));
  }
  on(".pcnn-undo", "click", () => {
    leaveRun(state);
    if (state.strokes.length) state.levels = state.strokes.pop();
    refresh();
  });
  on(".pcnn-clear", "click", () => {
    leaveRun(state);
    state.strokes.push(copy(state.levels));
    state.levels = blank();
    state.message = "";
    state.upload = null;
    refresh();
  });
  on(".pcnn-kept", "input", (event) => {
    leaveRun(state);
    state.keptRows = Number(event.target.value);
    refresh();
  });
  on(".pcnn-model", "change", (event) => {
    state.model = event.target.value;
    if (modelClasses(state.model) === 0) state.label = "any";
    refresh(); // what is shown follows the inputs shown, when the model is in the page
  });
  on(".pcnn-garment", "change", (event) => {
    state.label = event.target.value === "any" ? "any" : Number(event.target.value);
    refresh();
  });
  on(".pcnn-temperature", "input", (event) => {
    state.temperature = Number(event.target.value);
    refresh(); // the whole completion follows the slider, when the model is in the page
  });
  on(".pcnn-live", "change", (event) => {
    state.live = event.target.checked;
    refresh();
  });
  on(".pcnn-seed", "input", (event) => {
    state.seed = event.target.value === "" ? null : Number(event.target.value);
    if (state.refused && Number.isInteger(state.seed) && state.seed >= 0 && state.seed <= props.max_seed) {
      Object.assign(state, { message: "", refused: false }); // "Give a seed" goes once there is one
    }
    refresh();
  });
  on(".pcnn-dice", "click", () => {
    state.seed = Math.floor(Math.random() * props.max_seed);
    refresh();
  });
  on(".pcnn-speed", "change", (event) => {
    state.speed = Number(event.target.value);
    render(state);
  });
  // a second press of Generate within DOUBLE_CLICK_MS of the first, the same question, nothing else pressed between,
  // is one press said twice (a double click): even when the page's engine answered the first within those milliseconds
  const DOUBLE_CLICK_MS = 400;
  let generatePressed = { time: -Infinity, question: "" };
  element.addEventListener("click", (event) => {
    if (!event.target.closest(".pcnn-generate")) generatePressed = { time: -Infinity, question: "" };
  }, true);
  on(".pcnn-generate", "click", () => {
    const asked = question(state), json = JSON.stringify(asked), now = performance.now();
    if (now - generatePressed.time < DOUBLE_CLICK_MS && json === generatePressed.question) return;
    generatePressed = { time: now, question: json };
    generate(asked);
  });
  on(".pcnn-hole-mode", "click", once(() => { // on: mark cells to fill; off: back to kept rows
    leaveRun(state);
    state.hole = state.hole ? null : blank();
    state.message = state.hole ? ui.T.hole_start : "";
    refresh();
  }));
  on(".pcnn-whatif", "input", (event) => {
    state.whatIf = Number(event.target.value);
    render(state);
  });
  on(".pcnn-teacher", "click", () => { // the test garment chosen, its hidden rows drawn as in training (teacher forcing)
    const levels = copy(props.samples[state.sample].levels);
    leaveRun(state);
    Object.assign(state, { levels, hole: null });
    generate({ model: state.model, levels, known_rows: state.keptRows, temperature: state.temperature, seed: state.seed,
      label: state.label, teacher: { sample: state.sample } });
  });
  on(".pcnn-four", "click", () => askGallery(question(state)));
  on(".pcnn-play", "click", once(() => {
    play(!state.playing);
    refresh();
  }));
  on(".pcnn-back", "click", () => seek(state.cursor - 1));
  on(".pcnn-forward", "click", () => seek(state.cursor + 1));
  on(".pcnn-end", "click", () => seek(Infinity));
  on(".pcnn-timeline", "input", (event) => seek(Number(event.target.value)));
  on(".pcnn-show-field", "change", (event) => {
    state.showField = event.target.checked;
    refresh();
  });
  on(".pcnn-branch", "click", () => {
    const index = inspectedIndex(state);
    if (index === null) return;
    const run = state.run;
    const { row, col } = run.trace[index];
    const shown = state.cursor;
    state.cursor = index; // every pixel before the chosen one, as generated
    const levels = shownLevels(state);
    state.cursor = shown;
    const seed = (run.seed + 1) % (props.max_seed + 1);
    const from = row * SIZE + col; // with a hole: its cells from the chosen one on are filled again
    const hole = run.hole ? { what: "fill", hole: run.hole.map((r, i) => r.map((v, j) => v & (i * SIZE + j >= from))) } : {};
    generate({ model: run.model, levels, known_rows: row, known_pixels: from,
      temperature: run.temperature, seed, label: run.label, ...hole });
  });
  on(".pcnn-previous", "click", () => {
    const previous = state.history.pop();
    if (!previous) return;
    const current = state.run;
    state.run = null;
    showRun(previous);
    if (current) state.history.push(current); // so the same button goes back again
    seek(previous.trace.length);
  });
  on(".pcnn-sample", "change", (event) => {
    state.sample = Number(event.target.value);
    render(state);
  });
  on(".pcnn-invert", "click", () => { // black <-> white, dark grey <-> light grey; undone like a stroke
    leaveRun(state);
    state.strokes.push(copy(state.levels));
    state.levels = state.levels.map((row) => row.map((level) => GREYS.length - 1 - level));
    state.message = ui.T.inverted_note;
    refresh();
  });
  on(".pcnn-use-sample", "click", () => {
    const index = state.sample;
    leaveRun(state);
    state.strokes.push(copy(state.levels));
    state.levels = copy(props.samples[index].levels);
    state.upload = null;
    state.message = format(ui.T.test_image_note, { index, garment: ui.T.garments[props.samples[index].label] });
    refresh();
  });
  on(".pcnn-read-as", "click", () => { // the other reading of the uploaded picture; Undo stroke takes it back
    leaveRun(state);
    state.strokes.push(copy(state.levels));
    readUpload(state, state.upload.way === "garment" ? "as_is" : "garment");
  });
  on(".pcnn-pick", "click", once(() => $(".pcnn-file").click()));
  on(".pcnn-file", "change", () => {
    const file = $(".pcnn-file").files[0];
    $(".pcnn-file").value = ""; // the same file chosen again is read again
    if (file) pictureChosen(file);
  });
  on(".pcnn-save-png", "click", once(() => {
    const big = document.createElement("canvas");
    big.width = big.height = SIZE * 32;
    paintLevels(big.getContext("2d"), shownLevels(state), 32);
    download(big.toDataURL("image/png"), `${format(ui.T.download_name, { seed: state.run ? state.run.seed : 0 })}.png`);
  }));
  on(".pcnn-save-gif", "click", once(() => {
    if (state.run) saveGif(state.run);
  }));
  on(".pcnn-copy-link", "click", once(copyLink));

  const modelOf = (name) => props.models.find((m) => m.name === name);
  const modelClasses = (name) => modelOf(name)?.classes ?? 0;

  // ---- the texts (again whenever the page's language changes), options, then the first render

  function showTexts() {
    for (const node of element.querySelectorAll("[data-text]")) node.textContent = ui.T[node.dataset.text];
    for (const node of element.querySelectorAll(".pcnn-level")) {
      node.setAttribute("aria-label", ui.T[`level_${node.dataset.level}`]);
      node.title = ui.T[`level_${node.dataset.level}`];
    }
    $(".pcnn-palette").setAttribute("aria-label", ui.T.palette);
    $(".pcnn-back").setAttribute("aria-label", ui.T.back);
    $(".pcnn-forward").setAttribute("aria-label", ui.T.forward);
    $(".pcnn-end").setAttribute("aria-label", ui.T.to_end);
    $(".pcnn-timeline").setAttribute("aria-label", ui.T.timeline);
    $(".pcnn-sample").setAttribute("aria-label", ui.T.test_image);
    $(".pcnn-model").replaceChildren(...props.models.map((m) => new Option(ui.T[`model_${m.name}`] ?? m.name, m.name)));
    $(".pcnn-garment").replaceChildren(new Option(ui.T.any_garment, "any"),
      ...ui.T.garments.map((name, i) => new Option(name, String(i))));
    $(".pcnn-sample").replaceChildren(...props.samples.map((sample, index) =>
      new Option(format(ui.T.sample_option, { index, garment: ui.T.garments[sample.label] }), String(index))));
  }

  for (const node of element.querySelectorAll(".pcnn-level")) {
    const g = GREYS[Number(node.dataset.level)];
    node.querySelector(".pcnn-swatch").style.background = `rgb(${g},${g},${g})`;
  }
  $(".pcnn-temperature").max = $(".pcnn-whatif").max = props.max_temperature;
  $(".pcnn-seed").max = props.max_seed;
  $(".pcnn-model-field").style.display = props.models.length > 1 ? "" : "none";
  showTexts();
  onLanguageChange(() => {
    showTexts();
    if (here.linkProblem && state.message === here.linkProblem.said) sayLinkProblem(here.linkProblem.key); // anew
    render(state);
  });
  watch("value", () => onUpload(props.value));
  if (!here.off) readerModule(); // read uploads here: the module is had now, while the network is there
  $(".pcnn-private").hidden = here.off; // "never sent": only where the page reads it
  // Now, with the page: the fields module and every model's measured fields, which the masks tab (mounted by Gradio
  // only when first opened) then finds in the page, the network cut or not (fields.js keeps them once per page).
  for (const { name } of props.models) loadField(name, () => render(state));
  if (!here.off) load("gif.js", (attempt) => importPage("gif.js", attempt), () => render(state));
  load("link.js", (attempt) => importPage("link.js", attempt), () => {
    if (loaded("link.js")) openLink(loaded("link.js"));
    render(state);
  });
  render(state);
}
