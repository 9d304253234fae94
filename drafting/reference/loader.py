"""Loads the reference data (organisations, milestones, themes, compact sections) from the CSV
files in `data/`. Only rows that are missing are added, so running it twice changes nothing and a
secretariat edit is never overwritten."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from importlib import resources

from sqlalchemy import select

from drafting.extensions import db
from drafting.models import CompactSection, Milestone, Organisation, Theme


@dataclass
class LoadReport:
    added: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.added.values())


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("drafting.reference").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _add_missing(report: LoadReport, label: str, existing_keys: set, rows, key, build) -> None:
    added = 0
    for row in rows:
        if key(row) in existing_keys:
            continue
        db.session.add(build(row))
        existing_keys.add(key(row))
        added += 1
    report.added[label] = added


def load_reference_data() -> LoadReport:
    report = LoadReport()
    _add_missing(
        report,
        "organisations",
        set(db.session.scalars(select(Organisation.short_name))),
        _rows("organisations.csv"),
        lambda row: row["short_name"],
        lambda row: Organisation(
            short_name=row["short_name"],
            full_name=row["full_name"],
            kind=row["kind"],
            region=row["region"],
            contributes_positions=row["contributes_positions"] == "yes",
        ),
    )
    _add_missing(
        report,
        "milestones",
        set(db.session.scalars(select(Milestone.name))),
        _rows("milestones.csv"),
        lambda row: row["name"],
        _milestone,
    )
    _add_missing(
        report,
        "objectives",
        set(db.session.scalars(select(Theme.number).where(Theme.kind == "objective"))),
        _rows("gcm_objectives.csv"),
        lambda row: int(row["number"]),
        lambda row: Theme(
            kind="objective",
            number=int(row["number"]),
            short_label=row["short_label"],
            title=row["title"],
            paragraph=int(row["final_text_paragraph"]),
        ),
    )
    _add_missing(
        report,
        "workstreams",
        set(db.session.scalars(select(Theme.short_label).where(Theme.kind == "workstream"))),
        _rows("workstreams.csv"),
        lambda row: row["name"],
        lambda row: Theme(kind="workstream", short_label=row["name"], title=row["summary"]),
    )
    _add_missing(
        report,
        "compact sections",
        set(db.session.scalars(select(CompactSection.order))),
        _rows("compact_sections.csv"),
        lambda row: int(row["order"]),
        lambda row: CompactSection(
            order=int(row["order"]),
            name=row["section"],
            paragraphs=row["final_text_paragraphs"],
            note=row["note"],
        ),
    )
    db.session.commit()
    return report


def _milestone(row: dict[str, str]) -> Milestone:
    milestone = Milestone(
        name=row["name"],
        kind=row["kind"],
        start_date=date.fromisoformat(row["start"]),
        end_date=date.fromisoformat(row["end"]),
        place=row["place"],
        note=row["note"],
        approvals_required=1,
    )
    milestone.submission_deadline, milestone.review_deadline = milestone.default_deadlines()
    return milestone
