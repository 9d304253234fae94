"""Amendments anchored to a paragraph of the negotiated text: picked in the form, stored with the
paragraph's own text, kept under one key through edits, and shown as a word-level change."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from drafting.extensions import db
from drafting.models import Position
from tests.positions.test_query_budget import DETAIL_BUDGET
from tests.support.published import paragraph, publish
from tests.support.query_budget import statements_for

from .test_editing import _amendment, _form


def _hidden_key(page: str, index: int) -> str:
    return re.search(rf'name="amendments-{index}-key" type="hidden" value="([0-9a-f]+)"', page).group(1)


def test_an_amendment_keeps_its_key_through_edits_and_revisions(client, login_as):
    login_as("contributor", "CEMR")
    created = client.post("/positions/new", data=_form(**_amendment(
        0, section_id="4", paragraph="31(c)", current_text="Provide access.", proposed_text="Provide more.")))
    position = db.session.scalar(select(Position))
    key = position.amendments[0]["key"]
    assert re.fullmatch(r"[0-9a-f]{8}", key) and position.amendments[0]["kind"] == "replace"
    assert position.amendments[0]["paragraph_id"] is None

    edit_url = created.headers["Location"] + "/edit"
    page = client.get(edit_url).get_data(as_text=True)
    assert _hidden_key(page, 0) == key
    client.post(edit_url, data=_form(base_revision="1", **_amendment(
        0, key=key, section_id="4", paragraph="31(c)", current_text="Provide access.",
        proposed_text="Provide much more."), **_amendment(1, section_id="4", paragraph="32",
                                                            proposed_text="Another.")))
    db.session.expire_all()
    position = db.session.get(Position, position.id)
    assert position.amendments[0]["key"] == key
    assert position.amendments[0]["proposed_text"] == "Provide much more."
    assert position.amendments[1]["key"] != key
    assert [r.amendments[0]["key"] for r in position.revisions] == [key, key]


def _published(make_user):
    revision = publish(make_user("secretariat"))
    return revision, paragraph(revision, "16(a)")


def test_a_contributor_picks_a_paragraph_and_the_server_quotes_it(client, login_as, make_user):
    revision, chosen = _published(make_user)
    login_as("contributor", "CEMR")
    page = client.get("/positions/new").get_data(as_text=True)
    assert "Propose an amendment" in page and "Add an amendment" not in page
    assert '<optgroup label="Objective 1: Collect and use data">' in page
    assert "16(a) — Elaborate and implement a comprehensive strategy" in page

    response = client.post("/positions/new", data=_form(**_amendment(
        0, anchored="1", paragraph_id=str(chosen.id), kind="replace",
        current_text="Words the contributor forged.",
        proposed_text="Elaborate and implement, with local authorities, a comprehensive strategy for improving "
                      "migration data;", rationale="Cities hold the data.")))
    assert response.status_code == 303
    stored = db.session.scalar(select(Position)).amendments[0]
    assert stored["paragraph_id"] == chosen.id and stored["kind"] == "replace"
    assert re.fullmatch(r"[0-9a-f]{8}", stored["key"])
    assert stored["current_text"] == chosen.text and stored["paragraph"] == "16(a)"

    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'href="/text/{revision.id}#p-16-a"' in shown and "Replace wording" in shown
    assert re.search(r'<ins><span class="visually-hidden" lang="en">Inserted: </span>, with local authorities,</ins> a',
                     shown)
    assert "In the proposals:" in shown and "Cities hold the data." in shown
    assert "Words the contributor forged." not in shown


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"paragraph_id": "999999", "proposed_text": "New words."}, "paragraph_id",
     "This paragraph is not in the current revision of the text"),
    ({"paragraph_id": "", "proposed_text": "New words."}, "paragraph_id",
     "Choose the paragraph this amendment changes."),
    ({"proposed_text": "Elaborate and implement a comprehensive  strategy for improving migration data;"},
     "proposed_text", "The proposed text is the same as the current text"),
    ({"proposed_text": "", "rationale": "Typed reasons."}, "proposed_text", "Write the text you propose."),
    ({"kind": "insert_after", "proposed_text": "", "rationale": "Typed reasons."}, "proposed_text",
     "Write the text you propose."),
])
def test_refusals_stand_beside_the_field_with_everything_typed_kept(client, login_as, make_user, values, field,
                                                                     message):
    _revision, chosen = _published(make_user)
    login_as("contributor", "CEMR")
    typed = {"anchored": "1", "paragraph_id": str(chosen.id), "kind": "replace", "rationale": "Typed reasons.",
             **values}
    response = client.post("/positions/new", data=_form(**_amendment(0, **typed)))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(rf'<p class="error" id="amendments-0-{field}-error">{re.escape(message)}', page)
    assert "Typed reasons." in page and db.session.scalar(select(Position)) is None


def test_a_deletion_needs_no_proposed_text(client, login_as, make_user):
    _revision, chosen = _published(make_user)
    login_as("contributor", "CEMR")
    response = client.post("/positions/new", data=_form(**_amendment(
        0, anchored="1", paragraph_id=str(chosen.id), kind="delete", proposed_text="ignored")))
    assert response.status_code == 303
    stored = db.session.scalar(select(Position)).amendments[0]
    assert (stored["kind"], stored["proposed_text"], stored["current_text"]) == ("delete", "", chosen.text)
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<del><span class=\"visually-hidden\" lang=\"en\">Deleted: </span>Elaborate and implement" in shown


def test_without_javascript_the_button_adds_a_fieldset_filled_from_the_chosen_paragraph(client, login_as,
                                                                                         make_user):
    _revision, chosen = _published(make_user)
    login_as("contributor", "CEMR")
    data = _form(add_amendment="Propose an amendment", title="Kept title", **_amendment(
        0, anchored="1", paragraph_id=str(chosen.id), kind="replace", proposed_text="",
        current_text="forged"))
    data.pop("save")
    page = client.post("/positions/new", data=data).get_data(as_text=True)
    assert 'value="Kept title"' in page
    assert 'id="amendments-1-paragraph_id"' in page  # the new fieldset
    current = re.search(r'<textarea[^>]*id="amendments-0-current_text"[^>]*>\s*([^<]*)</textarea>', page)
    proposed = re.search(r'<textarea[^>]*id="amendments-0-proposed_text"[^>]*>\s*([^<]*)</textarea>', page)
    assert current.group(1).strip() == chosen.text and proposed.group(1).strip() == chosen.text
    assert re.search(r'<textarea[^>]*id="amendments-0-current_text"[^>]*readonly', page)
    assert db.session.scalar(select(Position)) is None


def test_unanchored_amendments_keep_their_free_text_fields(client, login_as, make_user, make_position):
    author = login_as("contributor", "CEMR")
    position = make_position("draft", author=author, amendments=[
        {"section_id": 4, "paragraph": "31(c)", "current_text": "Typed.", "proposed_text": "Retyped."}])
    _published(make_user)
    form = client.get(f"/positions/{position.id}/edit").get_data(as_text=True)
    assert "Not anchored to the text" in form and 'name="amendments-0-paragraph"' in form
    assert 'name="amendments-0-paragraph_id"' not in form
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert "Not anchored to the text" in page and "Retyped." in page and "<ins>" not in page


def test_with_no_revision_published_amendments_are_written_in_free_text(client, login_as):
    login_as("contributor", "CEMR")
    data = _form(add_amendment="Propose an amendment")
    data.pop("save")
    page = client.post("/positions/new", data=data).get_data(as_text=True)
    assert "No revision of the negotiated text is published" in page
    assert 'name="amendments-0-paragraph"' in page and 'name="amendments-0-paragraph_id"' not in page
    assert 'id="amendment-template"' not in page


def test_the_position_page_reads_all_anchored_paragraphs_in_one_statement(client, login_as, make_user,
                                                                         make_position):
    revision, _chosen = _published(make_user)
    numbered = [p for p in revision.paragraphs if p.number]
    author = login_as("contributor", "CEMR")

    def proposals(count: int) -> list[dict]:
        return [{"paragraph_id": numbered[i % len(numbered)].id, "kind": "replace",
                 "proposed_text": f"Wording {i}."} for i in range(count)]

    one = make_position("draft", author=author, amendments=proposals(1))
    many = make_position("draft", author=author, amendments=proposals(40))
    few_statements = statements_for(client, f"/positions/{one.id}")
    many_statements = statements_for(client, f"/positions/{many.id}")
    assert many_statements == few_statements <= DETAIL_BUDGET
    assert client.get(f"/positions/{many.id}").get_data(as_text=True).count("<article class=\"amendment\">") == 40
