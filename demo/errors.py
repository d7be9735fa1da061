"""The one kind of error a user can cause: `InputError`, caught at the boundary (demo.ui) and shown in the
request's language."""

from demo.locales.en import TEXTS


def _shortened(field, most: int = 120):
    """A field as the message shows it: a value sent as 10**400 or 60 KB of text is cut, in the log too."""
    return field if not isinstance(field, str) or len(field) <= most else field[: most - 1] + "…"


class InputError(ValueError):
    """Something the user sent that we cannot use; the message says what to do.

    `key` names the message (demo/locales/) and `fields` fill it: the boundary (demo.ui) words it in the
    request's language; `str(error)` is the English message (logs, tests)."""

    def __init__(self, key: str, **fields):
        fields = {name: _shortened(value) for name, value in fields.items()}
        super().__init__(TEXTS[key].format(**fields))
        self.key, self.fields = key, fields
