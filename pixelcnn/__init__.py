"""PixelCNN on 16x16, 4-level FashionMNIST: model, data, training, likelihood and sampling."""

from pixelcnn.checkpoint import WeightsError, available_models, load, load_pretrained, save
from pixelcnn.field import layer_fields
from pixelcnn.gated import GatedPixelCNN, GatedPixelCNNConfig
from pixelcnn.layers import causal_mask
from pixelcnn.likelihood import bits_per_dim, bits_per_pixel
from pixelcnn.model import PixelCNN, PixelCNNConfig
from pixelcnn.receptive_field import receptive_field
from pixelcnn.sampling import Step, Trace, complete, stream, trace

__all__ = [
    "GatedPixelCNN",
    "GatedPixelCNNConfig",
    "PixelCNN",
    "PixelCNNConfig",
    "Step",
    "Trace",
    "WeightsError",
    "available_models",
    "bits_per_dim",
    "bits_per_pixel",
    "causal_mask",
    "complete",
    "layer_fields",
    "load",
    "load_pretrained",
    "receptive_field",
    "save",
    "stream",
    "trace",
]
