#!/usr/bin/env bash
# Build demo/engine.wasm from demo/engine.c: clang 14 and lld from Debian (`apt-get install clang lld`), no libc.
# The same clang major version gives the same bytes (tests/test_engine_wasm.py checks the committed file against a
# fresh build); another version gives other bytes: commit what the pinned one builds.
#   scripts/build_wasm.sh [OUT]   (OUT: demo/engine.wasm by default)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-demo/engine.wasm}"
clang="${CLANG:-clang}"
# -O3 -msimd128: the vector loops; -mbulk-memory: copies as memory.copy; no libc, no start function, every
# non-static function of engine.c exported; a 1 MB stack; -ffile-prefix-map: no path of this machine in the bytes.
"$clang" --target=wasm32 -O3 -msimd128 -mbulk-memory -nostdlib -ffile-prefix-map="$PWD"=. \
  -Wl,--no-entry -Wl,--export-dynamic -Wl,--strip-all -Wl,-z,stack-size=1048576 \
  -o "$out" demo/engine.c
echo "$out: $(wc -c <"$out") bytes ($("$clang" --version | head -1))"
