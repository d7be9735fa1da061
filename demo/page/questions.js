// Questions to the server: every request a component sends goes through `ask(kind, payload)`.
// Each question has a kind ("complete", "gallery", "gif", ...) and an id. ask gives the answer only if it answers
// the newest question of its kind, else null: an older answer is never shown, and a replaced question is never
// waited for (the server drops it too, demo/questions.py). The same question asked again while unanswered is not
// sent twice. An answer lost on the way is asked for once more, then reported at once as an answer with `error`.
// Answers carry `error` (our message, in the page's language) or the result.

export class Questions {
  // answerFrom(question) -> the answer or its promise (undefined: lost); about() -> {lang, page, noAnswer}: the
  // page's language and id, sent with each question, and the sentence for an answer lost twice
  constructor(answerFrom, about) {
    this.answerFrom = answerFrom; // replaceable: an engine in the page may answer instead of the server
    this.about = about;
    this.newest = {}; // kind -> the id of the latest question asked
    this.open = {}; // kind -> the id of the latest question, while it has no answer
    this.sent = {}; // kind -> {id, payload (as JSON), answer (its promise)} of the latest question
  }

  ask(kind, payload) {
    const same = this.sent[kind];
    const json = JSON.stringify(payload);
    if (same && this.open[kind] === same.id && same.payload === json) {
      return same.answer.then(() => null); // asked again while unanswered (a double click): the first asking shows it
    }
    const id = (this.newest[kind] ?? 0) + 1;
    this.newest[kind] = this.open[kind] = id;
    const { lang, page } = this.about();
    const answer = this.answerOf({ ...payload, kind, id, page, lang });
    this.sent[kind] = { id, payload: json, answer };
    return answer;
  }

  async answerOf(question) {
    const { kind, id } = question;
    const latest = () => this.newest[kind] === id;
    const once = () => Promise.resolve(this.answerFrom(question)).catch(() => undefined); // Gradio: undefined if lost
    let answer = await once();
    if (answer == null && latest()) answer = await once();
    if (!latest()) return null;
    delete this.open[kind];
    return answer ?? { kind, id, error: this.about().noAnswer };
  }

  waitingFor(kind) {
    return kind in this.open;
  }
}
