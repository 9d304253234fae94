"""The joint proposal's pages: each amendment's own page, the list of amended paragraphs of a revision,
and the paragraph page where the secretariat records UCLG's proposal and the networks answer it."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from drafting import permissions
from drafting.amendments.rules import KIND_LABELS
from drafting.clock import today
from drafting.forms import record_id
from drafting.i18n import localized
from drafting.joint_proposals import operations, queries
from drafting.joint_proposals.forms import AnswerForm, ProposalForm
from drafting.models import Amendment, TextParagraph, TextRevision
from drafting.negotiated_text.revisions import current_revision, published_revisions
from drafting.web.loading import find, get_or_404, require

bp = Blueprint("joint_proposals", __name__)

# The answer-until date a new proposal's form suggests.
ANSWER_DAYS = 14


@bp.app_context_processor
def joint_proposal_labels():
    return {"JOINT_STATE_LABELS": localized(queries.STATE_LABELS),
            "JOINT_CHOICE_LABELS": localized(queries.CHOICE_LABELS),
            "OUTCOME_LABELS": localized(queries.OUTCOME_LABELS),
            "ANSWER_LABELS": localized(queries.ANSWER_LABELS),
            "AMENDMENT_KIND_LABELS": localized(KIND_LABELS)}


@bp.route("/amendments/<int:amendment_id>")
@login_required
def amendment(amendment_id: int):
    """One amendment: its wording against its paragraph, what later revisions and the joint proposal did
    with it. Whoever may see its position sees it; for anyone else it does not exist."""
    found = get_or_404(Amendment, amendment_id, visible=permissions.can_view_amendment)
    found = queries.amendment_with_position(found.id)
    paragraph = found.text_paragraph
    change = queries.change_of(found.kind, paragraph.text, found.proposed_text) if paragraph else None
    return render_template("joint_proposals/amendment.html", amendment=found, position=found.position,
                           paragraph=paragraph, wording_change=change, statuses=queries.later_statuses(found),
                           outcomes=queries.outcomes_of(found))


@bp.route("/text/joint")
@bp.route("/text/<int:revision_id>/joint")
@login_required
def index(revision_id: int | None = None):
    """Every paragraph of a revision that networks amended, with the state of UCLG's proposal for it."""
    require(permissions.can_view_joint_proposals(current_user))
    revision = get_or_404(TextRevision, revision_id) if revision_id is not None else current_revision()
    state = request.args.get("state", "")
    state = state if state in queries.STATES else ""
    items = queries.paragraphs_with_amendments(revision) if revision else []
    counts = queries.state_counts(items)
    shown = [item for item in items if not state or item.state == state]
    own = current_user.organisation_id if not permissions.is_secretariat(current_user) else None
    return render_template("joint_proposals/index.html", revision=revision, revisions=published_revisions(),
                           items=shown, total=len(items), counts=counts, state=state, own=own, day=today())


def _paragraph(revision_id: int, paragraph_id: int) -> TextParagraph:
    require(permissions.can_view_joint_proposals(current_user))
    paragraph = find(TextParagraph, paragraph_id)
    if paragraph is None or paragraph.revision_id != revision_id or paragraph.kind != "paragraph":
        abort(404)
    return paragraph


@bp.route("/text/<int:revision_id>/paragraphs/<int:paragraph_id>/joint", methods=["GET", "POST"])
@login_required
def paragraph(revision_id: int, paragraph_id: int):
    """The secretariat's page for one paragraph: the revision's text beside each network's wording, UCLG's
    proposal and its answers; the form to record or change the proposal."""
    paragraph = _paragraph(revision_id, paragraph_id)
    if request.method == "POST":
        require(permissions.can_record_joint_proposal(current_user))
    subject = queries.paragraph_proposals(paragraph)
    form = ProposalForm()
    if request.method == "GET":
        _fill(form, subject, request.args.get("from", type=record_id))
        return _render(subject, form)
    if not form.validate_on_submit():
        _outcome_entries(form, subject)
        return _render(subject, form, status=422)
    lost = _outcome_entries(form, subject)
    values = operations.ProposalInput(
        choice=form.choice.data or "", kind=form.kind.data or "", text=form.text.data or "",
        reason=form.reason.data or "", answer_until=form.answer_until.data,
        outcomes={int(entry.form.amendment_id.data): (entry.form.outcome.data or "", entry.form.reason.data or "")
                  for entry in form.outcomes})
    opened = int(form.version.data) if (form.version.data or "").isdigit() else None
    try:
        proposal, asked = operations.record_proposal(subject, current_user, values, opened, today())
    except operations.ProposalRefused as refusal:
        _show_errors(form, refusal.errors)
        return _render(subject, form, status=422, changed_amendments=lost)
    except operations.StaleProposal as stale:
        subject = queries.paragraph_proposals(paragraph)
        form.version.data = str(stale.proposal.version) if stale.proposal else ""
        return _render(subject, form, status=409, saved=_saved_values(form, stale.proposal))
    if asked:
        flash(_("UCLG's proposal for paragraph %(number)s is recorded; the networks concerned are asked to answer "
                "(round %(round)d).", number=paragraph.number, round=proposal.round), "success")
    else:
        flash(_("UCLG's proposal for paragraph %(number)s is saved; its wording is unchanged, so the networks' "
                "answers stand.", number=paragraph.number), "success")
    return redirect(url_for("joint_proposals.paragraph", revision_id=revision_id, paragraph_id=paragraph.id), code=303)


@bp.route("/text/<int:revision_id>/paragraphs/<int:paragraph_id>/joint/answer", methods=["POST"])
@login_required
def answer(revision_id: int, paragraph_id: int):
    """A network's answer to the proposal's current round."""
    paragraph = _paragraph(revision_id, paragraph_id)
    subject = queries.paragraph_proposals(paragraph)
    require(permissions.can_answer_joint_proposal(current_user, subject.network_ids))
    if subject.proposal is None:
        abort(404)  # nothing to answer yet
    answer_form = AnswerForm()
    if answer_form.validate_on_submit():
        opened = int(answer_form.round.data) if (answer_form.round.data or "").isdigit() else None
        try:
            operations.answer_proposal(subject, current_user.organisation, current_user, answer_form.answer.data or "",
                                       answer_form.comment.data or "", opened, today())
        except operations.AnswerRefused as refusal:
            _show_errors(answer_form, refusal.errors)
            stale = subject.proposal is not None and opened != subject.proposal.round
            answer_form.round.data = str(subject.proposal.round) if subject.proposal else ""
            return _render(subject, _filled(subject), answer_form=answer_form, status=409 if stale else 422,
                           answer_refusal=refusal.errors.get(""))
        flash(_("Your network's answer is recorded."), "success")
        return redirect(url_for("joint_proposals.paragraph", revision_id=revision_id, paragraph_id=paragraph.id,
                                _anchor="answers"), code=303)
    return _render(subject, _filled(subject), answer_form=answer_form, status=422)


# The paragraph page's parts --------------------------------------------------------------------------------

def _filled(subject: queries.ParagraphProposals) -> ProposalForm:
    form = ProposalForm(formdata=None)
    _fill(form, subject, None)
    return form


def _fill(form: ProposalForm, subject: queries.ParagraphProposals, start_from: int | None) -> None:
    """The form as the page opens: the saved proposal, or a new one; `start_from` an amendment whose wording
    and kind it starts from."""
    proposal = subject.proposal
    saved = {}
    if proposal is not None:
        form.choice.data, form.kind.data, form.text.data = proposal.choice, proposal.kind, proposal.text
        form.reason.data, form.answer_until.data = proposal.reason, proposal.answer_until
        form.version.data = str(proposal.version)
        saved = {o.amendment_id: o for o in proposal.outcomes}
    else:
        form.answer_until.data = today() + timedelta(days=ANSWER_DAYS)
        form.version.data = ""
    source = next((a for a in subject.amendments if a.id == start_from), None)
    if source is not None:
        form.choice.data = "as_proposed"
        form.kind.data, form.text.data = source.kind, source.proposed_text
    while len(form.outcomes):
        form.outcomes.pop_entry()
    for amendment in subject.amendments:
        outcome = saved.get(amendment.id)
        default = "taken" if source is not None and source.id == amendment.id else ""
        form.outcomes.append_entry({"amendment_id": str(amendment.id),
                                    "outcome": outcome.outcome if outcome else default,
                                    "reason": outcome.reason if outcome else ""})


def _outcome_entries(form: ProposalForm, subject: queries.ParagraphProposals) -> bool:
    """Align the posted outcomes with the paragraph's amendments now: keep what was typed for each, add an
    empty entry for an amendment put forward since the form was opened, drop one withdrawn since. True if
    the amendments changed."""
    posted = {}
    for entry in form.outcomes:
        value = entry.form.amendment_id.data or ""
        if value.isdigit():
            posted[int(value)] = (entry.form.outcome.data or "", entry.form.reason.data or "")
    ids = [a.id for a in subject.amendments]
    while len(form.outcomes):
        form.outcomes.pop_entry()
    for amendment_id in ids:
        outcome, reason = posted.get(amendment_id, ("", ""))
        form.outcomes.append_entry({"amendment_id": str(amendment_id), "outcome": outcome, "reason": reason})
    return set(posted) != set(ids)


def _show_errors(form, errors: dict[str, str]) -> None:
    entries = {entry.form.amendment_id.data: entry.form for entry in getattr(form, "outcomes", [])}
    for name, message in errors.items():
        if name.startswith("outcome-"):
            field = entries[name.split("-", 1)[1]].outcome
        elif name.startswith("outcome_reason-"):
            field = entries[name.split("-", 1)[1]].reason
        elif name and name in form._fields:
            field = form._fields[name]
        else:
            continue
        field.errors = [*field.errors, message]


def _saved_values(form: ProposalForm, proposal) -> list[tuple[str, str]]:
    if proposal is None:
        return []
    choices, kinds = localized(queries.CHOICE_LABELS), localized(KIND_LABELS)
    return [(form.choice.label.text, choices.get(proposal.choice, "")),
            (form.kind.label.text, kinds.get(proposal.kind, "")),
            (form.text.label.text, proposal.text or "—"), (form.reason.label.text, proposal.reason or "—"),
            (form.answer_until.label.text, proposal.answer_until.isoformat() if proposal.answer_until else "—"),
            (_("Changed by"), proposal.updated_by.name)]


def _render(subject: queries.ParagraphProposals, form: ProposalForm, *, answer_form: AnswerForm | None = None,
            status: int = 200, saved=None, changed_amendments: bool = False, answer_refusal: str | None = None):
    paragraph = subject.paragraph
    if answer_form is None:
        answer_form = AnswerForm(formdata=None)
        answer_form.round.data = str(subject.proposal.round) if subject.proposal else ""
        mine = subject.current_answers.get(current_user.organisation_id)
        if mine is not None:
            answer_form.answer.data, answer_form.comment.data = mine.answer, mine.comment
    amendments = {a.id: a for a in subject.amendments}
    return render_template("joint_proposals/paragraph.html", revision=paragraph.revision, paragraph=paragraph,
                           subject=subject, form=form, answer_form=answer_form, saved=saved, amendments=amendments,
                           changed_amendments=changed_amendments, answer_refusal=answer_refusal,
                           may_answer=permissions.can_answer_joint_proposal(current_user, subject.network_ids),
                           day=today()), status
