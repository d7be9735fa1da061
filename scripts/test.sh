#!/usr/bin/env bash
# Install what the tests need, then run the whole suite (ruff, eslint, then pytest; extra arguments go to pytest).
#   - Debian/Ubuntu: installs `dataset-fashion-mnist` (the data), `chromium-headless-shell` (the browser tests:
#     Debian's Chromium without its desktop shell, tests/chromium.py), `nodejs` and
#     `npm` (the page's engine against Python, tests/test_engine.py; the vendored libraries, tests/test_vendor.py) and `clang lld` (demo/engine.wasm rebuilt and compared
#     with the committed one, tests/test_engine_wasm.py; clang 14 on Debian 12) if missing.
#   - Elsewhere: put the four FashionMNIST idx .gz files in /usr/share/datasets/fashion-mnist, install node, and
#     either set CHROMIUM=/path/to/chromium or let Playwright install its own (`.venv/bin/playwright install chromium`).
# An existing .venv is reused: pip only installs what is missing or at another version (scripts/installed.py checks
# the pins first), and npm ci runs again only when package-lock.json or node changed.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\n== %s\n' "$*"; }

need=()
[ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] || need+=(dataset-fashion-mnist)
[ -x "${CHROMIUM:-/usr/bin/chromium-headless-shell}" ] || need+=(chromium-headless-shell)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
{ command -v clang >/dev/null && command -v wasm-ld >/dev/null; } || need+=(clang lld)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    say "Installing Debian packages: ${need[*]} (a few minutes the first time)"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y "${need[@]}" || { $sudo apt-get update && $sudo apt-get install -y "${need[@]}"; }
  else
    say "No apt-get: missing ${need[*]}; see the top of scripts/test.sh for what to do instead"
  fi
fi

say "Installing, side by side, what is missing or at another version (nothing, once installed):
   requirements-dev.txt into .venv (torch is large: minutes the first time);
   requirements.txt alone into .venv-serve, as a Space installs it (tests/test_serving.py starts the app there);
   npm ci, the page's vendored libraries pinned in package-lock.json (tests/test_vendor.py rebuilds them)"
install() {  # venv folder, requirements file: pip runs unless scripts/installed.py finds every pin installed
  { [ -x "$1/bin/python" ] || python3 -m venv "$1"; } &&
    { "$1/bin/python" scripts/installed.py "$2" 2>/dev/null ||
      "$1/bin/pip" install --quiet --disable-pip-version-check -r "$2"; }
}
# npm ci empties node_modules and installs it again (3.5 s): only when package-lock.json or node changed since
locked="$(sha256sum package-lock.json | cut -c1-64) node $(node --version)"
npm_ci() {
  [ "$(cat node_modules/.installed-from 2>/dev/null)" = "$locked" ] ||
    { npm ci --no-audit --no-fund --loglevel=error && printf '%s' "$locked" > node_modules/.installed-from; }
}
pids=()
install .venv requirements-dev.txt & pids+=($!)
install .venv-serve requirements.txt & pids+=($!)
npm_ci & pids+=($!)
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
[ "$failed" -eq 0 ] || { say "An install above failed: nothing was tested"; exit 1; }
say "ruff, then eslint (the page's JavaScript: eslint.config.mjs)"
.venv/bin/ruff check .
npx --no-install eslint .
say "pytest"
# Compiled Python modules are kept (__pycache__/, git-ignored) for the next process and run, even where the
# environment says not to write them: each test process then starts about 2 CPU seconds sooner (measured).
unset PYTHONDONTWRITEBYTECODE
# Two workers (pytest-xdist), each test file on one of them (its module fixtures, apps and browsers, made once), the
# longest files first (tests/durations.json, read by tests/conftest.py);
# TEST_WORKERS=0 runs every test in this process, one after the other.
.venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" --dist loadfile "$@"
