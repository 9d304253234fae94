"""Fixtures: an app per test on a clean database (SQLite, and PostgreSQL when TEST_DATABASE_URL is
set), a client, a CLI runner, and factories for accounts and positions."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import select, text

from drafting import create_app
from drafting.clock import today
from drafting.extensions import db
from drafting.models import Milestone, Organisation, User, reference_version
from drafting.reference.loader import load_reference_data

PASSWORD = "correct horse battery"
_TMP = Path(tempfile.mkdtemp(prefix="drafting-tests-"))

BACKENDS = {"sqlite": f"sqlite:///{_TMP / 'suite.db'}"}
if os.environ.get("TEST_DATABASE_URL"):
    BACKENDS["postgresql"] = os.environ["TEST_DATABASE_URL"]

# A session-wide unoserver (LibreOffice) for the tests that convert documents: `unoserver_url`.
pytest_plugins = ["tests.support.office_server"]


def base_config(database_url: str, **overrides) -> dict:
    config = {
        "DRAFTING_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": _normalise(database_url),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "DRAFTING_TODAY": "2018-02-10",
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "SERVER_NAME": None,
        # A queue private to this app, consumed only when the test says so (tests/support/worker.py).
        "TASK_QUEUE_URL": "memory://",
    }
    config.update(overrides)
    return config


def _normalise(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


_schema_ready: set[str] = set()


def _fresh_database(app) -> None:
    """Create the schema once per backend, then empty every table before each test."""
    with app.app_context():
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        if url not in _schema_ready:
            db.drop_all()
            db.create_all()
            _schema_ready.add(url)
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                db.session.execute(text(f"DELETE FROM {name}"))  # noqa: S608 (our own table names)
        reference_version.restart(db.session.connection())
        db.session.commit()
        load_reference_data()


@pytest.fixture(autouse=True)
def sound_editions(monkeypatch):
    """Every edition any test builds passes the structural checks of tests/support/docx_structure.py."""
    from drafting.documents.render import builder
    from tests.support.docx_structure import assert_sound_docx

    build = builder.build_document

    def checked(*args, **kwargs):
        data = build(*args, **kwargs)
        assert_sound_docx(data)
        return data

    monkeypatch.setattr(builder, "build_document", checked)


@pytest.fixture(params=list(BACKENDS), ids=list(BACKENDS))
def backend(request) -> str:
    return request.param


@pytest.fixture
def app_config(backend) -> dict:
    """Tests override this fixture (or extend its dict) to change the configuration."""
    return base_config(BACKENDS[backend])


@pytest.fixture
def app(app_config):
    application = create_app(app_config)
    _fresh_database(application)

    @application.teardown_request
    def _fresh_g_per_request(_exc=None):
        # The test keeps an app context open, and Flask reuses it for every test-client request, so
        # `g` would outlive a request: Flask-Login's current user and Flask-Babel's locale would leak
        # into the next request, even another client's. In production each request has its own `g`.
        for name in list(g):
            g.pop(name, None)

    with application.app_context():
        yield application
        db.session.remove()
        # Each test's app has its own engine: close its connections, or a PostgreSQL server shared by
        # several suites runs out of them ("too many clients").
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# Factories -------------------------------------------------------------------------------------

def organisation(short_name: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.short_name == short_name))


def milestone(name_part: str) -> Milestone:
    return db.session.scalar(select(Milestone).where(Milestone.name.contains(name_part)))


@pytest.fixture
def make_user(app):
    counter = {"n": 0}

    def make(role: str = "contributor", org: str | None = None, *, name: str | None = None,
             email: str | None = None, active: bool = True, locale: str = "en") -> User:
        counter["n"] += 1
        org = org or ("UCLG" if role == "secretariat" else "CEMR")
        user = User(
            name=name or f"{role.title()} {counter['n']}",
            email=email or f"{role}{counter['n']}@{org.lower().replace(' ', '-')}.example.org",
            organisation=organisation(org),
            role=role,
            active=active,
            locale=locale,
        )
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user

    return make


def milestone_form(m: Milestone, **changes) -> dict:
    """The milestone edit form as the browser sends it, with the saved values and `changes`."""
    data = {
        "name": m.name, "start_date": m.start_date.isoformat(), "end_date": m.end_date.isoformat(),
        "name_fr": m.name_fr, "name_es": m.name_es, "place": m.place, "note": m.note, "note_fr": m.note_fr,
        "note_es": m.note_es,
        "submission_deadline": m.submission_deadline.isoformat() if m.submission_deadline else "",
        "review_deadline": m.review_deadline.isoformat() if m.review_deadline else "",
        "approvals_required": str(m.approvals_required), "symbol_code": m.symbol_code,
    }
    data.update(changes)
    return data


def opened_values(client, url: str) -> str:
    """Open an edit form as a browser would and return the fingerprint it carries (StaleEditGuard)."""
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="opened_values" type="hidden" value="([0-9a-f]+)"', page).group(1)


def login(client, user: User, password: str = PASSWORD):
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def login_as(client, make_user):
    """Log the test client in as a new user of that role: `login_as("reviewer", org="CEMR")`."""

    def log_in(role: str = "contributor", org: str | None = None, **kwargs) -> User:
        user = make_user(role, org, **kwargs)
        client.post("/logout")
        login(client, user)
        return user

    return log_in


@pytest.fixture
def make_position(app, make_user):
    """A position of `org` for the milestone whose name contains `milestone`, moved to `stage`.

    The stage is reached through the real workflow, so events, approvals and dates are as in life.
    """
    from drafting.models import Theme
    from drafting.positions.operations import PositionContent, create_position
    from drafting.positions.workflow import transition

    paths = {
        "draft": [],
        "submitted": ["submit"],
        "in_review": ["submit", "start_review"],
        "changes_requested": ["submit", "start_review", "request_changes"],
        "approved": ["submit", "start_review", "approve"],
        "rejected": ["submit", "start_review", "reject"],
        "withdrawn": ["withdraw"],
        "included": ["submit", "start_review", "approve", "include"],
    }

    def make(stage: str = "draft", org: str = "CEMR", milestone_name: str = "Round 2", *,
             title: str = "Cities welcome newcomers", text: str = "Local governments **deliver** services.",
             summary: str = "A summary.", language: str = "en", amendments=None, author=None,
             theme_numbers=(15, 16)):
        author = author or make_user("contributor", org)
        target = milestone(milestone_name)
        themes = db.session.scalars(select(Theme).where(Theme.number.in_(theme_numbers))).all()
        content = PositionContent(title=title, milestone_id=target.id, language=language, summary=summary,
                                  text=text, theme_ids=[t.id for t in themes], amendments=amendments or [])
        position = create_position(author, content)
        reviewer = make_user("reviewer", org) if "start_review" in paths[stage] else None
        secretariat = make_user("secretariat") if "include" in paths[stage] else None
        for step in paths[stage]:
            actor = {"submit": author, "withdraw": author, "include": secretariat}.get(step, reviewer)
            if step == "submit" and not target.submission_open(today()):
                position.extended_until = today()  # as if the secretariat had granted an extension
            comment = "Because." if step in ("request_changes", "reject") else ""
            transition(position, step, actor, comment=comment)
        return position

    return make


def pytest_collection_modifyitems(session, config, items):
    # Tests marked `late` (the translation completeness check) run after all others.
    items.sort(key=lambda item: item.get_closest_marker("late") is not None)
