"""Running the background worker's jobs inside tests.

The test configuration sets `TASK_QUEUE_URL=memory://`, so every app (every test) has a queue of its
own that nothing consumes: jobs wait there until the test runs them, which lets a test look at the
state between the request and the worker (an edition "Preparing", a message not sent yet).

- `run_queued_jobs(app)`: runs every job waiting in `app`'s queue, in this thread, each in an app
  context of its own as the real worker does, and the jobs those jobs queue, until none is left.
  Jobs scheduled for later (huey's `eta`/`delay`) run too when `include_scheduled` is true.
  Returns how many ran. A job that raises is logged by huey and does not stop the others.
- `queued_jobs(app)`: the names of the jobs waiting (e.g. to assert that a request queued one).
- `background_worker(app)`: a context manager running a thread that keeps running `app`'s jobs
  (for the browser tests' live server, where no test calls `run_queued_jobs`).
"""

from __future__ import annotations

import contextlib
import datetime
import threading

from drafting.worker import EXTENSION_KEY, huey, run_in


def _storage(app):
    return app.extensions[EXTENSION_KEY]


def queued_jobs(app) -> list[str]:
    return [huey.deserialize_task(data).name for data in _storage(app).enqueued_items()]


def run_queued_jobs(app, include_scheduled: bool = True, limit: int = 1000) -> int:
    storage = _storage(app)
    ran = 0
    with run_in(app):
        while ran < limit:
            if include_scheduled:
                for data in storage.read_schedule(_far_future()):
                    storage.enqueue(data)
            data = storage.dequeue()
            if data is None:
                return ran
            task = huey.deserialize_task(data)
            if include_scheduled:
                task.eta = None  # run it now: the test does not wait for its time
            huey.execute(task)
            ran += 1
    raise AssertionError(f"more than {limit} jobs: a job keeps queueing itself?")


def _far_future() -> datetime.datetime:
    return datetime.datetime(9000, 1, 1)


@contextlib.contextmanager
def background_worker(app, interval: float = 0.2):
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            try:
                run_queued_jobs(app, include_scheduled=False)
            except Exception:  # keep serving the live server; huey logged the job's error
                app.logger.exception("background worker loop")
            stop.wait(interval)

    thread = threading.Thread(target=loop, name="test-worker", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)
