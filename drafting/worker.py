"""The background worker: a huey task queue for what a web request must not wait on.

Tasks are declared in each area's `tasks.py` with `@huey.task()` or `@huey.periodic_task(...)`, and
listed in `TASK_MODULES` below so that every process that builds the app knows them. A request never
calls a task directly; it calls `enqueue_after_commit(task, ...)`, which hands the job to the queue
only once the request's transaction has committed, so that the worker never looks for rows that do
not exist yet (and a rolled-back action queues nothing).

Where the jobs wait is one setting, `TASK_QUEUE_URL`: a SQLite file in the instance folder by default
(`sqlite:///instance/queue.db`), Redis in production (`redis://host:6379/0`), or `memory://` (tests:
a queue private to the app). Each app gets its own storage (`init_app`), and the one `huey` instance
talks to the storage of the app in whose context it is used, so the tests' many apps never share jobs.

`flask --app wsgi worker` runs huey's consumer: it builds the app once, and each job runs in an app
context of its own whose database session is rolled back and removed when the job ends.
"""

from __future__ import annotations

import importlib
import logging
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import Flask, current_app, has_app_context
from flask.logging import default_handler
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import event

from drafting.extensions import db

QUEUE_NAME = "drafting"
EXTENSION_KEY = "task_queue"

# The modules that declare tasks. Named, not imported here at the top: they import `huey` from this
# module, and importing them from it would make the two import each other.
TASK_MODULES = (
    "drafting.notifications.tasks",
    "drafting.documents.tasks",
    "drafting.negotiated_text.tasks",
)


class QueueConfigurationError(RuntimeError):
    """TASK_QUEUE_URL names no storage huey can use."""


def storage_for(url: str, instance_path: str | None = None):
    """The huey storage that `url` names: sqlite:///path, redis://..., rediss://... or memory://."""
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        return MemoryStorage(QUEUE_NAME)
    if scheme == "sqlite":
        path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else ""
        if not path:
            raise QueueConfigurationError(f"TASK_QUEUE_URL needs a file: sqlite:///path/queue.db, not {url!r}")
        file = Path(path)
        if not file.is_absolute() and instance_path and file.parts[0] == "instance":
            file = Path(instance_path, *file.parts[1:])  # "instance/queue.db" means the instance folder
        file.parent.mkdir(parents=True, exist_ok=True)
        return SqliteStorage(QUEUE_NAME, filename=str(file))
    if scheme in ("redis", "rediss", "unix"):
        return RedisStorage(QUEUE_NAME, url=url)
    raise QueueConfigurationError(f"TASK_QUEUE_URL must start with sqlite:///, redis:// or memory://, not {url!r}")


class _AppStorage:
    """Stands in for huey's storage: forwards every call to the storage of the current app, or,
    outside any app context (the consumer's own threads), to the app the consumer serves."""

    def __init__(self, name: str = QUEUE_NAME, **_ignored):
        self.name = name

    def __getattr__(self, attribute: str):
        return getattr(_storage(), attribute)


def _storage():
    if has_app_context() and EXTENSION_KEY in current_app.extensions:
        return current_app.extensions[EXTENSION_KEY]
    if huey.flask_app is not None:
        return huey.flask_app.extensions[EXTENSION_KEY]
    raise RuntimeError("The task queue is used outside an application: build one with create_app().")


# Which app a job runs in: the consumer's (huey.flask_app), or the one a test runs jobs for.
_running_app: ContextVar[Flask | None] = ContextVar("task_queue_app", default=None)


class FlaskHuey(Huey):
    """Huey whose jobs each run in a fresh app context, their database session closed afterwards."""

    flask_app: Flask | None = None

    def execute(self, task, timestamp=None):
        app = _running_app.get() or self.flask_app
        if app is None:
            raise RuntimeError("No application to run the job in: use `flask --app wsgi worker`.")
        with app.app_context():
            try:
                return super().execute(task, timestamp)
            finally:
                # Whatever the job left (a failed flush, an open transaction) goes with its context.
                db.session.rollback()
                db.session.remove()


# Results are not kept: a job records its outcome in the database (an edition's state, a message's
# sent_at), where the pages read it.
huey = FlaskHuey(QUEUE_NAME, results=False, storage_class=_AppStorage)


def init_app(app: Flask) -> None:
    """Give `app` its own queue storage, from TASK_QUEUE_URL, and make every task known."""
    app.extensions[EXTENSION_KEY] = storage_for(app.config["TASK_QUEUE_URL"], app.instance_path)
    load_tasks()
    app.cli.add_command(worker_command)


def load_tasks() -> None:
    for name in TASK_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:  # a task module that exists but fails to import is a bug
                raise


def run_in(app: Flask):
    """Context for running jobs of `app` in this thread (tests, an embedded consumer)."""
    return _RunningApp(app)


class _RunningApp:
    def __init__(self, app: Flask):
        self.app = app
        self.token = None

    def __enter__(self):
        self.token = _running_app.set(self.app)
        return self.app

    def __exit__(self, *exc):
        _running_app.reset(self.token)


# Jobs handed over at commit ---------------------------------------------------------------------

_PENDING = "task_queue_after_commit"


def enqueue_after_commit(task, *args, **kwargs) -> None:
    """Queue `task(*args, **kwargs)` when `db.session`'s current transaction commits; drop it on
    rollback. The same call twice in one transaction queues one job."""
    pending = db.session.info.setdefault(_PENDING, {})
    key = (task.name, repr(args), repr(sorted(kwargs.items())))
    pending.setdefault(key, task.s(*args, **kwargs))


@event.listens_for(db.session, "after_commit")
def _enqueue_pending(session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    for job in pending.values():
        # The action has committed: a queue that cannot be reached must not turn it into an error.
        # Periodic tasks (the outbox's every minute) catch up with what was not queued.
        try:
            huey.enqueue(job)
        except Exception:
            logging.getLogger(__name__).exception("Could not queue %s after commit", job)


@event.listens_for(db.session, "after_rollback")
def _drop_pending(session) -> None:
    session.info.pop(_PENDING, None)


# The consumer -----------------------------------------------------------------------------------

@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Jobs run at the same time (threads).")
@click.option("--no-periodic", is_flag=True, help="Do not run the periodic tasks (outbox, reminders).")
def worker_command(workers: int, no_periodic: bool) -> None:
    """Run the background worker: the queued jobs and the periodic tasks, until Ctrl-C or SIGTERM."""
    app = current_app._get_current_object()  # noqa: SLF001 (the app itself, not the proxy)
    huey.flask_app = app
    configure_logging(app)
    click.echo(f"Worker: {workers} thread(s), queue {_describe(app.config['TASK_QUEUE_URL'])}.")
    # SIGINT (Ctrl-C) stops at once; SIGTERM lets the running jobs finish (systemd's stop).
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=not no_periodic,
                                    graceful_signal="TERM", check_worker_health=True)
    consumer.run()


def configure_logging(app) -> None:
    """Every record once, on one handler: the root's. Flask gave the app's logger a handler of its own
    when it was created; with the root's beside it, each line (each logged mail) came out twice."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app.logger.removeHandler(default_handler)


def _describe(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:  # never print a Redis password
        url = url.replace(f":{parts.password}@", ":***@")
    return url
