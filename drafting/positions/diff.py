"""Word-level differences between two revisions, amendments included."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from drafting.amendments.diff import Budget, Segment, compare_text
from drafting.amendments.rules import KIND_LABELS, normalised
from drafting.extensions import db
from drafting.models import CompactSection, Revision, Theme

FIELD_LABELS = {
    "title": _l("Title"), "language": _l("Language"), "themes": _l("Themes"), "summary": _l("Summary"),
    "text": _l("Text"), "amendments": _l("Proposed amendments"),
}

AMENDMENT_LABELS = (_l("Current text"), _l("Proposed text"), _l("Rationale"))


@dataclass(frozen=True)
class FieldDiff:
    name: str
    segments: list[Segment]
    field: str = ""  # "title", "text", ...: the fields written in the position's language
    marked: bool = True  # False: too many changes to mark word by word (shown deleted and inserted whole)

    @property
    def in_position_language(self) -> bool:
        return self.field in ("title", "summary", "text")

    @property
    def changed(self) -> bool:
        return any(segment.kind != "same" for segment in self.segments)


def amendments_as_text(revision: Revision, section_names: dict[int, str]) -> str:
    """The amendments as lines to compare word by word, labelled in the reader's language."""
    labels = [gettext("%(label)s:", label=str(label)) for label in AMENDMENT_LABELS]
    blocks = []
    for number, amendment in enumerate(normalised(revision.amendments), start=1):
        section = section_names.get(amendment.get("section_id") or 0, "")
        kind = f" · {KIND_LABELS[amendment['kind']]}" if amendment["paragraph_id"] is not None else ""
        blocks.append("\n".join([
            f"[{number}] {section} ¶ {amendment.get('paragraph', '')}{kind}",
            f"{labels[0]} {amendment.get('current_text', '')}",
            f"{labels[1]} {amendment.get('proposed_text', '')}",
            f"{labels[2]} {amendment.get('rationale', '')}",
        ]))
    return "\n\n".join(blocks)


def compare(old: Revision, new: Revision) -> list[FieldDiff]:
    """The differences field by field, in the order of the form; all fields share one budget of work."""
    theme_labels = {t.id: t.label for t in db.session.scalars(select(Theme))}
    section_names = {s.id: s.display_name for s in db.session.scalars(select(CompactSection))}

    def themes(revision: Revision) -> str:
        return ", ".join(theme_labels.get(theme_id, "?") for theme_id in revision.theme_ids or [])

    pairs = {
        "title": (old.title, new.title),
        "language": (old.language, new.language),
        "themes": (themes(old), themes(new)),
        "summary": (old.summary, new.summary),
        "text": (old.text, new.text),
        "amendments": (amendments_as_text(old, section_names), amendments_as_text(new, section_names)),
    }
    budget = Budget()
    differences = []
    for name, values in pairs.items():
        changes = compare_text(*values, budget)
        differences.append(FieldDiff(str(FIELD_LABELS[name]), changes.segments, name, changes.complete))
    return differences
