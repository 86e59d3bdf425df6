"""Background jobs (scoring, retraining) with progress the pages poll.

Jobs run one at a time on a single worker thread: the encoder and the model are shared, and a
laptop has few cores. A job that waits shows «queued» until the one before it ends.
"""

from __future__ import annotations

import secrets
import sys
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..errors import BiyeleltError, bilingual

__all__ = ["Job", "JobManager", "JOB_STATES"]

JOB_STATES = ("queued", "running", "done", "failed")
_KEEP = 200  # finished jobs remembered


@dataclass
class Job:
    """One background job and its progress.

    Attributes
    ----------
    id, kind : str
        ``kind`` is ``"score"`` or ``"retrain"``.
    state : str
        One of :data:`JOB_STATES`.
    stage : str
        What it is doing now: a key of the message catalogue (``job.stage.<stage>``).
    done, total : int
        Progress in files; ``total`` 0 when not known (an indeterminate bar).
    embedded : int
        Texts embedded so far (a sign of life during long encodings).
    error : str
        Bilingual message when it failed.
    result : dict
        What the job returned.
    next_url : str
        Where the pages go when it is done.
    """

    id: str
    kind: str
    state: str = "queued"
    stage: str = "queued"
    done: int = 0
    total: int = 0
    embedded: int = 0
    error: str = ""
    result: dict = field(default_factory=dict)
    next_url: str = ""
    created: float = field(default_factory=time.time)
    finished: float | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "state": self.state, "stage": self.stage, "done": self.done,
                "total": self.total, "embedded": self.embedded, "error": self.error, "next": self.next_url}


class JobManager:
    """Runs jobs one after another on a worker thread and keeps their progress.

    Parameters
    ----------
    workers : int, default 1
    """

    def __init__(self, workers: int = 1):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="biyelelt-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._events: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def submit(self, kind: str, fn: Callable[[Job], dict | None], *, next_url: str = "",
               on_error: Callable[[Job], None] | None = None) -> Job:
        """Queue ``fn(job)``; its return value becomes ``job.result``.

        A :class:`~nlp.errors.BiyeleltError` becomes the job's bilingual error; any other exception
        too, with its type, and its traceback goes to stderr. ``on_error(job)`` runs after a failure.
        """
        job = Job(id=secrets.token_hex(8), kind=kind, next_url=next_url)
        event = threading.Event()
        with self._lock:
            self._jobs[job.id] = job
            self._events[job.id] = event
            while len(self._jobs) > _KEEP:
                old, _ = self._jobs.popitem(last=False)
                self._events.pop(old, None)

        def run() -> None:
            job.state = "running"
            try:
                job.result = fn(job) or {}
                job.stage = "done"
                job.state = "done"
            except BiyeleltError as err:
                job.error = err.message
            except Exception as exc:  # a job must never take the server down
                traceback.print_exc(file=sys.stderr)
                job.error = bilingual("гэнэтийн алдаа", "unexpected error") + f" ({type(exc).__name__}: {exc})"
            if job.state != "done":
                job.stage = "failed"
                job.state = "failed"
                if on_error is not None:
                    try:
                        on_error(job)
                    except Exception:  # pragma: no cover - best effort
                        traceback.print_exc(file=sys.stderr)
            job.finished = time.time()
            event.set()

        self._pool.submit(run)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def jobs(self) -> list[Job]:
        """The jobs remembered, oldest first."""
        with self._lock:
            return list(self._jobs.values())

    def wait(self, job_id: str, timeout: float | None = None) -> Job:
        """Block until the job ends (tests, and ``serve`` shutting down).

        Raises
        ------
        KeyError
            No such job.
        TimeoutError
            It did not end in ``timeout`` seconds.
        """
        with self._lock:
            event = self._events[job_id]
        if not event.wait(timeout):
            raise TimeoutError(f"job {job_id} still running after {timeout} s")
        return self._jobs[job_id]

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=True)
