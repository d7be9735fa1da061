// The page's language (started by a module script that demo/i18n.py `head` puts in the page's head).
// 1. `?lang=fr` / `?lang=en` in the address forces the language of Gradio's own i18n. Gradio 6.31 has no
//    option for it: it calls setupi18n with navigator.language, then adds our head. The module that did it
//    (assets/core-<hash>.js) exports changeLocale, which the footer's Settings > Language menu calls;
//    importing that same module (found among the resources the page loaded) gives the page's own instance.
// 2. Gradio translates the labels of tabs once, when it builds the page, and only a tab that is shown is
//    translated again when the language changes (the Settings menu shows the same fault). So when
//    <html lang> changes, or tabs appear, we put each tab's label (and the page title) in that language.
// 3. Gradio's pop-ups (toasts) title themselves by their type, in English, and their close button says "Close":
//    both are put in the page's language.
// PAGE_TEXTS: {code: {key: text}} for the page title, the tab labels (keys "title", "tab_*") and the pop-ups'
// words (demo/i18n.py TOASTS).

export async function start(PAGE_TEXTS) {
  const language = () => document.documentElement.lang.toLowerCase().split("-")[0];

  function relabel() {
    const texts = PAGE_TEXTS[language()];
    if (!texts) return;
    const keyOf = (shown) => {
      for (const other of Object.values(PAGE_TEXTS)) {
        const key = Object.keys(other).find((k) => other[k] === shown);
        if (key) return key;
      }
      return null;
    };
    // the tabs, and the hidden copy of them that Gradio measures to decide which fit in one row
    for (const tab of document.querySelectorAll(".tab-wrapper button, button[role=tab]")) {
      const walker = document.createTreeWalker(tab, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const key = keyOf(node.nodeValue.trim());
        if (key && node.nodeValue !== texts[key]) node.nodeValue = texts[key];
      }
    }
    const key = keyOf(document.title);
    if (key && document.title !== texts[key]) document.title = texts[key];
    // Gradio's pop-ups: their title is their type ("Error", "Warning", "Info") and "Close" is English, whatever
    // the title our handlers give; both are put in the page's language
    for (const toast of document.querySelectorAll("[data-testid=toast-body]")) {
      const type = ["error", "warning", "info"].find((t) => toast.classList.contains(t));
      const title = toast.querySelector(".toast-title");
      if (type && title && title.textContent.trim() !== texts[`${type}_title`]) title.textContent = texts[`${type}_title`];
      toast.querySelector("[data-testid=toast-close]")?.setAttribute("aria-label", texts.close);
    }
    // Gradio's labels for its own controls (keys "gradio_*", "{label}" standing for the control's own label)
    for (const node of document.querySelectorAll("[aria-label]")) {
      const shown = node.getAttribute("aria-label");
      const wanted = gradioWords(shown, texts);
      if (wanted !== null && wanted !== shown) node.setAttribute("aria-label", wanted);
    }
  }

  function gradioWords(shown, texts) { // a Gradio label in any of our languages -> the same in `texts`, else null
    for (const other of Object.values(PAGE_TEXTS)) {
      for (const key of Object.keys(other).filter((k) => k.startsWith("gradio_"))) {
        const [before, after = ""] = other[key].split("{label}");
        if (shown.startsWith(before) && shown.endsWith(after) && shown.length >= before.length + after.length) {
          return texts[key].replace("{label}", shown.slice(before.length, shown.length - after.length));
        }
      }
    }
    return null;
  }

  // Only changes to <html lang>, the tabs or the title relabel: the page's other changes (a status line
  // rewritten at every frame of a playback) pass after one cheap look.
  const TABS = ".tab-wrapper, [role=tablist], button[role=tab], title, [data-testid=toast-body]"; // changes inside
  const NEW = `${TABS}, footer, [aria-label]`; // new nodes that may bring Gradio's own labels
  const touchesTabs = (mutation) => {
    if (mutation.type === "attributes") return true;
    const node = mutation.target.nodeType === Node.ELEMENT_NODE ? mutation.target : mutation.target.parentElement;
    return Boolean(node?.closest(TABS)) || [...mutation.addedNodes].some((added) =>
      added.nodeType === Node.ELEMENT_NODE && (added.matches(NEW) || added.querySelector(NEW)));
  };
  relabel();
  new MutationObserver((mutations) => {
    if (mutations.some(touchesTabs)) relabel();
  }).observe(document.documentElement, {
    attributes: true, attributeFilter: ["lang"], childList: true, characterData: true, subtree: true,
  });

  // `?lang=` if it is one of ours; else the first of the browser's languages that we have, as the server reads its
  // Accept-Language (demo/i18n.py from_accept_language), else English: Gradio picked the first alone, so a German
  // browser that also reads French had an English page and French messages from the server; and a browser in
  // languages we do not have gets English in Gradio's own words too (its footer and menus were German)
  const ours = (tag) => tag?.toLowerCase().split(/[-_]/)[0];
  const asked = ours(new URLSearchParams(location.search).get("lang"));
  const wanted = asked in PAGE_TEXTS ? asked : navigator.languages.map(ours).find((code) => code in PAGE_TEXTS) ?? "en";
  if (wanted !== language()) {
    const core = performance.getEntriesByType("resource").map((entry) => entry.name)
      .find((name) => /\/assets\/core-[\w-]+\.js$/.test(name));
    if (core) (await import(core)).changeLocale(wanted);
  }
}
