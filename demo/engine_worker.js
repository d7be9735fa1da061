// The page's engine in a Web Worker: the network runs here, never on the page's own thread (a gated completion
// takes 0.2-0.4 s: the page would freeze that long, its clicks, painting and player with it).
// demo/ui.py serves demo/engine.js followed by this file as one script, named by its content, from the folder
// where the weights are served; demo/grid.js starts it, and falls back to engine.js on its own thread without it.
// Messages from the page:
//   {maxSeed, load: {name: url}}  the weights to load (absolute URLs: this script's own address is not the page's)
//   {id, question}                a question for engine.Answers (one at a time: the page sends the next on the reply)
// Messages to the page:
//   {loaded: name} or {failed: name}  each model, once its weights are loaded or could not be
//   {id, reply}                   the answer; reply null if the engine failed on it (the page asks the server)

let answers = null;

onmessage = ({ data }) => {
  if (data.load) {
    answers = new engine.Answers(data.maxSeed);
    for (const [name, url] of Object.entries(data.load)) {
      answers.load(name, url).then(() => postMessage({ loaded: name }), () => postMessage({ failed: name }));
    }
    return;
  }
  let reply = null;
  try {
    reply = answers.answer(data.question);
  } catch (error) {
    console.error(error);
  }
  postMessage({ id: data.id, reply });
};
