"""The app's routes in raw HTTP, as a script would call them (no gradio_client): for bench.hostile and the tests.

`url` is the app's root ("http://127.0.0.1:7860/"); `headers` may carry X-Forwarded-For (the app trusts it
from 127.0.0.1) or Accept-Language.
"""

import json

import httpx


def answer_of(stream: str) -> dict | list | None:
    """The last `data:` line of a server-sent event stream, as JSON."""
    lines = [line[len("data:") :] for line in stream.splitlines() if line.startswith("data:")]
    return json.loads(lines[-1]) if lines else None


def checked(url: str) -> bool:
    """httpx's `verify` for a request to `url`: a certificate is checked over HTTPS only. Over plain HTTP there is
    none, and checking anyway loads the CA bundle on every request (21 ms each, measured)."""
    return url.startswith("https:")


def post(url: str, name: str, data, headers=None, client: httpx.Client | None = None) -> httpx.Response:
    """Queue a named endpoint's job through /call/ (each post a new session); the answer names the job.
    `client`: an httpx.Client to keep connections open (as a script sending many would), else one each."""
    where, body = f"{url}gradio_api/call/{name}", {"data": data}
    if client is not None:
        return client.post(where, json=body, headers=headers, timeout=60)
    return httpx.post(where, json=body, headers=headers, timeout=60, verify=checked(url))


def call(url: str, name: str, data, headers=None) -> str:
    """A named endpoint through /call/: our error message, '' if it answered, or 'HTTP <status> <body>'."""
    posted = post(url, name, data, headers)
    if posted.status_code != 200:
        return f"HTTP {posted.status_code} {posted.text[:200]}"
    answer = f"{url}gradio_api/call/{name}/{posted.json()['event_id']}"
    stream = httpx.get(answer, timeout=120, verify=checked(url)).text
    return ((answer_of(stream) or {}).get("error") or "error") if "event: error" in stream else ""


def config(url: str) -> dict:
    return httpx.get(f"{url}config", timeout=30, verify=checked(url)).json()


def private_event(url: str, name: str, data: list, session: str, headers=None) -> dict:
    """A private event of the page (by its api_name) through the queue, as the page sends it: Gradio's output."""
    fn_index = next(d["id"] for d in config(url)["dependencies"] if d["api_name"] == name)
    body = {"data": data, "fn_index": fn_index, "session_hash": session, "trigger_id": None, "event_data": None}
    joined = httpx.post(f"{url}gradio_api/queue/join", json=body, headers=headers, timeout=60, verify=checked(url))
    if joined.status_code != 200:
        return {"error": f"HTTP {joined.status_code} {joined.text[:200]}"}
    queue = f"{url}gradio_api/queue/data"
    with httpx.stream("GET", queue, params={"session_hash": session}, timeout=120, verify=checked(url)) as events:
        for line in events.iter_lines():
            if line.startswith("data:") and '"process_completed"' in line:
                return json.loads(line[len("data:") :])["output"]
    return {"error": "no answer"}


def ask(url: str, question, headers=None) -> dict:
    """One question to the page's server function `ask` on /component_server, as the page's JavaScript sends it
    (NaN allowed in `question`, as a script may send it): the answer, or {"error": "HTTP <status> ..."}."""
    grid = next(c["id"] for c in config(url)["components"] if c.get("props", {}).get("elem_id") == "grid")
    body = {"session_hash": "raw", "component_id": grid, "fn_name": "ask", "data": question}
    headers = {"content-type": "application/json", **(headers or {})}
    where = f"{url}gradio_api/component_server"
    answer = httpx.post(where, content=json.dumps(body), headers=headers, timeout=120, verify=checked(url))
    return answer.json() if answer.status_code == 200 else {"error": f"HTTP {answer.status_code} {answer.text[:80]}"}
