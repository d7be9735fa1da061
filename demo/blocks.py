"""The app's gr.Blocks: every call that Gradio cannot turn into our handler's arguments is refused in our
words, and uploads are deleted once read.

Gradio checks a call before our handler runs (4 arguments where 6 are needed, a file path that was not
uploaded, a malformed file value) and answers what fails with a generic "error" and a traceback in the
log, on every route (queued events, /call/). `Guarded` gives those our sentence (`bad_call`) and one log
line; a bug of ours still shows whole; a call with more arguments than the event takes is refused
(`extra_arguments`: Gradio ignored the extra ones). Gradio keeps every upload in its cache for good:
`Guarded` deletes one GRACE_S after the last call naming it is answered (the same picture uploaded by two
clients is one file, and the second may be between its upload and its call), and one no call names
UNREAD_S after it came.
"""

import asyncio
import contextlib
import time
from collections import Counter
from pathlib import Path

import pixelcnn
from demo import gradio_internals
from demo.errors import InputError
from demo.gradio_internals import CallBlocks, InvalidPathError, job_inputs, waiting
from demo.refusals import refused

OUR_CODE = (Path(__file__).resolve().parent, Path(pixelcnn.__file__).resolve().parent)
ADAPTER = Path(gradio_internals.__file__).resolve()  # in demo/, but only passes the call on to Gradio
GRACE_S = 10  # an upload is deleted this long after the last call that read it was answered
UNREAD_S = 30  # an upload no call has named is deleted this long after it came


def _raised_by_us(error: BaseException) -> bool:
    """True if our code (demo/, pixelcnn/) is on the error's way up, past the frame that caught it: a bug of
    ours, to be seen whole; False when Gradio refused the request before any handler of ours ran."""
    frame = error.__traceback__.tb_next if error.__traceback__ else None
    while frame is not None:
        path = Path(frame.tb_frame.f_code.co_filename).resolve()
        if path != ADAPTER and any(path.is_relative_to(ours) for ours in OUR_CODE):
            return True
        frame = frame.tb_next
    return False


def _urls(value) -> bool:
    """Whether a call's inputs hold a file value whose path is a URL (Gradio would download it)."""
    if isinstance(value, dict):
        path = value.get("path")
        return (isinstance(path, str) and "://" in path) or any(_urls(v) for v in value.values())
    return isinstance(value, list | tuple) and any(_urls(v) for v in value)


def _chain(error: BaseException) -> list[BaseException]:
    """The error and the ones it was raised from or during (Gradio wraps a missing file in its own error)."""
    chain = [error]
    while (cause := chain[-1].__cause__ or chain[-1].__context__) is not None and len(chain) < 10:
        chain.append(cause)
    return chain


def _paths(value) -> set[str]:
    """The file paths named in a call's inputs."""
    if isinstance(value, dict):
        found = {value["path"]} if isinstance(value.get("path"), str) else set()
        return found.union(*(_paths(v) for v in value.values()))
    return set().union(*(_paths(v) for v in value)) if isinstance(value, list | tuple) else set()


class Uploads(set):
    """The paths of the uploads (demo.gradio_internals.CallBlocks keeps them here; Gradio's /upload route adds them
    with `update`, in the event loop): each is forgotten UNREAD_S after it came, read or not (`forget` keeps one a
    call still reads)."""

    def __init__(self, forget):
        super().__init__()
        self.forget = forget

    def update(self, *paths) -> None:
        super().update(*paths)
        for path in set().union(*paths):
            asyncio.get_running_loop().call_later(UNREAD_S, self.forget, path)


class Guarded(CallBlocks):
    """gr.Blocks that refuses in our words what Gradio refuses, and deletes uploads once read (module docstring)."""

    def __init__(self, *args, **kwargs):
        self.reading = Counter()  # uploads named by a call not answered yet (the same picture twice: one file)
        super().__init__(*args, **kwargs)

    def upload_set(self) -> set:
        return Uploads(self._forget)

    async def call(self, inputs, expected: int, request, run):
        uploads = _paths(inputs) & self.uploads  # only files a user uploaded: nothing else is deleted
        self.reading.update(uploads)
        try:
            if _urls(inputs):  # refused before Gradio fetches anything: the app never goes on the network
                raise InputError("file_url")
            if isinstance(inputs, list) and len(inputs) > expected:  # Gradio 6.31 drops the extra ones
                raise InputError("extra_arguments", count=len(inputs), most=expected)
            return await run()
        except InputError as error:
            raise refused(error, request) from None
        except Exception as error:  # gr.Error too: a component's own check (a dropdown's choices) says it in English
            if _raised_by_us(error):
                raise
            if any(isinstance(e, InvalidPathError | OSError) for e in _chain(error)):  # a path: not repeated
                raise refused(InputError("file_not_uploaded"), request) from None
            reason = (str(error).splitlines() or [type(error).__name__])[0][:160].rstrip(".")
            raise refused(InputError("bad_call", reason=reason), request) from None
        finally:
            self.reading.subtract(uploads)
            for path in uploads:  # later: the same picture sent by another client may be between upload and call
                asyncio.get_running_loop().call_later(GRACE_S, self._forget, path)

    def _forget(self, path: str) -> None:
        """Delete an upload, unless a call still reads it or waits in the queue naming it, or it was uploaded
        again in the last GRACE_S (the same picture is the same file: its call may be on its way)."""
        if self.reading[path] > 0 or any(path in _paths(job_inputs(job)) for job in waiting(self)):
            return  # that call will forget it when answered
        with contextlib.suppress(OSError):
            age = time.time() - Path(path).stat().st_mtime
            if age < GRACE_S:
                asyncio.get_running_loop().call_later(GRACE_S - age, self._forget, path)
                return
        self.reading.pop(path, None)
        self.uploads.discard(path)
        Path(path).unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            Path(path).parent.rmdir()  # its folder (named by the file's hash), when empty
