"""An upload costs the server what arrives, bounded: at most 2 MB and a few files, counted as the bytes come
(a chunked body declares no length), refused before anything is written, and deleted soon, read or not.

The heavy versions (8 chunked floods at once, 190 MB each before) are in `python -m bench.hostile`.
"""

import io
import time
from pathlib import Path

import gradio as gr
import httpx
import pytest
from PIL import Image
from starlette.middleware import Middleware

from demo import blocks as guarded
from demo.blocks import Guarded
from demo.limits import UPLOAD_FILES, Doorman

pytestmark = pytest.mark.app


@pytest.fixture(scope="module")
def upload_app(tmp_path_factory, monkeypatch_module):
    """An app with one binary upload event, our doorman (2 MB) and Gradio's files in a folder of its own."""
    monkeypatch_module.setenv("GRADIO_TEMP_DIR", str(tmp_path_factory.mktemp("gradio")))

    def size(picture: bytes) -> int:
        return len(picture)

    with Guarded() as blocks:
        button = gr.UploadButton(type="binary")
        number = gr.Number()
        button.upload(size, button, number, api_name="size")
    blocks.queue(api_open=False)
    middleware = [Middleware(Doorman, upload_bytes=2 << 20)]
    blocks.launch(prevent_thread_lock=True, quiet=True, max_file_size="2mb", app_kwargs={"middleware": middleware})
    yield blocks
    blocks.close()


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def written(blocks) -> list[Path]:
    return [p for p in Path(blocks.server_app.uploaded_file_dir).rglob("*") if p.is_file()]


def multipart(files: list[bytes], boundary: str = "b0undary") -> tuple[bytes, dict]:
    """A multipart/form-data body as Gradio's /upload reads it (field "files"), and its content type."""
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="p{i}.png"\r\n'.encode()
        + b"Content-Type: image/png\r\n\r\n"
        + content
        + b"\r\n"
        for i, content in enumerate(files)
    )
    return body + f"--{boundary}--\r\n".encode(), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def chunked(body: bytes, size: int = 64 * 1024):
    """The body in pieces, with no length announced (httpx sends a generator chunked)."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (28, 28), 200).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_chunked_upload_over_the_limit_is_refused_as_it_arrives_and_nothing_is_written(upload_app):
    """Gradio bounds each file (2 MB), not their sum: 100 files of 1.9 MB in one chunked request wrote 190 MB."""
    before = written(upload_app)
    body, headers = multipart([b"\0" * (1_900_000)] * 3)  # 5.7 MB, each file under the limit, no length declared
    answer = httpx.post(
        f"{upload_app.local_url}gradio_api/upload", content=chunked(body), headers={**headers, "Accept-Language": "fr"}
    )
    assert answer.status_code == 413
    assert answer.json()["detail"] == "Cet envoi dépasse 2 Mo ; les images de 2 Mo au plus sont lues."
    assert written(upload_app) == before


def test_an_upload_of_more_than_a_few_files_is_refused_before_anything_is_written(upload_app):
    before = written(upload_app)
    body, headers = multipart([png() + bytes([i]) for i in range(UPLOAD_FILES + 1)])  # small, and many
    answer = httpx.post(f"{upload_app.local_url}gradio_api/upload", content=chunked(body, 100), headers=headers)
    assert answer.status_code == 422 and f"{UPLOAD_FILES} files at most" in answer.json()["detail"]
    assert written(upload_app) == before
    body, headers = multipart([png()])  # one picture, as the page sends it, chunked: read
    assert httpx.post(f"{upload_app.local_url}gradio_api/upload", content=chunked(body, 100), headers=headers).json()


def test_an_upload_no_call_reads_is_deleted_soon(upload_app, monkeypatch):
    """Gradio kept it until its delete_cache ran (5 to 10 minutes here); now UNREAD_S (30 s), shortened here."""
    monkeypatch.setattr(guarded, "UNREAD_S", 0.3)
    monkeypatch.setattr(guarded, "GRACE_S", 0.3)
    body, headers = multipart([png() + b"unread"])
    path = Path(httpx.post(f"{upload_app.local_url}gradio_api/upload", content=body, headers=headers).json()[0])
    assert path.is_file()
    deadline = time.monotonic() + 5
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not path.exists() and str(path) not in upload_app.upload_file_set
