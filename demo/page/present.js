// Presentation mode, for a projector (started by a module script that demo/i18n.py `head` puts in the page's
// head): `?present=1` in the address or the button beside the languages. The grid and the fields grow, the
// explanations step aside (the CSS rules under html.pcnn-present, in demo/present.css), and a few keys drive the
// buttons a teacher needs. A key clicks the very button it names, so a shortcut does exactly what
// that button does, with its checks and its texts; a button that is hidden (another tab) is not clicked.
// PRESENT_TEXTS: {code: {key: text}} for the toggle and the list of keys.

export async function start(PRESENT_TEXTS) {
  const KEYS = { // key -> the button it presses
    g: "#grid .pcnn-generate",
    " ": "#grid .pcnn-play",
    ArrowLeft: "#grid .pcnn-back",
    ArrowRight: "#grid .pcnn-forward",
    l: "#layers .pcnn-layer-next",
  };
  const VIEWS = { l: "#layers .layers" }; // a key whose button belongs to a view shown whole (it fits the window)
  const root = document.documentElement;
  const texts = () => PRESENT_TEXTS[root.lang.toLowerCase().split("-")[0]] || PRESENT_TEXTS.en;
  const presenting = () => root.classList.contains("pcnn-present");

  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "pcnn-present-toggle";
  const legend = document.createElement("div");
  legend.className = "pcnn-keys";
  legend.setAttribute("aria-live", "polite");

  function show() { // the toggle's and the legend's words, in the page's language
    const t = texts();
    toggle.textContent = presenting() ? t.present_exit : t.present;
    toggle.setAttribute("aria-pressed", String(presenting()));
    legend.textContent = t.present_keys;
  }

  function present(on) {
    root.classList.toggle("pcnn-present", on);
    const url = new URL(location.href);
    if (on) url.searchParams.set("present", "1");
    else url.searchParams.delete("present");
    history.replaceState(null, "", url);
    show();
  }

  toggle.addEventListener("click", () => present(!presenting()));

  function place() { // beside the language links, once Gradio has drawn them; true once placed
    const nav = document.querySelector("#languages .pcnn-languages");
    if (!nav) return false;
    nav.append(" · ", toggle);
    document.body.append(legend);
    return true;
  }

  // where a key is the field's own: a box one types in; a slider keeps its arrows. Anywhere else (the board after Tab,
  // the layer view, a button) the keys are the teacher's, and the board or the view does not see them
  const typing = (target) => target.closest?.("input:not([type=range], [type=checkbox]), select, textarea, [contenteditable]");
  const sliding = (target, key) => target.matches?.("input[type=range]") && key.startsWith("Arrow");

  window.addEventListener("keydown", (event) => {
    if (!presenting() || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") return present(false);
    if (typing(event.target) || sliding(event.target, event.key)) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const button = document.querySelector(KEYS[key]);
    if (!button || button.disabled || !button.offsetParent) return;
    event.preventDefault(); // Space on a focused button presses the shortcut's button, not the focused one
    event.stopPropagation(); // the board's arrows and Space, the layer view's L: the shortcut alone
    button.click();
    // what it changed is in view: the whole layer view (it sits below the masks), else the button itself
    const view = VIEWS[key] && button.closest(VIEWS[key]);
    (view || button).scrollIntoView({ block: view ? "start" : "nearest" });
  }, true);

  new MutationObserver(show).observe(root, { attributes: true, attributeFilter: ["lang"] });
  if (!place()) {
    const placing = new MutationObserver(() => place() && placing.disconnect());
    placing.observe(document.body, { childList: true, subtree: true });
  }
  present(new URLSearchParams(location.search).get("present") === "1");
}
