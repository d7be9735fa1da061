"""Files named by their content, read and compressed once, answered from memory.

A page load asks for about 100 files: Gradio's built frontend (/assets/), the engine's files and the page's modules
(demo.ui's ENGINE_DIR). Gradio 6.31 answers each one through its routes, its file checks and its compressing
middleware, again for every visitor: 0.28-0.32 CPU-s of the server per cold page load, 0.13 answered from here
(measured). A file named by its content never changes, so its answer is made once; demo.limits' Edges gives it for
every GET of such a file that asks for no Range, and leaves every other request to Gradio.

Memory is bounded: a file larger than `largest` is never kept, and once `budget` bytes are kept (each encoding of a
file counts), a file not kept yet is answered by Gradio as before.
"""

import gzip
import hashlib
import mimetypes
from pathlib import Path

import brotli
from starlette.responses import Response

COMPRESSIBLE = {".html", ".htm", ".js", ".css", ".json", ".md", ".txt", ".csv", ".tsv", ".xml", ".svg"}  # Gradio's
SMALLEST = 400  # bytes: a smaller file goes whole (Gradio's minimum_size)


def encoding_for(accepted: str, file: Path) -> str:
    """The encoding `file` goes in to a client whose Accept-Encoding is `accepted`: "br", "gzip" or "" (whole)."""
    if file.suffix.lower() not in COMPRESSIBLE:
        return ""
    taken = set()
    for item in accepted.lower().split(","):  # "gzip, deflate, br" or "br;q=1.0, gzip;q=0.5, *;q=0"
        name, _, weight = item.partition(";q=")
        try:
            if float(weight or 1) > 0:
                taken.add(name.strip())
        except ValueError:
            continue  # a weight that is no number: not taken
    return next((name for name in ("br", "gzip") if name in taken), "")


def encoded(data: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(data, mode=brotli.MODE_TEXT, quality=5)  # once: 6% smaller than Gradio's quality 4
    return gzip.compress(data, compresslevel=9, mtime=0) if encoding == "gzip" else data


def media_type(file: Path) -> str:
    """What Gradio's file route names a file's type: its extension's, else bytes with no type (a browser given
    text/plain reads the body as text first: 0.1 CPU-s more per page load in the engine's workers, measured)."""
    return mimetypes.guess_type(file.name)[0] or "application/octet-stream"


class KeptFiles:
    """The answers of files named by their content, kept up to `budget` bytes in all, none larger than `largest`."""

    def __init__(self, largest: int = 8 * 2**20, budget: int = 16 * 2**20):
        self.largest, self.budget, self.used = largest, budget, 0
        self.kept: dict[tuple[Path, str], tuple[bytes, str, str]] = {}  # (file, asked) -> (bytes, encoding, ETag)

    def response(self, file: Path, accepted: str, cached: str = "") -> Response | None:
        """The answer to a GET of `file` (a regular file, its path resolved, named by its content) for a client whose
        Accept-Encoding is `accepted` and whose If-None-Match is `cached` (304 where it holds this answer); None where
        it is not kept and cannot be (too large, or the budget spent)."""
        asked = encoding_for(accepted, file)
        answer = self.kept.get((file, asked)) or self._keep(file, asked)
        if answer is None:
            return None
        body, encoding, tag = answer
        headers = {"etag": tag, **({"vary": "Accept-Encoding"} if file.suffix.lower() in COMPRESSIBLE else {})}
        if tag in (t.strip() for t in cached.split(",")):
            return Response(status_code=304, headers=headers)
        if encoding:
            headers["content-encoding"] = encoding
        return Response(body, headers=headers, media_type=media_type(file))

    def _keep(self, file: Path, asked: str) -> tuple[bytes, str, str] | None:
        try:
            if file.stat().st_size > min(self.largest, self.budget - self.used):
                return None
            data = file.read_bytes()
        except OSError:
            return None  # gone or unreadable: Gradio answers as it would
        encoding = asked if len(data) >= SMALLEST else ""
        tag = f'"{hashlib.sha256(data).hexdigest()[:20]}{"-" + encoding if encoding else ""}"'  # one per encoding
        body = encoded(data, encoding)
        if len(body) > self.budget - self.used:
            return None
        self.kept[(file, asked)] = body, encoding, tag
        self.used += len(body)
        return self.kept[(file, asked)]
