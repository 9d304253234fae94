"""The negotiated text's background jobs: following the amendments into a newly published revision,
and picking up a following whose job was lost.

Publishing queues `follow_amendments_task` when it commits. A worker killed in the middle loses the
job but leaves nothing half written (one transaction); every ten minutes `resume_lost_following`
queues again each revision still waiting long after it was published.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from huey import crontab
from sqlalchemy import select, update

from drafting.clock import now
from drafting.extensions import db
from drafting.models import TextRevision
from drafting.negotiated_text.following import follow_amendments
from drafting.worker import JobLimitExceeded, huey, run_within_limits

LOST_AFTER = timedelta(minutes=10)


@huey.task()
def follow_amendments_task(revision_id: int) -> None:
    try:
        run_within_limits(follow_amendments, revision_id)
    except JobLimitExceeded as exceeded:
        # Nothing was written (one transaction, in the child): the page says why, with a Retry.
        logging.getLogger(__name__).error("re-anchoring revision %s: %s", revision_id, exceeded)
        db.session.execute(update(TextRevision).where(TextRevision.id == revision_id,
                                                      TextRevision.reanchored_at.is_(None))
                           .values(reanchor_failure=exceeded.kind))
        db.session.commit()


@huey.periodic_task(crontab(minute="*/10"))
def resume_lost_following() -> None:
    lost = db.session.scalars(select(TextRevision.id).where(
        TextRevision.reanchored_at.is_(None), TextRevision.reanchor_count.is_not(None),
        TextRevision.reanchor_failure == "",
        TextRevision.published_at <= now() - LOST_AFTER)).all()
    db.session.rollback()
    for revision_id in lost:
        follow_amendments_task(revision_id)
