"""Following paragraphs from one revision of the text to the next, by their words, not their numbers.

The co-facilitators renumber, edit, move, merge and remove paragraphs between revisions. A paragraph
is matched to its successor in three passes: the same words (however renumbered or moved), then the
most similar remaining paragraph (greedy on a score that prefers nearby positions, so that two
near-identical paragraphs keep their order), then a paragraph that now contains most of its words
(two paragraphs merged into one).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from drafting.core.memo import memoized

_WORD = re.compile(r"\w+(?:[’'-]\w+)*", re.UNICODE)
_TOKENS = re.compile(r"\s+|\w+(?:[’'-]\w+)*|[^\w\s]")  # spaces, words, each punctuation mark

SIMILAR = 0.5  # below this, an edited paragraph is a different paragraph
CONTAINED = 0.8  # share of a paragraph's words found in a merged successor
CANDIDATES = 3  # per old paragraph, how many of the closest by word pairs get a full comparison


@memoized(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """The words of a text, case folded (cached: re-anchoring asks for the same paragraphs often)."""
    return tuple(word.casefold() for word in _WORD.findall(text or ""))


def comparable(text: str) -> str:
    """Case, spacing and punctuation aside: what two wordings share."""
    return " ".join(words(text))


def _pairs(tokens: tuple[str, ...]) -> set[tuple[str, str]]:
    """Word pairs: a much sharper first filter than single words, which all paragraphs share."""
    return set(zip(tokens, tokens[1:], strict=False)) or {(token, "") for token in tokens}


def _common_prefix(a: tuple, b: tuple) -> int:
    """Length of the common prefix, by halving (tuple slices compare in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def opcodes(a: tuple, b: tuple) -> list[tuple[str, int, int, int, int]]:
    """SequenceMatcher's opcodes for two token tuples, with the common ends set aside first: an
    amendment changes a few words of a long paragraph, and the matcher then only sees those."""
    start = _common_prefix(a, b)
    end = _common_prefix(a[start:][::-1], b[start:][::-1])
    codes = [("equal", 0, start, 0, start)] if start else []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a[start:len(a) - end], b[start:len(b) - end],
                                               autojunk=False).get_opcodes():
        codes.append((tag, i1 + start, i2 + start, j1 + start, j2 + start))
    if end:
        codes.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
    return codes


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "insert" or "delete"
    text: str


def diff_words(old: str, new: str) -> list[Segment]:
    """The word-level change from `old` to `new`, spacing kept: the one diff that pages, comparisons
    and editions show. A change of several words reads as one run ("all levels of government" struck
    through, "local and regional authorities" inserted), not word by word around the spaces that the
    two wordings happen to share."""
    a, b = tuple(_TOKENS.findall(old or "")), tuple(_TOKENS.findall(new or ""))
    segments: list[Segment] = []
    removed: list[str] = []
    added: list[str] = []

    def close_run() -> None:
        if "".join(removed).strip():
            segments.append(Segment("delete", "".join(removed)))
        if "".join(added).strip():
            segments.append(Segment("insert", "".join(added)))
        removed.clear()
        added.clear()

    codes = opcodes(a, b)
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


@dataclass(frozen=True)
class ParagraphMatch:
    old: int | None  # index in the old revision
    new: int | None  # index in the new revision
    change: str  # "unchanged", "edited", "merged", "added", "removed"
    moved: bool = False


def similarity(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def match_paragraphs(old: list[str], new: list[str]) -> list[ParagraphMatch]:
    """Pair each old paragraph with its successor (if any); list added ones too, in new order."""
    old_words = [words(text) for text in old]
    new_words = [words(text) for text in new]
    pairs: dict[int, int] = {}
    taken: set[int] = set()

    # 1. The same words.
    waiting: dict[str, list[int]] = defaultdict(list)
    for j, tokens in enumerate(new_words):
        waiting[" ".join(tokens)].append(j)
    for i, tokens in enumerate(old_words):
        queue = waiting.get(" ".join(tokens))
        if queue and tokens:
            j = queue.pop(0)
            pairs[i] = j
            taken.add(j)

    # 2. The most similar of what is left: word-pair overlap picks a few candidates, a real ratio decides.
    free_old = [i for i in range(len(old)) if i not in pairs]
    free_new = [j for j in range(len(new)) if j not in taken]
    pairs_new = {j: _pairs(new_words[j]) for j in free_new}
    scored = []
    for i in free_old:
        mine = _pairs(old_words[i])
        if not mine:
            continue
        overlaps = sorted(((len(mine & pairs_new[j]) / len(mine | pairs_new[j]), j) for j in free_new
                           if pairs_new[j]), reverse=True)[:CANDIDATES]
        for overlap, j in overlaps:
            if overlap <= 0.1:
                continue
            matcher = SequenceMatcher(None, old_words[i], new_words[j], autojunk=False)
            if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
                continue
            ratio = matcher.ratio()
            if ratio >= SIMILAR:
                nearness = 1 - abs(i / max(len(old), 1) - j / max(len(new), 1))
                scored.append((ratio + 0.05 * nearness, i, j))
    edited: set[int] = set()
    for _score, i, j in sorted(scored, reverse=True):
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
            edited.add(i)

    # 3. Merged: most of an old paragraph's words now stand in one new paragraph.
    merged: set[int] = set()
    for i in range(len(old)):
        if i in pairs or not old_words[i]:
            continue
        mine = set(old_words[i])
        best, best_share = None, CONTAINED
        for j in range(len(new)):
            share = len(mine & set(new_words[j])) / len(mine)
            if share >= best_share:
                best, best_share = j, share
        if best is not None:
            pairs[i] = best
            merged.add(i)

    moved = _moved({i: j for i, j in pairs.items() if i not in merged})
    matches = []
    for i in range(len(old)):
        if i not in pairs:
            matches.append(ParagraphMatch(i, None, "removed"))
            continue
        change = "merged" if i in merged else "edited" if i in edited else "unchanged"
        matches.append(ParagraphMatch(i, pairs[i], change, moved=i in moved))
    for j in range(len(new)):
        if j not in taken and j not in pairs.values():
            matches.append(ParagraphMatch(None, j, "added"))
    return matches


def _moved(pairs: dict[int, int]) -> set[int]:
    """Old indices outside the longest run that keeps its order: those paragraphs moved."""
    order = sorted(pairs)
    tails: list[int] = []
    tail_index: list[int] = []
    previous: dict[int, int | None] = {}
    for i in order:
        j = pairs[i]
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_index.append(i)
        else:
            tails[k] = j
            tail_index[k] = i
        previous[i] = tail_index[k - 1] if k else None
    keep: set[int] = set()
    cursor = tail_index[-1] if tail_index else None
    while cursor is not None:
        keep.add(cursor)
        cursor = previous[cursor]
    return set(order) - keep
