"""Amendments follow the text from one revision to the next.

When a revision is published, every amendment anchored to a paragraph of the revision immediately
before it (by date, then id: the order of `revisions.current_revision`) gets one status in the new
revision: its paragraph is matched by its words, not its number (`matching.match_paragraphs`), and
`uptake.assess` judges the proposal against the successor. The work is the background worker's
(`tasks.follow_amendments_task`, queued when the publishing commits); each status is written once
(a unique key), so a job that runs twice adds nothing the second time, and tells nobody twice.

Carrying a position forward re-anchors its amendments the same way to the revision that the new
milestone amends (`reanchor`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.exc import IntegrityError

from drafting.amendments.matching import match_paragraphs
from drafting.amendments.rules import normalised
from drafting.amendments.uptake import assess
from drafting.clock import now
from drafting.extensions import db
from drafting.models import AmendmentStatus, Position, TextParagraph, TextRevision
from drafting.negotiated_text.signals import amendments_followed
from drafting.worker import enqueue_after_commit


@dataclass(frozen=True)
class Line:
    """A numbered paragraph as the matching reads it."""

    id: int
    number: str
    section: str
    text: str


@dataclass(frozen=True)
class FollowedAmendment:
    """One amendment's status in a new revision, as its authors are told."""

    key: str
    paragraph: str  # its number in the revision before
    successor: str | None  # the successor's number in the new revision (None: removed)
    status: str


def previous_revision(revision: TextRevision) -> TextRevision | None:
    """The revision immediately before `revision`: issued earlier, or the same day and published earlier."""
    return db.session.scalar(
        select(TextRevision)
        .where(or_(TextRevision.issued_on < revision.issued_on,
                   and_(TextRevision.issued_on == revision.issued_on, TextRevision.id < revision.id)))
        .order_by(TextRevision.issued_on.desc(), TextRevision.id.desc()).limit(1))


def paragraphs_of(revision_id: int) -> list[Line]:
    return [Line(*row) for row in db.session.execute(
        select(TextParagraph.id, TextParagraph.number, TextParagraph.section, TextParagraph.text)
        .where(TextParagraph.revision_id == revision_id, TextParagraph.kind == "paragraph")
        .order_by(TextParagraph.order))]


def anchored(amendments) -> list[dict]:
    """The stored amendments (read as every reader reads them) that are anchored to a paragraph."""
    return [amendment for amendment in normalised(amendments) if amendment["paragraph_id"] is not None]


def anchored_amendments(paragraph_ids) -> list[tuple[int, dict]]:
    """(position id, amendment) for every amendment anchored to one of `paragraph_ids`. One
    statement: positions without amendments are left out by the database."""
    paragraph_ids = set(paragraph_ids)
    found = []
    if not paragraph_ids:
        return found
    rows = db.session.execute(
        select(Position.id, Position.amendments)
        .where(func.json_array_length(Position.amendments) > 0).order_by(Position.id))
    for position_id, amendments in rows:
        found += [(position_id, amendment) for amendment in anchored(amendments)
                  if amendment["paragraph_id"] in paragraph_ids]
    return found


def count_to_follow(revision: TextRevision) -> int | None:
    """How many amendments publishing `revision` will follow (None: no revision before it)."""
    before = previous_revision(revision)
    if before is None:
        return None
    ids = db.session.scalars(select(TextParagraph.id).where(TextParagraph.revision_id == before.id,
                                                            TextParagraph.kind == "paragraph"))
    return len(anchored_amendments(ids))


def schedule(revision: TextRevision) -> None:
    """Publishing `revision`: count the amendments to follow and queue the job that follows them, when
    the publishing commits (the caller commits). Nothing to follow: done at once."""
    revision.reanchor_count = count_to_follow(revision)
    if revision.reanchor_count:
        revision.reanchored_at = None
        enqueue_after_commit("drafting.negotiated_text.tasks.follow_amendments_task", revision.id)
    else:
        revision.reanchored_at = now()


def retry(revision: TextRevision) -> bool:
    """Follow the amendments into `revision` again, after the job passed a limit of background jobs
    (`reanchor_failure`); commits. False if it had not failed."""
    if not revision.reanchor_failure or revision.reanchored_at is not None:
        return False
    revision.reanchor_failure = ""
    schedule(revision)
    db.session.commit()
    return True


def follow_amendments(revision_id: int) -> int:
    """Give every amendment anchored to the revision before `revision_id` its status there, announce
    them (`amendments_followed`: the authors' notifications) and commit. Returns how many statuses
    this run wrote; a second run writes none."""
    revision = db.session.get(TextRevision, revision_id)
    if revision is None:
        return 0
    before = previous_revision(revision)
    old = paragraphs_of(before.id) if before is not None else []
    new = paragraphs_of(revision.id)
    successor_of = {match.old: match.new for match in match_paragraphs([p.text for p in old], [p.text for p in new])
                    if match.old is not None and match.new is not None}
    index_of = {paragraph.id: index for index, paragraph in enumerate(old)}
    new_texts = [paragraph.text for paragraph in new]
    seen = set(db.session.execute(
        select(AmendmentStatus.position_id, AmendmentStatus.amendment_key)
        .where(AmendmentStatus.text_revision_id == revision.id)).all())
    total = len(seen)
    moment = now()
    rows: list[dict] = []
    followed: dict[int, list[FollowedAmendment]] = defaultdict(list)
    for position_id, amendment in anchored_amendments(index_of):
        key = str(amendment["key"])[:64]
        if (position_id, key) in seen:
            continue
        seen.add((position_id, key))
        paragraph = old[index_of[amendment["paragraph_id"]]]
        j = successor_of.get(index_of[amendment["paragraph_id"]])
        successor = new[j] if j is not None else None
        status = assess(amendment["kind"], paragraph.text, amendment["proposed_text"],
                        successor.text if successor else None, new_texts)
        rows.append({"position_id": position_id, "amendment_key": key, "text_revision_id": revision.id,
                     "anchored_paragraph_id": paragraph.id, "paragraph_id": successor.id if successor else None,
                     "status": status, "created_at": moment})
        followed[position_id].append(FollowedAmendment(key, paragraph.number,
                                                       successor.number if successor else None, status))
    if rows:
        db.session.execute(insert(AmendmentStatus), rows)
    revision.reanchor_count = total + len(rows) if before is not None else None
    revision.reanchored_at = moment
    if followed:
        amendments_followed.send(revision, before=before, followed=dict(followed))
    try:
        db.session.commit()
    except IntegrityError:
        # Another run of the same job wrote these statuses meanwhile: it has told the authors too.
        db.session.rollback()
        return 0
    return len(rows)


def status_counts(revision: TextRevision) -> dict[str, int]:
    """How many amendments got each status in `revision` (empty until the worker has followed them)."""
    if revision.reanchored_at is None or not revision.reanchor_count:
        return {}
    return dict(db.session.execute(
        select(AmendmentStatus.status, func.count()).where(AmendmentStatus.text_revision_id == revision.id)
        .group_by(AmendmentStatus.status)).all())


@dataclass(frozen=True)
class LatestStatus:
    """An amendment's status in the latest revision that followed it: where its words stand now."""

    status: str
    revision: TextRevision
    paragraph: TextParagraph | None  # the successor (None: removed)


def latest_statuses(position_id: int, amendments: list) -> dict[str, LatestStatus]:
    """For each amendment of the position (by key), its latest status: one statement. A status given
    while the amendment was anchored to another paragraph (edited since) is left out."""
    anchored_to = {a["key"]: a["paragraph_id"] for a in anchored(amendments)}
    if not anchored_to:
        return {}
    rows = db.session.execute(
        select(AmendmentStatus, TextRevision, TextParagraph)
        .join(TextRevision, TextRevision.id == AmendmentStatus.text_revision_id)
        .outerjoin(TextParagraph, TextParagraph.id == AmendmentStatus.paragraph_id)
        .where(AmendmentStatus.position_id == position_id)
        .order_by(TextRevision.issued_on, TextRevision.id)).all()
    latest: dict[str, LatestStatus] = {}
    for status, revision, paragraph in rows:
        if anchored_to.get(status.amendment_key) == status.anchored_paragraph_id:
            latest[status.amendment_key] = LatestStatus(status.status, revision, paragraph)
    return latest


@dataclass(frozen=True)
class Unanchored:
    """An amendment that carry forward could not re-anchor: its paragraph has no successor."""

    paragraph: str
    revision: str


def reanchor(amendments: list, target: TextRevision | None) -> tuple[list[dict], list[Unanchored]]:
    """The amendments anchored to `target` instead of the revision they were written against: each to the
    paragraph that now holds its paragraph's words (its number and text the current ones), the same
    match as publishing makes. An amendment whose paragraph was removed stays, unanchored; it is listed
    in the second value. Keys, kinds, proposals and rationales are kept."""
    result = normalised(amendments)
    ids = {a["paragraph_id"] for a in result if a["paragraph_id"] is not None}
    if target is None or not ids:
        return result, []
    sources = dict(db.session.execute(select(TextParagraph.id, TextParagraph.revision_id)
                                      .where(TextParagraph.id.in_(ids))).all())
    names = dict(db.session.execute(select(TextRevision.id, TextRevision.name)
                                    .where(TextRevision.id.in_(set(sources.values())))).all())
    new = paragraphs_of(target.id)
    successors: dict[int, Line | None] = {}
    for source in set(sources.values()) - {target.id}:
        old = paragraphs_of(source)
        pairs = {m.old: m.new for m in match_paragraphs([p.text for p in old], [p.text for p in new])
                 if m.old is not None}
        successors.update({p.id: new[pairs[i]] if pairs.get(i) is not None else None for i, p in enumerate(old)})
    lost = []
    for amendment in result:
        source = sources.get(amendment["paragraph_id"])
        if source is None or source == target.id:
            continue
        successor = successors.get(amendment["paragraph_id"])
        if successor is None:
            lost.append(Unanchored(amendment["paragraph"], names[source]))
            amendment["paragraph_id"] = None
            continue
        amendment.update(paragraph_id=successor.id, paragraph=successor.number, current_text=successor.text)
    return result, lost
