// The body of each component's js_on_load (demo/ui.py `component`: Gradio runs it with element, trigger, props,
// server, upload, watch): the component's ES module, COMPONENT.js, imported from the page's folder (data.page)
// and mounted. An import that fails (the network cut while the page loads) says so in the page's language and is
// tried again by itself, after 1, 2, 5, 10, then every 30 s, under another query string (a browser remembers a
// failed import). Until it is mounted the component is inert: a click or a value typed before its code is there
// would be lost, so none can be made (the browser, and Playwright's actions, wait). Every component's module is asked
// for at once, whichever mounts first: a tab that Gradio mounts only when it is first opened then finds its module in
// the page, the network cut or not. The component's data come as one JSON string (props.data: demo/ui.py
// `component`), parsed here once; their `value` is Gradio's, read live.
const data = JSON.parse(props.data);
Object.defineProperty(data, "value", { get: () => props.value });
const waits = [1000, 2000, 5000, 10000, 30000];
const note = document.createElement("p");
note.className = "page-part-failed";
note.setAttribute("role", "status");
element.inert = true;
const mountModule = (attempt) => {
  const url = new URL("COMPONENT.js", new URL(data.page, document.baseURI));
  if (attempt) url.searchParams.set("attempt", attempt);
  import(url.href).then((module) => {
    note.remove();
    module.mount({ element, props: data, server, watch });
    element.inert = false;
  }, (error) => {
    console.error(error);
    const code = document.documentElement.lang.toLowerCase().split("-")[0];
    note.textContent = data.part_failed[code] ?? data.part_failed.en;
    element.prepend(note);
    setTimeout(() => mountModule(attempt + 1), waits[Math.min(attempt, waits.length - 1)]);
  });
};
mountModule(0);
for (const other of COMPONENTS) import(new URL(`${other}.js`, new URL(data.page, document.baseURI)).href).catch(() => {});
