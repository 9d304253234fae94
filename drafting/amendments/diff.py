"""The product's one diff: what changed between two wordings, in time that grows about linearly.

Every page, edition and status that shows or weighs a change goes through here: a position's
revisions compared field by field, the negotiated text's revisions paragraph by paragraph, a proposed
amendment against its paragraph, the matching of paragraphs from one revision to the next.

difflib alone grows with the product of the two lengths (two 40,000-character texts are
170 million cells). So a comparison works in three steps, each bounded:

1. what the two sides share at their ends is set aside;
2. the rest is cut at anchors found in linear time: elements that occur exactly once on each side,
   kept where they stay in order (the "patience" diff); paragraphs first (a paragraph is one element,
   compared by its hash), then words only inside the paragraphs that differ;
3. only the gaps between anchors go to difflib, each at most `PIECE` cells, all together at most what
   the comparison's `Budget` allows.

A gap past those limits is shown as deleted and inserted whole, and the comparison says it is not
complete: the pages then show "Too many changes to mark word by word" instead of working for a
minute. A sentence against a sentence gets exactly difflib's answer; longer wordings get the same
changes unless a word's place is ambiguous, and an ordinary revision is never cut.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

# A gap of at most this many cells (len(a) × len(b)) goes straight to difflib: a sentence against
# a sentence. difflib's work is a few times the cells, so larger gaps are first cut at anchors.
DIRECT = 2_500
# A gap without anchors goes to difflib whole up to this many cells.
PIECE = 100_000
# All the cells one comparison may hand to difflib (a page of comparisons shares one budget): a few
# tenths of a second at worst.
PAGE_CELLS = 1_500_000
# How many times a gap is cut again at the anchors found inside it.
DEPTH = 6

_TOKENS = re.compile(r"\s+|\w+(?:[’'-]\w+)*|[^\w\s]")  # spaces, words, each punctuation mark
_PARAGRAPHS = re.compile(r"[^\n]*\n|[^\n]+")  # each line with its line break

Opcode = tuple[str, int, int, int, int]


class Budget:
    """The difflib cells a comparison may still spend; shared by all the diffs of one page."""

    def __init__(self, cells: int = PAGE_CELLS):
        self.left = cells

    def take(self, cells: int) -> bool:
        if cells > self.left:
            return False
        self.left -= cells
        return True


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class Changes:
    """A wording's changes as the pages show them. `complete` False: some of it was too large to mark
    word by word, and is shown deleted and inserted whole."""

    segments: list[Segment]
    complete: bool = True

    @property
    def changed(self) -> bool:
        return any(segment.kind != "same" for segment in self.segments)


def _common_prefix(a: Sequence, b: Sequence, a_start: int, b_start: int, a_end: int, b_end: int) -> int:
    n = 0
    limit = min(a_end - a_start, b_end - b_start)
    while n < limit and a[a_start + n] == b[b_start + n]:
        n += 1
    return n


def _common_suffix(a: Sequence, b: Sequence, a_start: int, b_start: int, a_end: int, b_end: int) -> int:
    n = 0
    limit = min(a_end - a_start, b_end - b_start)
    while n < limit and a[a_end - 1 - n] == b[b_end - 1 - n]:
        n += 1
    return n


def longest_ordered_run(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of `pairs` (i, j), taken in the order given (by i), whose j increase too: what
    kept its order on both sides. Patience sorting with back links, O(n log n)."""
    tails: list[int] = []
    tail_at: list[int] = []
    previous: list[int] = []
    for index, (_i, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_at.append(index)
        else:
            tails[k] = j
            tail_at[k] = index
        previous.append(tail_at[k - 1] if k else -1)
    run = []
    cursor = tail_at[-1] if tail_at else -1
    while cursor >= 0:
        run.append(pairs[cursor])
        cursor = previous[cursor]
    return run[::-1]


def _unique_anchors(a: Sequence, b: Sequence, a_start: int, a_end: int, b_start: int,
                    b_end: int) -> list[tuple[int, int]]:
    """Pairs (i, j) of elements found exactly once in a[a_start:a_end] and once in b[b_start:b_end],
    the longest run of them that keeps its order on both sides (patience diff)."""
    count_a = Counter(a[a_start:a_end])
    count_b = Counter(b[b_start:b_end])
    where_b = {b[j]: j for j in range(b_start, b_end) if count_b[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(a_start, a_end) if count_a[a[i]] == 1 and a[i] in where_b]
    return longest_ordered_run(pairs)


def _gap(a: Sequence, b: Sequence, a_start: int, a_end: int, b_start: int, b_end: int, budget: Budget,
         depth: int, codes: list[Opcode]) -> bool:
    """Append the opcodes of a[a_start:a_end] against b[b_start:b_end]; False if part of it was too large."""
    head = _common_prefix(a, b, a_start, b_start, a_end, b_end)
    if head:
        codes.append(("equal", a_start, a_start + head, b_start, b_start + head))
        a_start, b_start = a_start + head, b_start + head
    tail = _common_suffix(a, b, a_start, b_start, a_end, b_end)
    a_stop, b_stop = a_end - tail, b_end - tail
    complete = True
    if a_start == a_stop and b_start == b_stop:
        pass
    elif a_start == a_stop:
        codes.append(("insert", a_start, a_start, b_start, b_stop))
    elif b_start == b_stop:
        codes.append(("delete", a_start, a_stop, b_start, b_start))
    elif a_stop - a_start == 1 or b_stop - b_start == 1:
        _one_against_many(a, b, a_start, a_stop, b_start, b_stop, codes)
    else:
        cells = (a_stop - a_start) * (b_stop - b_start)
        direct = cells <= DIRECT and budget.take(cells)
        anchors = [] if direct or depth >= DEPTH else _unique_anchors(a, b, a_start, a_stop, b_start, b_stop)
        if direct or (not anchors and cells <= PIECE and budget.take(cells)):
            matcher = SequenceMatcher(None, a[a_start:a_stop], b[b_start:b_stop], autojunk=False)
            codes += [(tag, i1 + a_start, i2 + a_start, j1 + b_start, j2 + b_start)
                      for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
        else:
            if anchors:
                i, j = a_start, b_start
                for anchor_i, anchor_j in anchors:
                    complete &= _gap(a, b, i, anchor_i, j, anchor_j, budget, depth + 1, codes)
                    codes.append(("equal", anchor_i, anchor_i + 1, anchor_j, anchor_j + 1))
                    i, j = anchor_i + 1, anchor_j + 1
                complete &= _gap(a, b, i, a_stop, j, b_stop, budget, depth + 1, codes)
            else:
                codes.append(("replace", a_start, a_stop, b_start, b_stop))
                complete = False
    if tail:
        codes.append(("equal", a_stop, a_end, b_stop, b_end))
    return complete


def _one_against_many(a: Sequence, b: Sequence, a_start: int, a_stop: int, b_start: int, b_stop: int,
                      codes: list[Opcode]) -> None:
    """A one-word gap (a substituted word, the commonest edit): the other side holds it or not. The
    first occurrence is taken, as difflib does."""
    if a_stop - a_start == 1:
        found = next((j for j in range(b_start, b_stop) if b[j] == a[a_start]), None)
        if found is None:
            codes.append(("replace", a_start, a_stop, b_start, b_stop))
            return
        codes += [("insert", a_start, a_start, b_start, found), ("equal", a_start, a_stop, found, found + 1),
                  ("insert", a_stop, a_stop, found + 1, b_stop)]
        return
    found = next((i for i in range(a_start, a_stop) if a[i] == b[b_start]), None)
    if found is None:
        codes.append(("replace", a_start, a_stop, b_start, b_stop))
        return
    codes += [("delete", a_start, found, b_start, b_start), ("equal", found, found + 1, b_start, b_stop),
              ("delete", found + 1, a_stop, b_stop, b_stop)]


def _joined(codes: list[Opcode]) -> list[Opcode]:
    """Neighbouring opcodes of one kind made one, as difflib gives them."""
    joined: list[Opcode] = []
    for code in codes:
        if code[1] == code[2] and code[3] == code[4]:
            continue
        if joined and joined[-1][0] == code[0] == "equal":
            last = joined[-1]
            joined[-1] = ("equal", last[1], code[2], last[3], code[4])
        elif joined and joined[-1][0] != "equal" and code[0] != "equal":
            last = joined[-1]
            i1, i2, j1, j2 = last[1], code[2], last[3], code[4]
            tag = "replace" if i1 < i2 and j1 < j2 else "delete" if i1 < i2 else "insert"
            joined[-1] = (tag, i1, i2, j1, j2)
        else:
            joined.append(code)
    return joined


def bounded_opcodes(a: Sequence[Hashable], b: Sequence[Hashable],
                    budget: Budget | None = None) -> tuple[list[Opcode], bool]:
    """difflib's opcodes turning `a` into `b`, found in bounded work; and whether they are complete
    (False: a part too large is one "replace")."""
    codes: list[Opcode] = []
    complete = _gap(a, b, 0, len(a), 0, len(b), budget or Budget(), 0, codes)
    return _joined(codes), complete


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Opcode]:
    return bounded_opcodes(a, b)[0]


def ratio(a: Sequence[Hashable], b: Sequence[Hashable], budget: Budget | None = None) -> float:
    """difflib's similarity (2 × shared / total), in bounded work: for long sequences, the shared part
    found by anchors and small gaps."""
    if not a and not b:
        return 1.0
    if len(a) * len(b) <= DIRECT:
        return SequenceMatcher(None, a, b, autojunk=False).ratio()
    codes, _complete = bounded_opcodes(a, b, budget)
    shared = sum(i2 - i1 for tag, i1, i2, _j1, _j2 in codes if tag == "equal")
    return 2 * shared / (len(a) + len(b))


def tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKENS.findall(text or ""))


def _segments(a: Sequence[str], b: Sequence[str], codes: list[Opcode]) -> list[Segment]:
    """Opcodes on tokens as segments. A change of several words reads as one run ("all levels of
    government" struck through, "local and regional authorities" inserted), not word by word around
    the spaces that the two wordings happen to share."""
    segments: list[Segment] = []
    removed: list[str] = []
    added: list[str] = []

    def close_run() -> None:
        if "".join(removed).strip():
            segments.append(Segment("delete", "".join(removed)))
        if "".join(added).strip():
            segments.append(Segment("insert", "".join(added)))
        elif added and not "".join(removed).strip():
            segments.append(Segment("same", "".join(added)))  # a change of spacing only: the new spacing
        removed.clear()
        added.clear()

    for index, (tag, i1, i2, j1, j2) in enumerate(codes):
        if tag == "equal":
            shared = "".join(a[i1:i2])
            inside_a_run = (removed or added) and not shared.strip() and index + 1 < len(codes)
            if inside_a_run:  # only spaces between two changes: part of both wordings
                removed.append(shared)
                added.append(shared)
                continue
            close_run()
            segments.append(Segment("same", shared))
            continue
        if tag in ("delete", "replace"):
            removed.append("".join(a[i1:i2]))
        if tag in ("insert", "replace"):
            added.append("".join(b[j1:j2]))
    close_run()
    return segments


def _whole(old: str, new: str) -> Opcode | None:
    """The one opcode between two wordings that are the same, or of which one is empty."""
    if old == new:
        return ("equal", 0, 1, 0, 1) if old else None
    return ("insert", 0, 0, 0, 1) if not old else ("delete", 0, 1, 0, 0)


def compare_words(old: str, new: str, budget: Budget | None = None) -> Changes:
    """The word-level change from `old` to `new`, spacing kept."""
    old, new = old or "", new or ""
    if old == new or not old or not new:  # most paragraphs of a comparison: nothing to look for
        return Changes(_segments([old], [new], [code for code in [_whole(old, new)] if code]))
    a, b = tokens(old), tokens(new)
    codes, complete = bounded_opcodes(a, b, budget)
    return Changes(_segments(a, b, codes), complete)


def diff_words(old: str, new: str, budget: Budget | None = None) -> list[Segment]:
    """The word-level change from `old` to `new`, spacing kept: the one diff that pages, comparisons
    and editions show."""
    return compare_words(old, new, budget).segments


def compare_text(old: str, new: str, budget: Budget | None = None) -> Changes:
    """A text of many paragraphs: paragraphs compared whole (by hash) first, then words only inside
    the paragraphs that differ. A text that fits one piece is compared word by word directly."""
    budget = budget or Budget()
    a, b = tokens(old), tokens(new)
    if "\n" not in old or "\n" not in new:
        codes, complete = bounded_opcodes(a, b, budget)
        return Changes(_segments(a, b, codes), complete)
    lines_a, lines_b = _PARAGRAPHS.findall(old or ""), _PARAGRAPHS.findall(new or "")
    # A paragraph-level "replace" is no loss: its words are compared next, on the page's budget.
    line_codes, _whole = bounded_opcodes(lines_a, lines_b, Budget(PAGE_CELLS))
    complete = True
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in line_codes:
        if tag == "equal":
            segments.append(Segment("same", "".join(lines_a[i1:i2])))
            continue
        changes = compare_words("".join(lines_a[i1:i2]), "".join(lines_b[j1:j2]), budget)
        segments += changes.segments
        complete &= changes.complete
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].kind == segment.kind == "same":
            merged[-1] = Segment("same", merged[-1].text + segment.text)
        else:
            merged.append(segment)
    return Changes(merged, complete)
