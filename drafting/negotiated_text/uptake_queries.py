"""The Uptake page's figures: for each revision of the text, how many of the networks' proposals it
took up fully or partly, per network and per objective, with the paragraphs concerned.

Counted: the anchored amendments of positions submitted for review and not withdrawn or rejected
(`stages.COUNTED`: what the networks put forward), each in the revision that followed the one it
amended (one `AmendmentStatus` row). An objective is one of the compact's 23, the one the amended
paragraph is mapped to (drafting.negotiated_text.objectives), not the draft's own heading. Three
statements whatever the number of amendments: the revisions, the networks
and one grouped count.

UCLG's joint proposals (`joint_uptake`): for each revision, how much of the joint proposals on the
paragraphs of the revision before it took up (`uptake.assess` of the joint wording against the
paragraph's successor, as for an amendment), and for each network how much of its language reached the
joint proposal (its amendments there taken, modified or merged into it, as the secretariat recorded)
and then this revision (the joint proposal that carried it taken up). Three statements more, whatever
the number of proposals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from drafting.amendments.rules import KIND_LABELS, proposed_change, reference_sort_key
from drafting.amendments.uptake import STATUSES, TAKEN_UP, assess
from drafting.core.memo import memoized
from drafting.extensions import db
from drafting.models import (
    Amendment,
    AmendmentOutcome,
    AmendmentStatus,
    JointProposal,
    Organisation,
    Position,
    TextParagraph,
    TextRevision,
    stages,
)
from drafting.negotiated_text.following import anchored
from drafting.reference.snapshot import reference_names


@dataclass
class Counts:
    by_status: dict[str, int] = field(default_factory=dict)

    def add(self, status: str, count: int) -> None:
        self.by_status[status] = self.by_status.get(status, 0) + count

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def taken_up(self) -> int:
        return self.by_status.get("taken_up", 0)

    @property
    def partly(self) -> int:
        return self.by_status.get("partly_taken_up", 0)

    @property
    def share(self) -> float:
        """Taken up fully or partly, out of all: 0 to 1."""
        return (self.taken_up + self.partly) / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        """The share as the page and the CSV file show it: a whole percentage."""
        return round(self.share * 100)


@dataclass(frozen=True)
class ParagraphConcerned:
    """A paragraph of the revision before with proposals of one status, and where it stands now."""

    number: str
    successor_number: str | None
    successor_anchor: str | None
    status: str
    count: int


@dataclass
class ObjectiveLine:
    section: str  # the objective's label ("4. Legal identity and documentation"), "" for none
    organisation: Organisation
    first_order: int  # the objective's number (paragraphs mapped to none come last)
    counts: Counts = field(default_factory=Counts)
    details: list[ParagraphConcerned] = field(default_factory=list)  # every proposal, with its status

    @property
    def paragraphs(self) -> list[ParagraphConcerned]:
        """The paragraphs concerned: where proposals were taken up, fully or partly."""
        return [p for p in self.details if p.status in TAKEN_UP]


# What a joint proposal did with an amendment that carries the amendment's language into it.
REACHED = ("taken", "modified", "merged")


@dataclass
class NetworkReach:
    """One network's amendments on paragraphs that have a joint proposal: how many, how many reached
    the joint proposal (taken, modified or merged into it), and of those how many reached the revision
    (their joint proposal taken up there, fully or partly)."""

    amendments: int = 0
    reached: int = 0
    undecided: int = 0  # no outcome recorded yet
    then_taken_up: int = 0

    @property
    def share(self) -> float:
        return self.reached / self.amendments if self.amendments else 0.0

    @property
    def percent(self) -> int:
        """The share as the page and the CSV file show it: a whole percentage."""
        return round(self.share * 100)


@dataclass
class JointUptake:
    """UCLG's joint proposals on the paragraphs of the revision before, and what this revision made of them."""

    counts: Counts  # one status per joint proposal that proposes a change
    unchanged: int  # joint proposals that leave their paragraph as it was: nothing to take up
    networks: list[tuple[Organisation, NetworkReach]]

    def reach_of(self, organisation_id: int) -> NetworkReach | None:
        return next((reach for organisation, reach in self.networks if organisation.id == organisation_id), None)


@dataclass
class RevisionUptake:
    revision: TextRevision
    networks: list[tuple[Organisation, Counts]]
    objectives: list[tuple[str, list[ObjectiveLine]]]  # by section, in the text's order
    # None: no joint proposal on the revision before, or no proposal of the networks shown (the joint
    # figures stand beside theirs, on the page, in its CSV file and in the API alike).
    joint: JointUptake | None = None

    @property
    def counts(self) -> Counts:
        total = Counts()
        for _organisation, counts in self.networks:
            for status, count in counts.by_status.items():
                total.add(status, count)
        return total


@dataclass
class Uptake:
    revisions: list[RevisionUptake]
    organisations: list[Organisation]  # the networks shown


def networks(organisation_ids: list[int] | None) -> list[Organisation]:
    """The networks whose uptake is shown: the given ones, or every network that writes positions."""
    query = select(Organisation).order_by(Organisation.id)
    if organisation_ids is None:
        query = query.where(Organisation.contributes_positions.is_(True))
    else:
        query = query.where(Organisation.id.in_(organisation_ids))
    return list(db.session.scalars(query))


def followed_revisions() -> list[TextRevision]:
    """Revisions that followed the amendments of the revision before, newest first."""
    return list(db.session.scalars(select(TextRevision).where(TextRevision.reanchor_count.is_not(None))
                                   .order_by(TextRevision.issued_on.desc(), TextRevision.id.desc())))


def build_uptake(organisation_ids: list[int] | None, revision_id: int | None = None) -> Uptake:
    """The figures for these networks (None: every network), of one revision or of all."""
    shown = networks(organisation_ids)
    revisions = [r for r in followed_revisions() if revision_id is None or r.id == revision_id]
    anchored, successor = aliased(TextParagraph), aliased(TextParagraph)
    query = (
        select(AmendmentStatus.text_revision_id, Position.organisation_id, anchored.objective_id, anchored.number,
               anchored.order, successor.number, successor.kind, successor.order, AmendmentStatus.status, func.count())
        .join(Position, Position.id == AmendmentStatus.position_id)
        .join(anchored, anchored.id == AmendmentStatus.anchored_paragraph_id)
        .outerjoin(successor, successor.id == AmendmentStatus.paragraph_id)
        .where(Position.stage.in_(stages.COUNTED), Position.organisation_id.in_([o.id for o in shown]))
        .group_by(AmendmentStatus.text_revision_id, Position.organisation_id, anchored.objective_id, anchored.number,
                  anchored.order, successor.number, successor.kind, successor.order, AmendmentStatus.status)
    )
    if revision_id is not None:
        query = query.where(AmendmentStatus.text_revision_id == revision_id)
    by_network: dict[tuple[int, int], Counts] = defaultdict(Counts)
    by_objective: dict[tuple[int, str, int], ObjectiveLine] = {}
    by_id = {o.id: o for o in shown}
    themes = reference_names().themes
    rows = db.session.execute(query) if shown and revisions else []
    for revision_id_, organisation_id, objective_id, number, _order, new_number, new_kind, new_order, status, count \
            in rows:
        by_network[(revision_id_, organisation_id)].add(status, count)
        objective = themes.get(objective_id)
        label = objective.label if objective else ""
        line = by_objective.setdefault((revision_id_, label, organisation_id),
                                       ObjectiveLine(label, by_id[organisation_id], objective.number if objective
                                                     else 1_000))
        line.counts.add(status, count)
        anchor = TextParagraph(kind=new_kind, number=new_number, order=new_order).anchor if new_kind else None
        line.details.append(ParagraphConcerned(number, new_number, anchor, status, count))
    result = []
    for revision in revisions:
        sections: dict[str, list[ObjectiveLine]] = defaultdict(list)
        for (rid, section, _organisation_id), line in by_objective.items():
            if rid == revision.id:
                line.details.sort(key=lambda p: (reference_sort_key(p.number), STATUSES.index(p.status)))
                sections[section].append(line)
        objectives = sorted(((section, sorted(lines, key=lambda line: line.organisation.id))
                             for section, lines in sections.items()),
                            key=lambda item: min(line.first_order for line in item[1]))
        result.append(RevisionUptake(
            revision=revision,
            networks=[(organisation, by_network.get((revision.id, organisation.id), Counts()))
                      for organisation in shown],
            objectives=objectives))
    joint = joint_uptake([item.revision.id for item in result if item.revision.reanchored_at is not None], shown)
    for item in result:
        item.joint = joint.get(item.revision.id) if item.counts.total else None
    return Uptake(revisions=result, organisations=shown)


@memoized(maxsize=8192)
def joint_status(kind: str, current: str, proposed: str, successor: str | None,
                 new_paragraphs: tuple[str, ...] | None) -> str:
    """What a revision made of one joint proposal (`uptake.assess`, a pure function of its wordings)."""
    return assess(kind, current, proposed, successor, list(new_paragraphs) if new_paragraphs is not None else None)


def joint_uptake(revision_ids: list[int], shown: list[Organisation]) -> dict[int, JointUptake]:
    """For each revision (of `revision_ids`), the joint proposals on the revision before and the reach of
    each network of `shown`. The successor of a paragraph is the one its amendments were followed to
    (every joint proposal's paragraph has amendments). Three statements, whatever the data."""
    if not revision_ids:
        return {}
    # The successor of each paragraph with amendments, per revision that followed them.
    followed = (select(AmendmentStatus.text_revision_id.label("revision_id"),
                       AmendmentStatus.anchored_paragraph_id.label("paragraph_id"),
                       func.min(AmendmentStatus.paragraph_id).label("successor_id"))
                .where(AmendmentStatus.text_revision_id.in_(revision_ids))
                .group_by(AmendmentStatus.text_revision_id, AmendmentStatus.anchored_paragraph_id).subquery())
    before, successor = aliased(TextParagraph), aliased(TextParagraph)
    proposals = db.session.execute(
        select(followed.c.revision_id, JointProposal.id, JointProposal.choice, JointProposal.kind,
               JointProposal.text, before.text, successor.text)
        .join(followed, followed.c.paragraph_id == JointProposal.paragraph_id)
        .join(before, before.id == JointProposal.paragraph_id)
        .outerjoin(successor, successor.id == followed.c.successor_id)).all()
    if not proposals:
        return {}
    # Where a new paragraph may land: the whole new text, read only when a joint proposal inserts one.
    inserting = {row[0] for row in proposals if row[2] != "unchanged" and row[3] == "insert_after"}
    new_text: dict[int, list[str]] = defaultdict(list)
    if inserting:
        for revision_id, text in db.session.execute(
                select(TextParagraph.revision_id, TextParagraph.text)
                .where(TextParagraph.revision_id.in_(inserting), TextParagraph.kind == "paragraph")
                .order_by(TextParagraph.revision_id, TextParagraph.order)):
            new_text[revision_id].append(text)
    figures: dict[int, JointUptake] = {}
    statuses: dict[tuple[int, int], str] = {}
    for revision_id, proposal_id, choice, kind, text, current, successor_text in proposals:
        joint = figures.setdefault(revision_id, JointUptake(Counts(), 0, []))
        if choice == "unchanged":
            joint.unchanged += 1
            continue
        new_paragraphs = tuple(new_text[revision_id]) if kind == "insert_after" else None
        status = joint_status(kind, current, text, successor_text, new_paragraphs)
        statuses[(revision_id, proposal_id)] = status
        joint.counts.add(status, 1)

    # Each counted amendment on a paragraph with a joint proposal, and what the proposal did with it.
    reach: dict[tuple[int, int], NetworkReach] = defaultdict(NetworkReach)
    if shown:
        rows = db.session.execute(
            select(AmendmentStatus.text_revision_id, Position.organisation_id, JointProposal.id,
                   AmendmentOutcome.outcome, func.count())
            .join(Position, Position.id == AmendmentStatus.position_id)
            .join(JointProposal, JointProposal.paragraph_id == AmendmentStatus.anchored_paragraph_id)
            .outerjoin(Amendment, (Amendment.position_id == AmendmentStatus.position_id)
                       & (Amendment.key == AmendmentStatus.amendment_key))
            .outerjoin(AmendmentOutcome, (AmendmentOutcome.amendment_id == Amendment.id)
                       & (AmendmentOutcome.proposal_id == JointProposal.id))
            .where(AmendmentStatus.text_revision_id.in_(revision_ids), Position.stage.in_(stages.COUNTED),
                   Position.organisation_id.in_([o.id for o in shown]))
            .group_by(AmendmentStatus.text_revision_id, Position.organisation_id, JointProposal.id,
                      AmendmentOutcome.outcome))
        for revision_id, organisation_id, proposal_id, outcome, count in rows:
            line = reach[(revision_id, organisation_id)]
            line.amendments += count
            if outcome is None:
                line.undecided += count
            elif outcome in REACHED:
                line.reached += count
                if statuses.get((revision_id, proposal_id)) in TAKEN_UP:
                    line.then_taken_up += count
    for revision_id, joint in figures.items():
        joint.networks = [(organisation, reach[(revision_id, organisation.id)]) for organisation in shown
                          if (revision_id, organisation.id) in reach]
    return figures



def proposals_per_paragraph(revision: TextRevision) -> dict[int, list[tuple[str, int]]]:
    """For the reading page: paragraph id -> [(network short name, amendments it proposes there)], in
    the order of the networks' names. Counted like the uptake: positions put forward (`stages.COUNTED`),
    so that one network's drafts are not announced to the others. One statement for the paragraphs'
    ids and one for the positions with amendments; the amendments are read as stored (JSON)."""
    ids = set(db.session.scalars(select(TextParagraph.id).where(TextParagraph.revision_id == revision.id)))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = db.session.execute(
        select(Organisation.short_name, Position.amendments).join(Organisation, Position.organisation)
        .where(Position.stage.in_(stages.COUNTED), func.json_array_length(Position.amendments) > 0))
    for network, amendments in rows:
        for amendment in anchored(amendments):
            if amendment["paragraph_id"] in ids:
                counts[amendment["paragraph_id"]][network] += 1
    return {paragraph_id: sorted(by_network.items()) for paragraph_id, by_network in counts.items()}


@dataclass(frozen=True)
class ParagraphProposal:
    """One amendment on a paragraph, with the position that proposes it and its network."""

    position: Position
    amendment: dict

    @property
    def change(self) -> list:
        return proposed_change(self.amendment["kind"], self.amendment["current_text"], self.amendment["proposed_text"])

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.amendment["kind"]])


def proposals_on_paragraph(paragraph: TextParagraph) -> list[tuple[Organisation, list[ParagraphProposal]]]:
    """The amendments on one paragraph, by network (in the order of the networks' names), counted as
    `proposals_per_paragraph` counts them: positions put forward (`stages.COUNTED`)."""
    found = [(position_id, amendment) for position_id, amendments in db.session.execute(
                 select(Position.id, Position.amendments)
                 .where(Position.stage.in_(stages.COUNTED), func.json_array_length(Position.amendments) > 0))
             for amendment in anchored(amendments) if amendment["paragraph_id"] == paragraph.id]
    positions = {p.id: p for p in db.session.scalars(
        select(Position).where(Position.id.in_({position_id for position_id, _ in found}))
        .options(joinedload(Position.organisation)))} if found else {}
    by_network: dict[int, tuple[Organisation, list[ParagraphProposal]]] = {}
    for position_id, amendment in sorted(found, key=lambda item: (positions[item[0]].organisation.short_name,
                                                                  item[0])):
        position = positions[position_id]
        by_network.setdefault(position.organisation_id, (position.organisation, []))[1].append(
            ParagraphProposal(position, amendment))
    return list(by_network.values())

