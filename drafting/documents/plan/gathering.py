"""What the builder is given: the plain data of an edition (drafting.documents.plan), read from the
database in a few statements joined on the edition's entries, whatever its size.

`plan_edition` gathers the consolidated document's (each position at the revision the edition
recorded, its authors, approvers, shared review comments and annexes); `plan_text_with_amendments`
adds, for the second kind of edition, the text revision's paragraphs and each amendment as a proposal
where it points at one of them, or listed apart where it does not; `plan_table_of_proposals` adds to
that UCLG's joint proposal on each paragraph, for the third; `plan_joint_proposal`, for the fourth, the
text revision's paragraphs and UCLG's joint proposals on them (`joint_changes`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import func, select

from drafting.amendments.rules import normalised
from drafting.documents.naming import CompileOptions, default_symbol, default_title
from drafting.documents.plan import data as plan_data
from drafting.extensions import db
from drafting.models import (
    Amendment,
    AmendmentOutcome,
    Approval,
    Attachment,
    Comment,
    CompactSection,
    Edition,
    EditionEntry,
    JointProposal,
    Organisation,
    Position,
    ProposalAnswer,
    Revision,
    TextParagraph,
    TextRevision,
    Theme,
    User,
    stages,
)


def _authors(edition_id: int) -> dict[int, list[str]]:
    """The authors of each position up to the revision the edition took, in the order they wrote."""
    authors: dict[int, list[str]] = defaultdict(list)
    rows = db.session.execute(
        select(Revision.position_id, User.name)
        .join(User, User.id == Revision.author_id)
        .join(EditionEntry, (EditionEntry.position_id == Revision.position_id)
              & (Revision.number <= EditionEntry.revision_number))
        .where(EditionEntry.edition_id == edition_id).order_by(Revision.position_id, Revision.number)
    )
    for position_id, name in rows:
        if name not in authors[position_id]:
            authors[position_id].append(name)
    return authors


def _approvers(edition_id: int) -> dict[int, list[str]]:
    approvers: dict[int, list[str]] = defaultdict(list)
    rows = db.session.execute(
        select(Approval.position_id, User.name)
        .join(User, User.id == Approval.reviewer_id)
        .join(EditionEntry, (EditionEntry.position_id == Approval.position_id)
              & (EditionEntry.revision_number == Approval.revision_number))
        .where(EditionEntry.edition_id == edition_id).order_by(Approval.id)
    )
    for position_id, name in rows:
        approvers[position_id].append(name)
    return approvers


def _review_notes(edition_id: int) -> dict[int, list[plan_data.ReviewNote]]:
    """Shared review comments: an edition carries those on the revision it compiles, not those on
    superseded ones."""
    notes: dict[int, list[plan_data.ReviewNote]] = defaultdict(list)
    rows = db.session.execute(
        select(Comment.position_id, User.name, Comment.created_at, Comment.body)
        .join(User, User.id == Comment.author_id)
        .join(EditionEntry, (EditionEntry.position_id == Comment.position_id)
              & (EditionEntry.revision_number == Comment.revision_number))
        .where(EditionEntry.edition_id == edition_id, Comment.visibility == "shared",
               User.role.in_(("reviewer", "secretariat")))
        .order_by(Comment.id)
    )
    for position_id, name, created_at, body in rows:
        notes[position_id].append(plan_data.ReviewNote(name, created_at, body))
    return notes


def _annexes(edition_id: int) -> dict[int, list[plan_data.AnnexFile]]:
    annexes: dict[int, list[plan_data.AnnexFile]] = defaultdict(list)
    rows = db.session.execute(
        select(Attachment.position_id, Attachment.filename, Attachment.data)
        .join(EditionEntry, EditionEntry.position_id == Attachment.position_id)
        .where(EditionEntry.edition_id == edition_id).order_by(Attachment.id)
    )
    for position_id, filename, data in rows:
        annexes[position_id].append(plan_data.AnnexFile(filename, data))
    return annexes


def _gather(fn, ids: list[int]) -> dict:
    merged: dict = {}
    for chunk in _chunks(ids):
        merged.update(fn(chunk))
    return merged


def _theme_refs() -> dict[int, plan_data.ThemeRef]:
    refs = {}
    for theme in db.session.scalars(select(Theme).order_by(Theme.id)):
        refs[theme.id] = plan_data.ThemeRef(theme.id, theme.kind, theme.label, theme.sort_key)
    return refs


def _chunks(ids: list[int], size: int = 900):
    # SQLite limits the number of bound parameters of one statement.
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def edition_options(edition: Edition) -> CompileOptions:
    options = CompileOptions.from_dict(edition.options or {})
    options.symbol = edition.symbol or options.symbol  # the symbol it was given when it was recorded
    return options


def plan_edition(edition: Edition, options: CompileOptions | None = None,
                 ) -> tuple[plan_data.EditionPlan, dict[int, int]]:
    """The plain data the builder needs for `edition` (with its own options unless `options` are given):
    the revision of each position it recorded, and those revision numbers by position. A few queries
    joined on the edition's entries, whatever its size: columns only, no ORM object per position."""
    milestone = edition.milestone
    options = options or edition_options(edition)
    authors = _authors(edition.id)
    approvers = _approvers(edition.id)
    notes = _review_notes(edition.id) if options.review_comments else {}
    annexes = _annexes(edition.id) if options.uploaded_annexes else {}
    # Reference names (objectives, sections, the milestone) in the document's language, whoever compiles.
    with force_locale(options.language):
        themes = _theme_refs()
        section_names = {s.id: s.display_name for s in db.session.scalars(select(CompactSection))}
        milestone_name = milestone.display_name
    sections = {s.id: s for s in db.session.scalars(select(CompactSection))}
    # The organisation's full name in the document's language, the English one where none is given.
    translated = {"fr": Organisation.full_name_fr, "es": Organisation.full_name_es}.get(options.language)
    full_name = (Organisation.full_name if translated is None
                 else func.coalesce(func.nullif(translated, ""), Organisation.full_name))
    rows = db.session.execute(
        select(Position.id, Position.approved_at, Organisation.short_name, full_name,
               Revision.number, Revision.title, Revision.text, Revision.summary, Revision.language,
               Revision.theme_ids, Revision.amendments)
        .join(EditionEntry, EditionEntry.position_id == Position.id)
        .join(Organisation, Organisation.id == Position.organisation_id)
        .join(Revision, (Revision.position_id == Position.id) & (Revision.number == EditionEntry.revision_number))
        .where(EditionEntry.edition_id == edition.id).order_by(Position.id)
    )
    entries, taken = [], {}
    for (position_id, approved_at, organisation_short, organisation_full, number, title, text, summary, language,
         theme_ids, stored_amendments) in rows:
        taken[position_id] = number
        amendments = []
        for amendment in normalised(stored_amendments):
            section = sections.get(_as_int(amendment.get("section_id")))
            amendments.append(plan_data.AmendmentEntry(
                section_id=section.id if section else None,
                section_name=section_names[section.id] if section else "",
                section_order=section.order if section else 10_000,
                paragraph=str(amendment.get("paragraph") or ""),
                current_text=str(amendment.get("current_text") or ""),
                proposed_text=str(amendment.get("proposed_text") or ""),
                rationale=str(amendment.get("rationale") or ""),
                kind=amendment["kind"], anchored=amendment["paragraph_id"] is not None,
            ))
        entries.append(plan_data.PositionEntry(
            position_id=position_id, revision_number=number, title=title, text=text, summary=summary or "",
            language=language, organisation_short=organisation_short, organisation_full=organisation_full,
            authors=authors.get(position_id, []), approved_on=approved_at.date() if approved_at else None,
            approvers=approvers.get(position_id, []),
            themes=[themes[i] for i in sorted(theme_ids or []) if i in themes],
            amendments=amendments, review_notes=notes.get(position_id, []), annexes=annexes.get(position_id, []),
        ))
    plan = plan_data.EditionPlan(
        title=options.title.strip() or default_title(milestone, options.language), milestone_name=milestone_name,
        milestone_start=milestone.start_date, milestone_end=milestone.end_date, milestone_place=milestone.place,
        edition_number=edition.number, compiled_at=edition.compiled_at, compiled_by=edition.compiled_by.name,
        positions=entries, preface=options.preface, grouping=options.grouping,
        amendments_annex=options.amendments_annex, review_comments=options.review_comments,
        uploaded_annexes=options.uploaded_annexes, locale=options.language,
        symbol=options.symbol.strip() or default_symbol(milestone, edition.number),
        distribution=options.distribution, advance_unedited=options.advance_unedited,
        document_date=options.document_date, number_paragraphs=options.number_paragraphs,
        pdf_archive=options.pdf_archive,
    )
    return plan, taken


def plan_text_with_amendments(edition: Edition) -> tuple[plan_data.EditionPlan, dict[int, int]]:
    """The plan of a "Text with proposed amendments" of the edition's text revision: the front matter of
    any edition, the revision's paragraphs, and each amendment of the positions' revisions taken: a
    proposal where it points at a paragraph of this revision, listed apart where it does not."""
    milestone, text_revision, options = edition.milestone, edition.text_revision, edition_options(edition)
    # The positions' own texts, comments and annexes are not part of this document.
    plain = replace(options, review_comments=False, uploaded_annexes=False, amendments_annex=False)
    plan, taken = plan_edition(edition, plain)
    if not options.title.strip():
        plan.title = default_title(milestone, options.language, text_revision)
    paragraphs = db.session.execute(
        select(TextParagraph.id, TextParagraph.kind, TextParagraph.text, TextParagraph.number)
        .where(TextParagraph.revision_id == text_revision.id).order_by(TextParagraph.order)).all()
    lines = [plan_data.TextLine(pid, kind, text, number) for pid, kind, text, number in paragraphs]
    anchorable = {line.key for line in lines if line.kind == "paragraph"}

    positions = {position_id: (network, approved_at) for position_id, network, approved_at in db.session.execute(
        select(Position.id, Organisation.short_name, Position.approved_at)
        .join(EditionEntry, EditionEntry.position_id == Position.id)
        .join(Organisation, Organisation.id == Position.organisation_id)
        .where(EditionEntry.edition_id == edition.id))}
    languages = {entry.position_id: entry.language for entry in plan.positions}
    approved = _gather(lambda ids: _approval_moments(ids, taken), list(taken))
    proposals: list[plan_data.Proposal] = []
    elsewhere: list[plan_data.AmendmentElsewhere] = []
    anchored_elsewhere: list[tuple[plan_data.AmendmentElsewhere, int]] = []
    for position_id, amendments in _gather(lambda ids: _amendments_taken(ids, taken), list(taken)).items():
        network, approved_at = positions[position_id]
        moment = approved.get(position_id) or approved_at
        for amendment in amendments:  # normalised: every key there, of the right type
            paragraph_id, kind = amendment["paragraph_id"], amendment["kind"]
            if paragraph_id in anchorable:
                proposals.append(plan_data.Proposal(paragraph_id, kind, amendment["proposed_text"], network, moment,
                                                    amendment["rationale"], languages.get(position_id, "en")))
                continue
            apart = plan_data.AmendmentElsewhere(
                network=network, kind=kind, current_text=amendment["current_text"],
                proposed_text=amendment["proposed_text"], rationale=amendment["rationale"],
                language=languages.get(position_id, "en"),
                paragraph=plan_data.normalise_reference(amendment["paragraph"]))
            elsewhere.append(apart)
            if paragraph_id is not None:
                anchored_elsewhere.append((apart, paragraph_id))
    if anchored_elsewhere:
        where = _gather(_paragraph_places, sorted({pid for _apart, pid in anchored_elsewhere}))
        for apart, paragraph_id in anchored_elsewhere:
            if paragraph_id in where:
                apart.revision_name, apart.paragraph = where[paragraph_id]
    plan.text = plan_data.TextWithAmendments(
        revision_name=text_revision.name, revision_date=text_revision.issued_on, lines=lines,
        proposals=proposals, elsewhere=elsewhere)
    return plan, taken


def plan_table_of_proposals(edition: Edition) -> tuple[plan_data.EditionPlan, dict[int, int]]:
    """The plan of a "Table of proposals": that of the text with proposed amendments, and UCLG's joint
    proposal on each paragraph of the revision that has one (as recorded when the edition is prepared:
    the edition's file, once stored, never changes). One statement more."""
    plan, taken = plan_text_with_amendments(edition)
    options = edition_options(edition)
    if not options.title.strip():
        plan.title = default_title(edition.milestone, options.language, edition.text_revision, edition.kind)
    rows = db.session.execute(
        select(JointProposal.paragraph_id, JointProposal.choice, JointProposal.kind, JointProposal.text,
               JointProposal.reason)
        .join(TextParagraph, TextParagraph.id == JointProposal.paragraph_id)
        .where(TextParagraph.revision_id == edition.text_revision_id))
    plan.text.table = True
    plan.text.joint = {row[0]: plan_data.JointWording(*row) for row in rows}
    return plan, taken


# What an amendment's outcome must be for its network to be named behind the joint proposal.
TAKEN_UP = ("taken", "modified", "merged")


def plan_joint_proposal(edition: Edition) -> tuple[plan_data.EditionPlan, dict[int, int]]:
    """The plan of a "UCLG joint proposal" of the edition's text revision: the front matter of any edition,
    the revision's paragraphs and the joint proposals recorded on them (`joint_changes`)."""
    milestone, text_revision, options = edition.milestone, edition.text_revision, edition_options(edition)
    plain = replace(options, review_comments=False, uploaded_annexes=False, amendments_annex=False)
    plan, taken = plan_edition(edition, plain)
    if not options.title.strip():
        plan.title = default_title(milestone, options.language, text_revision, "joint_proposal")
    paragraphs = db.session.execute(
        select(TextParagraph.id, TextParagraph.kind, TextParagraph.text, TextParagraph.number)
        .where(TextParagraph.revision_id == text_revision.id).order_by(TextParagraph.order)).all()
    plan.joint = plan_data.JointText(
        revision_name=text_revision.name, revision_date=text_revision.issued_on,
        lines=[plan_data.TextLine(pid, kind, text, number) for pid, kind, text, number in paragraphs],
        changes=joint_changes(text_revision.id, options.joint_agreed_only), agreed_only=options.joint_agreed_only)
    return plan, taken


def joint_changes(text_revision_id: int, agreed_only: bool = False) -> list[plan_data.JointChange]:
    """The joint proposals recorded on the paragraphs of a text revision that change them (a proposal to
    leave a paragraph unchanged tracks nothing), each with the networks whose amendments it took up
    (taken, modified or merged), by short name. `agreed_only`: only those agreed by every network
    concerned, that is every network with an amendment counted on the paragraph answered "agree" in the
    proposal's current round. A fixed number of statements."""
    rows = db.session.execute(
        select(JointProposal.id, JointProposal.paragraph_id, JointProposal.choice, JointProposal.kind,
               JointProposal.text, JointProposal.reason, JointProposal.updated_at)
        .join(TextParagraph, TextParagraph.id == JointProposal.paragraph_id)
        .where(TextParagraph.revision_id == text_revision_id, TextParagraph.kind == "paragraph",
               JointProposal.choice != "unchanged")
        .order_by(TextParagraph.order)).all()
    networks: dict[int, set[str]] = defaultdict(set)
    for proposal_id, network in db.session.execute(
            select(AmendmentOutcome.proposal_id, Organisation.short_name)
            .join(Amendment, Amendment.id == AmendmentOutcome.amendment_id)
            .join(Position, Position.id == Amendment.position_id)
            .join(Organisation, Organisation.id == Position.organisation_id)
            .join(JointProposal, JointProposal.id == AmendmentOutcome.proposal_id)
            .join(TextParagraph, TextParagraph.id == JointProposal.paragraph_id)
            .where(TextParagraph.revision_id == text_revision_id, AmendmentOutcome.outcome.in_(TAKEN_UP))):
        networks[proposal_id].add(network)
    agreed = _agreed_proposals(text_revision_id) if agreed_only else None
    return [plan_data.JointChange(paragraph_id, choice, kind, text, reason,
                                  sorted(networks[proposal_id], key=str.casefold), updated_at)
            for proposal_id, paragraph_id, choice, kind, text, reason, updated_at in rows
            if agreed is None or proposal_id in agreed]


def _agreed_proposals(text_revision_id: int) -> set[int]:
    """The ids of the joint proposals on the revision's paragraphs that every network concerned agreed to,
    in the proposal's current round (a proposal that concerns no network is agreed by none)."""
    concerned: dict[int, set[int]] = defaultdict(set)
    for paragraph_id, organisation_id in db.session.execute(
            select(Amendment.paragraph_id, Position.organisation_id)
            .join(Position, Position.id == Amendment.position_id)
            .join(TextParagraph, TextParagraph.id == Amendment.paragraph_id)
            .where(TextParagraph.revision_id == text_revision_id, Amendment.removed_at.is_(None),
                   Position.stage.in_(stages.COUNTED))):
        concerned[paragraph_id].add(organisation_id)
    answers: dict[int, dict[int, str]] = defaultdict(dict)
    paragraph_of: dict[int, int] = {}
    for proposal_id, paragraph_id, organisation_id, answer in db.session.execute(
            select(JointProposal.id, JointProposal.paragraph_id, ProposalAnswer.organisation_id, ProposalAnswer.answer)
            .join(ProposalAnswer, (ProposalAnswer.proposal_id == JointProposal.id)
                  & (ProposalAnswer.round == JointProposal.round))
            .join(TextParagraph, TextParagraph.id == JointProposal.paragraph_id)
            .where(TextParagraph.revision_id == text_revision_id)):
        answers[proposal_id][organisation_id] = answer
        paragraph_of[proposal_id] = paragraph_id
    return {proposal_id for proposal_id, given in answers.items()
            if concerned[paragraph_of[proposal_id]]
            and all(given.get(network) == "agree" for network in concerned[paragraph_of[proposal_id]])}


def _amendments_taken(position_ids: list[int], taken: dict[int, int]) -> dict[int, list[dict]]:
    """The amendments of the revision taken of each position."""
    found: dict[int, list[dict]] = {}
    rows = db.session.execute(
        select(Revision.position_id, Revision.number, Revision.amendments)
        .where(Revision.position_id.in_(position_ids)).order_by(Revision.position_id))
    for position_id, number, amendments in rows:
        if taken.get(position_id) == number:
            found[position_id] = normalised(amendments)
    return found


def _approval_moments(position_ids: list[int], taken: dict[int, int]) -> dict[int, datetime]:
    """When the revision taken of each position was approved (its last approval): the date of its changes."""
    moments: dict[int, datetime] = {}
    rows = db.session.execute(
        select(Approval.position_id, Approval.revision_number, func.max(Approval.created_at))
        .where(Approval.position_id.in_(position_ids))
        .group_by(Approval.position_id, Approval.revision_number))
    for position_id, number, moment in rows:
        if taken.get(position_id) == number:
            moments[position_id] = moment
    return moments


def _paragraph_places(paragraph_ids: list[int]) -> dict[int, tuple[str, str]]:
    """The revision name and number of paragraphs of other revisions."""
    rows = db.session.execute(
        select(TextParagraph.id, TextRevision.name, TextParagraph.number)
        .join(TextRevision, TextRevision.id == TextParagraph.revision_id).where(TextParagraph.id.in_(paragraph_ids)))
    return {pid: (name, number) for pid, name, number in rows}


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
