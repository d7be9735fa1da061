"""The Hugging Face Space's entry point: load the shipped models once, build the page, launch."""

import argparse
import sys
from pathlib import Path

from demo.handlers import DemoApp
from demo.learning import Learning
from demo.process import return_freed_memory, serve_promptly
from pixelcnn import models as shipped
from pixelcnn.models import DEFAULT_MODEL, WEIGHTS_DIR, WeightsError, retrain_command


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the PixelCNN demo (Gradio) on the shipped weights.")
    parser.add_argument("--host", default=None, help="address to listen on (default: Gradio's, 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help="port (default: Gradio's, 7860 or the next free)")
    parser.add_argument("--weights", type=Path, default=WEIGHTS_DIR, help="folder with one folder per model")
    parser.add_argument("--batch", type=int, default=0, help="/complete with Gradio's batching, up to N (benchmarks)")
    args = parser.parse_args()
    return_freed_memory()
    serve_promptly()
    try:
        models = {name: shipped.load(args.weights / name) for name in shipped.available_models(args.weights)}
        if not models:
            command = retrain_command(args.weights / DEFAULT_MODEL)
            sys.exit(f"Cannot start the demo: no model in {args.weights}; train one with `{command}`")
        app = DemoApp(models, args.weights)  # the measured fields are read here
        learning = Learning(list(models), args.weights)  # the snapshots are checked here
    except (WeightsError, OSError) as error:
        sys.exit(f"Cannot start the demo: {error}")
    # Gradio (seconds to import) only once every file has been read: a broken one stops the start within a second
    from demo.ui import build, launch_options

    demo = build(app, learning, batch=args.batch)
    demo.launch(server_name=args.host, server_port=args.port, **launch_options())


if __name__ == "__main__":
    main()
