// The page's texts: a sentence's fields filled in, numbers written as the page's language writes them. The texts
// themselves come from demo/locales/ as locales.js's TEXTS ({code: {key: text}}, beside these modules in the page's
// folder: demo/ui.py page_dir); nothing here writes a word of any language.

// "{seed}" in a text -> fields.seed
export const format = (text, fields) => text.replace(/\{(\w+)\}/g, (_, key) => String(fields[key]));

// the page's language: <html lang>, set by Gradio (browser, ?lang=, its Settings menu), among `codes`; else English
export function pageLanguage(codes) {
  const code = document.documentElement.lang.toLowerCase().split("-")[0];
  return codes.includes(code) ? code : "en";
}

// 0.40 in English, 0,40 in French
export const decimal = (x, digits, language) =>
  x.toLocaleString(language, { minimumFractionDigits: digits, maximumFractionDigits: digits });

// a temperature, written one way everywhere on the page as the texts write T = 1: 1, 0.5, 0.25 (0,5 in French)
export const temperatureText = (t, language) => t.toLocaleString(language, { maximumFractionDigits: 2 });

// `redraw()` whenever <html lang> changes; nothing runs on the page's other changes
export function onLanguageChange(redraw) {
  new MutationObserver(redraw).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
}
