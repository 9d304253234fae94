"""Pages that only read run on PostgreSQL without a transaction (drafting.transactions); a GET that
writes still writes all or nothing; a POST keeps its transaction. Requests here run as in production:
each in its own application context, on an app whose context the test does not hold open."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from drafting import create_app
from drafting.extensions import db
from drafting.models import Theme


def _in_transaction() -> bool:
    """Whether the database connection of this request has a transaction open right now."""
    dbapi = db.session.connection().connection.dbapi_connection
    if db.engine.dialect.name == "postgresql":
        from psycopg.pq import TransactionStatus

        return dbapi.info.transaction_status != TransactionStatus.IDLE
    return dbapi.in_transaction


def _workstream(label: str) -> Theme:
    return Theme(kind="workstream", short_label=label, title=label)


@pytest.fixture
def served(app, app_config):
    """A second app on the test's clean database, with probe routes; `app` keeps its own context open."""
    application = create_app(app_config)

    @application.get("/probe/read")
    def read():
        count = db.session.scalar(select(func.count()).select_from(Theme))
        return {"themes": count, "in_transaction": _in_transaction()}

    @application.post("/probe/read")
    def read_in_post():
        db.session.scalar(select(func.count()).select_from(Theme))
        return {"in_transaction": _in_transaction()}

    @application.get("/probe/write/<outcome>")
    def write(outcome):
        db.session.add(_workstream("Probe one"))
        db.session.flush()
        after_first = _in_transaction()
        db.session.execute(text("UPDATE themes SET title = 'Probe one, renamed' WHERE short_label = 'Probe one'"))
        db.session.add(_workstream("Probe two"))
        db.session.flush()
        if outcome == "fail":
            raise RuntimeError("the request fails after two writes")
        db.session.commit()
        return {"in_transaction_after_first_write": after_first}

    application.config["PROPAGATE_EXCEPTIONS"] = False
    yield application
    with application.app_context():
        db.engine.dispose()


def _probes(app) -> list[str]:
    return sorted(db.session.scalars(select(Theme.title).where(Theme.short_label.like("Probe%"))))


def test_a_page_that_reads_opens_no_transaction_on_postgresql(served, backend):
    client = served.test_client()
    for _ in range(3):  # the pooled connection comes back to each request the same way
        answer = client.get("/probe/read").get_json()
        assert answer["themes"] > 0
        # PostgreSQL: no BEGIN before the statement, no ROLLBACK after the page (two round trips fewer).
        # SQLite's driver begins a transaction before a write only, as before.
        assert answer["in_transaction"] is False


def test_a_post_after_a_reading_page_has_its_transaction(served, backend):
    client = served.test_client()
    client.get("/probe/read")
    # The connection went back to the pool in autocommit mode on PostgreSQL and came out reset: the
    # POST's first statement begins its transaction. (SQLite's driver begins one before a write only.)
    assert client.post("/probe/read").get_json()["in_transaction"] is (backend == "postgresql")


def test_a_get_that_writes_writes_in_one_transaction(served, app):
    client = served.test_client()
    answer = client.get("/probe/write/commit").get_json()
    assert answer["in_transaction_after_first_write"] is True
    db.session.rollback()
    assert _probes(app) == ["Probe one, renamed", "Probe two"]


def test_a_get_that_fails_after_writing_leaves_nothing_behind(served, app):
    client = served.test_client()
    assert client.get("/probe/write/fail").status_code == 500
    db.session.rollback()
    assert _probes(app) == []
    # The next page on the same pooled connection reads as before.
    assert client.get("/probe/read").get_json()["themes"] > 0
