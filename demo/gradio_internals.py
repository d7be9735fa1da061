"""Every touch of Gradio's internals, in one place: what the app reads or changes that Gradio does not document.

Checked on Gradio 6.31.0 (CHECKED_ON). Gradio gives no public hook for what the server needs (a fair queue, deleting
uploads once read, our words for what it refuses, closing routes, a calmer queue), so demo.blocks, demo.limits,
demo.refusals and demo.ui reach inside through the functions below and nowhere else. tests/test_gradio_internals.py
checks the version and that each name used here still exists and behaves as assumed: after an upgrade it fails
first, naming what moved.

What is used, and where Gradio 6.31 keeps it:
- the queue (`Blocks._queue`, gradio/queueing.py): its waiting jobs per concurrency group
  (`event_queue_per_concurrency_id[id].queue`), its running ones (`active_jobs`), `max_size`, a job by id
  (`event_ids_to_events`), the messages kept per session (`pending_messages_per_session`, `pending_event_ids_session`),
  and `push(body, request, username) -> (accepted, event id or message, outcome)`, which we wrap; how often its
  loops look for work while there is none (`sleep_when_free`, `progress_update_sleep_when_free`), which we set;
- a job (`Event`): its `request`, `concurrency_id` and inputs (`data.data`); a pushed body's `session_hash`;
- Blocks: `process_api(block_fn, inputs, state, request, ...)`, the one door of every call, which we wrap;
  `upload_file_set` (the uploads' paths, filled by the /upload route) and `temp_file_sets` (what `delete_cache`
  walks); `blocks` (component id -> component); `allowed_paths`; the app's `get_blocks()`;
- a server function's mark (`_is_server_fn`), the static folders (`gradio.data_classes._StaticFiles.all_paths`),
  the error of a path not uploaded (`gradio.exceptions.InvalidPathError`);
- the routes below (ROUTES), and the folder of Gradio's built frontend (`gradio.route_utils.BUILD_PATH_LIB`).
"""

from pathlib import Path

import gradio as gr
from gradio.data_classes import _StaticFiles
from gradio.exceptions import InvalidPathError
from gradio.route_utils import BUILD_PATH_LIB

CHECKED_ON = "6.31.0"  # the Gradio version every name here was read and tested on
ROUTES = {  # the routes the middleware of demo.limits and demo.refusals recognise, by what they do
    "join": ("/gradio_api/call/", "/gradio_api/queue/join"),  # a new job enters the queue
    "upload": "/gradio_api/upload",
    "functions": "/gradio_api/component_server",  # gr.HTML server functions (the page's questions)
    "files": ("/gradio_api/file=", "/gradio_api/file/"),  # a file, named by its path after the prefix
    "monitoring": "/monitoring",  # Gradio's traffic dashboard
    "assets": "/assets/",  # Gradio's built frontend, each file named by its content (Vite's hash)
}
ASSETS_FOLDER = Path(BUILD_PATH_LIB)  # the folder whose files ROUTES["assets"] serves, by their path below it
__all__ = ["InvalidPathError"]  # a missing upload's error, for demo.blocks


def blocks_of(scope) -> gr.Blocks | None:
    """The Blocks a request reaches, seen from an ASGI middleware (None where the app is not Gradio's own)."""
    return getattr(scope.get("app"), "get_blocks", lambda: None)()


# ---- the queue


def waiting(blocks: gr.Blocks) -> list:
    """The jobs in the queue, not started yet, every concurrency group."""
    return [event for queue in blocks._queue.event_queue_per_concurrency_id.values() for event in list(queue.queue)]


def running(blocks: gr.Blocks) -> list:
    """The jobs the queue has started and not finished."""
    return [event for job in blocks._queue.active_jobs if job for event in job]


def queue_size(blocks: gr.Blocks) -> int | None:
    """The most jobs the queue holds (`demo.queue(max_size=...)`); None: no bound."""
    return blocks._queue.max_size


def line_of(blocks: gr.Blocks, event_id: str) -> tuple[object | None, list]:
    """The job `event_id` (None once done) and the list of its group's waiting jobs, in order (it may be changed)."""
    event = blocks._queue.event_ids_to_events.get(event_id)
    return event, blocks._queue.event_queue_per_concurrency_id[event.concurrency_id].queue if event else []


def job_request(job):
    """The request a job came with (demo.refusals.address_of reads its address)."""
    return job.request


def job_inputs(job):
    """A waiting job's inputs as sent (None if it has none yet)."""
    return job.data.data if job.data else None


def wrap_push(blocks: gr.Blocks, refuse, accepted) -> None:
    """Wrap the queue's door: `refuse(request)` -> None, or the message list of a refused job (the answer HTTP 422
    carries: gradio_client raises its text); `accepted(event_id, session)` runs once a job is in, before anything
    else can move the queue (no await in between)."""
    queue = blocks._queue
    push = queue.push

    async def checked_push(body, request, username):
        message = refuse(request)  # then Gradio's own max_size check: no await in between
        if message is not None:
            return False, message, "validator_error"
        answer = await push(body, request, username)
        if answer[0] and answer[2] == "success":
            accepted(answer[1], body.session_hash)
        return answer

    queue.push = checked_push


def poll_calmly(blocks: gr.Blocks, job_s: float = 0.005, progress_s: float = 0.1) -> None:
    """While the queue is empty, look for a new job every `job_s` seconds and for progress to send every `progress_s`
    (Gradio 6.31 on Linux: every 1 ms and 10 ms). Its polling kept an idle app at 6-10% of a core (an idle Space
    burning its CPU, each wake-up taking the interpreter from a model's thread); at 5 ms and 100 ms, 3%. A job waits
    5 ms more at most: /complete through gradio_client took 153 and 143 ms against 164 and 150 at 1 ms (median of 35,
    two runs each: the same within noise). The app sends no progress (no gr.Progress)."""
    queue = blocks._queue
    queue.sleep_when_free, queue.progress_update_sleep_when_free = job_s, progress_s


def kept_sessions(blocks: gr.Blocks) -> list[str]:
    """The sessions whose messages the queue keeps, the oldest first."""
    return list(blocks._queue.pending_messages_per_session)


def unread(blocks: gr.Blocks, session: str) -> set[str]:
    """The ids of the session's answers not read yet."""
    return blocks._queue.pending_event_ids_session.get(session) or set()


def is_pending(blocks: gr.Blocks, event_id: str) -> bool:
    """Whether the job `event_id` is waiting or running."""
    return event_id in blocks._queue.event_ids_to_events


def forget_session(blocks: gr.Blocks, session: str) -> None:
    """Drop what the queue keeps for `session` (its next job makes it again)."""
    del blocks._queue.pending_messages_per_session[session]
    blocks._queue.pending_event_ids_session.pop(session, None)


# ---- Blocks


class CallBlocks(gr.Blocks):
    """gr.Blocks whose every call (queued event, named endpoint, /call/) passes through `call`, and whose uploads'
    paths are kept in the set `upload_set()` makes (filled by Gradio's /upload route with `update`, in the event
    loop; `delete_cache` walks it too)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.temp_file_sets.remove(self.upload_file_set)  # delete_cache walks temp_file_sets, upload_file_set among
        self.upload_file_set = self.upload_set()
        self.temp_file_sets.append(self.upload_file_set)

    def upload_set(self) -> set:
        """Override: the set that will hold the uploads' paths."""
        return set()

    @property
    def uploads(self) -> set:
        return self.upload_file_set

    async def call(self, inputs, expected: int, request, run):
        """Override: `run()` answers the call (`inputs` as sent; `expected`: how many inputs the event takes)."""
        return await run()

    async def process_api(self, block_fn, inputs, state=None, request=None, *args, **kwargs):
        async def run():
            return await super(CallBlocks, self).process_api(block_fn, inputs, state, request, *args, **kwargs)

        return await self.call(inputs, len(block_fn.inputs), request, run)


def served_folders(blocks: gr.Blocks) -> list:
    """The folders whose files Gradio's file route serves: `launch(allowed_paths=...)` and gr.set_static_paths."""
    return [*blocks.allowed_paths, *_StaticFiles.all_paths]


def is_server_function(blocks: gr.Blocks, component_id, name) -> bool:
    """Whether `name` is a server function of the component `component_id` (what /component_server calls)."""
    block = blocks.blocks.get(component_id)
    return isinstance(name, str) and getattr(getattr(block, name, None), "_is_server_fn", False)
