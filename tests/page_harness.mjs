// Runs the page's own modules in node for tests/test_page_modules.py: reads one JSON question on stdin, writes the
// answer. The very files the page imports, from the page's folder as the app serves it ("folder": demo/ui.py
// page_dir, demo/page/ and the texts' locales.js), nothing copied.
//   {"imports": [file, ...]}            -> per file, the names it exports, or {error} if importing it threw
//   {"questions": script}               -> what questions.js's Questions did: sent (the questions answerFrom got)
//                                          and shown (what each ask gave), for a script of asks and answers
//   {"loads": failures}                 -> loads.js's Loads: a get failing `failures` times, then giving "had":
//                                          what `failing` and `loaded` said at each arrival, and the attempts made
//   {"state": case}                     -> grid_state.js's functions on the case's inputs
//   {"texts": true}                     -> locales.js's TEXTS
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const question = JSON.parse(readFileSync(0, "utf8"));
const page = pathToFileURL(`${question.folder}/`);
const answer = {};

if (question.imports) {
  answer.imports = {};
  for (const file of question.imports) {
    try {
      answer.imports[file] = Object.keys(await import(new URL(file, page).href)).sort();
    } catch (error) {
      answer.imports[file] = { error: String(error) };
    }
  }
}

if (question.texts) answer.texts = (await import(new URL("locales.js", page).href)).TEXTS;

if (question.questions) { // steps: ["ask", kind, payload] | ["answer", index of the question sent, answer]
  const { Questions } = await import(new URL("questions.js", page).href);
  const sent = [], waiting = [], shown = [];
  const questions = new Questions((asked) => {
    sent.push(asked);
    return new Promise((resolve) => waiting.push(resolve));
  }, () => ({ lang: "fr", page: "p1", noAnswer: "no answer" }));
  const pending = [];
  for (const [step, ...args] of question.questions) {
    if (step === "ask") {
      const index = shown.length;
      shown.push("waiting");
      pending.push(questions.ask(...args).then((reply) => { shown[index] = reply; }));
    } else {
      waiting[args[0]](args[1]);
    }
    await new Promise((resolve) => setTimeout(resolve, 0)); // the answers' promises settle
  }
  answer.questions = { sent, shown, open: Object.keys(questions.open) };
}

if ("loads" in question) {
  const { Loads, RETRY_MS } = await import(new URL("loads.js", page).href);
  const loads = new Loads();
  const seen = [];
  let attempts = 0;
  await new Promise((done) => {
    loads.load("x", (attempt) => {
      attempts += 1;
      if (attempt < question.loads) throw new Error("offline");
      return "had";
    }, () => {
      seen.push({ failing: loads.failing("x"), loaded: loads.loaded("x") });
      if (loads.loaded("x")) done();
    });
    loads.load("x", () => { throw new Error("asked twice"); }, () => seen.push("twice"));
  });
  answer.loads = { seen, attempts, first_wait_ms: RETRY_MS[0] };
}

if (question.state) {
  const state = await import(new URL("grid_state.js", page).href);
  const { probs, trace, start, cursor, from, to, hole } = question.state;
  const s = { run: { start, trace }, cursor, levels: state.blank(), level: 3, hole: null };
  answer.state = {
    hundredths: probs.map((p) => state.hundredths(p)),
    atOne: probs.map((p) => state.atTemperature(p, 1)),
    atZero: probs.map((p) => state.atTemperature(p, 0)),
    shown: state.shownLevels(s),
    line: (state.paintLine(s, from, to), s.levels),
    unused: state.unusedCells({ hole }, from.row, from.col),
    blind: state.blindCells({ hole }, from.row, from.col, hole.map((row) => row.map(() => 0))),
  };
}

process.stdout.write(JSON.stringify(answer));
