"""Every text the page shows comes from demo/locales/en.py: the keys the HTML and JavaScript use all exist there."""

import re
from pathlib import Path

from demo.locales.en import TEXTS
from pixelcnn.data import CLASS_NAMES

DEMO = Path(__file__).resolve().parent.parent / "demo"


def test_every_key_the_page_uses_is_in_the_texts():
    used = set()
    for path in [*DEMO.glob("*.html"), *(DEMO / "page").glob("*.js")]:  # every template and module of the page
        source = path.read_text()
        used |= set(re.findall(r'data-text="(\w+)"', source)) | set(re.findall(r"\bT\.(\w+)", source))
        used |= {f"level_{i}" for i in range(4)} | {"masks_help_a", "masks_help_b"}  # keys built from a number
    assert used - set(TEXTS) == set()


def test_garment_names_follow_the_datasets_classes():
    assert TEXTS["garments"] == list(CLASS_NAMES)
