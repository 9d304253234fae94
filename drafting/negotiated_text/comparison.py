"""Comparing two revisions of the text, paragraph by paragraph."""

from __future__ import annotations

from dataclasses import dataclass

from drafting.models import TextParagraph, TextRevision
from drafting.negotiated_text.matching import Segment, diff_words, match_paragraphs


@dataclass(frozen=True)
class ComparedParagraph:
    old: TextParagraph | None
    new: TextParagraph | None
    change: str  # "unchanged", "edited", "merged", "added", "removed"
    moved: bool
    segments: list[Segment]

    @property
    def renumbered(self) -> bool:
        return bool(self.old and self.new and self.old.number != self.new.number)


def compare_revisions(older: TextRevision, newer: TextRevision) -> list[ComparedParagraph]:
    """Every paragraph of both revisions once, in the newer revision's order, removed ones where
    they stood in the older one."""
    old = [p for p in older.paragraphs if p.kind == "paragraph"]
    new = [p for p in newer.paragraphs if p.kind == "paragraph"]
    matches = match_paragraphs([p.text for p in old], [p.text for p in new])
    rows: list[tuple[float, ComparedParagraph]] = []
    for match in matches:
        before = old[match.old] if match.old is not None else None
        after = new[match.new] if match.new is not None else None
        segments = diff_words(before.text if before else "", after.text if after else "")
        row = ComparedParagraph(before, after, match.change, match.moved, segments)
        # Sort by the new order; a removed paragraph goes just after its old predecessor's successor.
        key = match.new if match.new is not None else _removed_place(matches, match.old)
        rows.append((key, row))
    return [row for _key, row in sorted(rows, key=lambda item: item[0])]


def _removed_place(matches, old_index: int) -> float:
    for match in reversed([m for m in matches if m.old is not None and m.old < old_index and m.new is not None]):
        return match.new + 0.5
    return -0.5
