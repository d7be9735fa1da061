"""PixelCNN on 16x16, 4-level FashionMNIST: model, data, training, likelihood and sampling.

Two sides (llama2.c's export/run split): training, export and evaluation use torch (`pixelcnn.model`,
`pixelcnn.gated`, `pixelcnn.train`, `pixelcnn.checkpoint`, ...); serving reads the shipped arrays with NumPy
alone (`pixelcnn.models`, `pixelcnn.drawing`, `pixelcnn.incremental`, `pixelcnn.gated_incremental`,
`pixelcnn.field`, `pixelcnn.rule`, `pixelcnn.snapshots`, `pixelcnn.export`) and never imports torch. The names
below are the training side's, imported when first used, so that `import pixelcnn.models` costs no torch.
"""

import importlib

_NAMES = {
    "GatedPixelCNN": "pixelcnn.gated",
    "GatedPixelCNNConfig": "pixelcnn.configs",
    "PixelCNN": "pixelcnn.model",
    "PixelCNNConfig": "pixelcnn.configs",
    "Step": "pixelcnn.sampling",
    "Trace": "pixelcnn.drawing",
    "WeightsError": "pixelcnn.models",
    "available_models": "pixelcnn.models",
    "bits_per_dim": "pixelcnn.likelihood",
    "bits_per_pixel": "pixelcnn.likelihood",
    "causal_mask": "pixelcnn.masks",
    "complete": "pixelcnn.sampling",
    "layer_fields": "pixelcnn.field",
    "load": "pixelcnn.checkpoint",
    "load_pretrained": "pixelcnn.checkpoint",
    "receptive_field": "pixelcnn.gradients",
    "save": "pixelcnn.checkpoint",
    "stream": "pixelcnn.sampling",
    "trace": "pixelcnn.sampling",
}
__all__ = sorted(_NAMES)


def __getattr__(name: str):
    if name not in _NAMES:
        raise AttributeError(f"module 'pixelcnn' has no attribute {name!r}")
    return getattr(importlib.import_module(_NAMES[name]), name)
