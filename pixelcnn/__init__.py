"""PixelCNN on 16x16, 4-level FashionMNIST: model, data, training, likelihood and sampling."""

from pixelcnn.checkpoint import WeightsError, available_models, load, load_pretrained, save
from pixelcnn.likelihood import bits_per_dim, bits_per_pixel
from pixelcnn.model import PixelCNN, PixelCNNConfig
