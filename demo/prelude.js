// What the page's components share: demo/ui.py puts this file before grid.js and before masks.js, in the
// body of gr.HTML's js_on_load (Gradio gives element, props, server, trigger, watch). The page's language
// and texts, the one way to ask the server a question, and the receptive fields, asked once each.
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
// Each question has a kind ("complete", "gallery", "gif", "field", ...; "field:gated" when one component
// asks several at once) and an id. ask gives the answer only if it answers the newest question of its kind,
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

// ---- receptive fields: one question per model and pixel, kept once answered

const fields = {}; // "model:row:col" -> 16x16 influences in 0-1; null while asked

const fieldOf = (model, row, col) => fields[`${model}:${row}:${col}`] ?? null;
const fieldAsked = (model, row, col) => fields[`${model}:${row}:${col}`] === null; // asked, not answered yet

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

function askField(model, row, col, kind, arrived) {
  const key = `${model}:${row}:${col}`;
  if (key in fields) return;
  fields[key] = null;
  ask(kind, { model, row, col }).then((answer) => {
    if (answer && answer.field) {
      fields[key] = answer.field;
      arrived();
    } else delete fields[key]; // replaced by a newer question, or refused: asked again when it is wanted
  });
}
