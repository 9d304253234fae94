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

_WORD = re.compile(r"\w+(?:[’'-]\w+)*", re.UNICODE)

SIMILAR = 0.5  # below this, an edited paragraph is a different paragraph
CONTAINED = 0.8  # share of a paragraph's words found in a merged successor


def words(text: str) -> list[str]:
    return [word.casefold() for word in _WORD.findall(text or "")]


def comparable(text: str) -> str:
    """Case, spacing and punctuation aside: what two wordings share."""
    return " ".join(words(text))


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

    # 2. The most similar of what is left: cheap word-set overlap first, then a real ratio.
    free_old = [i for i in range(len(old)) if i not in pairs]
    free_new = [j for j in range(len(new)) if j not in taken]
    sets_new = {j: set(new_words[j]) for j in free_new}
    scored = []
    for i in free_old:
        mine = set(old_words[i])
        if not mine:
            continue
        for j in free_new:
            theirs = sets_new[j]
            overlap = len(mine & theirs) / len(mine | theirs) if theirs else 0.0
            if overlap < SIMILAR * 0.6:
                continue
            ratio = similarity(old_words[i], new_words[j])
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
