// A link to what the grid shows (demo/page/link.js reads and writes it): "Copy link" writes the page's state into the
// address and copies it; a page opened from such a link takes that state and computes its completion again here
// (the engine is deterministic for a seed: the same picture), then shows the tab it names; the layer view
// (layers.js) takes its pixel and layer from the same address. A link that is not valid is said in one sentence;
// the page opens as usual.

import { SIZE } from "./component.js";
import { question } from "./grid_state.js";

export function gridLink(grid) {
  const ui = grid.ui;
  const { props, $, loaded } = ui;
  const { state, here, linking } = grid;

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
    linking.box = null;
    try {
      await navigator.clipboard.writeText(url.href);
      state.message = ui.T.link_copied;
    } catch { // copying refused (no permission, no secure context): the link, selected, in a box to copy by hand
      linking.box = url.href;
      state.message = ui.T.link_copy_by_hand;
    }
    grid.render(state);
    if (linking.box) $(".pcnn-link-box").select();
  }

  function openLink(link) { // the address's link, once link.js has come: its state taken, or its sentence said
    const { state: linked, problem } = link.readLink(location.search, props.link_limits);
    if (problem) {
      sayLinkProblem(problem);
      grid.render(state);
      return;
    }
    if (!linked) return;
    const given = (value, otherwise) => (value === null ? otherwise : value);
    Object.assign(state, {
      model: given(linked.model, state.model), seed: given(linked.seed, state.seed),
      temperature: given(linked.temperature, state.temperature), keptRows: given(linked.keptRows, state.keptRows),
      levels: given(linked.levels, state.levels), hole: given(linked.hole, state.hole),
    });
    state.label = grid.modelClasses(state.model) ? given(linked.label, state.label) : "any";
    if (linked.shown) {
      const asked = question(state);
      linking.asked = linked.keptPixels === null ? asked : { ...asked, known_pixels: linked.keptPixels };
    }
    if (linked.tab) document.querySelectorAll("[role=tab]")[link.TABS.indexOf(linked.tab)]?.click();
    grid.refresh();
  }

  function sayLinkProblem(key) { // in the page's language; said again in another while it is still shown
    state.message = loaded("link.js").linkProblemText(key, ui.T);
    linking.problem = { key, said: state.message };
  }

  function reproduceLink() { // the link's completion, once the page's engine has its model (or cannot have it)
    const asked = linking.asked;
    if (!asked || !(here.off || here.models[asked.model] || here.failed[asked.model])) return;
    linking.asked = null;
    grid.generate(asked).then(() => grid.seek(Infinity)); // the finished picture, as it was when the link was copied
  }

  return { copyLink, openLink, sayLinkProblem, reproduceLink };
}
