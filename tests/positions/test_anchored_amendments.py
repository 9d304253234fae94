"""Amendments anchored to a paragraph of the negotiated text: picked in the form, stored with the
paragraph's own text, kept under one key through edits, and shown as a word-level change."""

from __future__ import annotations

import re

from sqlalchemy import select

from drafting.extensions import db
from drafting.models import Position

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
