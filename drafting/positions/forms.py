from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from drafting.forms import BoundedDateField, CleanStringField, CleanTextAreaField
from drafting.i18n import LANGUAGE_NAMES
from drafting.models.positions import SUMMARY_MAX, TEXT_MAX, TITLE_MAX
from drafting.positions.amendments import new_key, normalise_reference

COMMENT_MAX = 10_000
AMENDMENT_TEXT_MAX = 10_000


def _too_long(limit: int):
    return Length(max=limit, message=_l("At most %(max)d characters; this text is longer. Shorten it: "
                                        "nothing you typed has been lost."))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AmendmentForm(Form):
    key = HiddenField()
    section_id = SelectField(_l("Section of the compact"), coerce=int, validators=[Optional()])
    paragraph = CleanStringField(_l("Paragraph"), validators=[Length(max=20)], filters=[normalise_reference],
                                 description=_l("For example 31(c)."))
    current_text = CleanTextAreaField(_l("Current text"), validators=[_too_long(AMENDMENT_TEXT_MAX)])
    proposed_text = CleanTextAreaField(_l("Proposed text"), validators=[_too_long(AMENDMENT_TEXT_MAX)])
    rationale = CleanTextAreaField(_l("Rationale"), validators=[_too_long(AMENDMENT_TEXT_MAX)])
    remove = BooleanField(_l("Remove this amendment"))

    def is_blank(self) -> bool:
        return not any((self.paragraph.data, self.current_text.data, self.proposed_text.data, self.rationale.data))

    def validate_paragraph(self, field):
        if not self.remove.data and not self.is_blank() and not field.data:
            raise ValidationError(_l("Say which paragraph this amendment changes."))

    def validate_proposed_text(self, field):
        if not self.remove.data and not self.is_blank() and not field.data:
            raise ValidationError(_l("Write the text you propose."))

    def validate_section_id(self, field):
        if not self.remove.data and not self.is_blank() and not field.data:
            raise ValidationError(_l("Choose the section of the compact."))


class PositionForm(FlaskForm):
    title = CleanStringField(_l("Title"), validators=[DataRequired(message=_l("A title is required.")),
                                                      _too_long(TITLE_MAX)])
    milestone_id = SelectField(_l("Milestone"), coerce=int, validators=[InputRequired()])
    themes = MultiCheckboxField(_l("Themes"), coerce=int)
    language = SelectField(_l("Language"), choices=list(LANGUAGE_NAMES.items()))
    summary = CleanTextAreaField(_l("Summary"), validators=[_too_long(SUMMARY_MAX)])
    text = CleanTextAreaField(
        _l("Text"), validators=[_too_long(TEXT_MAX)],
        description=_l("Paragraphs are separated by an empty line. # Heading, - bullet, 1. numbered item, "
                       "**bold**, *italic*, [link](https://…)."),
    )
    amendments = FieldList(FormField(AmendmentForm), min_entries=0, max_entries=200)
    base_revision = HiddenField()
    save = SubmitField(_l("Save draft"))
    save_and_submit = SubmitField(_l("Submit for review"))
    add_amendment = SubmitField(_l("Add an amendment"))

    def set_choices(self, milestones, themes, sections) -> None:
        self.milestone_id.choices = [(m.id, m.display_name) for m in milestones]
        self.themes.choices = [(t.id, t.label) for t in themes]
        section_choices = [(0, "—")] + [(s.id, s.display_name) for s in sections]
        for entry in self.amendments:
            entry.form.section_id.choices = section_choices
        self.section_choices = section_choices

    def add_blank_amendment(self) -> None:
        entry = self.amendments.append_entry()
        entry.form.section_id.choices = self.section_choices

    def amendment_data(self) -> list[dict]:
        kept = []
        for entry in self.amendments:
            form = entry.form
            if form.remove.data or form.is_blank():
                continue
            kept.append({
                "key": form.key.data or new_key(),
                "section_id": form.section_id.data or None,
                "paragraph": form.paragraph.data,
                "current_text": form.current_text.data,
                "proposed_text": form.proposed_text.data,
                "rationale": form.rationale.data,
            })
        return kept


VISIBILITY_CHOICES = [("internal", _l("Internal")), ("shared", _l("Shared with the authors"))]


class CommentForm(FlaskForm):
    body = CleanTextAreaField(_l("Comment"), validators=[DataRequired(message=_l("Write a comment.")),
                                                         _too_long(COMMENT_MAX)])
    visibility = RadioField(_l("Visibility"), choices=VISIBILITY_CHOICES, default="internal")
    post = SubmitField(_l("Add comment"))


class DecisionForm(FlaskForm):
    """The reviewer's panel: the comment the authors see, an optional internal note, a button per decision."""

    comment = CleanTextAreaField(
        _l("Comment"), validators=[_too_long(COMMENT_MAX)],
        description=_l("The authors see this comment with your decision. Required to request changes or to reject."))
    internal_note = CleanTextAreaField(
        _l("Internal note"), validators=[_too_long(COMMENT_MAX)],
        description=_l("Optional. Only reviewers and the secretariat see it."))


class WithdrawForm(FlaskForm):
    """The confirmation step of "Withdraw": the POST only withdraws with `confirmed` set."""

    confirmed = HiddenField(default="yes")


class ReasonForm(FlaskForm):
    comment = CleanTextAreaField(_l("Reason"), validators=[DataRequired(message=_l("Give a reason.")),
                                                           _too_long(COMMENT_MAX)])


class ExtensionForm(FlaskForm):
    until = BoundedDateField(_l("Extend the submission deadline until"),
                      validators=[DataRequired(message=_l("Enter a date."))])
    reason = CleanStringField(_l("Reason"), validators=[Length(max=500)])
    grant = SubmitField(_l("Grant extension"))


class CarryForwardForm(FlaskForm):
    milestone_id = SelectField(_l("Later milestone"), coerce=int)
    carry = SubmitField(_l("Carry forward"))

