// The grid's render (demo/page/grid.js): render(state) is the one function that draws; it never asks the server
// anything. The board (the painting, the run's trace so far, the hole, the inspected pixel and its measured field),
// the controls' values, the status line, who computed what is shown, the bars, the 4 side by side, the upload's
// preview and the link box.

import { hatch, LEAK, SIZE } from "./component.js";
import {
  atTemperature, barValue, blindCells, hundredths, inspectedIndex, shownLevels, stale, unusedCells,
} from "./grid_state.js";

const PENDING = "rgb(40,60,110)"; // pixels still to be drawn
const HOLE = "rgba(200,40,160,0.55)"; // cells marked as a hole, to be filled
const UNUSED = "rgb(230,40,40)"; // known pixels after an inspected hole cell: crossed, never used
const BLIND = "rgb(0,170,230)"; // known pixels before it that its field never reaches (a blind spot): ringed

export function gridRenderer(grid) {
  const ui = grid.ui;
  const { element, props, $, format, decimal, language, waitingFor, loaded } = ui;
  const { fieldOf, fieldAsked, temperatureText } = ui;
  const { here, board, context, CELL, GREYS, live, linking } = grid;

  function render(s) {
    drawBoard(s);
    for (const button of element.querySelectorAll(".pcnn-level")) {
      button.setAttribute("aria-checked", String(Number(button.dataset.level) === s.level));
    }
    $(".pcnn-kept").value = s.keptRows;
    $(".pcnn-kept-value").textContent = s.keptRows;
    $(".pcnn-model").value = s.model;
    $(".pcnn-garment-field").style.display = grid.modelClasses(s.model) > 0 ? "" : "none";
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
    const preview = grid.previewOf(s);
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
      if (s.run.hole) for (const [r, c] of blindCells(s.run, row, col, fieldOf(s.run.model, row, col))) ring(r, c);
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
    board.dataset.redraws = live.redraws;
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
    if (!s.run) return grid.previewOf(s) ? format(ui.T.status_preview, { seed: s.seed }) : ui.T.status_idle;
    if (stale(s) && !here.computing("redraw")) return ui.T.status_stale; // until it is drawn again here, or Generate is pressed
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
    $(".pcnn-leak").hidden = !grid.modelOf(s.model)?.leaks;
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
        grid.showRun(run); // the picture above the button, whatever was asked since
        grid.refresh();
        const box = grid.board.getBoundingClientRect(); // it plays on the board: in view (a screen up, on a phone)
        if (box.top < 0 || box.bottom > window.innerHeight) grid.board.scrollIntoView({ block: "nearest", behavior: "smooth" });
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
    const blind = entry && s.run.hole ? blindCells(s.run, entry.row, entry.col, fieldOf(s.run.model, entry.row, entry.col)).length : 0;
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
      row.querySelector(".pcnn-bar-value").textContent = probs ? barValue(p, shown[level], decimal) : "";
    });
  }

  function revealBars() { // on a phone the bars sit just under the grid (grid.css): scroll no further than to show them
    const bars = $(".pcnn-bars-grid");
    const box = bars.getBoundingClientRect();
    if (box.bottom > window.innerHeight || box.top < 0) bars.scrollIntoView({ block: "nearest", behavior: "smooth" });
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

  function renderLink() {
    $(".pcnn-copy-link").disabled = !loaded("link.js");
    const box = $(".pcnn-link-box");
    box.hidden = !linking.box;
    box.value = linking.box ?? "";
    box.setAttribute("aria-label", ui.T.link_label);
  }

  return { render, paintLevels, revealBars };
}
