"""Train a PixelCNN (plain or gated) on 16x16, 4-level FashionMNIST: Adam, cross-entropy.

    python -m pixelcnn.train --arch gated --epochs 40 --out runs/gated
    python -m pixelcnn.train --arch gated --epochs 40 --out runs/gated --resume   # goes on where it stopped
    python -m pixelcnn.train --dry-run          # a few steps on a few images, into a temporary folder

Model selection uses a validation split, the last 5,000 of the 60,000 training images, never the
test set. After each epoch it records train, validation and test bits/dim (the test figure is only
reported: the learning curves of the demo show it), keeps the weights with the best validation
figure (with their config and a model card), saves small snapshots at chosen epochs for "watch it
learn", and writes a resume state (weights, optimiser, schedule, batch order) so a run cut short
goes on with `--resume`. It writes only into `--out`: never into the shipped `weights/` unless you
name that folder yourself.
"""

import argparse
import json
import math
import shlex
import sys
import tempfile
import time
from pathlib import Path

import torch
from safetensors.torch import load_file
from tqdm import tqdm

from pixelcnn import checkpoint, snapshots
from pixelcnn.data import DEFAULT_ROOT, MissingDataError, load_levels
from pixelcnn.likelihood import SCORED_AT_ONCE, bits_per_dim, nll_per_pixel
from pixelcnn.masks import MASK_TYPES
from pixelcnn.models import MODELS

CARD_SUBSET = 1000  # the model card also records bits/dim on the first CARD_SUBSET test images
VALIDATION = 5000  # the last VALIDATION training images are held out for model selection
SNAPSHOT_EPOCHS = "0,1,2,5,10,30"  # default epochs saved for "watch it learn" (the last one always is)
RESUME = "resume"  # the folder, inside --out, of the state that --resume reads


def train_epoch(
    model, optimizer, images, batch_size, generator, scheduler=None, labels=None, label_dropout=0.0, desc="train"
) -> list[float]:
    """One pass over `images` (N, 1, H, W) in a random order; returns each step's loss (nats/pixel).

    With `labels` (N,), each image is shown with its class, or with "any" (-1) at rate `label_dropout`."""
    model.train()
    order = torch.randperm(len(images), generator=generator)
    losses = []
    bar = tqdm(range(0, len(images), batch_size), desc=desc, leave=False, file=sys.stdout)
    for start in bar:
        pick = order[start : start + batch_size]
        batch = images[pick.to(images.device)]
        label = None
        if labels is not None:
            label = labels[pick].clone()
            label[torch.rand(len(pick), generator=generator) < label_dropout] = -1
            label = label.to(images.device)
        loss = nll_per_pixel(model(batch, label), batch).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        losses.append(loss.item())
        bar.set_postfix(loss=f"{sum(losses[-50:]) / len(losses[-50:]):.4f}")
    return losses


@torch.no_grad()
def per_image(model, images, labels=None, batch_size=SCORED_AT_ONCE) -> torch.Tensor:
    """Bits/dim of each of `images` (N, 1, H, W), with their classes when `labels` (N,) is given; (N,)."""
    model.eval()
    parts = [
        bits_per_dim(model, images[i : i + batch_size], None if labels is None else labels[i : i + batch_size])
        for i in range(0, len(images), batch_size)
    ]
    return torch.cat(parts)


def evaluate(model, images, labels=None) -> float:
    """Mean bits/dim of `images` (N, 1, H, W), with their classes when `labels` (N,) is given."""
    return per_image(model, images, labels).mean().item()


def write_card(folder: Path, command: str, history: list[dict], test: dict, device: str, epochs: int) -> None:
    """MODEL_CARD.md for the best epoch so far of a schedule of `epochs`; `test` holds its test figures."""
    best = min(history[1:], key=lambda h: h["val_bpd"])
    done = history[-1]["epoch"]
    trained = f"{done} epochs trained" if done == epochs else f"{done} of {epochs} epochs trained so far"
    weights = folder / checkpoint.WEIGHTS_FILE
    config = checkpoint.build(json.loads((folder / checkpoint.CONFIG_FILE).read_text())).config
    rows = "\n".join(
        f"| {h['epoch']} | {h['train_bpd']:.4f} | {h['val_bpd']:.4f} | {h['test_bpd']:.4f} | {h['seconds']:.0f} |"
        for h in history
    )
    with_class = (
        f"- Test NLL with the true class, all {test['n']:,} test images: **{test['class_bpd']:.4f} bits/dim**\n"
        if "class_bpd" in test
        else ""
    )
    size = f"{weights.stat().st_size / 1e6:.1f} MB"
    (folder / checkpoint.CARD_FILE).write_text(f"""# Model card: {config.name}

A PixelCNN (van den Oord et al., 2016) over 16x16 FashionMNIST images with 4 grey levels.

- Data: FashionMNIST; 55,000 training images, 5,000 held out for validation (the last of the 60,000
  training images: model selection), 10,000 test images (scored for this card and the learning curve only).
- Preprocessing: 28x28 -> 16x16 by antialiased bilinear resize of [0, 1] floats, level = min(floor(4x), 3).
- Architecture: {config.describe()}.
- Config: `{json.dumps(config.to_dict())}`
- Training command: `{command}` (device: {device})
- Best epoch (lowest validation bits/dim): {best["epoch"]} ({trained})
- Test NLL, all {test["n"]:,} test images: **{test["bpd"]:.4f} bits/dim**
{with_class}- Test NLL, first {CARD_SUBSET} test images: subset_bpd: {test["subset_bpd"]:.4f}
- Weights: `{checkpoint.WEIGHTS_FILE}` (safetensors, {size}), sha256: `{checkpoint.sha256(weights)}`

Epoch 0 is the untrained network. Train bits/dim is the mean training loss over the epoch.

| epoch | train bits/dim | validation bits/dim | test bits/dim | seconds |
|---|---|---|---|---|
{rows}
""")


def test_figures(model, test_bpd: torch.Tensor, images, labels) -> dict:
    """The card's test figures, from the per-image bits/dim `test_bpd` (N,) already measured."""
    figures = dict(n=len(images), bpd=test_bpd.mean().item(), subset_bpd=test_bpd[:CARD_SUBSET].mean().item())
    if model.config.classes:
        figures["class_bpd"] = evaluate(model, images, labels)
    return figures


def save_resume(
    folder: Path, model, optimizer, scheduler, generator, epoch: int, best_val: float, best_test: dict
) -> None:
    """Everything needed to go on after `epoch`: weights, Adam's moments, schedule, batch order, and the
    best epoch's validation and test figures (the card is rewritten from them after every epoch)."""
    folder.mkdir(parents=True, exist_ok=True)
    optim = optimizer.state_dict()
    tensors = {f"model.{k}": v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    for index, state in optim["state"].items():
        tensors.update({f"optimizer.{index}.{k}": v.detach().cpu().reshape(-1) for k, v in state.items()})
    tensors["generator"] = generator.get_state()
    state = dict(
        epoch=epoch,
        best_val=best_val,
        best_test=best_test,
        param_groups=optim["param_groups"],
        scheduler=scheduler.state_dict(),
    )
    checkpoint.save_atomic(tensors, folder / "state.safetensors", {"state": json.dumps(state)})


def load_resume(folder: Path, model, optimizer, scheduler, generator) -> tuple[int, float, dict]:
    """Restore what `save_resume` wrote; returns (last epoch done, best validation bits/dim, its test figures)."""
    from safetensors import safe_open

    path = folder / "state.safetensors"
    with safe_open(path, "pt") as f:
        state = json.loads(f.metadata()["state"])
    tensors = load_file(path)
    model.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
    moments: dict[int, dict] = {}
    for key, value in tensors.items():
        if key.startswith("optimizer."):
            _, index, name = key.split(".")
            moments.setdefault(int(index), {})[name] = value
    params = [p for group in optimizer.param_groups for p in group["params"]]
    for index, moment in moments.items():  # Adam's moments have their parameter's shape; step is a scalar
        for name, value in moment.items():
            moment[name] = value.reshape(params[index].shape) if value.numel() > 1 else value.reshape(())
    optimizer.load_state_dict(dict(state=moments, param_groups=state["param_groups"]))
    scheduler.load_state_dict(state["scheduler"])
    generator.set_state(tensors["generator"])
    return state["epoch"], state["best_val"], state.get("best_test", {})


def make_model(args):
    if args.arch == "gated":
        return checkpoint.build(dict(name="gated", channels=args.channels, layers=args.layers))
    return checkpoint.build(dict(name="pixelcnn", filters=args.filters, blocks=args.blocks, first_mask=args.first_mask))


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", choices=sorted(MODELS), default="pixelcnn", help="which model")
    parser.add_argument("--data", default=str(DEFAULT_ROOT), help="folder with the FashionMNIST idx .gz files")
    parser.add_argument("--download", action="store_true", help="download FashionMNIST with torchvision (internet)")
    parser.add_argument("--out", help="folder for weights, config, card, snapshots, resume state (default runs/ARCH)")
    parser.add_argument("--resume", action="store_true", help="go on from the resume state saved in --out")
    parser.add_argument("--epochs", type=int, help="passes over the training set, the whole schedule (30; dry run: 1)")
    parser.add_argument("--batch-size", type=int, default=128, help="images per step")
    parser.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate (cosine-decayed to 0)")
    parser.add_argument("--filters", type=int, default=128, help="plain model: channels of the residual stream")
    parser.add_argument("--blocks", type=int, default=5, help="plain model: residual blocks")
    parser.add_argument("--first-mask", choices=MASK_TYPES, default="A", help="plain model: first mask (B: leaks)")
    parser.add_argument("--channels", type=int, default=64, help="gated model: channels per stack")
    parser.add_argument("--layers", type=int, default=12, help="gated model: gated layers after the first")
    parser.add_argument("--label-dropout", type=float, default=0.15, help="gated model: share shown as 'any'")
    parser.add_argument("--stop-after", type=int, help="stop after this epoch (the schedule stays --epochs long)")
    parser.add_argument("--snapshots", default=SNAPSHOT_EPOCHS, help="epochs to snapshot (the last always is)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the initial weights and the batch order")
    parser.add_argument("--device", default="auto", help="'auto' (CUDA if available), 'cpu' or 'cuda'")
    parser.add_argument("--threads", type=int, help="CPU threads for PyTorch (default: all cores)")
    parser.add_argument("--dry-run", action="store_true", help="a few steps on 256 images, into a temporary folder")
    args = parser.parse_args(argv)
    if args.dry_run and args.out is None:
        args.out = tempfile.mkdtemp(prefix="pixelcnn-dry-run-")
    args.epochs = args.epochs or (1 if args.dry_run else 30)
    args.out = Path(args.out or f"runs/{args.arch}")
    return args


def main(argv: list[str] | None = None) -> Path:
    """Train as the command line says; returns the output folder."""
    args = parse(argv)
    command = "python -m pixelcnn.train " + shlex.join(argv if argv is not None else sys.argv[1:])
    device = ("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device
    torch.backends.cudnn.benchmark = True
    if args.threads:
        torch.set_num_threads(args.threads)
    try:
        images, labels = load_levels("train", args.data, args.download)
        test_images, test_labels = load_levels("test", args.data, args.download)
    except MissingDataError as error:
        sys.exit(str(error))
    fit, fit_labels = images[:-VALIDATION], labels[:-VALIDATION]
    val = images[-VALIDATION:]
    if args.dry_run:
        fit, fit_labels, val = fit[:256], fit_labels[:256], val[:256]
        test_images, test_labels = test_images[:256], test_labels[:256]
    fit, val, test_images = fit.to(device), val.to(device), test_images.to(device)
    test_labels = test_labels.to(device)

    torch.manual_seed(args.seed)  # initial weights; the batch order has its own generator
    model = make_model(args).to(device)
    classes = model.config.classes > 0
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    steps = args.epochs * math.ceil(len(fit) / args.batch_size)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)
    generator = torch.Generator().manual_seed(args.seed)
    out, snapshot_epochs = args.out, {int(e) for e in args.snapshots.split(",") if e.strip()} | {args.epochs}
    history_path = out / snapshots.HISTORY

    def record(epoch, train_bpd, seconds) -> torch.Tensor:
        """Append the epoch's figures to the history; returns the per-image test bits/dim."""
        test_bpd = per_image(model, test_images)  # reported (curves, card), never used to choose
        entry = dict(epoch=epoch, train_bpd=train_bpd, val_bpd=evaluate(model, val), test_bpd=test_bpd.mean().item())
        history.append(dict(entry, seconds=seconds))
        history_path.write_text(json.dumps(history, indent=1) + "\n")
        return test_bpd

    if args.resume:
        done, best_val, best_test = load_resume(out / RESUME, model, optimizer, scheduler, generator)
        history = json.loads(history_path.read_text())[: done + 1]
        print(f"resumed after epoch {done} (best validation {best_val:.4f} bits/dim)")
    else:
        out.mkdir(parents=True, exist_ok=True)
        done, best_val, best_test, history = 0, math.inf, {}, []
        record(0, evaluate(model, fit[:VALIDATION]), 0.0)  # the untrained network
        if 0 in snapshot_epochs:
            checkpoint.save_snapshot(model, out, 0)
    print(f"{checkpoint.describe(model)}; {len(fit)} training images on {device}; writing to {out}")

    for epoch in range(done + 1, min(args.epochs, args.stop_after or args.epochs) + 1):
        start = time.time()
        losses = train_epoch(
            model, optimizer, fit, args.batch_size, generator, scheduler,
            fit_labels if classes else None, args.label_dropout, f"epoch {epoch}",
        )  # fmt: skip
        test_bpd = record(epoch, sum(losses) / len(losses) / math.log(2), time.time() - start)
        entry = history[-1]
        best = entry["val_bpd"] < best_val
        print(
            f"epoch {epoch}: train {entry['train_bpd']:.4f}, validation {entry['val_bpd']:.4f}, "
            f"test {entry['test_bpd']:.4f} bits/dim" + (", best so far: saved" if best else ""),
            flush=True,
        )
        if best:
            best_val = entry["val_bpd"]
            checkpoint.save(model, out)
            best_test = test_figures(model, test_bpd, test_images, test_labels)
        if best_test:  # a resume state older than this field has none until the next best epoch
            write_card(out, command, history, best_test, device, args.epochs)
        if epoch in snapshot_epochs:
            checkpoint.save_snapshot(model, out, epoch)
        save_resume(out / RESUME, model, optimizer, scheduler, generator, epoch, best_val, best_test)
    return out


if __name__ == "__main__":
    main()
