// What a component loads by itself, once each (a module, a model's measured fields): never asked of the server.
// A load that fails is tried again, after 1, 2, 5, 10, then every 30 s, until it comes; meanwhile the views say so
// (`failing`), never blank.

export const RETRY_MS = [1000, 2000, 5000, 10000, 30000];

// A file's bytes, an ArrayBuffer, or a rejection (an HTTP error, or offline); an attempt after the first asks under
// another query string (a browser may remember a failure).
export function fetchBytes(url, attempt = 0) {
  const whole = new URL(url, document.baseURI);
  if (attempt) whole.searchParams.set("attempt", attempt);
  return fetch(whole.href).then((answer) => {
    if (!answer.ok) throw new Error(`${url}: ${answer.status}`);
    return answer.arrayBuffer();
  });
}

export class Loads {
  constructor() {
    this.entries = {}; // name -> {value (null until had), failures}
  }

  // get(attempt) -> the value or its promise; arrived(): had, or failed once more
  load(name, get, arrived) {
    if (name in this.entries) return;
    const entry = (this.entries[name] = { value: null, failures: 0 });
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

  loaded(name) {
    return this.entries[name]?.value ?? null;
  }

  failing(name) {
    const entry = this.entries[name];
    return Boolean(entry && entry.value === null && entry.failures > 0);
  }
}
