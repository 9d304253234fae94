from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, SubmitField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from drafting.forms import BoundedDateField, CleanStringField, CleanTextAreaField, Form, StaleEditGuard
from drafting.reference.labels import MILESTONE_KIND_LABELS


class MilestoneForm(StaleEditGuard, Form):
    name = CleanStringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    # Shown to French and Spanish readers; left empty, they see the English name.
    name_fr = CleanStringField(_l("Name in French"), validators=[Optional(), Length(max=200)])
    name_es = CleanStringField(_l("Name in Spanish"), validators=[Optional(), Length(max=200)])
    symbol_code = CleanStringField(
        _l("Symbol code"), validators=[Optional(), Length(max=12), Regexp(r"^[A-Za-z0-9.\-]*$", message=_l(
            "Letters, digits, points and hyphens only."))],
        description=_l("The milestone's part of an edition's symbol, for example R1 in UCLG/GCM/2018/R1/2."),
    )
    start_date = BoundedDateField(_l("Start date"), validators=[DataRequired(message=_l("Enter a date."))])
    end_date = BoundedDateField(_l("End date"), validators=[DataRequired(message=_l("Enter a date."))])
    place = CleanStringField(_l("Place"), validators=[Optional(), Length(max=120)])
    note = CleanTextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    note_fr = CleanTextAreaField(_l("Note in French"), validators=[Optional(), Length(max=5000)])
    note_es = CleanTextAreaField(_l("Note in Spanish"), validators=[Optional(), Length(max=5000)])
    submission_deadline = BoundedDateField(
        _l("Submission deadline"), validators=[Optional()],
        description=_l("Leave empty if this milestone takes no positions."),
    )
    review_deadline = BoundedDateField(_l("Review deadline"), validators=[Optional()])
    approvals_required = IntegerField(
        _l("Approvals a position needs"),
        validators=[InputRequired(), NumberRange(min=1, max=10, message=_l("Between 1 and 10."))],
    )
    submit = SubmitField(_l("Save milestone"))

    def validate_end_date(self, field):
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date cannot come before the start date."))

    def validate_review_deadline(self, field):
        if field.data and not self.submission_deadline.data:
            raise ValidationError(_l("Set a submission deadline first."))
        if field.data and self.submission_deadline.data and field.data < self.submission_deadline.data:
            raise ValidationError(_l("The review deadline cannot come before the submission deadline."))


class NewMilestoneForm(MilestoneForm):
    """Adding a milestone: the edit form and its kind, which decides its default deadlines."""

    kind = SelectField(_l("Kind"), choices=list(MILESTONE_KIND_LABELS.items()))
    submit = SubmitField(_l("Add milestone"))
