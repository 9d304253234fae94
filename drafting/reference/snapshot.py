"""The reference data that lists name on every row (milestones, networks, objectives, sections), held in memory.

A list of 25 positions names a milestone, a network and a few objectives on each row; the review queue's
filters offer every milestone, network and objective. Read from the database on each request, that was
three or four statements and some hundred ORM objects per page. Here each process keeps one copy per
interface language, made the first time a page needs it and made again when `reference_version` moves
(drafting.models.reference_version: the database's triggers move it on every change, whoever writes,
and the number is read with the logged-in user, so knowing whether the copy is current costs nothing).

The copy holds plain, frozen records, never ORM objects: nothing here can be written back by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app, g, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from drafting.extensions import db
from drafting.i18n import page_language
from drafting.models import CompactSection, Milestone, Organisation, Theme
from drafting.models.reference_version import ReferenceVersion


@dataclass(frozen=True, slots=True)
class MilestoneName:
    id: int
    name: str
    display_name: str  # in the copy's language
    kind: str
    start_date: date
    end_date: date
    submission_deadline: date | None
    review_deadline: date | None

    @property
    def takes_positions(self) -> bool:
        return self.submission_deadline is not None

    def review_overdue(self, on: date) -> bool:
        return Milestone.review_overdue(self, on)  # one home for the rule: the model's


@dataclass(frozen=True, slots=True)
class OrganisationName:
    id: int
    short_name: str
    full_name: str
    contributes_positions: bool


@dataclass(frozen=True, slots=True)
class ThemeName:
    id: int
    kind: str
    number: int | None
    label: str  # in the copy's language, "3. Information" for an objective
    sort_key: tuple


@dataclass(frozen=True)
class ReferenceNames:
    """One language's copy, at one version of the reference data."""

    version: int
    language: str
    milestones: dict[int, MilestoneName]
    organisations: dict[int, OrganisationName]
    themes: dict[int, ThemeName]
    milestones_taking_positions: tuple[MilestoneName, ...]  # by start date: the filters' choices
    contributing_organisations: tuple[OrganisationName, ...]  # by short name
    themes_in_order: tuple[ThemeName, ...]  # objectives by number, then workstreams
    section_names: dict[int, str]  # the compact's sections, in the copy's language
    _listed: dict = field(default_factory=dict, repr=False, compare=False)

    def themes_named(self, ids) -> list[ThemeName]:
        """The themes with these ids in the order the lists show them (unknown ids left out)."""
        found = [self.themes[i] for i in ids if i in self.themes]
        return sorted(found, key=lambda theme: theme.sort_key)

    def themes_listed(self, ids: str | None) -> tuple[list[ThemeName], str]:
        """The themes of "3,12" (ids as a list row gives them) and their labels joined for a cell; the few
        combinations the positions use are worked out once per copy."""
        if not ids:
            return [], ""
        found = self._listed.get(ids)
        if found is None:
            themes = self.themes_named(int(i) for i in ids.split(","))
            found = (themes, ", ".join(theme.label for theme in themes))
            if len(self._listed) < 10_000:
                self._listed[ids] = found
        return found


def reference_version() -> int | None:
    """The version of the reference data this request works with: read with the user when someone is
    logged in (drafting.security.load_user), else here, once per request."""
    version = g.get("reference_version")
    if version is None:
        version = g.reference_version = db.session.scalar(select(ReferenceVersion.number))
    return version


def reference_names() -> ReferenceNames:
    """The copy for this request's language and the current version (made now if there is none)."""
    version, language = reference_version(), page_language()
    if version is None:  # no version row (a database emptied by hand): nothing can say a copy is current
        return _read(0, language)
    copies: dict = current_app.extensions.setdefault("reference_names", {})
    found = copies.get((version, language))
    if found is None:
        found = _read(version, language)
        if any(key[0] != version for key in copies):  # the data changed: the other copies are stale too
            copies.clear()
        copies[(version, language)] = found
    return found


@event.listens_for(Session, "after_commit")
def _forget_version(session) -> None:
    """After a commit the data may have changed: the next `reference_names()` reads the version again."""
    if has_app_context():
        g.pop("reference_version", None)


def _read(version: int, language: str) -> ReferenceNames:
    milestones = {m.id: MilestoneName(m.id, m.name, m.display_name, m.kind, m.start_date, m.end_date,
                                      m.submission_deadline, m.review_deadline)
                  for m in db.session.scalars(select(Milestone).order_by(Milestone.start_date, Milestone.id))}
    organisations = {o.id: OrganisationName(o.id, o.short_name, o.full_name, bool(o.contributes_positions))
                     for o in db.session.scalars(select(Organisation).order_by(Organisation.short_name))}
    themes = {t.id: ThemeName(t.id, t.kind, t.number, t.label, t.sort_key)
              for t in db.session.scalars(select(Theme))}
    sections = {s.id: s.display_name for s in db.session.scalars(select(CompactSection).order_by(CompactSection.order))}
    return ReferenceNames(
        version=version, language=language, milestones=milestones, organisations=organisations, themes=themes,
        milestones_taking_positions=tuple(m for m in milestones.values() if m.takes_positions),
        contributing_organisations=tuple(o for o in organisations.values() if o.contributes_positions),
        themes_in_order=tuple(sorted(themes.values(), key=lambda theme: theme.sort_key)),
        section_names=sections,
    )
