"""Word-level differences between two revisions, amendments included."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from drafting.extensions import db
from drafting.models import CompactSection, Revision, Theme
from drafting.positions.amendments import normalised

FIELD_LABELS = {
    "title": _l("Title"), "language": _l("Language"), "themes": _l("Themes"), "summary": _l("Summary"),
    "text": _l("Text"), "amendments": _l("Proposed amendments"),
}

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    name: str
    segments: list[Segment]
    field: str = ""  # "title", "text", ...: the fields written in the position's language

    @property
    def in_position_language(self) -> bool:
        return self.field in ("title", "summary", "text")

    @property
    def changed(self) -> bool:
        return any(segment.kind != "same" for segment in self.segments)


def diff_words(old: str, new: str) -> list[Segment]:
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return segments


def amendments_as_text(revision: Revision, section_names: dict[int, str]) -> str:
    blocks = []
    for number, amendment in enumerate(normalised(revision.amendments), start=1):
        section = section_names.get(amendment.get("section_id") or 0, "")
        blocks.append("\n".join([
            f"[{number}] {section} ¶ {amendment.get('paragraph', '')}",
            f"current: {amendment.get('current_text', '')}",
            f"proposed: {amendment.get('proposed_text', '')}",
            f"rationale: {amendment.get('rationale', '')}",
        ]))
    return "\n\n".join(blocks)


def compare(old: Revision, new: Revision) -> list[FieldDiff]:
    """The differences field by field, in the order of the form."""
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
    return [FieldDiff(str(FIELD_LABELS[name]), diff_words(*values), name) for name, values in pairs.items()]
