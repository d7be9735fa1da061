"""English: the page's texts from `demo.texts`, plus the garment and model names the page shows.

The garment names are the dataset's own (`pixelcnn.data.CLASS_NAMES`); when `demo.texts` gains
`class_*` or `model_*` keys of its own, those win and the lines below can go.
"""

from demo.texts import EN
from pixelcnn.data import CLASS_NAMES

NAME = "English"

TEXTS = {
    **{f"class_{index}": name for index, name in enumerate(CLASS_NAMES)},
    "model_pixelcnn": "PixelCNN",
    "model_gated": "Gated PixelCNN",
    **EN,
}
