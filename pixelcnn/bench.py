"""Naive vs incremental sampling, measured in one run on this machine.

    python -m pixelcnn.bench                  # every shipped model (plain and gated)
    python -m pixelcnn.bench --models gated   # one of them, or a model folder
    python -m pixelcnn.bench --repeats 1      # quicker

For each case, the median wall time of `repeats` runs of `pixelcnn.complete`, in ms per image,
and the speed-up of the incremental sampler over the naive loop (a full pass per pixel).
"""

import argparse
import statistics
import time

import torch

from pixelcnn.checkpoint import available_models, describe, load_pretrained
from pixelcnn.sampling import complete

CASES = [  # (label, batch, known rows)
    ("full 16x16 image, batch 1", 1, 0),
    ("full 16x16 image, batch 16", 16, 0),
    ("from 8 known rows, batch 1", 1, 8),
]


def time_per_image(model, batch: int, known_rows: int, method: str, repeats: int) -> float:
    x = torch.randint(0, 4, (batch, 1, 16, 16), generator=torch.Generator().manual_seed(0))
    times = []
    for r in range(repeats):
        start = time.perf_counter()
        complete(model, x, known_rows, temperature=1.0, seed=r, method=method)
        times.append(time.perf_counter() - start)
    return statistics.median(times) / batch * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="*", default=available_models(), help="shipped model names or folders")
    parser.add_argument("--repeats", type=int, default=3, help="runs per case; the median is reported")
    args = parser.parse_args(argv)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads\n")
    for name in args.models:
        model = load_pretrained(name)
        print(f"{describe(model)}\n\n| case | naive ms/image | fast ms/image | speed-up |\n|---|---|---|---|")
        for label, batch, known in CASES:
            complete(model, torch.zeros(batch, 1, 16, 16, dtype=torch.long), known, seed=0)  # warm-up
            naive = time_per_image(model, batch, known, "naive", args.repeats)
            fast = time_per_image(model, batch, known, "fast", args.repeats)
            print(f"| {label} | {naive:.1f} | {fast:.1f} | {naive / fast:.1f}x |", flush=True)
        print()


if __name__ == "__main__":
    main()
