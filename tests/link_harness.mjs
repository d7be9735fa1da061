// Runs demo/page/link.js in node for tests/test_link_js.py: reads one JSON question on stdin, writes the answer.
//   {"limits", "states": [state, ...], "others": "?lang=fr"} -> "written": per state {search: the query written after
//        `others`, back: readLink's answer to it}
//   {"limits", "links": [query, ...], "texts": {lang: {key: text}}} -> "read": per query readLink's answer, with the
//        sentence in each language where it has a problem, or {exception: message} if it threw
import { readFileSync } from "node:fs";
import { linkProblemText, linkSearch, readLink } from "../demo/page/link.js";

const question = JSON.parse(readFileSync(0, "utf8"));
const answer = {};
if (question.states) {
  answer.written = question.states.map((state) => {
    const search = linkSearch(question.others, state);
    return { search, back: readLink(search, question.limits) };
  });
}
if (question.links) {
  answer.read = question.links.map((query) => {
    try {
      const read = readLink(query, question.limits);
      const sentences = read.problem === null ? {} : Object.fromEntries(Object.entries(question.texts)
        .map(([lang, texts]) => [lang, linkProblemText(read.problem, texts)]));
      return { ...read, sentences };
    } catch (error) {
      return { exception: String(error) };
    }
  });
}
process.stdout.write(JSON.stringify(answer));
