"""The random numbers sampling draws: one uniform per (seed, pixel), the same in Python and in the page.

A counter-based generator (the idea of Salmon et al., 2011, "Parallel random numbers: as easy as
1, 2, 3"): the uniform for pixel p of an image with seed s is a pure function of (s, p), not the
n-th output of a generator with a state. So any pixel's number can be had without drawing the ones
before it, an image never depends on the rest of its batch (image b of a batch uses seed s + b),
and the page's JavaScript twin (`uniform` in demo/page/rng.js) gives the same numbers bit for bit:

    h = mix32(mix32(s) ^ ((p + 1) * 0x9E3779B9))   32-bit unsigned arithmetic, wrapping
    u = (h >> 8) / 2**24                             24 bits: exact in float32, float64 and JavaScript

mix32 is MurmurHash3's finaliser, a bijection of 32-bit integers in which every input bit moves
about half of the output bits. JavaScript reproduces it with Math.imul and `>>> 0`. Seeds are taken
modulo 2**32.
"""

import numpy as np

GOLDEN = 0x9E3779B9  # 2**32 / golden ratio, odd: p -> (p + 1) * GOLDEN is a bijection that spreads near pixels apart


def mix32(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, element-wise on uint32 (products wrap modulo 2**32)."""
    x = x ^ (x >> np.uint32(16))
    x = x * np.uint32(0x85EBCA6B)
    x = x ^ (x >> np.uint32(13))
    x = x * np.uint32(0xC2B2AE35)
    return x ^ (x >> np.uint32(16))


def uniforms(seeds, pixels: int) -> np.ndarray:
    """(B, pixels) float64 uniforms in [0, 1): row b for seed seeds[b], column p for pixel p."""
    with np.errstate(over="ignore"):
        keys = mix32(np.array([int(s) % 2**32 for s in seeds], dtype=np.uint32))[:, None]  # (B, 1)
        counters = np.arange(1, pixels + 1, dtype=np.uint32)[None, :] * np.uint32(GOLDEN)  # (1, pixels)
        hashes = mix32(keys ^ counters)  # (B, pixels)
    return (hashes >> np.uint32(8)).astype(np.float64) / 2**24
