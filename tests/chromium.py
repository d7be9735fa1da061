"""Which Chromium the browser tests drive: $CHROMIUM, else Debian's chromium-headless-shell, else Debian's chromium,
else Playwright's own.

The headless shell is the same Chromium (Blink, V8, the same version in Debian) without the desktop browser around
it: a page of this app loads in about half the time and CPU (measured, 8 loads each: 0.73 against 1.3 s, about 0.4
against 1.0 CPU seconds each), which is most of what the browser tests spend. Walks as a user take the full browser
($CHROMIUM=/usr/bin/chromium)."""

import os
import shutil

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync"]  # fmt: skip
HELP = (
    "no Chromium for the browser tests: on Debian `apt-get install chromium`; elsewhere set CHROMIUM=/path/to/chromium "
    "or run `.venv/bin/playwright install chromium`"
)


def executable() -> str | None:
    """A system Chromium if there is one; None means 'use the one Playwright installed'."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium-headless-shell", "/usr/bin/chromium", "chromium",
                      "chromium-browser"):  # fmt: skip
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def launch(playwright):
    """A headless Chromium; raises RuntimeError(HELP) when there is none at all."""
    path = executable()
    try:
        return playwright.chromium.launch(executable_path=path, args=ARGS)
    except Exception as error:  # Playwright's own browser missing: say what to install
        if path is None:
            raise RuntimeError(HELP) from error
        raise
