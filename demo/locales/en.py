"""English: the page's texts from `demo.texts`, plus the model names the page shows.

When `demo.texts` gains `model_*` keys of its own, those win and the lines below can go.
"""

from demo.texts import EN

NAME = "English"

TEXTS = {
    "model_pixelcnn": "PixelCNN",
    "model_gated": "Gated PixelCNN",
    **EN,
}
