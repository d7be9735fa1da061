#!/usr/bin/env bash
# Build the page's vendored libraries from node_modules (package.json pins them; `npm ci` installs them), from the
# entry files in scripts/vendor/ (what the page uses of each):
#   demo/page/vendor/png.js   npm's fast-png (decode only) with its two dependencies, bundled into one ES module
#   demo/page/vendor/gif.js   npm's gifenc (GIFEncoder, quantize, applyPalette), one ES module
#   demo/page/vendor/LICENSES.txt  their licences
# esbuild (pinned) gives the same bytes on every machine: tests/test_vendor.py checks the committed files against a
# fresh build. No CDN: the page imports these files from the app.
#   scripts/vendor.sh [OUT_DIR]   (OUT_DIR: demo/page/vendor by default)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-demo/page/vendor}"
mkdir -p "$out"
esbuild=node_modules/.bin/esbuild
[ -x "$esbuild" ] || { echo "node_modules missing: run npm ci first" >&2; exit 1; }
banner() { printf '// Vendored from npm %s@%s (scripts/vendor.sh; package.json). Do not edit: rebuild.' "$1" \
  "$(node -p "require('./node_modules/$1/package.json').version")"; }
"$esbuild" --bundle --format=esm --legal-comments=inline --log-level=warning \
  --banner:js="$(banner fast-png)" --outfile="$out/png.js" scripts/vendor/png.js
"$esbuild" --bundle --format=esm --legal-comments=inline --log-level=warning \
  --banner:js="$(banner gifenc)" --outfile="$out/gif.js" scripts/vendor/gif.js
for package in fast-png fflate iobuffer gifenc; do  # their licences (MIT), beside the code they cover
  printf '==== %s\n' "$package"; cat node_modules/$package/LICENSE*; printf '\n'
done >"$out/LICENSES.txt"
wc -c "$out"/png.js "$out"/gif.js
