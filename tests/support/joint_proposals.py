"""Shared data of the joint proposal's tests: the short draft of tests/support/amended_drafts.py, with
CEMR and Metropolis both amending paragraph 16 (different wordings), CEMR also 17 and Metropolis 18."""

from __future__ import annotations

import pytest

from drafting.extensions import db
from drafting.models import Amendment, Position
from drafting.positions.operations import keep_records
from tests.support.amended_drafts import ZERO_DRAFT, paragraph_ids, publish

CEMR_16 = ("We commit to strengthen the evidence base on migration by improving data collection, including by "
           "local governments.")
METROPOLIS_16 = "We commit to strengthen the evidence base on migration by improving data collection in cities."
CEMR_17 = ("We commit to ensure that all migrants, including children, have proof of legal identity and adequate "
           "documentation.")
METROPOLIS_18 = "We commit to provide accessible information at all stages of migration, in cities."


def amend(position: Position, revision, proposals: dict[str, str]) -> None:
    """Amendments as the position form stores them, with their rows (as every save keeps them)."""
    ids = paragraph_ids(revision)
    texts = {p.number: p.text for p in revision.paragraphs}
    position.amendments = [
        {"key": f"k{number}", "paragraph_id": ids[number], "kind": "replace", "section_id": None,
         "paragraph": number, "current_text": texts[number], "proposed_text": proposed,
         "rationale": f"Cities deliver ({number})."}
        for number, proposed in proposals.items()]
    keep_records(position)
    db.session.commit()


def amendment_of(position: Position, number: str) -> Amendment:
    return next(a for a in position.amendment_records if a.paragraph == number)


@pytest.fixture
def joint_world(make_user, make_position):
    secretariat = make_user("secretariat", name="Sara Secretariat")
    zero = publish("Zero draft", ZERO_DRAFT, secretariat, 5)
    cemr_author = make_user("contributor", "CEMR", name="Carla CEMR")
    cemr = make_position("submitted", org="CEMR", title="Data and documents", author=cemr_author)
    amend(cemr, zero, {"16": CEMR_16, "17": CEMR_17})
    metropolis_author = make_user("contributor", "Metropolis", name="Mona Metropolis")
    metropolis = make_position("approved", org="Metropolis", title="Information in cities",
                               author=metropolis_author)
    amend(metropolis, zero, {"16": METROPOLIS_16, "18": METROPOLIS_18})
    return {"secretariat": secretariat, "zero": zero, "cemr": cemr, "metropolis": metropolis,
            "cemr_author": cemr_author, "metropolis_author": metropolis_author,
            "paragraphs": paragraph_ids(zero)}


def proposal_form(amendments, *, choice="modified", kind="replace", text=CEMR_16 + " ", reason="Both agree on data.",
                  answer_until="2018-02-20", version="", outcomes=None) -> dict:
    """The proposal form as the browser posts it; `outcomes` amendment id -> (outcome, reason)."""
    data = {"choice": choice, "kind": kind, "text": text, "reason": reason, "answer_until": answer_until,
            "version": version}
    for index, amendment in enumerate(amendments):
        outcome, why = (outcomes or {}).get(amendment.id, ("merged", ""))
        data[f"outcomes-{index}-amendment_id"] = str(amendment.id)
        data[f"outcomes-{index}-outcome"] = outcome
        data[f"outcomes-{index}-reason"] = why
    return data
