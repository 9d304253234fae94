"""The forms of the joint proposal: the secretariat's proposal (with an outcome per amendment) and a
network's answer. Their rules are the operations' (drafting.joint_proposals.operations.check): the
views put each refusal beside its field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, HiddenField, RadioField, SelectField
from wtforms.validators import Optional

from drafting.amendments.rules import KIND_LABELS
from drafting.forms import BoundedDateField, CleanTextAreaField, Form, NestedForm
from drafting.joint_proposals.queries import ANSWER_LABELS, CHOICE_LABELS, OUTCOME_LABELS


class OutcomeForm(NestedForm):
    amendment_id = HiddenField()
    outcome = SelectField(_l("What the proposal does with it"),
                          choices=[("", _l("Choose…"))] + list(OUTCOME_LABELS.items()), validate_choice=False)
    reason = CleanTextAreaField(_l("Reason"), description=_l("Required when the amendment is not taken."))


class ProposalForm(Form):
    choice = RadioField(_l("How the proposal was built"), choices=list(CHOICE_LABELS.items()),
                        validate_choice=False)
    kind = SelectField(_l("What it does to the paragraph"), choices=list(KIND_LABELS.items()),
                       validate_choice=False, default="replace")
    text = CleanTextAreaField(_l("UCLG's wording"),
                              description=_l("Left as the paragraph's text when the paragraph stays unchanged; "
                                             "empty for a deletion."))
    reason = CleanTextAreaField(_l("Reason"), description=_l("Shown to the networks with the proposal."))
    answer_until = BoundedDateField(_l("Networks answer until"), validators=[Optional()],
                                    description=_l("Inclusive. Changing only the reason or this date does not "
                                                   "ask the networks again."))
    version = HiddenField()
    outcomes = FieldList(FormField(OutcomeForm), min_entries=0, max_entries=500)


class AnswerForm(Form):
    answer = RadioField(_l("Your network's answer"), choices=list(ANSWER_LABELS.items()), validate_choice=False)
    comment = CleanTextAreaField(_l("Comment"), description=_l("Required when your network disagrees."))
    round = HiddenField()
