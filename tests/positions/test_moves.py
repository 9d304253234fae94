"""Rules that hold when a position moves to another milestone: an extension stays behind, and a
submission is judged by the deadline of the milestone the position belongs to at that moment."""

from __future__ import annotations

import re
from datetime import date

import pytest

from drafting.extensions import db
from drafting.models import Position
from drafting.positions import operations, workflow
from drafting.positions.operations import PositionContent
from tests.conftest import login, milestone


def _edit_form(position: Position, milestone_name: str, **extra) -> dict:
    return {"title": position.title, "milestone_id": str(milestone(milestone_name).id),
            "themes": [str(t.id) for t in position.themes], "language": position.language,
            "summary": position.summary, "text": position.text,
            "base_revision": str(position.revision_number), **extra}


@pytest.mark.parametrize(("extended_in", "moved_to"), [("Round 1", "Zero draft"), ("Round 2", "Round 1")])
def test_moving_an_extended_position_to_a_closed_milestone_does_not_let_it_be_submitted(
        client, make_user, make_position, extended_in, moved_to):
    position = make_position("draft", milestone_name=extended_in)
    operations.grant_extension(position, make_user("secretariat"), date(2018, 3, 1), "Translation delayed")
    login(client, position.created_by)

    # A closed milestone is not offered: saving (or submitting) a move to it is refused on the form,
    # nothing saved, the extension kept where it was granted.
    form = client.get(f"/positions/{position.id}/edit").get_data(as_text=True)
    offered = re.search(r'<select[^>]*name="milestone_id".*?</select>', form, re.S).group(0)
    assert f'value="{milestone(moved_to).id}"' not in offered
    assert f'value="{milestone(extended_in).id}"' in offered  # its own, closed, stays
    for button in ("save", "save_and_submit"):
        response = client.post(f"/positions/{position.id}/edit", data=_edit_form(position, moved_to, **{button: "1"}))
        assert response.status_code == 400
        assert "Not a valid choice" in response.get_data(as_text=True)
    db.session.expire_all()
    kept = db.session.get(Position, position.id)
    assert kept.stage == "draft" and kept.milestone == milestone(extended_in)
    assert kept.extended_until == date(2018, 3, 1)


def test_a_submission_checks_the_milestone_the_position_belongs_to_now(make_position, make_user):
    position = make_position("draft", milestone_name="Round 2")  # open until 26 February
    content = PositionContent.of(position)
    content.milestone_id = milestone("Round 1").id  # closed on 6 February
    operations._apply(position, content)  # the move, not yet flushed or committed

    assert not workflow.submission_window_open(position)
    with pytest.raises(workflow.WorkflowError, match="Round 1"):
        workflow.transition(position, "submit", position.created_by, commit=False)
    db.session.rollback()


def test_a_move_back_keeps_the_extension_dropped(client, make_user, make_position):
    position = make_position("draft", milestone_name="Round 1")
    operations.grant_extension(position, make_user("secretariat"), date(2018, 2, 12))
    login(client, position.created_by)
    client.post(f"/positions/{position.id}/edit", data=_edit_form(position, "Round 2", save="1"))
    position = db.session.get(Position, position.id)
    assert position.milestone == milestone("Round 2") and position.extended_until is None
    # Round 1 is closed: no longer offered, the move back is refused, the extension stays dropped.
    response = client.post(f"/positions/{position.id}/edit", data=_edit_form(position, "Round 1", save="1"))
    assert response.status_code == 400
    db.session.expire_all()
    position = db.session.get(Position, position.id)
    assert position.milestone == milestone("Round 2") and position.extended_until is None
