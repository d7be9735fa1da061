// The page's random numbers: the uniform for pixel p of an image with seed s, bit for bit as pixelcnn/rng.py.
// An ES module: demo/page/engine.js imports it; tests/engine_harness.mjs checks it against Python.

const GOLDEN = 0x9e3779b9;

export function mix32(x) { // MurmurHash3's finaliser on a 32-bit unsigned integer (Math.imul: the product mod 2**32)
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  x = (x ^ (x >>> 13)) >>> 0;
  x = Math.imul(x, 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

export function uniform(seed, pixel) { // in [0, 1), 24 bits: exact in float32 and float64
  const h = mix32((mix32(seed >>> 0) ^ Math.imul(pixel + 1, GOLDEN)) >>> 0);
  return (h >>> 8) / 16777216;
}
