"""Loads the reference data (organisations, milestones, themes, compact sections) from the CSV
files in `data/`. Rows that are missing are added; rows that exist only get the French and Spanish
names (and the source notes) they do not have yet, unless the secretariat has saved them (`edited_at`):
those are left exactly as saved, an emptied translation included. A renamed organisation, workstream or
milestone is still recognised by the name it was loaded as (`loaded_as`). So running it twice changes
nothing, and a secretariat edit is never overwritten."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import resources

from sqlalchemy import select

from drafting.extensions import db
from drafting.models import CompactSection, Milestone, Organisation, Theme


@dataclass
class LoadReport:
    added: dict[str, int] = field(default_factory=dict)
    translated: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.added.values())

    @property
    def total_translated(self) -> int:
        return sum(self.translated.values())


def data_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("drafting.reference").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _load(report: LoadReport, label: str, existing: dict, rows, key, build, fills: Callable[[dict], dict]) -> None:
    """Add the rows whose key is missing; on existing rows that nobody edited, set each field of
    `fills(row)` that is still empty (the columns added after the row was loaded), never one somebody
    filled."""
    added = translated = 0
    for row in rows:
        record = existing.get(key(row))
        new = record is None
        if new:
            record = build(row)
            db.session.add(record)
            existing[key(row)] = record
            added += 1
        elif getattr(record, "edited_at", None) is not None:
            continue  # saved by the secretariat: theirs, as it is
        changed = False
        for name, value in fills(row).items():
            if value and not getattr(record, name):
                setattr(record, name, value)
                changed = True
        translated += changed and not new
    report.added[label] = added
    report.translated[label] = translated


def _columns(row: dict[str, str], **columns: str) -> dict[str, str]:
    """{model attribute: value of the CSV column}, for the columns the file has."""
    return {attribute: row[column] for attribute, column in columns.items() if row.get(column)}


def load_reference_data() -> LoadReport:
    report = LoadReport()
    _load(
        report, "organisations",
        {o.loaded_as or o.short_name: o for o in db.session.scalars(select(Organisation))},
        data_rows("organisations.csv"),
        lambda row: row["short_name"],
        lambda row: Organisation(
            short_name=row["short_name"], loaded_as=row["short_name"], full_name=row["full_name"], kind=row["kind"],
            region=row["region"], contributes_positions=row["contributes_positions"] == "yes",
        ),
        lambda row: _columns(row, full_name_fr="full_name_fr", full_name_es="full_name_es", region_fr="region_fr",
                             region_es="region_es", source_note="source_note"),
    )
    _load(
        report, "milestones",
        {m.loaded_as or m.name: m for m in db.session.scalars(select(Milestone))},
        data_rows("milestones.csv"),
        lambda row: row["name"],
        _milestone,
        lambda row: _columns(row, name_fr="name_fr", name_es="name_es", note_fr="note_fr", note_es="note_es",
                             source_note="source_note", symbol_code="symbol_code"),
    )
    _load(
        report, "objectives",
        {t.number: t for t in db.session.scalars(select(Theme).where(Theme.kind == "objective"))},
        data_rows("gcm_objectives.csv"),
        lambda row: int(row["number"]),
        lambda row: Theme(kind="objective", number=int(row["number"]), short_label=row["short_label"],
                          title=row["title"], paragraph=int(row["final_text_paragraph"])),
        lambda row: _columns(row, short_label_fr="short_label_fr", short_label_es="short_label_es",
                             title_fr="title_fr", title_es="title_es"),
    )
    _load(
        report, "workstreams",
        {t.loaded_as or t.short_label: t for t in db.session.scalars(select(Theme).where(Theme.kind == "workstream"))},
        data_rows("workstreams.csv"),
        lambda row: row["name"],
        lambda row: Theme(kind="workstream", short_label=row["name"], loaded_as=row["name"], title=row["summary"]),
        lambda row: _columns(row, short_label_fr="name_fr", short_label_es="name_es", title_fr="summary_fr",
                             title_es="summary_es"),
    )
    _load(
        report, "compact sections",
        {s.order: s for s in db.session.scalars(select(CompactSection))},
        data_rows("compact_sections.csv"),
        lambda row: int(row["order"]),
        lambda row: CompactSection(order=int(row["order"]), name=row["section"],
                                   paragraphs=row["final_text_paragraphs"], note=row["note"]),
        lambda row: _columns(row, name_fr="section_fr", name_es="section_es", note_fr="note_fr", note_es="note_es",
                             source_note="source_note"),
    )
    db.session.commit()
    return report


def _milestone(row: dict[str, str]) -> Milestone:
    milestone = Milestone(
        name=row["name"],
        loaded_as=row["name"],
        symbol_code=row.get("symbol_code", ""),
        kind=row["kind"],
        start_date=date.fromisoformat(row["start"]),
        end_date=date.fromisoformat(row["end"]),
        place=row["place"],
        note=row["note"],
        approvals_required=1,
    )
    milestone.submission_deadline, milestone.review_deadline = milestone.default_deadlines()
    return milestone
