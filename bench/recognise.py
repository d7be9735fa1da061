"""Does the gated model draw the garment it is asked for? A classifier trained on the same data judges.

    python -m bench.recognise [--model gated] [--per-class 50] [--epochs 3]
    python -m bench.recognise --photos 200      # photos of test garments (bench.photos), read two ways

Trains a small CNN classifier on the 16x16, 4-level training images (a minute on a CPU), prints its
accuracy on the real test images, then draws `per-class` images from scratch at T = 1 for each class
with the chosen model and prints how many the classifier recognises as the class asked, and its mean
confidence; the same confidence on the plain model's free samples and on real test images, for scale.

With --photos N: reads the first N photo-like pictures of bench.photos as the page did before (the picture
laid on black, grey, shrunk) and as it does now (the garment cut out and framed first, pixelcnn.photo), and
prints how many of each the classifier recognises as their garment, by kind of picture, and how many of
the grid's pixels agree with the test image's own levels.
"""

import argparse
import io
import time

import torch
from torch import nn
from torch.nn import functional as F

import pixelcnn
from bench.photos import KINDS, photo_set
from demo.canvas import read_file
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


def photo_recognition(net, count: int, root, test_images, test_labels) -> None:
    """Prints the classifier's verdict on `count` photos of test garments, read as they are and as garments."""
    found = {"as it is": [], "as a garment": []}
    agree, kinds, labels, framed = {"as it is": [], "as a garment": []}, [], [], []
    for index, data, _, kind in photo_set(count, root):
        reading = read_file(io.BytesIO(data))
        for way, levels in (("as it is", reading.as_is), ("as a garment", reading.levels)):
            found[way].append(torch.from_numpy(levels)[None])
            agree[way].append(float((levels == test_images[index, 0].numpy()).mean()))
        kinds.append(kind)
        labels.append(int(test_labels[index]))
        framed.append(reading.framed)
    labels = torch.tensor(labels)
    print(f"{count} photos of test garments (bench.photos), {sum(framed)} read as a garment (framed):")
    print(f"  {'read':14s} {'recognised':>10s} {'pixels at the test level':>25s}  " + "  ".join(KINDS))
    for way in found:
        hits = judge(net, torch.stack(found[way]))[0] == labels
        by_kind = [hits[[k == kind for k in kinds]].float().mean().item() for kind in KINDS]
        cells = "  ".join(f"{share:>{len(kind)}.0%}" for kind, share in zip(KINDS, by_kind))
        print(f"  {way:14s} {hits.float().mean().item():10.0%} {sum(agree[way]) / count:25.0%}  {cells}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="gated", help="a shipped model with classes, or a folder")
    parser.add_argument("--per-class", type=int, default=50, help="images drawn for each class")
    parser.add_argument("--epochs", type=int, default=3, help="classifier training epochs")
    parser.add_argument("--data", default=str(DEFAULT_ROOT), help="folder with the FashionMNIST idx .gz files")
    parser.add_argument("--photos", type=int, default=0, help="judge N photos of test garments instead of samples")
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
    if args.photos:
        photo_recognition(net, args.photos, args.data, test_images, test_labels)
        return

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
