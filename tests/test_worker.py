"""The background worker: jobs handed over at commit, run in their own app context, one queue setting."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from drafting import PACKAGE_DIR, config
from drafting.extensions import db
from drafting.models import OutboxMessage
from drafting.worker import QueueConfigurationError, enqueue_after_commit, huey, storage_for
from tests.support.worker import queued_jobs, run_queued_jobs

seen: list[tuple] = []


@huey.task()
def record_outbox_count(label: str) -> None:
    """A test job: what the worker sees of the database when it runs."""
    seen.append((label, db.session.query(OutboxMessage).count(), db.session.info.get("job")))
    db.session.info["job"] = label  # would leak into the next job if sessions were shared


@pytest.fixture(autouse=True)
def _forget():
    seen.clear()


def _message(subject: str) -> OutboxMessage:
    return OutboxMessage(kind="comment", recipient="r@example.org", subject=subject, body="…",
                         attempts=0, last_error="")


def test_a_job_is_queued_when_the_transaction_commits_and_sees_its_rows(app):
    db.session.add(_message("one"))
    enqueue_after_commit(record_outbox_count, "after commit")
    db.session.flush()
    assert queued_jobs(app) == []  # not before the commit: the worker could not see the row yet

    db.session.commit()

    assert "record_outbox_count" in [name.rpartition(".")[2] for name in queued_jobs(app)]
    run_queued_jobs(app)
    assert seen == [("after commit", 1, None)]


def test_a_rolled_back_transaction_queues_nothing(app):
    db.session.add(_message("two"))
    enqueue_after_commit(record_outbox_count, "never")
    db.session.rollback()
    db.session.commit()  # a later commit does not resurrect the dropped job

    assert queued_jobs(app) == []
    assert run_queued_jobs(app) == 0


def test_the_same_job_twice_in_one_transaction_is_queued_once(app):
    enqueue_after_commit(record_outbox_count, "a")
    enqueue_after_commit(record_outbox_count, "a")
    enqueue_after_commit(record_outbox_count, "b")
    db.session.add(_message("three"))
    db.session.commit()

    run_queued_jobs(app)

    assert sorted(label for label, *_ in seen) == ["a", "b"]


def test_each_job_has_a_database_session_of_its_own(app):
    for label in ("first", "second"):
        enqueue_after_commit(record_outbox_count, label)
        db.session.add(_message(label))
        db.session.commit()

    run_queued_jobs(app)

    assert [leftover for *_, leftover in seen] == [None, None]
    assert "job" not in db.session.info  # nor the test's


def test_each_app_has_a_queue_of_its_own(app, app_config):
    from drafting import create_app

    other = create_app(app_config)
    with other.app_context():
        enqueue_after_commit(record_outbox_count, "other app")
        db.session.add(_message("other"))
        db.session.commit()
        db.session.remove()

    assert queued_jobs(app) == []
    assert len(queued_jobs(other)) == 2  # this job, and the outbox's nudge


def test_the_queue_is_one_setting(tmp_path):
    default = config.load(str(tmp_path), {"DRAFTING_ENV": "testing"})["TASK_QUEUE_URL"]
    assert default == f"sqlite:///{tmp_path / 'queue.db'}"
    sqlite = storage_for(default)
    assert isinstance(sqlite, SqliteStorage) and Path(sqlite.filename) == tmp_path / "queue.db"
    in_instance = storage_for("sqlite:///instance/queue.db", instance_path=str(tmp_path / "inst"))
    assert Path(in_instance.filename) == tmp_path / "inst" / "queue.db"
    assert isinstance(storage_for("redis://127.0.0.1:6379/3"), RedisStorage)
    assert isinstance(storage_for("memory://"), MemoryStorage)
    with pytest.raises(QueueConfigurationError):
        storage_for("amqp://broker")


def test_the_worker_command_is_there(runner):
    result = runner.invoke(args=["worker", "--help"])
    assert result.exit_code == 0 and "--workers" in result.output


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):  # function-level imports count too
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_workflow_and_the_outbox_do_not_import_each_other():
    workflow = _imports(PACKAGE_DIR / "positions" / "workflow.py")
    operations = _imports(PACKAGE_DIR / "positions" / "operations.py")
    assert not any(name.startswith("drafting.notifications") for name in workflow | operations)
    assert "drafting.positions.signals" in workflow
    # The outbox listens: it may know the positions area, which does not know it.
    assert "drafting.positions.signals" in _imports(PACKAGE_DIR / "notifications" / "outbox.py")
