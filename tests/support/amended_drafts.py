"""Shared data of the negotiated text's tests: two revisions of a short draft, and positions of two
networks whose amendments to the first land in every status in the second."""

from __future__ import annotations

from datetime import date

import pytest

from drafting.extensions import db
from drafting.models import Position, TextRevision
from drafting.negotiated_text.operations import publish_revision

ZERO_DRAFT = """# Objective 1: Collect and use accurate data
16. We commit to strengthen the evidence base on migration by improving data collection.
17. We commit to ensure that all migrants have proof of legal identity and adequate documentation.
18. We commit to provide accessible information at all stages of migration.
# Objective 2: Save lives
19. We commit to save lives and establish coordinated international efforts on missing migrants.
20. We commit to invest in skills development in cooperation with countries of origin.
21. We commit to invest in skills development in cooperation with countries of destination.
"""

# A new paragraph 16 (the old number now holds other words), 16 becomes 17 with a proposal taken up,
# 17 becomes 18 with half of a proposal, 18 unchanged, 19 removed, 20 rewritten, 21 unchanged.
REV_1 = """# Objective 1: Collect and use accurate data
16. We commit to cooperate on safe and dignified return and readmission, respecting human rights.
17. We commit to strengthen the evidence base on migration by improving data collection, including by local governments.
18. We commit to ensure that all migrants, including children, have proof of legal identity and adequate documentation.
19. We commit to provide accessible information at all stages of migration.
# Objective 2: Save lives
20. We commit to invest in skills development and recognition of skills in cooperation with countries of origin.
21. We commit to invest in skills development in cooperation with countries of destination.
"""

PROPOSALS = {  # number in the zero draft -> (kind, proposed text, expected status, successor's number)
    "16": ("replace", "We commit to strengthen the evidence base on migration by improving data collection, "
                      "including by local governments.", "taken_up", "17"),
    "17": ("replace", "We commit to ensure that all migrants, including children, have proof of legal identity and "
                      "adequate documentation issued by local authorities.", "partly_taken_up", "18"),
    "18": ("replace", "We commit to provide accessible information at all stages of migration, in cities.",
           "unchanged", "19"),
    "19": ("delete", "", "taken_up", None),  # a deletion whose paragraph is gone
    "20": ("replace", "We commit to invest in skills development in cooperation with countries of origin and "
                      "transit.", "changed", "20"),
    "21": ("replace", "We commit to invest in skills development in cooperation with countries of destination and "
                      "their cities.", "unchanged", "21"),
}


def publish(name: str, text: str, by, day: int) -> TextRevision:
    return publish_revision(name=name, issued_on=date(2018, 2, day), milestone=None, structure=text,
                            source_filename="", by=by)


def paragraph_ids(revision: TextRevision) -> dict[str, int]:
    return {p.number: p.id for p in revision.paragraphs if p.kind == "paragraph"}


def anchor(position: Position, revision: TextRevision, numbers, kinds=None, proposed=None) -> None:
    """Amendments as the position form stores them (drafting/amendments/rules.py)."""
    ids = paragraph_ids(revision)
    texts = {p.number: p.text for p in revision.paragraphs}
    amendments = []
    for number in numbers:
        kind, proposal, _status, _successor = PROPOSALS[number]
        amendments.append({"key": f"k{number}", "paragraph_id": ids[number], "kind": (kinds or {}).get(number, kind),
                           "section_id": None, "paragraph": number, "current_text": texts[number],
                           "proposed_text": (proposed or {}).get(number, proposal), "rationale": "Cities deliver."})
    position.amendments = amendments
    db.session.commit()


@pytest.fixture
def world(make_user, make_position):
    secretariat = make_user("secretariat")
    zero = publish("Zero draft", ZERO_DRAFT, secretariat, 5)
    cemr = make_position("submitted", org="CEMR", title="Data and documents")
    anchor(cemr, zero, ["16", "17", "20"])
    metropolis = make_position("approved", org="Metropolis", title="Information and lives")
    anchor(metropolis, zero, ["18", "19", "21"])
    return {"secretariat": secretariat, "zero": zero, "cemr": cemr, "metropolis": metropolis}


