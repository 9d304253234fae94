"""Heavy background jobs run in a process of their own, with a memory ceiling and a time limit: a job
that passes one ends as Failed with its reason and a Retry, and the worker stays as it was (its memory
back, the next job running). The limits are tiny here; the app's defaults are 600 s and 2048 MB."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from drafting.documents.editions import compile_edition
from drafting.documents.naming import CompileOptions
from drafting.documents.render import builder
from drafting.extensions import db
from drafting.models import AmendmentStatus, Edition, OutboxMessage, TextRevision
from drafting.negotiated_text import tasks
from drafting.worker import JobCrashed, JobLimitExceeded, enqueue_after_commit, run_within_limits
from tests.conftest import BACKENDS, base_config, login, milestone
from tests.support.amended_drafts import REV_1, publish, world  # noqa: F401, F811 (a fixture)
from tests.support.worker import queued_jobs, run_queued_jobs
from tests.test_worker import record_outbox_count, seen

TIME_LIMIT_S, MEMORY_LIMIT_MB = 2, 64


@pytest.fixture
def app_config(backend):
    return base_config(BACKENDS[backend], JOB_TIME_LIMIT_S=TIME_LIMIT_S, JOB_MEMORY_LIMIT_MB=MEMORY_LIMIT_MB)


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def _allocate_too_much(*_args, **_kwargs):
    chunks = [bytearray(16 * 2**20) for _ in range(MEMORY_LIMIT_MB)]  # up to 1 GB, 16 MB at a time
    return len(chunks)


def _take_too_long(*_args, **_kwargs):
    time.sleep(TIME_LIMIT_S * 15)


def _count_messages(subject: str) -> int:
    db.session.add(OutboxMessage(kind="comment", recipient="r@example.org", subject=subject, body="…",
                                 attempts=0, last_error=""))
    enqueue_after_commit(record_outbox_count, subject)
    db.session.commit()
    return db.session.query(OutboxMessage).count()


def test_a_job_past_its_memory_ceiling_or_time_limit_is_stopped_and_the_worker_goes_on(app):
    before = _resident_mb()
    with pytest.raises(JobLimitExceeded) as memory:
        run_within_limits(_allocate_too_much)
    assert (memory.value.kind, memory.value.limit) == ("memory", MEMORY_LIMIT_MB)

    started = time.monotonic()
    with pytest.raises(JobLimitExceeded) as slow:
        run_within_limits(_take_too_long)
    assert (slow.value.kind, slow.value.limit) == ("time", TIME_LIMIT_S)
    assert time.monotonic() - started < TIME_LIMIT_S * 10  # stopped, not waited for

    # The worker's own memory did not take the child's, and the next job runs, sees and writes the
    # database, and the jobs it hands over reach the worker's queue.
    assert _resident_mb() - before < 50
    assert run_within_limits(_count_messages, "next") == 1
    assert db.session.query(OutboxMessage).count() == 1
    assert any(name.endswith("record_outbox_count") for name in queued_jobs(app))
    run_queued_jobs(app)
    assert ("next", 1, None) in seen


def _raise():
    raise ValueError("broken")


def test_a_job_that_raises_in_its_process_raises_in_the_worker(app):
    with pytest.raises(JobCrashed, match="ValueError: broken"):
        run_within_limits(_raise)


@pytest.mark.parametrize(("body", "kind", "reason"), [
    (_allocate_too_much, "memory", f"The preparation needed more than {MEMORY_LIMIT_MB} MB"),
    (_take_too_long, "time", f"The preparation took longer than {TIME_LIMIT_S} s"),
])
def test_an_edition_past_a_limit_fails_with_its_reason_and_a_retry_finishes_it(app, client, login_as,
                                                                              make_position, monkeypatch,
                                                                              body, kind, reason):
    make_position("approved", org="CEMR", title="Housing")
    secretariat = login_as("secretariat")
    edition = compile_edition(milestone("Round 2"), secretariat, CompileOptions(title="Round 2"))
    real_build = builder.build_document
    monkeypatch.setattr(builder, "build_document", body)
    run_queued_jobs(app)

    db.session.expire_all()
    failed = db.session.get(Edition, edition.id)
    assert (failed.state, failed.failure_reason, failed.data) == ("failed", kind, None)
    page = client.get(f"/milestones/{edition.milestone_id}/editions").get_data(as_text=True)
    assert "Failed" in page and reason in page and ">Retry</button>" in page

    monkeypatch.setattr(builder, "build_document", real_build)
    client.post(f"/editions/{edition.id}/retry")
    run_queued_jobs(app)
    db.session.expire_all()
    assert db.session.scalar(select(Edition.state).where(Edition.id == edition.id)) == "ready"


def test_re_anchoring_past_a_limit_fails_with_its_reason_and_a_retry_finishes_it(app, client, world, monkeypatch):  # noqa: F811
    real = tasks.follow_amendments
    monkeypatch.setattr(tasks, "follow_amendments", _allocate_too_much)
    rev_1 = publish("Rev 1", REV_1, world["secretariat"], 26)
    run_queued_jobs(app)
    db.session.expire_all()
    failed = db.session.get(TextRevision, rev_1.id)
    assert (failed.reanchor_failure, failed.reanchored_at) == ("memory", None)
    assert db.session.query(AmendmentStatus).count() == 0
    tasks.resume_lost_following.call_local()  # a failed one is not "lost": it waits for the Retry
    assert queued_jobs(app) == []

    login(client, world["secretariat"])
    page = client.get(f"/text/{rev_1.id}").get_data(as_text=True)
    assert f"Re-anchoring the amendments needed more than {MEMORY_LIMIT_MB} MB" in page
    assert f'action="/text/{rev_1.id}/reanchor"' in page and ">Retry</button>" in page

    monkeypatch.setattr(tasks, "follow_amendments", real)
    assert client.post(f"/text/{rev_1.id}/reanchor").status_code == 303
    run_queued_jobs(app)
    db.session.expire_all()
    done = db.session.get(TextRevision, rev_1.id)
    assert done.reanchor_failure == "" and done.reanchored_at is not None
    assert db.session.query(AmendmentStatus).count() == done.reanchor_count > 0
    assert "needed more than" not in client.get(f"/text/{rev_1.id}").get_data(as_text=True)
