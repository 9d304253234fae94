"""The rules of proposed amendments that hold wherever they are typed, stored or printed.

A paragraph reference is written one way ("31(c)", never "031 (C)"), so that the same paragraph is one
row of the compiled annex and references sort as the compact numbers its paragraphs. Two proposals
are the same proposal when they differ only in whitespace: case and punctuation matter in legal text.

A stored amendment is a dict: "key" (its stable id within the position: kept through edits, revisions
and carry forward), "paragraph_id" (the TextParagraph it was written against; None: not anchored to
the text, as amendments typed before the negotiated text was loaded), "kind" ("replace",
"insert_after", "delete"), "section_id", "paragraph" (the reference; the paragraph's number when
anchored), "current_text" (when anchored, the paragraph's text, copied by the server), "proposed_text"
("" for a deletion) and "rationale".
"""

from __future__ import annotations

import hashlib
import re
import secrets

from flask_babel import lazy_gettext as _l

from drafting.amendments.diff import Budget, Segment, diff_words
from drafting.amendments.uptake import KINDS
from drafting.text import collapse_whitespace

KIND_LABELS = {"replace": _l("Replace wording"), "insert_after": _l("Insert after"), "delete": _l("Delete")}

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


def same_proposal_key(text: str | None) -> str:
    """Proposals that differ only in whitespace are one proposal; case and punctuation are kept."""
    return collapse_whitespace(text)


FIELDS = ("key", "paragraph_id", "kind", "section_id", "paragraph", "current_text", "proposed_text",
          "rationale")


# A key names its amendment in the status table (amendment_statuses.amendment_key, 64 characters): a
# longer one would lose its status, and it only ever holds what new_key makes.
KEY_MAX = 64
_KEY = re.compile(rf"[A-Za-z0-9_-]{{1,{KEY_MAX}}}")


def is_key(value: str) -> bool:
    return bool(_KEY.fullmatch(value))


def new_key() -> str:
    return secrets.token_hex(4)


def _legacy_key(index: int, amendment: dict) -> str:
    """A key for an amendment stored without one: the same on every read of the same dict."""
    seed = f"{index}|{amendment.get('paragraph')}|{amendment.get('proposed_text')}"
    return hashlib.sha256(seed.encode("utf-8", "replace")).hexdigest()[:8]


def normalise_amendment(amendment: dict, index: int = 0) -> dict:
    """A stored amendment with every key of FIELDS: old dicts get a key, "replace" and no anchor."""
    result = {name: amendment.get(name) for name in FIELDS}
    result["key"] = str(result["key"] or _legacy_key(index, amendment))
    if result["kind"] not in KINDS:
        result["kind"] = "replace"
    if not isinstance(result["paragraph_id"], int) or isinstance(result["paragraph_id"], bool):
        result["paragraph_id"] = None
    for name in ("paragraph", "current_text", "proposed_text", "rationale"):
        result[name] = str(result[name] or "")
    return result


def normalised(amendments) -> list[dict]:
    """How every reader takes a stored list of amendments (positions, revisions, editions, forms)."""
    if not isinstance(amendments, list):
        return []
    return [normalise_amendment(a, i) for i, a in enumerate(amendments) if isinstance(a, dict)]


def proposed_change(kind: str, current_text: str, proposed_text: str, budget: Budget | None = None) -> list[Segment]:
    """A proposal as UN compilation documents print it, against the paragraph's current text: a new
    paragraph is all inserted, a deletion all deleted, a replacement its word-level change."""
    if kind == "delete":
        return [Segment("delete", current_text)]
    if kind == "insert_after":
        return [Segment("insert", proposed_text)]
    return diff_words(current_text, proposed_text, budget)
