"""The rules of proposed amendments that hold wherever they are typed, stored or printed.

A paragraph reference is written one way ("31(c)", never "031 (C)"), so that the same paragraph is one
row of the compiled annex and references sort as the compact numbers its paragraphs. Two proposals
are the same proposal when they differ only in whitespace: case and punctuation matter in legal text.
"""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+")
_PIECES = re.compile(r"\d+|[^\W\d_]+|[\W_]+")


def normalise_reference(reference: str | None) -> str:
    """"031 (C)" -> "31(c)": no whitespace, letters in lower case, numbers without leading zeros."""
    compact = _SPACE.sub("", reference or "").lower()
    # Leading zeros stripped as text: int() of a pasted megabyte of digits would raise.
    return _NUMBER.sub(lambda match: match.group().lstrip("0") or "0", compact)


def reference_sort_key(reference: str | None) -> tuple:
    """Natural order: 31 < 31(b) < 31(c) < 31(z) < 31(aa) < 32 < 100. Letters compare as the compact
    counts them, by length first (z, then aa)."""
    key = []
    for piece in _PIECES.findall(normalise_reference(reference)):
        if piece.isdigit():
            key.append((0, len(piece), piece))  # as a number, without int(): any length sorts
        elif piece.isalpha():
            key.append((1, len(piece), piece))
        else:
            key.append((2, 0, piece))
    return tuple(key)


def collapse_whitespace(text: str | None) -> str:
    """Runs of spaces, tabs and line ends as one space: how a proposal is compared and printed."""
    return " ".join((text or "").split())


def same_proposal_key(text: str | None) -> str:
    """Proposals that differ only in whitespace are one proposal; case and punctuation are kept."""
    return collapse_whitespace(text)
