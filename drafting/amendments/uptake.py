"""What became of a proposed amendment in the next revision of the text.

One status per amendment, from the matched successor of the paragraph it was anchored to:

- taken up: the new text carries the proposed wording (or, for a deletion, the paragraph is gone);
- partly taken up: some of the proposed changes are in the new text, not all;
- paragraph unchanged: the paragraph reads as before, so the proposal is still open;
- paragraph changed: the paragraph was rewritten without the proposal; the authors should look again;
- paragraph removed: the paragraph has no successor.

Wordings are compared without case, spacing and punctuation (`matching.comparable`): "taken up"
measures influence on the text, not typography.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from flask_babel import lazy_gettext as _l

from drafting.amendments.diff import opcodes
from drafting.amendments.matching import comparable, words
from drafting.models.amendments import AMENDMENT_KINDS
from drafting.models.negotiated_text import AMENDMENT_STATUSES

STATUSES = AMENDMENT_STATUSES
# The words on the screen and in the authors' mail, in the order of STATUSES.
STATUS_LABELS = {
    "taken_up": _l("Taken up"),
    "partly_taken_up": _l("Partly taken up"),
    "unchanged": _l("Paragraph unchanged"),
    "changed": _l("Paragraph changed"),
    "removed": _l("Paragraph removed"),
}
# Taken up fully or partly: what the Uptake page counts as the networks' influence.
TAKEN_UP = ("taken_up", "partly_taken_up")
KINDS = AMENDMENT_KINDS  # the kinds an amendment may have (stored on drafting.models.amendments)


def _contains(haystack: list[str], needle: list[str]) -> bool:
    if not needle:
        return True
    return f" {' '.join(needle)} " in f" {' '.join(haystack)} "


def proposed_changes(current: str, proposed: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The word runs a replacement inserts and the runs it deletes (with a word of context each
    side, so that a deleted word found elsewhere in the paragraph does not count as kept)."""
    a, b = words(current), words(proposed)
    inserted: list[tuple[str, ...]] = []
    deleted: list[tuple[str, ...]] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag in ("insert", "replace"):
            inserted.append(b[j1:j2])
        if tag in ("delete", "replace"):
            deleted.append(a[max(i1 - 1, 0):i1] + a[i1:i2] + a[i2:i2 + 1])
    return inserted, deleted


def assess(kind: str, current: str, proposed: str, successor: str | None,
           new_paragraphs: list[str] | None = None) -> str:
    """The status of one amendment. `successor` is the matched paragraph's text in the new revision
    (None: removed); `new_paragraphs` the whole new text, where an inserted paragraph may land."""
    if kind == "delete":
        if successor is None:
            return "taken_up"
        return "unchanged" if comparable(successor) == comparable(current) else "changed"
    if kind == "insert_after":
        wanted = words(proposed)
        best = 0.0
        for text in new_paragraphs or []:
            theirs = words(text)
            if _contains(theirs, wanted):
                return "taken_up"
            if wanted and set(wanted) & set(theirs):
                # Only a ratio above the best so far matters; the quick bounds rule most paragraphs out.
                matcher = SequenceMatcher(None, wanted, theirs, autojunk=False)
                floor = max(best, 0.5)
                if matcher.real_quick_ratio() >= floor and matcher.quick_ratio() >= floor:
                    best = max(best, matcher.ratio())
        if best >= 0.5:
            return "partly_taken_up"
        return _anchor_state(current, successor)
    # replace
    new_words = words(successor) if successor is not None else None
    if successor is not None and _contains(new_words, words(proposed)):
        return "taken_up"
    if successor is None:
        return "removed"
    if comparable(successor) == comparable(current):
        return "unchanged"
    inserted, deleted = proposed_changes(current, proposed)
    inserted, deleted = [run for run in inserted if run], [run for run in deleted if run]
    kept = sum(_contains(new_words, run) for run in inserted)
    dropped = sum(not _contains(new_words, run) for run in deleted)
    if inserted + deleted and kept == len(inserted) and dropped == len(deleted):
        return "taken_up"
    # A rewritten paragraph loses the context of a deletion by chance; an inserted run does not
    # appear by chance. So a partial uptake needs an insertion, unless the proposal only deletes.
    if kept or (not inserted and dropped):
        return "partly_taken_up"
    return "changed"


def _anchor_state(current: str, successor: str | None) -> str:
    if successor is None:
        return "removed"
    return "unchanged" if comparable(successor) == comparable(current) else "changed"
