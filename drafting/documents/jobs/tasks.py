"""The documents' background jobs: preparing an edition's files, and picking up a preparation whose
job was lost.

`compile_edition` and Retry queue `prepare_edition_task` when their transaction commits. A worker
killed in the middle of a job loses that job (huey has taken it off the queue) but leaves nothing half
written (`drafting.documents.jobs.preparation`): every ten minutes `resume_lost_preparations` queues again
each edition still preparing long after it was queued.
"""

from __future__ import annotations

from huey import crontab
from sqlalchemy import select, update

from drafting.clock import now
from drafting.documents.jobs.preparation import prepare_edition
from drafting.extensions import db
from drafting.models import Edition
from drafting.models.documents import PREPARATION_LOST_AFTER
from drafting.worker import enqueue_after_commit, huey


@huey.task()
def prepare_edition_task(edition_id: int) -> None:
    prepare_edition(edition_id)


@huey.periodic_task(crontab(minute="*/10"))
def resume_lost_preparations() -> None:
    moment = now()
    lost = list(db.session.scalars(select(Edition.id).where(
        Edition.state == "preparing", Edition.queued_at <= moment - PREPARATION_LOST_AFTER)))
    if not lost:
        return
    db.session.execute(update(Edition).where(Edition.id.in_(lost), Edition.state == "preparing")
                       .values(queued_at=moment).execution_options(synchronize_session=False))
    for edition_id in lost:
        enqueue_after_commit(prepare_edition_task, edition_id)
    db.session.commit()
