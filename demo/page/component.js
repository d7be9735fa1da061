// What the page's components share (the grid, the masks tab, the layer view, the learning tab): each is a gr.HTML
// whose js_on_load (demo/mount.js) imports its module from this folder and calls its mount({element, props,
// server, watch}); the module makes its kit here: the page's language and texts, the one way to ask the server a
// question, what it loads by itself (modules, the measured fields), once each.

import { Loads } from "./loads.js";
import { TEXTS } from "./locales.js"; // written beside these modules by demo/ui.py page_dir (demo/i18n.py module)
import { Questions } from "./questions.js";
import { decimal, format, onLanguageChange, pageLanguage, temperatureText } from "./texts.js";

export const SIZE = 16; // pixels a side
export const LEAK = "rgb(255,0,255)"; // a pixel seen by its own prediction (the leaky model, mask B first)

// element: the component's root; props: its data (props.page: the URL of this folder, props.measured:
// each model's measured fields file or null); server: Gradio's server functions (server.ask)
export function component({ element, props, server }) {
  const language = () => pageLanguage(Object.keys(TEXTS));
  const ui = {
    element,
    props,
    T: TEXTS[language()], // the texts in the page's language, kept current
    $: (selector) => element.querySelector(selector),
    format,
    language,
    decimal: (x, digits) => decimal(x, digits, language()),
    temperatureText: (t) => temperatureText(t, language()),
    onLanguageChange: (redraw) => onLanguageChange(() => {
      ui.T = TEXTS[language()];
      redraw();
    }),
    loads: new Loads(),
  };

  // questions to the server, one id for this component on this page
  const page = Math.random().toString(36).slice(2);
  ui.questions = new Questions((question) => server.ask(question),
    () => ({ lang: language(), page, noAnswer: ui.T.status_no_answer }));
  ui.ask = (kind, payload) => ui.questions.ask(kind, payload);
  ui.waitingFor = (kind) => ui.questions.waitingFor(kind);

  // this folder's files, their URLs made whole from the page's (import() would take them relative to Gradio's own
  // script). A module import that failed is remembered by the browser: a new attempt asks under another query string.
  ui.pageURL = (name) => new URL(name, new URL(props.page, document.baseURI)).href;
  ui.importPage = (name, attempt) => {
    const url = new URL(ui.pageURL(name));
    if (attempt) url.searchParams.set("attempt", attempt);
    return import(url.href);
  };
  ui.load = (name, get, arrived) => ui.loads.load(name, get, arrived);
  ui.loaded = (name) => ui.loads.loaded(name);
  ui.failing = (name) => ui.loads.failing(name);

  // measured receptive fields: each model's file (pixelcnn.measured), read once for the whole page (fields.js); a
  // field is 16x16 influences in 0-1, 0 = unseen. props.measured: {model: its file's URL, or null when none shipped}
  const measured = props.measured ?? {};
  const key = (model) => `measured:${model}`;
  ui.loadField = (model, arrived) => {
    if (!measured[model]) return;
    ui.load(key(model), async (attempt) =>
      (ui.loaded("fields.js") ?? (await ui.importPage("fields.js", attempt))).fetchMeasured(measured[model]), arrived);
  };
  ui.fieldOf = (model, row, col) => ui.loaded(key(model))?.at(row, col) ?? null;
  ui.fieldAsked = (model) => Boolean(measured[model]) && !ui.loaded(key(model)); // on its way
  ui.fieldState = (model) => // what to say where a model's measured field is not drawn
    !measured[model] ? "field_not_shipped" : ui.failing(key(model)) ? "field_failed" : null;
  return ui;
}

// diagonal stripes: a field still on its way, never mistaken for "unseen"
export function hatch(ctx, width, height) {
  ctx.save();
  ctx.strokeStyle = "rgba(160,160,160,0.55)";
  ctx.lineWidth = 3;
  for (let x = -height; x < width; x += 12) {
    ctx.beginPath();
    ctx.moveTo(x, height);
    ctx.lineTo(x + height, 0);
    ctx.stroke();
  }
  ctx.restore();
}
