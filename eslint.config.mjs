// The page's JavaScript, linted as ruff lints the Python (scripts/test.sh runs both): a name used but never defined
// (a text object left from the old glued scripts, a function another module should export) fails here, not in a
// pupil's browser; as do names defined and never used.
import globals from "globals";

const rules = { "no-undef": "error", "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }] };

export default [
  { ignores: ["demo/page/vendor/**", "node_modules/**", ".venv/**", ".venv-serve/**", "scripts/vendor/**"] },
  { // the page's modules, the workers among them, and node's harnesses of them
    files: ["demo/page/**/*.js", "tests/**/*.mjs"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: { ...globals.browser, ...globals.node } },
    rules,
  },
  { // each component's js_on_load: a function body Gradio runs with these arguments
    files: ["demo/mount.js"],
    languageOptions: {
      ecmaVersion: 2024, sourceType: "script",
      globals: { ...globals.browser, element: "readonly", props: "readonly", server: "readonly", watch: "readonly",
        COMPONENTS: "readonly" },
    },
    rules,
  },
];
