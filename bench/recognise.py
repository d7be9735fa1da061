"""Does the gated model draw the garment it is asked for? A classifier trained on the same data judges.

    python -m bench.recognise [--model gated] [--per-class 50] [--epochs 3]

Trains a small CNN classifier on the 16x16, 4-level training images (a minute on a CPU), prints its
accuracy on the real test images, then draws `per-class` images from scratch at T = 1 for each class
with the chosen model and prints how many the classifier recognises as the class asked, and its mean
confidence; the same confidence on the plain model's free samples and on real test images, for scale.
"""

import argparse
import time

import torch
from torch import nn
from torch.nn import functional as F

import pixelcnn
from pixelcnn.data import CLASS_NAMES, DEFAULT_ROOT, load_levels


def classifier() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(64 * 4 * 4, 128), nn.ReLU(), nn.Linear(128, 10),
    )  # fmt: skip


def scaled(levels: torch.Tensor) -> torch.Tensor:
    return levels.float() / 3


def train_classifier(images, labels, epochs: int, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)  # bench-only: the classifier's initial weights
    net, generator = classifier(), torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(net.parameters(), lr=2e-3)
    for _ in range(epochs):
        order = torch.randperm(len(images), generator=generator)
        for start in range(0, len(images), 256):
            pick = order[start : start + 256]
            loss = F.cross_entropy(net(scaled(images[pick])), labels[pick])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return net.eval()


@torch.no_grad()
def judge(net, images) -> tuple[torch.Tensor, torch.Tensor]:
    """Predicted class (N,) and the probabilities (N, 10)."""
    probs = torch.cat([F.softmax(net(scaled(images[i : i + 1000])), 1) for i in range(0, len(images), 1000)])
    return probs.argmax(1), probs


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="gated", help="a shipped model with classes, or a folder")
    parser.add_argument("--per-class", type=int, default=50, help="images drawn for each class")
    parser.add_argument("--epochs", type=int, default=3, help="classifier training epochs")
    parser.add_argument("--data", default=str(DEFAULT_ROOT), help="folder with the FashionMNIST idx .gz files")
    args = parser.parse_args(argv)

    train_images, train_labels = load_levels("train", args.data)
    test_images, test_labels = load_levels("test", args.data)
    start = time.time()
    net = train_classifier(train_images, train_labels, args.epochs)
    predicted, probs = judge(net, test_images)
    real_hits = predicted == test_labels
    accuracy = real_hits.float().mean().item()
    real_confidence = probs.max(1).values.mean().item()
    print(f"classifier: {accuracy:.1%} accurate on the 10,000 real test images ({time.time() - start:.0f} s to train)")
    print(f"mean top confidence on real test images: {real_confidence:.3f}")

    model = pixelcnn.load_pretrained(args.model)
    n = args.per_class
    asked = torch.arange(10).repeat_interleave(n)
    blank = torch.zeros(len(asked), 1, 16, 16, dtype=torch.long)
    drawn = pixelcnn.complete(model, blank, 0, 1.0, list(range(len(asked))), label=asked)
    predicted, probs = judge(net, drawn)
    hits = predicted == asked
    print(f"{args.model}, class asked, T = 1, {n} per class: {hits.float().mean():.1%} recognised as the class asked")
    print(f"  {'class':12s} {'drawn':>6s} {'real':>6s}  (real: the same classifier on the real test images)")
    for c, name in enumerate(CLASS_NAMES):
        real = real_hits[test_labels == c].float().mean()
        print(f"  {name:12s} {hits[asked == c].float().mean():6.1%} {real:6.1%}")
    print(f"mean confidence in the class asked: {probs[torch.arange(len(asked)), asked].mean():.3f}")
    free_blank = torch.zeros(200, 1, 16, 16, dtype=torch.long)
    free = pixelcnn.complete(model, free_blank, 0, 1.0, list(range(200)))
    print(f"{args.model}, no class: mean top confidence {judge(net, free)[1].max(1).values.mean():.3f}")
    plain = pixelcnn.complete(pixelcnn.load_pretrained(), free_blank, 0, 1.0, list(range(200)))
    print(f"plain pixelcnn, free samples: mean top confidence {judge(net, plain)[1].max(1).values.mean():.3f}")


if __name__ == "__main__":
    main()
