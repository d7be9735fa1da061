"""The Hugging Face Space's entry point: load the shipped models once, build the page, launch."""

import sys

import pixelcnn
from demo.handlers import DemoApp
from demo.ui import build, launch_options


def main() -> None:
    try:
        models = {name: pixelcnn.load(pixelcnn.checkpoint.WEIGHTS_DIR / name) for name in pixelcnn.available_models()}
    except pixelcnn.WeightsError as error:
        sys.exit(f"Cannot start the demo: {error}")
    if not models:
        sys.exit(f"Cannot start the demo: no model in {pixelcnn.checkpoint.WEIGHTS_DIR}; train one with "
                 "`python -m pixelcnn.train --out weights/pixelcnn`")  # fmt: skip
    build(DemoApp(models)).launch(**launch_options())


if __name__ == "__main__":
    main()
