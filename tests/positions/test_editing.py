"""Drafting through the web forms: what is saved, what is refused, and that nothing typed is lost."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from drafting.extensions import db
from drafting.models import Position, Revision, Theme
from tests.conftest import milestone


def _form(**overrides) -> dict:
    themes = db.session.scalars(select(Theme).where(Theme.number.in_([15, 16]))).all()
    data = {
        "title": "Housing for newcomers",
        "milestone_id": str(milestone("Round 2").id),
        "themes": [str(t.id) for t in themes],
        "language": "en",
        "summary": "Cities house newcomers.",
        "text": "Cities **house** newcomers.\n\n- first\n- second",
        "save": "Save draft",
    }
    data.update(overrides)
    return data


def _amendment(index: int, **values) -> dict:
    return {f"amendments-{index}-{key}": value for key, value in values.items()}


def test_a_contributor_drafts_a_position_with_an_amendment(client, login_as):
    author = login_as("contributor", "CEMR")
    response = client.post("/positions/new", data=_form(**_amendment(
        0, section_id="4", paragraph="31(c)", current_text="Provide access.",
        proposed_text="Provide access with local authorities.", rationale="They deliver services.")))
    assert response.status_code == 303
    position = db.session.scalar(select(Position))
    assert (position.title, position.stage, position.organisation.short_name) == ("Housing for newcomers", "draft",
                                                                                   "CEMR")
    assert [t.number for t in position.themes] == [15, 16]
    assert position.amendments[0]["paragraph"] == "31(c)"
    assert position.revisions[0].author_id == author.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>house</strong>" in page and "Provide access with local authorities." in page


def test_save_and_submit_in_one_step(client, login_as):
    login_as("contributor", "CEMR")
    data = _form()
    data.pop("save")
    data["save_and_submit"] = "Submit for review"
    client.post("/positions/new", data=data)
    assert db.session.scalar(select(Position)).stage == "submitted"


def test_over_long_fields_keep_what_was_typed(client, login_as):
    login_as("contributor", "CEMR")
    long_title = "T" * 301
    long_text = "word " * 20_001  # 100,005 characters
    response = client.post("/positions/new", data=_form(title=long_title, text=long_text))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert page.count("At most 300 characters") == 1 and "At most 100000 characters" in page
    assert long_title in page and long_text.strip() in page
    assert db.session.scalar(select(db.func.count()).select_from(Position)) == 0


def test_control_characters_are_dropped_and_tabs_kept(client, login_as):
    login_as("contributor", "CEMR")
    client.post("/positions/new", data=_form(title="Bell\x07 and\x00 null", text="a\tb\x1bc\r\nd\x0c"))
    position = db.session.scalar(select(Position))
    assert position.title == "Bell and null"
    assert position.text == "a\tbc\nd"


def test_lone_surrogates_are_refused_with_a_message(client, login_as):
    login_as("contributor", "CEMR")
    # A lone surrogate encoded as bytes (CESU-8), as a broken client would send it in a multipart form.
    parts = []
    for name, value in _form(text="broken SURROGATE text").items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(f'--XX\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{item}\r\n'.encode())
    body = b"".join(parts).replace(b"SURROGATE", b"\xed\xa0\x80") + b"--XX--\r\n"
    response = client.post("/positions/new", data=body, content_type="multipart/form-data; boundary=XX")
    assert response.status_code == 400
    assert "broken characters" in response.get_data(as_text=True)
    from drafting.text import UnreadableText, clean_text

    with pytest.raises(UnreadableText):
        clean_text("broken \ud800 text")
    assert db.session.scalar(select(db.func.count()).select_from(Position)) == 0


def test_an_incomplete_amendment_is_explained_beside_its_field(client, login_as):
    login_as("contributor", "CEMR")
    response = client.post("/positions/new", data=_form(**_amendment(0, section_id="0", paragraph="",
                                                                      current_text="Old", proposed_text="")))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Say which paragraph" in page and "Write the text you propose" in page and "Choose the section" in page


def test_add_an_amendment_row_without_saving(client, login_as):
    login_as("contributor", "CEMR")
    data = _form(add_amendment="Add an amendment")
    data.pop("save")
    response = client.post("/positions/new", data=data)
    page = response.get_data(as_text=True)
    assert 'name="amendments-0-paragraph"' in page and "Housing for newcomers" in page
    assert db.session.scalar(select(db.func.count()).select_from(Position)) == 0


def test_every_save_is_a_revision_and_a_save_without_change_is_not(client, login_as, make_position):
    author = login_as("contributor", "CEMR")
    position = make_position("draft", author=author, title="First title")
    url = f"/positions/{position.id}/edit"
    form_page = client.get(url).get_data(as_text=True)
    assert 'name="base_revision" type="hidden" value="1"' in form_page
    data = _form(title="Second title", base_revision="1")
    client.post(url, data=data)
    client.post(url, data={**data, "base_revision": "2"})  # the same content again
    numbers = db.session.scalars(select(Revision.number).where(Revision.position_id == position.id)).all()
    assert numbers == [1, 2]
    assert db.session.get(Revision, 1).title == "First title"  # revisions are snapshots


def test_a_stale_edit_shows_the_conflict_and_overwrites_nothing(client, login_as, make_user, make_position):
    author = login_as("contributor", "CEMR")
    position = make_position("draft", author=author)
    colleague = make_user("contributor", "CEMR")
    from drafting.positions.operations import PositionContent, save_position

    content = PositionContent.of(position)
    content.text = "My colleague's newer text."
    save_position(position, colleague, content, base_revision=1)

    mine = "My own careful text that must not be lost. " * 50
    response = client.post(f"/positions/{position.id}/edit", data=_form(text=mine, base_revision="1"))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert mine.strip() in page and "My colleague&#39;s newer text." in page
    db.session.refresh(position)
    assert position.text == "My colleague's newer text." and position.revision_number == 2
    # The form now carries the newer revision: saving it is a deliberate merge.
    assert re.search(r'name="base_revision" type="hidden" value="2"', page)


def test_the_version_counter_guards_against_a_simultaneous_write(app, make_position, make_user):
    from drafting.positions.operations import EditConflict, PositionContent, save_position

    position = make_position("draft")
    content = PositionContent.of(position)
    content.text = "Mine."
    # Another session writes the row between our read and our write.
    with db.engine.begin() as other:
        other.execute(Position.__table__.update().where(Position.id == position.id)
                      .values(version_id=Position.version_id + 1, text="Theirs."))
    with pytest.raises(EditConflict):
        save_position(position, position.created_by, content, base_revision=1)
    db.session.rollback()
    assert db.session.get(Position, position.id).text == "Theirs."


@pytest.mark.parametrize("stage", ["submitted", "in_review", "approved", "rejected", "withdrawn", "included"])
def test_no_editing_outside_draft_and_changes_requested(client, login_as, make_position, stage):
    author = login_as("contributor", "CEMR")
    position = make_position(stage, author=author)
    assert client.get(f"/positions/{position.id}/edit").status_code == 403
    response = client.post(f"/positions/{position.id}/edit", data=_form(base_revision="1"))
    assert response.status_code == 403
    assert db.session.get(Position, position.id).title == "Cities welcome newcomers"
    assert ">Edit</a>" not in client.get(f"/positions/{position.id}").get_data(as_text=True)


def test_an_edit_without_a_readable_starting_revision_overwrites_nothing(client, login_as, make_position):
    author = login_as("contributor", "CEMR")
    position = make_position("draft", author=author)
    response = client.post(f"/positions/{position.id}/edit", data=_form(text="Mine.", base_revision="abc"))
    assert response.status_code == 409 and "Mine." in response.get_data(as_text=True)
    assert db.session.get(Position, position.id).revision_number == 1
