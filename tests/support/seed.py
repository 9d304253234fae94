"""A larger generated set of approved positions, written directly (a fixture, not the workflow)."""

from __future__ import annotations

import random

from sqlalchemy import select

from drafting.clock import now
from drafting.extensions import db
from drafting.models import Approval, Organisation, Position, Revision, Theme, User

WORDS = ("local regional governments cities migrants newcomers inclusion services housing health education "
         "employment reception integration participation dialogue mayors networks partnership rights").split()


def seed_approved_positions(n: int, milestone, section) -> list[Position]:
    rng = random.Random(n)
    networks = db.session.scalars(select(Organisation).where(Organisation.contributes_positions)
                                  .order_by(Organisation.id)).all()
    objectives = db.session.scalars(select(Theme).where(Theme.kind == "objective")).all()
    authors = []
    for org in networks:
        author = User(name=f"Author of {org.short_name}", email=f"seed.{org.id}@example.org", role="contributor",
                      organisation=org, password_hash="-")
        authors.append(author)
    reviewer = User(name="Seed Reviewer", email="seed.reviewer@example.org", role="reviewer",
                    organisation=networks[0], password_hash="-")
    db.session.add_all([*authors, reviewer])
    db.session.flush()
    moment = now()
    positions = []
    for i in range(n):
        author = authors[i % len(authors)]
        paragraphs = [" ".join(rng.choice(WORDS) for _ in range(80)) for _ in range(8)]
        paragraphs[0] = "**Summary.** " + paragraphs[0]
        text = "\n\n".join(paragraphs)
        amendments = [
            {"section_id": section(4).id, "paragraph": f"{17 + i % 23}({'abc'[i % 3]})", "current_text": "Now.",
             "proposed_text": f"Proposal {i % 5}.", "rationale": "Why."},
            {"section_id": section(5).id, "paragraph": str(40 + i % 8), "current_text": "Now.",
             "proposed_text": "Add cities.", "rationale": "Why."},
        ]
        theme = objectives[i % len(objectives)]
        position = Position(organisation_id=author.organisation_id, milestone_id=milestone.id, stage="approved",
                            language="en", title=f"Generated position {i + 1}", text=text, amendments=amendments,
                            revision_number=1, created_by_id=author.id, submitted_at=moment, approved_at=moment,
                            themes=[theme])
        db.session.add(position)
        db.session.add(Revision(position=position, number=1, author_id=author.id, title=position.title, text=text,
                                language="en", theme_ids=[theme.id], amendments=amendments))
        db.session.add(Approval(position=position, reviewer_id=reviewer.id, revision_number=1))
        positions.append(position)
    db.session.commit()
    return positions
