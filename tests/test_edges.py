"""What Gradio serves that the app does not need is closed, every answer carries the security headers, and the page
itself goes compressed."""

import io

import httpx
import pytest
from PIL import Image

from demo.ui import page_folder

pytestmark = pytest.mark.app
FRAMED_BY = "frame-ancestors https://huggingface.co https://*.hf.space"


def engine_file(url: str) -> str:
    """The URL of a file the page reads through Gradio's file route (its Web Worker's script)."""
    return url + page_folder() + "engine_worker.js"


def uploaded(url: str) -> str:
    """The server's path of a picture just uploaded, as Gradio's /upload answers it."""
    buffer = io.BytesIO()
    Image.new("L", (28, 28), 200).save(buffer, format="PNG")
    files = {"files": ("garment.png", buffer.getvalue(), "image/png")}
    return httpx.post(f"{url}gradio_api/upload", files=files).json()[0]


def test_every_answer_says_who_may_frame_the_page_and_not_to_sniff_types(running_app):
    url = running_app.local_url
    answers = [
        httpx.get(url),  # the page
        httpx.get(f"{url}config"),
        httpx.get(engine_file(url)),  # a file
        httpx.post(f"{url}gradio_api/call/complete", content=b"x" * 100_000),  # one of our refusals (413)
        httpx.get(f"{url}gradio_api/no_such_route"),  # Gradio's 404
    ]
    for answer in answers:
        assert answer.headers["content-security-policy"] == FRAMED_BY, answer.url
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_the_page_goes_compressed_to_a_browser_that_takes_gzip_and_whole_to_one_that_does_not(running_app):
    """Gradio 6.31 compresses only answers whose path ends in a file's extension: its page (185 KB, most of it the
    config) went whole to every browser."""
    url = running_app.local_url
    whole = httpx.get(url, headers={"Accept-Encoding": "identity"})
    squeezed = httpx.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})  # a browser's
    assert "content-encoding" not in whole.headers and squeezed.headers["content-encoding"] == "gzip"
    assert squeezed.num_bytes_downloaded < len(squeezed.content) / 3 and "Accept-Encoding" in squeezed.headers["vary"]
    assert squeezed.text.replace(url, "") == whole.text.replace(url, "")  # the same page
    assert squeezed.headers["content-security-policy"] == FRAMED_BY


@pytest.mark.parametrize("path", ["monitoring", "monitoring/summary", "monitoring/some-key"])
def test_gradios_monitoring_is_closed(running_app, path):
    answer = httpx.get(f"{running_app.local_url}{path}", headers={"Accept-Language": "fr"})
    assert answer.status_code == 404 and "n'est pas de celles qu'envoie la page" in answer.json()["detail"]


def test_an_upload_cannot_be_read_back_by_anyone(running_app):
    """Gradio served any file of its upload folder to whoever had its path."""
    url = running_app.local_url
    path = uploaded(url)
    for route in (f"gradio_api/file={path}", f"gradio_api/file/{path}"):
        answer = httpx.get(f"{url}{route}")
        assert answer.status_code == 403 and "not one the page sends" in answer.json()["detail"]


def test_the_file_route_fetches_no_web_address(running_app):
    answer = httpx.get(f"{running_app.local_url}gradio_api/file=https://example.com/a.png")
    assert answer.status_code == 403


def test_the_page_files_are_served_and_an_invalid_range_is_ignored(running_app):
    url = engine_file(running_app.local_url)
    whole = httpx.get(url)
    assert whole.status_code == 200 and len(whole.content) > 100
    part = httpx.get(url, headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part.content == whole.content[:10]
    backwards = httpx.get(url, headers={"Range": "bytes=100-50"})  # Gradio answered 206 with one byte
    assert backwards.status_code == 200 and backwards.content == whole.content
