"""`/layers`: the exact field of a pixel, layer by layer, and why a pixel is in it (the Python reference of the page).

The fields come from `pixelcnn.field`, built once per model from its masks for every pixel at once; this module
checks the questions and turns the answers into JSON and sentences in the reader's language. The page computes
the same itself, in JavaScript (demo/page/fields.js, from each model's wiring as data, `Wiring.to_dict`), and asks
nothing: tests/test_fields_js.py checks both agree on every pixel, and the browser tests compare what the page
shows with `LayerView`'s answers. Measured on this 2-core machine (beside other work): the fields of all 256
pixels are built in 3 ms (plain) and 10 ms (gated) and kept (a few MB, one entry per model, so bounded); a pixel's
layers are then 0.1 ms / 1 ms and 13 KB / 42 KB of JSON; a "why" answer 0.6 ms / 1 ms.
"""

from demo import i18n
from demo.canvas import SIZE
from demo.errors import InputError
from demo.handlers import DemoApp, check_pixel
from pixelcnn.field import Fields, Reason, chain, why_not


def _grid(cells) -> list[list[int]]:
    return cells.astype(int).tolist()


class LayerView:
    def __init__(self, app: DemoApp):
        self.app = app
        self._fields: dict[str, Fields] = {}  # one per model, built at its first question

    def fields(self, name) -> Fields:
        model = self.app.model(name)
        if name not in self._fields:
            self._fields[name] = Fields(model.wiring(), SIZE)
        return self._fields[name]

    def check_layer(self, name, layer) -> int:
        last = len(self.fields(name).wiring.layers)
        if isinstance(layer, bool) or not isinstance(layer, int | float) or layer not in range(1, last + 1):
            raise InputError("bad_layer", last=last, value=repr(layer))
        return int(layer)

    def layers(self, model, row, col) -> dict:
        """/layers: for each depth k, the input pixels with a chain of taps to (row, col) through the first
        k layers (16x16 of 0/1); a model with two stacks adds each stack's share; the blind spot; the masks."""
        fields = self.fields(model)
        row, col = check_pixel(row, "bad_row"), check_pixel(col, "bad_column")
        answer = []
        for layer, connections in zip(fields.at(row, col), fields.wiring.layers):
            entry = {"layer": layer.layer, "field": _grid(layer.field)}
            entry.update({stack: _grid(cells) for stack, cells in layer.stacks.items()})
            entry["blind_spot"] = _grid(layer.blind_spot)
            masks = {c.mask_name: c.mask for c in connections}  # the vertical one is listed once
            entry["masks"] = [
                {"name": name, "rows": mask.shape[0], "cols": mask.shape[1], "taps": _grid(mask != 0)}
                for name, mask in masks.items()
            ]
            answer.append(entry)
        return {"model": model, "row": row, "col": col, "layers": answer}

    def why(self, model, row, col, layer, source_row, source_col, lang: str) -> dict:
        """The page's click on `source`: {"chain": one hop per layer} or {"sentence": why there is none}."""
        fields = self.fields(model)
        row, col = check_pixel(row, "bad_row"), check_pixel(col, "bad_column")
        source = (check_pixel(source_row, "bad_row"), check_pixel(source_col, "bad_column"))
        depth = self.check_layer(model, layer)
        hops = chain(fields.wiring, SIZE, row, col, depth, source)
        if hops is not None:
            return {"chain": [
                {"layer": h.layer, "mask": h.mask_name, "taps": _grid(h.mask != 0), "tap": list(h.tap),
                 "from": list(h.source_pixel), "to": list(h.pixel), "source_stack": h.source, "stack": h.target}
                for h in hops
            ]}  # fmt: skip
        reason = why_not(fields.wiring, SIZE, row, col, depth, source)
        return {"sentence": sentence(reason, lang), "reason": reason.key}


def sentence(reason: Reason, lang: str) -> str:
    """The reason said in `lang`: a field naming a mask is said by the mask's own name in that language (the page
    builds it the same way, demo/page/fields.js `sentence`)."""
    named = {k: i18n.text(f"mask_name_{v}", lang) if k.endswith("_mask") else v for k, v in reason.fields.items()}
    return i18n.text(reason.key, lang, **named)
