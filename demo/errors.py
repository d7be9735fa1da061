"""The one kind of error a user can cause: `InputError`, caught at the boundary (demo.ui) and shown in the
request's language."""

from demo.locales.en import TEXTS


class InputError(ValueError):
    """Something the user sent that we cannot use; the message says what to do.

    `key` names the message (demo/locales/) and `fields` fill it: the boundary (demo.ui) words it in the
    request's language; `str(error)` is the English message (logs, tests)."""

    def __init__(self, key: str, **fields):
        super().__init__(TEXTS[key].format(**fields))
        self.key, self.fields = key, fields
