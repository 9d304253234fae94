"""Which of the compact's 23 objectives each paragraph of a revision belongs to.

Proposed when the revision is loaded, from its headings: a heading such as "Objective 4: Access to basic
services" names an objective by name and number. Drafts renumbered their objectives, so the name decides
when it matches one objective's words well enough, the number otherwise. The secretariat then confirms
or corrects the mapping (`assign`); Uptake counts by it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from drafting.clock import now
from drafting.extensions import db
from drafting.models import TextParagraph, TextRevision, Theme

_NUMBERED = re.compile(r"^\s*objective\s+(\d{1,2})\b\s*[:.\-–—]?\s*(.*)$", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+")
_SMALL_WORDS = frozenset("a an and at all by for from in into of on or the their to with".split())
# The share of a heading's words an objective's name and title must hold for the name to decide.
NAME_MATCH = 0.6


@dataclass(frozen=True)
class ObjectiveName:
    id: int
    number: int
    words: frozenset[str]


def words_of(text: str) -> frozenset[str]:
    # "services" and "service", "lives" and "live": a crude plural fold is enough for headings.
    return frozenset(w[:-1] if len(w) > 3 and w.endswith("s") else w
                     for w in _WORD.findall((text or "").lower()) if w not in _SMALL_WORDS)


def objectives() -> list[Theme]:
    """The compact's objectives, by number."""
    return list(db.session.scalars(select(Theme).where(Theme.kind == "objective").order_by(Theme.number)))


def objective_names() -> list[ObjectiveName]:
    return [ObjectiveName(t.id, t.number, words_of(f"{t.short_label} {t.title}")) for t in objectives()]


def objective_of_heading(heading: str, objectives: list[ObjectiveName]) -> int | None:
    """The objective a heading names (its id), or None for a heading that is no objective."""
    numbered = _NUMBERED.match(heading or "")
    name = numbered.group(2) if numbered else heading
    words = words_of(name)
    if words:
        score, best = max(((len(words & o.words) / len(words), o) for o in objectives),
                          key=lambda item: (item[0], -item[1].number), default=(0, None))
        if best is not None and score >= NAME_MATCH and (numbered or len(words) >= 2):
            return best.id
    if numbered:
        return next((o.id for o in objectives if o.number == int(numbered.group(1))), None)
    return None


def proposed_objectives(sections: list[str]) -> list[int | None]:
    """For the paragraphs of a revision, by the heading each stands under (its `section`): the objective
    each belongs to, proposed from that heading."""
    objectives = objective_names()
    by_heading: dict[str, int | None] = {}
    return [by_heading.setdefault(section, objective_of_heading(section, objectives)) if section else None
            for section in sections]


def assign(revision: TextRevision, chosen: dict[int, int | None]) -> int:
    """The secretariat's confirmation: paragraph id -> objective id (None: no objective). Every
    paragraph of the revision not named keeps its objective. Returns how many changed."""
    changed = 0
    for paragraph in revision.paragraphs:
        if paragraph.id in chosen and paragraph.objective_id != chosen[paragraph.id]:
            paragraph.objective_id = chosen[paragraph.id]
            changed += 1
    revision.objectives_confirmed_at = now()
    db.session.commit()
    return changed


def sections_of(revision: TextRevision) -> list[tuple[TextParagraph | None, list[TextParagraph]]]:
    """The revision's paragraphs under their headings, in order (None: before the first heading)."""
    groups: list[tuple[TextParagraph | None, list[TextParagraph]]] = [(None, [])]
    for paragraph in revision.paragraphs:
        if paragraph.kind == "heading":
            groups.append((paragraph, []))
        else:
            groups[-1][1].append(paragraph)
    return [group for group in groups if group[0] is not None or group[1]]
