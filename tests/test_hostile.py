"""A call whose body is far larger than any grid is refused before it is parsed, and the app goes on."""

import pytest
from gradio_client import Client

GOOD = ["pixelcnn", [[0] * 16 for _ in range(16)], 15, 1.0, 0]


@pytest.mark.app
def test_an_oversized_call_is_refused_with_413_and_the_next_one_works(running_app):
    client = Client(running_app.local_url, download_files=False, verbose=False)
    huge = [[3] * 100_000 for _ in range(16)]  # 3 MB of JSON: ~40 MB once parsed, were it parsed
    with pytest.raises(Exception, match="413"):
        client.predict("pixelcnn", huge, 0, 1.0, 0, api_name="/complete")
    assert len(client.predict(*GOOD, api_name="/complete")["trace"]) == 16
