"""Counting the SQL statements of a request, on a database filled fast with many positions."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import event, select

from drafting.extensions import db
from drafting.models import LOCALES, Milestone, Organisation, Position, Revision, Theme
from drafting.reference.snapshot import reference_names

BUDGET = 12
STAGES = ("draft", "submitted", "in_review", "changes_requested", "approved", "rejected", "withdrawn")


def insert_positions(count: int, author) -> None:
    """Rows straight into the tables (not through the workflow): fast, and enough for lists."""
    organisations = db.session.scalars(
        select(Organisation).where(Organisation.contributes_positions.is_(True))).all()
    milestones = db.session.scalars(select(Milestone).where(Milestone.submission_deadline.is_not(None))).all()
    themes = db.session.scalars(select(Theme)).all()
    moment = datetime(2018, 2, 10, 9, 0)
    for index in range(count):
        # Mixed from the first rows on, so that every role finds something in the small set too.
        stage, organisation = STAGES[index % len(STAGES)], organisations[index // len(STAGES) % len(organisations)]
        milestone = milestones[index % len(milestones)]
        position = Position(
            organisation=organisation, milestone=milestone, stage=stage, language="en",
            title=f"Bulk position {index}", summary="A summary.", text=f"Cities and migration, note {index}.",
            created_by=author, created_at=moment, updated_at=moment, stage_changed_at=moment,
            submitted_at=None if stage == "draft" else moment,
            themes=[themes[index % len(themes)], themes[(index + 7) % len(themes)]],
        )
        position.revisions.append(Revision(number=1, author=author, title=position.title, text=position.text,
                                           summary=position.summary, language="en", created_at=moment))
        db.session.add(position)
    db.session.commit()


@contextmanager
def counting_statements():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def warm_reference_names() -> None:
    """What a running server holds after its first pages: the in-memory copy of the reference data in
    each language (drafting.reference.snapshot), made with three statements once, not on each page."""
    for language in LOCALES:
        with current_app.test_request_context(), force_locale(language):
            reference_names()


def statements_for(client, path: str) -> int:
    warm_reference_names()
    db.session.expire_all()  # nothing cached from the setup (the warming included): count what a real request costs
    with counting_statements() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)
