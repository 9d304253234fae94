"""Every input has a bound, checked before the database.

The walk posts the shared hostile values (tests/hostile.py) to every POST route of the URL map, with
every form field the application knows, and sends them in the query string of every GET route, as every
role, on SQLite and PostgreSQL: no answer may be a server error. The tests after it pin the defects the
outside probe found."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import Form, SubmitField
from wtforms.fields.core import UnboundField

from drafting.documents.editions import compile_edition
from drafting.documents.naming import CompileOptions
from drafting.extensions import db
from drafting.models import Attachment, Comment, Milestone, OutboxMessage, Position, User
from tests.conftest import PASSWORD, login, milestone, milestone_form, opened_values
from tests.support import hostile_input as hostile

PREFIXES = ("", "decision-", "pw-", "lang-", "reset-")
# Names read straight from request.form by some views, outside any form class.
RAW_FIELDS = ("source_filename", "confirmed", "active")
QUERY_ARGS = ("page", "milestone", "stage", "theme", "organisation", "language", "q", "old", "new", "next")
BIG_FIELDS = 8  # a 1 MB value goes into this many fields at once (the upload limit is 11 MB)


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def _form_fields() -> tuple[list[str], list[str]]:
    """(field names, submit button names) of every form of the application, with the prefixes and
    the list-of-subforms names (amendments-0-...) the pages use."""
    fields, buttons = set(), set()
    for form in _all_subclasses(Form):
        if not form.__module__.startswith("drafting."):
            continue
        nested = not issubclass(form, FlaskForm)
        for name in dir(form):
            unbound = getattr(form, name, None)
            if not isinstance(unbound, UnboundField) or name == "csrf_token":
                continue
            names = [f"amendments-0-{name}"] if nested else [prefix + name for prefix in PREFIXES]
            (buttons if unbound.field_class is SubmitField else fields).update(names)
    return sorted(fields | set(RAW_FIELDS)), sorted(buttons)


def _world(make_user, make_position):
    users = {
        "contributor": make_user("contributor", "CEMR"),
        "reviewer": make_user("reviewer", "Metropolis"),
        "secretariat": make_user("secretariat"),
    }
    target = make_user("contributor", "Metropolis")
    make_user("secretariat")  # so that the walk may demote or deactivate one without locking out
    draft = make_position("draft", author=users["contributor"])
    make_position("approved", milestone_name="Round 2")
    compiled = make_position("approved", milestone_name="Round 3")
    edition = compile_edition(milestone("Round 3"), users["secretariat"], CompileOptions(title="Round 3"))
    attachment = Attachment(position=draft, filename="annex.docx", size=4, sha256="0" * 64, data=b"PK..",
                            uploaded_by=users["contributor"])
    message = OutboxMessage(recipient="x@example.org", subject="s", body="b", kind="submitted")
    db.session.add_all([attachment, message])
    db.session.commit()
    from drafting.negotiated_text.operations import publish_revision

    text = publish_revision(name="Zero draft", issued_on=date(2018, 2, 5), milestone=None,
                            structure="1. States commit to cooperate.\n2. Cities are partners.",
                            source_filename="zero.docx", by=users["secretariat"])
    ids = {"revision_id": text.id, "position_id": draft.id, "milestone_id": compiled.milestone_id, "user_id": target.id,
           "edition_id": edition.id, "attachment_id": attachment.id, "message_id": message.id}
    return users, ids


def _addresses(app, ids):
    """{(endpoint, method): (paths with real ids, paths with hostile ids)} for every route."""
    routes = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        choices = [{}]
        for name in rule.arguments:
            converter = rule._converters[name]
            # An id this walk does not create (a route added later) gets 1: at least its lookup runs.
            values = sorted(converter.items) if hasattr(converter, "items") else [ids.get(name, 1)]
            choices = [{**c, name: v} for c in choices for v in values]
        id_names = [n for n in rule.arguments if n.endswith("_id")]
        real = [_fill(rule.rule, c) for c in choices]
        bad = [_fill(rule.rule, {**choices[0], **dict.fromkeys(id_names, b)}) for b in hostile.IDS] if id_names else []
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes[(rule.endpoint, method)] = (real, bad)
    return routes


def _fill(pattern: str, values: dict) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([a-z_]+)>", lambda m: str(values[m.group(1)]), pattern)


def _payload(fields, buttons, value, turn: int) -> str:
    chosen = fields if value is not hostile.MEGABYTE else fields[turn % len(fields):][:BIG_FIELDS]
    pairs = [(name, value) for name in chosen]
    if value is hostile.MEGABYTE:
        pairs += [(name, "x") for name in fields if name not in chosen]
    pairs.append((buttons[turn % len(buttons)], "1"))
    return hostile.urlencode(pairs)


def _requests(routes):
    """(role, method, path, value): the secretariat, who reaches every form, sends every value to each
    POST route and a spread of them to each GET route; the other roles send one value to each route;
    hostile ids go to every route that takes an id. Values and paths are taken in turn."""
    values = hostile.VALUES
    turn = 0
    for role in ("secretariat", "reviewer", "contributor", "anonymous"):
        for (_endpoint, method), (real, bad) in routes.items():
            if role == "secretariat":
                chosen = values if method == "POST" else values[::5]
            else:
                chosen = [values[turn % len(values)]]
            for index, value in enumerate(chosen):
                turn += 1
                yield role, method, real[(turn + index) % len(real)], value
            if bad and role != "anonymous":
                yield role, method, bad[turn % len(bad)], values[turn % len(values)]


def test_no_hostile_input_anywhere_gets_a_server_error(app, client, make_user, make_position, capsys):
    users, ids = _world(make_user, make_position)
    fields, buttons = _form_fields()
    assert {"title", "email", "start_date", "pw-new_password", "amendments-0-paragraph", "until"} <= set(fields)
    failures, sent, current = [], 0, None
    logging_out = ("/logout", "/account/logout-everywhere")
    for role, method, path, value in _requests(_addresses(app, ids)):
        if role != "anonymous" and (role != current or _was_logged_out(client)):
            client.post("/logout")
            login(client, users[role], PASSWORD)
        elif role == "anonymous" and current != role:
            client.post("/logout")
        current = role
        if method == "GET":
            response = client.get(f"{path}?{hostile.urlencode([(name, value) for name in QUERY_ARGS])}")
        else:
            response = client.post(path, data=_payload(fields, buttons, value, sent),
                                   content_type="application/x-www-form-urlencoded")
        sent += 1
        if response.status_code >= 500:
            failures.append((role, method, path, repr(value)[:40], response.status_code))
        client._last_response = response
        if path in logging_out:
            client._last_response = None
            current = None
    with capsys.disabled():
        print(f"\nhostile walk: {sent} requests, {len(failures)} server errors")
    assert sent > 300
    assert not failures, failures[:20]


def _was_logged_out(client) -> bool:
    last = getattr(client, "_last_response", None)
    return last is not None and last.headers.get("Location", "").startswith("/login")


# The defects the probe found -------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["9999-12-31", "0001-01-01"])
def test_a_milestone_date_out_of_range_is_refused_beside_the_field(client, login_as, typed):
    login_as("secretariat")
    round2 = milestone("Round 2")
    url = f"/milestones/{round2.id}/edit"
    for name in ("start_date", "end_date", "submission_deadline", "review_deadline"):
        data = milestone_form(round2, **{name: typed}, opened_values=opened_values(client, url))
        if name == "start_date":
            data["end_date"] = "2018-03-15"
        response = client.post(url, data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, name
        assert "Enter a date between 1990 and 2100." in page, name
        assert page.index("Enter a date between 1990 and 2100.") > page.index(f'name="{name}"')
        assert f'value="{typed}"' in page  # what was typed stays in the field
    db.session.expire_all()
    assert db.session.get(Milestone, round2.id).start_date == date(2018, 3, 12)


def test_an_extension_date_out_of_range_is_refused(client, login_as, make_position):
    position = make_position("draft", milestone_name="Round 1")
    login_as("secretariat")
    response = client.post(f"/positions/{position.id}/extension", data={"until": "9999-12-31"},
                           follow_redirects=True)
    assert "valid date" in response.get_data(as_text=True)
    assert db.session.get(Position, position.id).extended_until is None


def test_the_tracker_survives_milestones_at_the_ends_of_the_calendar(client, login_as):
    """Dates stored before the bound existed (or written by hand) still draw a small timeline."""
    far, early = milestone("Round 5"), milestone("Round 6")
    far.end_date = far.review_deadline = date(9999, 12, 31)
    early.start_date = early.submission_deadline = date(1, 1, 1)
    db.session.commit()
    login_as("secretariat")
    response = client.get("/tracker")
    assert response.status_code == 200
    assert len(response.get_data()) < 300_000
    assert response.get_data(as_text=True).count("<line ") < 100


def test_reopen_honours_its_form_a_long_reason_or_a_nul_is_refused(client, login_as, make_position):
    position = make_position("approved")
    login_as("secretariat")
    comments_before = db.session.scalar(select(func.count()).select_from(Comment))
    for reason in ("x" * 20_000, "because\x00" * 3000):
        response = client.post(f"/positions/{position.id}/reopen", data={"comment": reason},
                               follow_redirects=True)
        assert "At most 10000 characters" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Position, position.id).stage == "approved"
    assert db.session.scalar(select(func.count()).select_from(Comment)) == comments_before
    client.post(f"/positions/{position.id}/reopen", data={"comment": "New facts\x00 from Round 1."})
    db.session.expire_all()
    assert db.session.get(Position, position.id).stage == "in_review"
    assert db.session.scalar(select(Comment.body).order_by(Comment.id.desc()).limit(1)) == "New facts from Round 1."


@pytest.mark.parametrize("email", ["new\x00user\ufffd@example.org", "\ufffd\x00@example.org"])
def test_an_email_with_nul_and_broken_bytes_is_refused_not_looked_up(client, login_as, email):
    """The uniqueness check ran on the raw text: PostgreSQL refused the NUL with a 500."""
    me = login_as("secretariat")
    base = {"name": "New person", "organisation_id": str(me.organisation_id), "role": "contributor",
            "locale": "en", "password": "a long enough password", "submit": "1"}
    for url in ("/users/new", f"/users/{me.id}/edit"):
        data = dict(base, opened_values=opened_values(client, url) if "edit" in url else "")
        body = hostile.urlencode([*data.items(), ("email", email)])
        response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200, url
        assert "broken characters" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_a_text_revision_keeps_a_clean_file_name_whatever_the_hidden_field_says(client, login_as):
    from drafting.models import TextRevision

    login_as("secretariat")
    structure = "1. States commit to cooperate.\n2. Cities are partners."
    response = client.post("/text/new", data={
        "name": "Rev 1", "issued_on": "2018-03-01", "milestone": "0", "structure": structure,
        "publish": "1", "source_filename": "rev1\x00\r\n.docx" + "x" * 400})
    assert response.status_code == 302
    revision = db.session.scalar(select(TextRevision).where(TextRevision.name == "Rev 1"))
    assert revision.source_filename.startswith("rev1 .docx") and len(revision.source_filename) == 255
