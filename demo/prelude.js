// What the page's components share: demo/ui.py puts this file before grid.js, masks.js and layers.js, in the
// body of gr.HTML's js_on_load (Gradio gives element, props, server, trigger, watch). The page's language
// and texts, the one way to ask the server a question, and what the page loads by itself (the fields module,
// the measured fields), once each.
// Texts come from demo/locales/ through props.texts ({code: {key: text}}); nothing here writes English.

const SIZE = 16;
const LEAK = "rgb(255,0,255)"; // a pixel seen by its own prediction (the leaky model, mask B first), on every picture
const $ = (selector) => element.querySelector(selector);
const format = (text, fields) => text.replace(/\{(\w+)\}/g, (_, key) => String(fields[key]));
const language = () => { // the page's language: <html lang>, set by Gradio (browser, ?lang=, its Settings menu)
  const code = document.documentElement.lang.toLowerCase().split("-")[0];
  return code in props.texts ? code : "en";
};
let T = props.texts[language()];
const decimal = (x, digits) => // 0.40 in English, 0,40 in French
  x.toLocaleString(language(), { minimumFractionDigits: digits, maximumFractionDigits: digits });

function onLanguageChange(redraw) { // only <html lang> is watched: nothing runs on the page's other changes
  new MutationObserver(() => {
    T = props.texts[language()];
    redraw();
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
}

// ---- questions: every request to the server goes through ask(kind, payload)
// Each question has a kind ("complete", "gallery", "gif", ...) and an id. ask gives the answer only if it answers the newest question of its kind,
// else null: an older answer is never shown, and a replaced question is never waited for (the server
// drops it too, demo/questions.py). The same question asked again while unanswered is not sent twice.
// An answer lost on the way is asked for once more, then reported at once as an answer with `error`.
// Answers carry `error` (our message, in the page's language) or the result.

const questions = {
  page: Math.random().toString(36).slice(2), // this component on this page, for the server
  newest: {}, // kind -> the id of the latest question asked
  open: {}, // kind -> the id of the latest question, while it has no answer
  sent: {}, // kind -> {id, payload (as JSON), answer (its promise)} of the latest question
};

// Where answers come from: the server. One replaceable step, so that an engine in the page can answer instead.
let answerFrom = (question) => server.ask(question);

function ask(kind, payload) {
  const same = questions.sent[kind];
  const json = JSON.stringify(payload);
  if (same && questions.open[kind] === same.id && same.payload === json) {
    return same.answer.then(() => null); // asked again while unanswered (a double click): the first asking shows it
  }
  const id = (questions.newest[kind] ?? 0) + 1;
  questions.newest[kind] = questions.open[kind] = id;
  const answer = answerOf({ ...payload, kind, id, page: questions.page, lang: language() });
  questions.sent[kind] = { id, payload: json, answer };
  return answer;
}

async function answerOf(question) {
  const { kind, id } = question;
  const latest = () => questions.newest[kind] === id;
  const once = () => Promise.resolve(answerFrom(question)).catch(() => undefined); // Gradio gives undefined if lost
  let answer = await once();
  if (answer == null && latest()) answer = await once();
  if (!latest()) return null;
  delete questions.open[kind];
  return answer ?? { kind, id, error: T.status_no_answer };
}

const waitingFor = (kind) => kind in questions.open;

// ---- what the page loads by itself, once (the fields module, each model's measured fields): never asked of the
// server. A load that fails is tried again, after 1, 2, 5, 10, then every 30 s, until it comes; meanwhile the
// views say so (`failing`), never blank.

const RETRY_MS = [1000, 2000, 5000, 10000, 30000];
const loads = {}; // name -> {value (null until had), failures}

function load(name, get, arrived) { // get(attempt) -> the value or its promise; arrived(): had, or failed once more
  if (name in loads) return;
  const entry = (loads[name] = { value: null, failures: 0 });
  const attempt = () => Promise.resolve(entry.failures).then(get).then((value) => {
    entry.value = value;
    arrived();
  }, () => {
    entry.failures += 1;
    arrived();
    setTimeout(attempt, RETRY_MS[Math.min(entry.failures, RETRY_MS.length) - 1]);
  });
  attempt();
}

const loaded = (name) => loads[name]?.value ?? null;
const failing = (name) => Boolean(loads[name] && loads[name].value === null && loads[name].failures > 0);

// demo/page/fields.js (exact fields, chains, reasons, the measured files' reader), its URL made whole from the
// page's (import() would take it relative to Gradio's own script). A module import that failed is remembered by the
// browser: a new attempt asks for the file under another query string.
function importFields(attempt) {
  const url = new URL(props.fields_module, document.baseURI);
  if (attempt) url.searchParams.set("attempt", attempt);
  return import(url.href);
}

// a module of demo/page/ by its name ("gif.js", "link.js"): props.page_modules is that folder's URL, where the modules'
// own relative imports resolve (demo/ui.py page_modules); another query string for a new attempt, as above
function importPage(name, attempt) {
  const url = new URL(props.page_modules + name, document.baseURI);
  if (attempt) url.searchParams.set("attempt", attempt);
  return import(url.href);
}

// ---- measured receptive fields: each model's file (pixelcnn.measured), read once; a field is 16x16 influences
// in 0-1, 0 = unseen. props.measured: {model: its file's URL, or null when none was shipped with the model}

async function readMeasured(model, attempt) { // the file is fetched once for the whole page (fields.js)
  return (loaded("fields.js") ?? (await importFields(attempt))).fetchMeasured(props.measured[model]);
}

function loadField(model, arrived) {
  if (props.measured[model]) load(`measured:${model}`, (attempt) => readMeasured(model, attempt), arrived);
}

const fieldOf = (model, row, col) => loaded(`measured:${model}`)?.at(row, col) ?? null;
const fieldAsked = (model) => Boolean(props.measured[model]) && !loaded(`measured:${model}`); // on its way
const fieldState = (model) => // what to say where a model's measured field is not drawn
  !props.measured[model] ? "field_not_shipped" : failing(`measured:${model}`) ? "field_failed" : null;

function hatch(ctx, width, height) { // diagonal stripes: a field still on its way, never mistaken for "unseen"
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
