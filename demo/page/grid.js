// The page's heart (its gr.HTML's js_on_load mounts it, demo/mount.js).
// Paint a 16x16 grid of 4 greys, get a completion (from the model in the page, grid_engine.js, or else from the
// server), then play its trace pixel by pixel with requestAnimationFrame, step, scrub and inspect it.
// One state object (grid_state.js); render(state) only draws it (grid_render.js); input handlers (grid_input.js)
// change the state, ask questions (component.js `ask`, never from render) and call render. Uploads (grid_upload.js)
// and the link to what is shown (grid_link.js) have their own files. What they share is `grid`: the state, the
// page's engine, the board, and the functions each file gives the others.

import { component, SIZE } from "./component.js";
import { pageEngine, REPLACED } from "./grid_engine.js";
import { listen } from "./grid_input.js";
import { gridLink } from "./grid_link.js";
import { gridRenderer } from "./grid_render.js";
import { copy, initialState, inspectedIndex, runOf, stale, validSeed } from "./grid_state.js";
import { gridUploads } from "./grid_upload.js";

export function mount(gradio) {
  const ui = component(gradio);
  const { server, watch } = gradio;
  const { element, props, $, format, onLanguageChange, ask, questions, load, loaded, importPage, pageURL,
    loadField } = ui;
  const state = initialState(props, ui);
  const board = $(".pcnn-board");
  const modelOf = (name) => props.models.find((m) => m.name === name);
  const grid = {
    ui, state, board, context: board.getContext("2d"), CELL: board.width / SIZE, GREYS: props.greys, // 0, 85, 170, 255
    live: { // what is computed live, with no question asked
      preview: { asked: null, levels: null }, // the completion under the painting: its question (JSON), its levels
      redraws: 0, // completions computed live (temperature slider, painting), counted for the browser test
    },
    linking: { // the link in the address (grid_link.js)
      asked: null, // the link's question, until the engine can answer it (then its completion is computed here)
      problem: null, // {key, said}: the key of the address's link that could not be read, and the sentence said
      box: null, // the link to copy by hand, where the browser refused to copy it
    },
    here: pageEngine({ props, pageURL, importPage, changed: () => refresh() }),
    modelOf,
    modelClasses: (name) => modelOf(name)?.classes ?? 0,
    refresh, generate, askGallery, saveGif, showRun, download, seek, play, previewOf,
  };
  const { here, live, linking, GREYS } = grid;
  Object.assign(grid, gridRenderer(grid), gridUploads(grid), gridLink(grid));
  const { render } = grid;
  listen(grid);

  function askInspectedField(s) { // the model's measured fields, loaded once, when a pixel is first inspected
    if (inspectedIndex(s) !== null && s.showField) loadField(s.run.model, () => render(state));
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

  function showRun(run) { // the inputs shown become the run's: they say what made the picture on screen
    // the result before: the picture shown, but not a live redraw of this very picture (a new seed typed, then
    // Generate): the one it was redrawn from; never this picture again
    const same = (other) => JSON.stringify(other.levels) === JSON.stringify(run.levels);
    const before = state.run && same(state.run) ? state.run.redrawOf : state.run;
    if (before && before !== run && !same(before)) state.history.push(before);
    Object.assign(state, { run, seed: run.seed, model: run.model, label: run.label, temperature: run.temperature,
      keptRows: run.keptRows, hole: run.hole, cursor: 0, progress: 0, hovered: null, pinned: null, whatIf: null,
      message: "", refused: false });
    play(run.trace.length > 0);
  }

  function download(url, name) {
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    element.appendChild(link);
    link.click();
    link.remove();
  }

  async function answerHere(question) { // the answer computed here, or null when the server must answer
    if (!["complete", "gallery"].includes(question.kind)) return null;
    const answer = await here.compute(question); // REPLACED: ask drops it (a newer question of its kind was asked)
    return answer ?? (question.teacher ? { ...question, error: ui.T.leak_needs_engine } : null); // only the page does it
  }

  questions.answerFrom = async (question) => (await answerHere(question)) ?? server.ask(question);
  here.start();

  // What is shown follows the inputs shown, with no question to the server: after a result, the result drawn again
  // (another temperature, seed, model or garment); while painting after one, the completion of what is painted.
  function follow(s) {
    grid.reproduceLink();
    redrawSoon();
    askPreview(s);
  }

  // Live: the result shown, computed again with the inputs shown (the Completion steps only from the first pixel
  // that changes); the player shows it finished. A redraw answered after another result was shown is dropped.
  function redrawSoon() {
    const run = state.run, seed = state.seed;
    if (!run || !stale(state) || !validSeed(seed, props.max_seed) || !here.models[state.model]) return; // else "press Generate"
    const asked = { model: state.model, levels: run.start, known_rows: run.keptRows, known_pixels: run.keptPixels,
      hole: run.hole, temperature: state.temperature, seed, label: state.label, teacher: run.teacher };
    here.compute({ kind: "redraw", ...asked }).then((reply) => {
      if (!reply || reply === REPLACED || reply.error || state.run?.id !== run.id) return;
      const again = { ...runOf(asked, reply.result, run.id), redrawOf: run.redrawOf ?? run };
      Object.assign(state, { run: again, cursor: again.trace.length, progress: again.trace.length, playing: false });
      live.redraws++;
      render(state);
    });
  }

  // While painting after a result (state.live), the rows below the queue show the completion of what is painted,
  // with the seed and temperature shown: repainting a kept pixel recomputes it from that pixel on, once for each
  // picture. Until its answer comes, the rows below show the completion computed last.
  function previewWanted(s) {
    return !s.run && !s.hole && s.live && s.history.length > 0 && !!here.models[s.model]
      && validSeed(s.seed, props.max_seed);
  }

  function askPreview(s) {
    const asked = previewWanted(s) ? { model: s.model, levels: copy(s.levels), known_rows: s.keptRows,
      temperature: s.temperature, seed: s.seed, label: s.label } : null;
    const key = JSON.stringify(asked);
    if (key === live.preview.asked) return;
    live.preview.asked = key;
    if (!asked) {
      live.preview.levels = null;
      return;
    }
    here.compute({ kind: "preview", ...asked }).then((reply) => {
      if (!reply || reply === REPLACED || reply.error || live.preview.asked === "null") return;
      live.preview.levels = reply.result.levels;
      live.redraws++;
      render(state);
    });
  }

  function previewOf(s) { // what render shows under the painting: the kept rows as painted, the rows below computed
    if (!previewWanted(s) || !live.preview.levels) return null;
    return { levels: s.levels.map((row, r) => (r < s.keptRows ? row : live.preview.levels[r])) };
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
    if (linking.problem && state.message === linking.problem.said) grid.sayLinkProblem(linking.problem.key); // anew
    render(state);
  });
  watch("value", () => grid.onUpload(props.value));
  if (!here.off) grid.readerModule(); // read uploads here: the module is had now, while the network is there
  $(".pcnn-private").hidden = here.off; // "never sent": only where the page reads it
  // Now, with the page: the fields module and every model's measured fields, which the masks tab (mounted by Gradio
  // only when first opened) then finds in the page, the network cut or not (fields.js keeps them once per page).
  for (const { name } of props.models) loadField(name, () => render(state));
  if (!here.off) load("gif.js", (attempt) => importPage("gif.js", attempt), () => render(state));
  load("link.js", (attempt) => importPage("link.js", attempt), () => {
    if (loaded("link.js")) grid.openLink(loaded("link.js"));
    render(state);
  });
  render(state);
}
