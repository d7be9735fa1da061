"""Files named by their content are read and compressed once, answered from memory within a bounded budget, and each
answer is the file's bytes in the encoding the client takes (demo/kept_files.py)."""

import gzip
import os

import brotli
import pytest

from demo.kept_files import KeptFiles, encoding_for

JAVASCRIPT = ("text/javascript", "application/javascript")  # Python's name of .js, or Gradio's once it has launched
SCRIPT = b"export const answer = 42; // a module of the page\n" * 40  # 2 KB, compressible


def written(folder, name: str, data: bytes):
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "accepted, expected",
    [
        ("gzip, deflate, br, zstd", "br"),  # Chromium's
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip;q=0.5", "gzip"),
        ("br;q=0.0, gzip;q=0", ""),
        ("identity", ""),
        ("", ""),
        ("br;q=x", ""),  # a weight that is no number
    ],
)
def test_the_encoding_is_one_the_client_takes(tmp_path, accepted, expected):
    assert encoding_for(accepted, tmp_path / "module.js") == expected
    assert encoding_for(accepted, tmp_path / "weights.safetensors") == ""  # floats: never compressed


def test_each_encoding_is_the_files_bytes_and_each_is_read_from_disk_once(tmp_path):
    path = written(tmp_path, "module-1a2b.js", SCRIPT)
    kept = KeptFiles()
    first = {accepted: kept.response(path, accepted) for accepted in ("br", "gzip", "identity")}
    path.unlink()  # from now on only memory can answer
    for accepted, answer in first.items():
        again = kept.response(path, accepted)
        assert again is not None and again.body == answer.body
        assert again.headers["content-type"].split(";")[0] in JAVASCRIPT
        assert again.headers["vary"] == "Accept-Encoding"
    assert brotli.decompress(first["br"].body) == SCRIPT and first["br"].headers["content-encoding"] == "br"
    assert gzip.decompress(first["gzip"].body) == SCRIPT and first["gzip"].headers["content-encoding"] == "gzip"
    assert first["identity"].body == SCRIPT and "content-encoding" not in first["identity"].headers
    assert kept.used == sum(len(answer.body) for answer in first.values())
    assert kept.response(tmp_path / "never-there.js", "br") is None  # Gradio answers it (its 404)


def test_small_and_binary_files_go_whole_with_their_type(tmp_path):
    kept = KeptFiles()
    small = kept.response(written(tmp_path, "tiny.js", b"export {};\n"), "br")
    assert small.body == b"export {};\n" and "content-encoding" not in small.headers
    weights = written(tmp_path, "gated-5f32.safetensors", os.urandom(5000))
    binary = kept.response(weights, "gzip, deflate, br")
    assert binary.body == weights.read_bytes() and "content-encoding" not in binary.headers
    assert binary.headers["content-type"] == "application/octet-stream"  # as Gradio names it; not text/plain
    wasm = kept.response(written(tmp_path, "engine-9f.wasm", os.urandom(500)), "br")
    assert wasm.headers["content-type"] == "application/wasm"  # as WebAssembly.instantiateStreaming wants


def test_memory_stays_within_the_budget_and_a_large_file_is_left_to_gradio(tmp_path):
    kept = KeptFiles(largest=2500, budget=5000)
    files = [written(tmp_path, f"part-{i}.bin", os.urandom(2000)) for i in range(4)]
    answered = [kept.response(path, "br") for path in files]
    assert [answer is not None for answer in answered] == [True, True, False, False]  # 4000 kept, 2000 more: no
    assert kept.used == 4000 <= kept.budget
    assert kept.response(files[0], "br").body == files[0].read_bytes()  # a kept file is still answered
    kept = KeptFiles(largest=2500, budget=10**6)
    assert kept.response(written(tmp_path, "big.bin", os.urandom(3000)), "br") is None and kept.used == 0


def test_a_client_holding_the_answer_gets_304_and_each_encoding_has_its_own_tag(tmp_path):
    path = written(tmp_path, "module-3c.js", SCRIPT)
    kept = KeptFiles()
    squeezed, whole = kept.response(path, "br"), kept.response(path, "identity")
    assert squeezed.headers["etag"] != whole.headers["etag"]
    again = kept.response(path, "br", f'"other", {squeezed.headers["etag"]}')
    assert again.status_code == 304 and again.body == b"" and again.headers["etag"] == squeezed.headers["etag"]
    assert kept.response(path, "br", whole.headers["etag"]).status_code == 200  # another encoding's tag
