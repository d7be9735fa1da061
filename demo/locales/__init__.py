"""One file per language: `<code>.py` holds `NAME` (the language's own name) and `TEXTS` (every text,
keyed by name, the same keys as English). Adding a language is adding one file; `demo.i18n` finds it."""
