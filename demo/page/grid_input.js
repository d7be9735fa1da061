// The grid's input (demo/page/grid.js): pointer events (mouse, pen and touch alike) paint, mark a hole, drag the
// kept rows' boundary or inspect a pixel; keys 0-3 pick a grey, the arrows and Space paint or inspect; the controls.
// Every handler only changes the state and calls refresh() or render().

import { SIZE } from "./component.js";
import {
  blank, copy, inspectedIndex, leaveRun, markHole, paintCell, paintLine, pin, question, shownLevels, traceIndex,
  validSeed,
} from "./grid_state.js";

export function listen(grid) {
  const ui = grid.ui;
  const { element, props, $, format } = ui;
  const { state, board, GREYS } = grid;

  // ---- painting: pointer events serve mouse, pen and touch alike

  function cellAt(event) {
    const box = board.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * SIZE;
    const y = ((event.clientY - box.top) / box.height) * SIZE;
    return { row: Math.floor(y), col: Math.floor(x), y, inside: x >= 0 && x < SIZE && y >= 0 && y < SIZE };
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
      if (event.pointerType === "touch") requestAnimationFrame(grid.revealBars);
    } else {
      state.strokes.push(copy(state.levels));
      state.stroke = { last: cell };
      paintCell(state, cell.row, cell.col);
    }
    grid.refresh();
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
    grid.refresh();
  });

  for (const name of ["pointerup", "pointercancel"]) {
    board.addEventListener(name, () => {
      state.stroke = null;
      grid.render(state);
    });
  }

  board.addEventListener("pointerleave", (event) => {
    if (state.stroke || event.pointerType !== "mouse" || state.hovered === null) return;
    state.hovered = null;
    grid.refresh();
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
    grid.refresh();
  });
  board.addEventListener("focus", () => grid.render(state));
  board.addEventListener("blur", () => grid.render(state));

  function pickLevel(level) {
    leaveRun(state); // painting goes on from the picture shown
    state.hole = null; // a grey paints: out of "paint a hole"
    state.level = level;
    state.message = "";
    grid.refresh();
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
    grid.refresh();
  });
  on(".pcnn-clear", "click", () => {
    leaveRun(state);
    state.strokes.push(copy(state.levels));
    state.levels = blank();
    state.message = "";
    state.upload = null;
    grid.refresh();
  });
  on(".pcnn-kept", "input", (event) => {
    leaveRun(state);
    state.keptRows = Number(event.target.value);
    grid.refresh();
  });
  on(".pcnn-model", "change", (event) => {
    state.model = event.target.value;
    if (grid.modelClasses(state.model) === 0) state.label = "any";
    grid.refresh(); // what is shown follows the inputs shown, when the model is in the page
  });
  on(".pcnn-garment", "change", (event) => {
    state.label = event.target.value === "any" ? "any" : Number(event.target.value);
    grid.refresh();
  });
  on(".pcnn-temperature", "input", (event) => {
    state.temperature = Number(event.target.value);
    grid.refresh(); // the whole completion follows the slider, when the model is in the page
  });
  on(".pcnn-live", "change", (event) => {
    state.live = event.target.checked;
    grid.refresh();
  });
  on(".pcnn-seed", "input", (event) => {
    state.seed = event.target.value === "" ? null : Number(event.target.value);
    if (state.refused && validSeed(state.seed, props.max_seed)) {
      Object.assign(state, { message: "", refused: false }); // "Give a seed" goes once there is one
    }
    grid.refresh();
  });
  on(".pcnn-dice", "click", () => {
    state.seed = Math.floor(Math.random() * props.max_seed);
    grid.refresh();
  });
  on(".pcnn-speed", "change", (event) => {
    state.speed = Number(event.target.value);
    grid.render(state);
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
    grid.generate(asked);
  });
  on(".pcnn-hole-mode", "click", once(() => { // on: mark cells to fill; off: back to kept rows
    leaveRun(state);
    state.hole = state.hole ? null : blank();
    state.message = state.hole ? ui.T.hole_start : "";
    grid.refresh();
  }));
  on(".pcnn-whatif", "input", (event) => {
    state.whatIf = Number(event.target.value);
    grid.render(state);
  });
  on(".pcnn-teacher", "click", () => { // the test garment chosen, its hidden rows drawn as in training (teacher forcing)
    const levels = copy(props.samples[state.sample].levels);
    leaveRun(state);
    Object.assign(state, { levels, hole: null });
    grid.generate({ model: state.model, levels, known_rows: state.keptRows, temperature: state.temperature, seed: state.seed,
      label: state.label, teacher: { sample: state.sample } });
  });
  // the kept rows completed 4 times, a hole or not (as the server: 4 fills were asked as one, and never drawn)
  on(".pcnn-four", "click", () => grid.askGallery(question({ ...state, hole: null })));
  on(".pcnn-play", "click", once(() => {
    grid.play(!state.playing);
    grid.refresh();
  }));
  on(".pcnn-back", "click", () => grid.seek(state.cursor - 1));
  on(".pcnn-forward", "click", () => grid.seek(state.cursor + 1));
  on(".pcnn-end", "click", () => grid.seek(Infinity));
  on(".pcnn-timeline", "input", (event) => grid.seek(Number(event.target.value)));
  on(".pcnn-show-field", "change", (event) => {
    state.showField = event.target.checked;
    grid.refresh();
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
    grid.generate({ model: run.model, levels, known_rows: row, known_pixels: from,
      temperature: run.temperature, seed, label: run.label, ...hole });
  });
  on(".pcnn-previous", "click", () => {
    const previous = state.history.pop();
    if (!previous) return;
    const current = state.run;
    state.run = null;
    grid.showRun(previous);
    if (current) state.history.push(current); // so the same button goes back again
    grid.seek(previous.trace.length);
  });
  on(".pcnn-sample", "change", (event) => {
    state.sample = Number(event.target.value);
    grid.render(state);
  });
  on(".pcnn-invert", "click", () => { // black <-> white, dark grey <-> light grey; undone like a stroke
    leaveRun(state);
    state.strokes.push(copy(state.levels));
    state.levels = state.levels.map((row) => row.map((level) => GREYS.length - 1 - level));
    state.message = ui.T.inverted_note;
    grid.refresh();
  });
  on(".pcnn-use-sample", "click", () => {
    const index = state.sample;
    leaveRun(state);
    state.strokes.push(copy(state.levels));
    state.levels = copy(props.samples[index].levels);
    state.upload = null;
    state.message = format(ui.T.test_image_note, { index, garment: ui.T.garments[props.samples[index].label] });
    grid.refresh();
  });
  on(".pcnn-read-as", "click", () => { // the other reading of the uploaded picture; Undo stroke takes it back
    leaveRun(state);
    state.strokes.push(copy(state.levels));
    grid.readUpload(state, state.upload.way === "garment" ? "as_is" : "garment");
  });
  on(".pcnn-pick", "click", once(() => $(".pcnn-file").click()));
  on(".pcnn-file", "change", () => {
    const file = $(".pcnn-file").files[0];
    $(".pcnn-file").value = ""; // the same file chosen again is read again
    if (file) grid.pictureChosen(file);
  });
  on(".pcnn-save-png", "click", once(() => {
    const big = document.createElement("canvas");
    big.width = big.height = SIZE * 32;
    grid.paintLevels(big.getContext("2d"), shownLevels(state), 32);
    grid.download(big.toDataURL("image/png"), `${format(ui.T.download_name, { seed: state.run ? state.run.seed : 0 })}.png`);
  }));
  on(".pcnn-save-gif", "click", once(() => {
    if (state.run) grid.saveGif(state.run);
  }));
  on(".pcnn-copy-link", "click", once(grid.copyLink));

  return {  };
}
