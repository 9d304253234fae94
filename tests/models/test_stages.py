"""The stages, described once: each stage's groups decide what people see and may do, on every stage."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from drafting import permissions
from drafting.extensions import db
from drafting.models import STAGES, stages
from drafting.positions.workflow import TRANSITIONS

# What each stage means for the people using it: may the authors edit, does it go into an edition, is
# it waiting on the authors or the reviewers, is it counted in the uptake, offered as a review filter?
#            editable compilable awaiting          counted filterable silent
TABLE = {
    "draft": (True, False, "submission", False, False, False),
    "submitted": (False, False, "review", True, True, False),
    "in_review": (False, False, "review", True, True, False),
    "changes_requested": (True, False, "submission", True, True, False),
    "approved": (False, True, None, True, True, False),
    "rejected": (False, False, None, False, True, False),
    "withdrawn": (False, False, None, False, False, True),
    "included": (False, True, None, True, True, False),
}


def test_every_stage_is_in_the_table_in_the_order_positions_go_through():
    assert list(TABLE) == list(STAGES)


@pytest.mark.parametrize("stage", STAGES)
def test_groups_of(stage):
    editable, compilable, awaiting, counted, filterable, silent = TABLE[stage]
    assert (stage in stages.EDITABLE) is editable
    assert (stage in stages.COMPILABLE) is compilable
    assert (stage in stages.AWAITING_SUBMISSION) is (awaiting == "submission")
    assert (stage in stages.AWAITING_REVIEW) is (awaiting == "review")
    assert (stage in stages.COUNTED) is counted
    assert (stage in stages.FILTERABLE) is filterable
    assert (stage in stages.SILENT) is silent


@pytest.mark.parametrize("stage", STAGES)
def test_authors_may_edit_exactly_the_editable_stages(make_position, stage):
    position = make_position(stage)
    assert permissions.can_edit_position(position.created_by, position) is (stage in stages.EDITABLE)
    # only what goes into an edition can be carried forward and shared as agreed text
    assert permissions.can_carry_forward(position.created_by, position) is (stage in stages.COMPILABLE)
    db.session.rollback()


@pytest.mark.parametrize("stage", STAGES)
def test_submitting_starts_from_exactly_the_stages_awaiting_submission(stage):
    assert (stage in TRANSITIONS["submit"].sources) is (stage in stages.AWAITING_SUBMISSION)


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_has_a_translated_label(app, stage):
    english = str(stages.STAGE_LABELS[stage])
    for language in ("fr", "es"):
        with app.test_request_context(), force_locale(language):
            assert str(stages.STAGE_LABELS[stage]) != english


def test_an_unknown_group_is_an_error():
    with pytest.raises(KeyError):
        stages.group("nonexistent")
