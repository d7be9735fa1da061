"""A call whose body is far larger than any grid is refused before it is parsed, and the app goes on."""

import httpx
import pytest
from conftest import api_client

GOOD = ["pixelcnn", [[0] * 16 for _ in range(16)], 15, 1.0, 0]


@pytest.mark.app
def test_an_oversized_call_is_refused_with_413_and_the_next_one_works(running_app):
    client = api_client(running_app.local_url)
    huge = [[3] * 100_000 for _ in range(16)]  # 3 MB of JSON: ~40 MB once parsed, were it parsed
    with pytest.raises(Exception, match="413"):
        client.predict("pixelcnn", huge, 0, 1.0, 0, api_name="/complete")
    assert len(client.predict(*GOOD, api_name="/complete")["trace"]) == 16


@pytest.mark.app
def test_an_oversized_body_sent_in_chunks_gets_our_message_in_its_language_and_no_traceback(running_app, capfd):
    def chunks():  # no length announced: 3 MB in 64 KB pieces
        for _ in range(48):
            yield b"[" + b"3," * 32_000 + b"3]"

    url = f"{running_app.local_url}gradio_api/call/complete"
    answer = httpx.post(url, content=chunks(), headers={"Accept-Language": "fr"}, timeout=30)
    assert answer.status_code == 413 and "Cette requête dépasse 64 Ko" in answer.json()["detail"]
    said = httpx.post(url, content=b"x" * 100_000, timeout=30)  # a length that says it all: refused unread
    assert said.status_code == 413 and "This request is over 64 KB" in said.json()["detail"]
    assert "Traceback" not in capfd.readouterr().err
    client = api_client(running_app.local_url)
    assert len(client.predict(*GOOD, api_name="/complete")["trace"]) == 16
