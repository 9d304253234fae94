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
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from difflib import SequenceMatcher
from heapq import nsmallest

from drafting.amendments.diff import PAGE_CELLS, Budget, longest_ordered_run, ratio
from drafting.core.memo import memoized

_WORD = re.compile(r"\w+(?:[’'-]\w+)*", re.UNICODE)

SIMILAR = 0.5  # below this, an edited paragraph is a different paragraph
CONTAINED = 0.8  # share of a paragraph's words found in a merged successor
CANDIDATES = 3  # per old paragraph, how many of the closest by word pairs get a full comparison
# A word pair (or word) found in more paragraphs than this tells nothing about which is the successor
# ("of the"); leaving it out of the index keeps the search linear.
POPULAR = 64
# About how many paragraphs are read as a merged successor at most (the nearest, when more qualify).
MERGE_CANDIDATES = 200


@memoized(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """The words of a text, case folded (cached: re-anchoring asks for the same paragraphs often)."""
    return tuple(_WORD.findall((text or "").casefold()))


def comparable(text: str) -> str:
    """Case, spacing and punctuation aside: what two wordings share."""
    return " ".join(words(text))


def _pairs(tokens: tuple[str, ...]) -> set[tuple[str, str]]:
    """Word pairs: a much sharper first filter than single words, which all paragraphs share."""
    return set(zip(tokens, tokens[1:], strict=False)) or {(token, "") for token in tokens}


@dataclass(frozen=True)
class ParagraphMatch:
    old: int | None  # index in the old revision
    new: int | None  # index in the new revision
    change: str  # "unchanged", "edited", "merged", "added", "removed"
    moved: bool = False


def match_paragraphs(old: list[str], new: list[str]) -> list[ParagraphMatch]:
    """Pair each old paragraph with its successor (if any); list added ones too, in new order. Each pass
    reads each paragraph a bounded number of times: the work grows about linearly with the text."""
    old_words = [words(text) for text in old]
    new_words = [words(text) for text in new]
    pairs: dict[int, int] = {}
    taken: set[int] = set()

    # 1. The same words.
    waiting: dict[tuple[str, ...], deque[int]] = defaultdict(deque)
    for j, tokens in enumerate(new_words):
        waiting[tokens].append(j)
    for i, tokens in enumerate(old_words):
        queue = waiting.get(tokens)
        if queue and tokens:
            j = queue.popleft()
            pairs[i] = j
            taken.add(j)

    # 2. The most similar of what is left: shared word pairs (found through an index of them) pick a
    # few candidates, a real ratio decides.
    free_old = [i for i in range(len(old)) if i not in pairs]
    free_new = [j for j in range(len(new)) if j not in taken]
    pairs_new = {j: _pairs(new_words[j]) for j in free_new}
    holders: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j in free_new:
        for pair in pairs_new[j]:
            holders[pair].append(j)
    # Enough for every candidate's comparison in an ordinary text, and still linear in its size.
    budget = Budget(PAGE_CELLS + 20_000 * len(free_old))
    scored = []
    for i in free_old:
        mine = _pairs(old_words[i])
        if not mine:
            continue
        shared: Counter[int] = Counter()
        for pair in mine:
            found = holders.get(pair)
            if found and len(found) <= POPULAR:
                shared.update(found)
        nearest = [j for j, _count in shared.most_common(2 * CANDIDATES)]
        overlaps = sorted(((len(mine & pairs_new[j]) / len(mine | pairs_new[j]), j) for j in nearest),
                          reverse=True)[:CANDIDATES]
        for overlap, j in overlaps:
            if overlap <= 0.1:
                continue
            matcher = SequenceMatcher(None, old_words[i], new_words[j], autojunk=False)
            if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
                continue
            score = ratio(old_words[i], new_words[j], budget)
            if score >= SIMILAR:
                nearness = 1 - abs(i / max(len(old), 1) - j / max(len(new), 1))
                scored.append((score + 0.05 * nearness, i, j))
    edited: set[int] = set()
    for _score, i, j in sorted(scored, reverse=True):
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
            edited.add(i)

    # 3. Merged: most of an old paragraph's words now stand in one new paragraph.
    merged = _merged(old_words, new_words, [i for i in range(len(old)) if i not in pairs and old_words[i]])
    pairs.update(merged)

    moved = _moved({i: j for i, j in pairs.items() if i not in merged})
    matches = []
    for i in range(len(old)):
        if i not in pairs:
            matches.append(ParagraphMatch(i, None, "removed"))
            continue
        change = "merged" if i in merged else "edited" if i in edited else "unchanged"
        matches.append(ParagraphMatch(i, pairs[i], change, moved=i in moved))
    successors = set(pairs.values())
    for j in range(len(new)):
        if j not in taken and j not in successors:
            matches.append(ParagraphMatch(None, j, "added"))
    return matches


def _merged(old_words: list[tuple[str, ...]], new_words: list[tuple[str, ...]], lost: list[int]) -> dict[int, int]:
    """For each old paragraph in `lost`, the new paragraph holding at least CONTAINED of its words (the
    last of the best), if any. A paragraph holding that share misses at most 1 - CONTAINED of them, so
    it holds one of any larger set of them: only the paragraphs holding one of its rarest words are read."""
    if not lost:
        return {}
    holding: dict[str, list[int]] = defaultdict(list)
    for j, tokens in enumerate(new_words):
        for word in set(tokens):
            holding[word].append(j)
    rarity = {word: len(found) for word, found in holding.items()}
    sets_new: dict[int, set[str]] = {}
    found: dict[int, int] = {}
    for i in lost:
        mine = set(old_words[i])
        known = [word for word in mine if word in rarity]
        # The words found nowhere are the rarest of all; the others needed to make up the set:
        wanted = int((1 - CONTAINED) * len(mine) + 1e-9) + 1 - (len(mine) - len(known))
        if wanted <= 0:
            continue  # too many of its words are gone from the new text
        rarest = nsmallest(wanted, known, key=rarity.__getitem__)
        # Words found in very many paragraphs: only the paragraphs nearest to where this one stood.
        place = round(i / max(len(old_words), 1) * len(new_words))
        window = max(MERGE_CANDIDATES // len(rarest), 8)
        candidates: set[int] = set()
        for word in rarest:
            holders_of_word = holding[word]
            if len(holders_of_word) > window:
                middle = bisect_left(holders_of_word, place)
                holders_of_word = holders_of_word[max(0, middle - window // 2):middle + window // 2]
            candidates.update(holders_of_word)
        best, best_share = None, CONTAINED
        for j in sorted(candidates):
            theirs = sets_new.get(j)
            if theirs is None:
                theirs = sets_new[j] = set(new_words[j])
            share = len(mine & theirs) / len(mine)
            if share >= best_share:
                best, best_share = j, share
        if best is not None:
            found[i] = best
    return found


def _moved(pairs: dict[int, int]) -> set[int]:
    """Old indices outside the longest run that keeps its order: those paragraphs moved."""
    keep = {i for i, _j in longest_ordered_run(sorted(pairs.items()))}
    return set(pairs) - keep
