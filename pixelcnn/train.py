"""Train a PixelCNN on 16x16, 4-level FashionMNIST: Adam, cross-entropy, best weights kept.

    python -m pixelcnn.train --epochs 30 --out weights/pixelcnn
    python -m pixelcnn.train --dry-run          # a few steps on a few images, to check the loop

After each epoch it prints the test NLL in bits/dim and saves the weights when they are
the best so far, with their config and a model card, so a run cut short still leaves weights.
"""

import argparse
import json
import math
import shlex
import sys
import time
from pathlib import Path

import torch
from tqdm import tqdm

from pixelcnn import checkpoint
from pixelcnn.data import DEFAULT_ROOT, MissingDataError, load_levels
from pixelcnn.likelihood import bits_per_dim, nll_per_pixel
from pixelcnn.model import PixelCNN, PixelCNNConfig

CARD_SUBSET = 1000  # the model card also records bits/dim on the first CARD_SUBSET test images


def train_epoch(model, optimizer, images, batch_size, generator, scheduler=None, desc="train") -> list[float]:
    """One pass over `images` (N, 1, H, W) in a random order; returns the loss of each step (nats/pixel)."""
    model.train()
    order = torch.randperm(len(images), generator=generator).to(images.device)
    losses = []
    bar = tqdm(range(0, len(images), batch_size), desc=desc, leave=False, file=sys.stdout)
    for start in bar:
        batch = images[order[start : start + batch_size]]
        loss = nll_per_pixel(model(batch), batch).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        losses.append(loss.item())
        bar.set_postfix(loss=f"{sum(losses[-50:]) / len(losses[-50:]):.4f}")
    return losses


@torch.no_grad()
def evaluate(model, images, batch_size=1000) -> float:
    """Mean bits/dim of `images` (N, 1, H, W)."""
    model.eval()
    return (
        torch.cat([bits_per_dim(model, images[i : i + batch_size]) for i in range(0, len(images), batch_size)])
        .mean()
        .item()
    )


def write_card(folder: Path, command: str, history: list[dict], subset_bpd: float, n_test: int, device: str) -> None:
    best = min(history, key=lambda h: h["test_bpd"])
    weights = folder / checkpoint.WEIGHTS_FILE
    config = json.loads((folder / checkpoint.CONFIG_FILE).read_text())
    rows = "\n".join(
        f"| {h['epoch']} | {h['train_nats']:.4f} | {h['test_bpd']:.4f} | {h['seconds']:.0f} |" for h in history
    )
    kb = config["block_kernel"]
    architecture = (
        f"{config['first_kernel']}x{config['first_kernel']} masked conv A, {config['blocks']} residual blocks "
        f"with {kb}x{kb} masked conv B, {config['head_layers']} 1x1 masked conv B, 1x1 output; "
        f"ReLU; {config['filters']} filters"
    )
    size = f"{weights.stat().st_size / 1e6:.1f} MB"
    (folder / checkpoint.CARD_FILE).write_text(f"""# Model card: {config["name"]}

A PixelCNN (van den Oord et al., 2016) over 16x16 FashionMNIST images with 4 grey levels.

- Data: FashionMNIST, 60,000 training and 10,000 test images (Debian `dataset-fashion-mnist`).
- Preprocessing: 28x28 -> 16x16 by antialiased bilinear resize of [0, 1] floats, level = min(floor(4x), 3).
- Architecture: {architecture}.
- Config: `{json.dumps(config)}`
- Training command: `{command}` (device: {device})
- Best epoch: {best["epoch"]} of {len(history)}
- Test NLL, all {n_test:,} test images: **{best["test_bpd"]:.4f} bits/dim**
- Test NLL, first {CARD_SUBSET} test images: subset_bpd: {subset_bpd:.4f}
- Weights: `{checkpoint.WEIGHTS_FILE}` (safetensors, {size}), sha256: `{checkpoint.sha256(weights)}`

| epoch | train loss (nats/pixel) | test bits/dim | seconds |
|---|---|---|---|
{rows}
""")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(DEFAULT_ROOT), help="folder with the FashionMNIST idx .gz files")
    parser.add_argument("--download", action="store_true", help="download FashionMNIST with torchvision (internet)")
    parser.add_argument("--out", default="weights/pixelcnn", help="folder for weights, config and model card")
    parser.add_argument("--epochs", type=int, default=30, help="passes over the training set")
    parser.add_argument("--batch-size", type=int, default=128, help="images per step")
    parser.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate (cosine-decayed to 0)")
    parser.add_argument("--filters", type=int, default=128, help="channels of the residual stream")
    parser.add_argument("--blocks", type=int, default=5, help="residual blocks")
    parser.add_argument("--seed", type=int, default=0, help="seed for the initial weights and the batch order")
    parser.add_argument("--device", default="auto", help="'auto' (CUDA if available), 'cpu' or 'cuda'")
    parser.add_argument("--dry-run", action="store_true", help="a few steps on 256 images, to check the loop")
    args = parser.parse_args(argv)
    command = "python -m pixelcnn.train " + shlex.join(argv if argv is not None else sys.argv[1:])

    device = ("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device
    torch.backends.cudnn.benchmark = True
    try:
        train_images, _ = load_levels("train", args.data, args.download)
        test_images, _ = load_levels("test", args.data, args.download)
    except MissingDataError as error:
        sys.exit(str(error))
    if args.dry_run:
        train_images, test_images, args.epochs = train_images[:256], test_images[:256], 1
    train_images, test_images = train_images.to(device), test_images.to(device)

    torch.manual_seed(args.seed)  # initial weights; the batch order has its own generator
    model = PixelCNN(PixelCNNConfig(filters=args.filters, blocks=args.blocks)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    steps = args.epochs * math.ceil(len(train_images) / args.batch_size)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)
    generator = torch.Generator().manual_seed(args.seed)
    print(f"{checkpoint.describe(model)}; {len(train_images)} training images on {device}")

    out, history = Path(args.out), []
    for epoch in range(1, args.epochs + 1):
        start = time.time()
        losses = train_epoch(model, optimizer, train_images, args.batch_size, generator, scheduler, f"epoch {epoch}")
        test_bpd = evaluate(model, test_images)
        history.append(
            dict(epoch=epoch, train_nats=sum(losses) / len(losses), test_bpd=test_bpd, seconds=time.time() - start)
        )
        best = test_bpd <= min(h["test_bpd"] for h in history)
        print(
            f"epoch {epoch}: train {history[-1]['train_nats']:.4f} nats/pixel, test {test_bpd:.4f} bits/dim"
            + (", saved" if best else ""),
            flush=True,
        )
        if best:
            checkpoint.save(model, out)
            subset_bpd = evaluate(model, test_images[:CARD_SUBSET])
        write_card(out, command, history, subset_bpd, len(test_images), device)


if __name__ == "__main__":
    main()
