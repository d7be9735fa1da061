"""What Gradio serves that the app does not need is closed, every answer carries the security headers, and the page
itself goes compressed."""

import io

import httpx
import pytest
from PIL import Image

from demo.limits import Edges
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


def test_a_name_too_long_in_the_engines_folder_is_no_file_not_an_error(running_app):
    from demo.ui import ENGINE_DIR

    answer = httpx.get(f"{running_app.local_url}gradio_api/file={ENGINE_DIR}/{'a' * 300}.js")
    assert answer.status_code in (403, 404) and "cache-control" not in answer.headers


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


def test_files_named_by_content_come_from_memory_compressed_as_the_browser_takes_and_are_the_files(running_app):
    """Gradio's frontend and the page's modules, answered from memory (demo/kept_files.py): each the file's bytes,
    its type as Gradio's own route names it, brotli for a browser that takes it, whole for one that takes nothing."""
    import hashlib
    import re

    from demo.gradio_internals import ASSETS_FOLDER
    from demo.ui import PAGE_DIR

    url = running_app.local_url
    page = httpx.get(url).text
    named = re.findall(r"/assets/[\w.-]+\.(?:js|css)", page)
    assets = {f"{url}{name[1:]}": ASSETS_FOLDER / name[len("/assets/") :] for name in named}
    modules = {f"{url}{page_folder()}{m.relative_to(PAGE_DIR)}": m for m in PAGE_DIR.rglob("*.js")}
    assert len(assets) >= 2 and len(modules) >= 20
    for address, file in {**assets, **modules}.items():
        data = file.read_bytes()
        squeezed = httpx.get(address, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert squeezed.headers["content-encoding"] == "br" and squeezed.content == data, address  # httpx decodes
        assert squeezed.num_bytes_downloaded < len(data)
        assert squeezed.headers["etag"] == f'"{hashlib.sha256(data).hexdigest()[:20]}-br"'  # kept_files' own answer
        whole = httpx.get(address, headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in whole.headers and whole.content == data
        gradios = httpx.get(address, headers={"Accept-Encoding": "identity", "Range": "bytes=0-"})  # Gradio's route
        assert whole.headers["content-type"] == gradios.headers["content-type"], address
        assert whole.headers["cache-control"] == Edges.KEEP and whole.headers["x-content-type-options"] == "nosniff"


OUT_OF_ASSETS = ["assets/" + "%2e%2e/" * 9 + "etc/passwd", "assets/%2e%2e%2findex.html", "assets/", "assets/%00.js",
                 "assets/no-such-file.js", "assets/" + "a" * 300 + ".js"]  # fmt: skip


@pytest.mark.parametrize("path", OUT_OF_ASSETS)
def test_nothing_outside_gradios_frontend_is_answered_as_one_of_its_files(running_app, path):
    """A way out of the folder (../, a NUL byte) is refused in our words; a file not there (or a name too long for
    the system) is Gradio's 404 (400 for no name at all), never an error."""
    answer = httpx.get(running_app.local_url + path, headers={"Accept-Language": "fr"})
    assert answer.status_code in (400, 403, 404) and "root:" not in answer.text
    assert "cache-control" not in answer.headers
    if answer.status_code == 403:
        assert "n'est pas de celles qu'envoie la page" in answer.json()["detail"]
