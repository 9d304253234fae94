"""Publishing a revision of the negotiated text in a test, as the secretariat's preview would."""

from __future__ import annotations

from datetime import date

from drafting.models import TextRevision, User
from drafting.negotiated_text.operations import publish_revision
from drafting.negotiated_text.structure import parse_plain_text
from tests.conftest import milestone

ZERO_DRAFT = """# Objective 1: Collect and use data
16. We commit to strengthen the global evidence base on international migration.
(a) Elaborate and implement a comprehensive strategy for improving migration data;
(b) Improve international comparability of data;
17. We commit to ensure that all migrants have proof of legal identity.
"""


def publish(by: User, name: str = "Zero draft", issued_on: date = date(2018, 2, 5),
            milestone_name: str | None = "Round 1", text: str = ZERO_DRAFT) -> TextRevision:
    return publish_revision(name=name, issued_on=issued_on,
                            milestone=milestone(milestone_name) if milestone_name else None,
                            structure=parse_plain_text(text).canonical_text(), source_filename="", by=by)


def paragraph(revision: TextRevision, number: str):
    return next(p for p in revision.paragraphs if p.number == number)
