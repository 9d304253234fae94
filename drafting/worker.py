"""The background worker: a huey task queue for what a web request must not wait on.

Tasks are declared in each area's `tasks.py` with `@huey.task()` or `@huey.periodic_task(...)`, and
listed in `TASK_MODULES` below so that every process that builds the app knows them. A request never
calls a task directly; it calls `enqueue_after_commit("area.tasks.name", ...)`, which hands the job to
the queue only once the request's transaction has committed, so that the worker never looks for rows that do
not exist yet (and a rolled-back action queues nothing).

Where the jobs wait is one setting, `TASK_QUEUE_URL`: a SQLite file in the instance folder by default
(`sqlite:///instance/queue.db`), Redis in production (`redis://host:6379/0`), or `memory://` (tests:
a queue private to the app). Each app gets its own storage (`init_app`), and the one `huey` instance
talks to the storage of the app in whose context it is used, so the tests' many apps never share jobs.

`flask --app wsgi worker` runs huey's consumer: it builds the app once, and each job runs in an app
context of its own whose database session is rolled back and removed when the job ends.

A heavy job (preparing an edition, re-anchoring amendments) runs its body through `run_within_limits`:
in a child process of its own, with a memory ceiling (JOB_MEMORY_LIMIT_MB) and a time limit
(JOB_TIME_LIMIT_S). One that passes either raises JobLimitExceeded in the worker, which records the
failure; the child's memory goes with it, and the worker runs the next job as before.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import resource
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
    "drafting.documents.jobs.tasks",
    "drafting.negotiated_text.tasks",
    "drafting.accounts.tasks",
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
    rollback. The same call twice in one transaction queues one job.

    `task` is a task, or its dotted name ("drafting.documents.jobs.tasks.prepare_edition_task"): domain
    code names its jobs, as microblog's `launch_task`, so that it never imports its tasks module
    (which imports the domain code)."""
    if isinstance(task, str):
        task = task_named(task)
    pending = db.session.info.setdefault(_PENDING, {})
    key = (task.name, repr(args), repr(sorted(kwargs.items())))
    pending.setdefault(key, task.s(*args, **kwargs))


def task_named(name: str):
    """The task declared as `name` ("module.function") in one of TASK_MODULES."""
    module, _, attribute = name.rpartition(".")
    if module not in TASK_MODULES:
        raise LookupError(f"No task module {module!r}: list it in drafting.worker.TASK_MODULES.")
    return getattr(importlib.import_module(module), attribute)
# In a limited job's child process: the jobs its commits hand over, which the worker queues once the
# child has ended (a memory:// queue is the worker's own, out of the child's reach).
_handed_back: ContextVar[list[bytes] | None] = ContextVar("jobs_handed_back", default=None)


@event.listens_for(db.session, "after_commit")
def _enqueue_pending(session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    handed_back = _handed_back.get()
    if handed_back is not None:
        handed_back.extend(huey.serialize_task(job) for job in pending.values())
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


# Limits of heavy jobs ---------------------------------------------------------------------------

# A forked child starts at once, with the app, its configuration and code as the worker has them.
_FORK = multiprocessing.get_context("fork")
_MB = 1024 * 1024


class JobLimitExceeded(Exception):
    """The job needed more time or memory than a background job may take."""

    def __init__(self, kind: str, limit: int):
        unit = "s" if kind == "time" else "MB"
        super().__init__(f"the job passed its {kind} limit ({limit} {unit})")
        self.kind = kind  # "time" or "memory"
        self.limit = limit


class JobCrashed(RuntimeError):
    """The job's process raised, or ended without an answer."""


def run_within_limits(function, *args):
    """`function(*args)` in a child process with JOB_MEMORY_LIMIT_MB more address space than it starts
    with and JOB_TIME_LIMIT_S to answer; returns its (picklable) result. Both limits 0: in this process."""
    config = current_app.config
    seconds, megabytes = config.get("JOB_TIME_LIMIT_S", 0), config.get("JOB_MEMORY_LIMIT_MB", 0)
    if not (seconds or megabytes):
        return function(*args)
    app = current_app._get_current_object()  # noqa: SLF001 (the app itself, for the child)
    receiver, sender = _FORK.Pipe(duplex=False)
    child = _FORK.Process(target=_run_child, args=(app, sender, megabytes, function, args),
                          name=f"job {getattr(function, '__name__', function)}")
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds or None):
            child.kill()
            raise JobLimitExceeded("time", seconds)
        try:
            outcome, value, handed_back = receiver.recv()
        except EOFError:
            child.join()
            raise JobCrashed(f"the job's process ended without an answer (exit code {child.exitcode})") from None
    finally:
        child.join()
        receiver.close()
    for data in handed_back:
        huey.enqueue(huey.deserialize_task(data))
    if outcome == "memory":
        raise JobLimitExceeded("memory", megabytes)
    if outcome == "raised":
        raise JobCrashed(value)
    return value


def _run_child(app: Flask, sender, megabytes: int, function, args) -> None:
    """In the child: new database connections (the worker's stay the worker's), the memory ceiling,
    then the job; its outcome goes back through `sender`."""
    with app.app_context():
        db.engine.dispose(close=False)
        if megabytes:
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            ceiling = _address_space() + megabytes * _MB
            resource.setrlimit(resource.RLIMIT_AS, (ceiling if hard == resource.RLIM_INFINITY else min(ceiling, hard),
                                                    hard))
        handed_back: list[bytes] = []
        _handed_back.set(handed_back)
        try:
            answer = ("done", function(*args), handed_back)
        except MemoryError:
            answer = ("memory", None, [])
        except BaseException as error:
            logging.getLogger(__name__).exception("job %s failed", getattr(function, "__name__", function))
            answer = ("raised", f"{type(error).__name__}: {error}", handed_back)
        finally:
            db.session.rollback()
        sender.send(answer)
        sender.close()


def _address_space() -> int:
    """This process's address space in bytes (what RLIMIT_AS bounds)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


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
