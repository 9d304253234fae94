"""UCLG's joint proposals on the zero draft of amended_drafts.py, then Rev 1 published and followed: a
case whose joint uptake figures are known, for the Uptake page's tests, its CSV file's and the API's."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from drafting.extensions import db
from drafting.models import Position, TextParagraph
from drafting.positions.operations import keep_records
from tests.support.amended_drafts import PROPOSALS, REV_1, publish
from tests.support.joint import joint_proposal
from tests.support.worker import run_queued_jobs


def paragraph(revision, number: str) -> TextParagraph:
    return db.session.scalar(select(TextParagraph).where(TextParagraph.revision_id == revision.id,
                                                         TextParagraph.number == number))


def records(position: Position) -> dict[str, object]:
    """The position's amendments as rows of their own (what a save of the position keeps), by key."""
    keep_records(position)
    db.session.commit()
    return {record.key: record for record in position.amendment_records}


@pytest.fixture
def joint(app, world):
    """UCLG's joint proposals on the zero draft, then Rev 1 published and followed.

    16: CEMR's wording, taken (Rev 1 takes it up); 17: CEMR's, modified into the joint wording (Rev 1
    takes half of it); 20: CEMR's merged into a wording Rev 1 does not follow; 18: no change (Metropolis's
    not taken); 19: Metropolis's deletion, no outcome recorded yet (Rev 1 deletes the paragraph).

    So: 4 joint proposals propose a change, 2 taken up, 1 partly (75 %), 1 more leaves its paragraph
    unchanged; CEMR: 3 amendments there, 3 reached (100 %), 2 then taken up, its own proposals 67 % taken
    up; Metropolis: 2, none reached, 1 not decided yet, 33 % of its own taken up."""
    zero, secretariat = world["zero"], world["secretariat"]
    cemr, metropolis = records(world["cemr"]), records(world["metropolis"])
    joint_proposal(paragraph(zero, "16"), PROPOSALS["16"][1], secretariat, choice="as_proposed",
                   outcomes={cemr["k16"]: "taken"})
    joint_proposal(paragraph(zero, "17"), PROPOSALS["17"][1], secretariat, choice="modified",
                   outcomes={cemr["k17"]: "modified"})
    joint_proposal(paragraph(zero, "20"), "We commit to invest in skills development with cities, in cooperation "
                   "with countries of origin.", secretariat, outcomes={cemr["k20"]: "merged"})
    joint_proposal(paragraph(zero, "18"), paragraph(zero, "18").text, secretariat, choice="unchanged",
                   outcomes={metropolis["k18"]: "not_taken"})
    joint_proposal(paragraph(zero, "19"), "", secretariat, choice="as_proposed", kind="delete")
    rev_1 = publish("Rev 1", REV_1, secretariat, 26)
    run_queued_jobs(app)
    db.session.expire_all()
    return {**world, "rev_1": rev_1}
