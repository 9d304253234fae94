"""Comparing two revisions of the text, paragraph by paragraph."""

from __future__ import annotations

from dataclasses import dataclass

from drafting.amendments.diff import Budget, Segment, compare_words
from drafting.amendments.matching import match_paragraphs
from drafting.models import TextParagraph, TextRevision


@dataclass(frozen=True)
class ComparedParagraph:
    old: TextParagraph | None
    new: TextParagraph | None
    change: str  # "unchanged", "edited", "merged", "added", "removed"
    moved: bool
    segments: list[Segment]
    marked: bool = True  # False: too many changes to mark word by word (shown deleted and inserted whole)

    @property
    def renumbered(self) -> bool:
        return bool(self.old and self.new and self.old.number != self.new.number)


def compare_revisions(older: TextRevision, newer: TextRevision) -> list[ComparedParagraph]:
    """Every paragraph of both revisions once, in the newer revision's order, removed ones where
    they stood in the older one. The word-level marks of the whole page share one budget."""
    old = [p for p in older.paragraphs if p.kind == "paragraph"]
    new = [p for p in newer.paragraphs if p.kind == "paragraph"]
    matches = match_paragraphs([p.text for p in old], [p.text for p in new])
    # A removed paragraph goes just after the successor of the nearest paragraph before it that has one.
    place_after: dict[int, float] = {}
    last = -0.5
    for match in sorted((m for m in matches if m.old is not None), key=lambda m: m.old):
        place_after[match.old] = last
        if match.new is not None:
            last = match.new + 0.5
    budget = Budget()
    rows: list[tuple[float, int, ComparedParagraph]] = []
    for position, match in enumerate(matches):
        before = old[match.old] if match.old is not None else None
        after = new[match.new] if match.new is not None else None
        changes = compare_words(before.text if before else "", after.text if after else "", budget)
        row = ComparedParagraph(before, after, match.change, match.moved, changes.segments, changes.complete)
        key = match.new if match.new is not None else place_after[match.old]
        rows.append((key, position, row))
    return [row for _key, _position, row in sorted(rows, key=lambda item: item[:2])]
