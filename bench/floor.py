"""The floor of the load benchmark: a Gradio app whose /complete takes the same inputs and does nothing.

    python -m bench.floor --port 7870

Same queue settings as the demo (one at a time, the same queue size), so what it costs under load is
Gradio's and the clients' own share, which no model can go below.
"""

import argparse

import gradio as gr


def complete(model: str, levels: list, known_rows: int, temperature: float, seed: int, label: str = "any") -> dict:
    return {"levels": levels, "seed": seed, "trace": []}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    with gr.Blocks() as demo:
        gr.api(complete, api_name="complete", concurrency_limit=1, concurrency_id="model")
    demo.queue(max_size=256).launch(server_port=args.port, server_name="127.0.0.1", quiet=True)


if __name__ == "__main__":
    main()
