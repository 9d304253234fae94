"""Forms of the document pages: compiling an edition, attaching a Word annex."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from drafting.forms import CleanStringField, CleanTextAreaField
from drafting.models.positions import TEXT_MAX

GROUPING_CHOICES = [
    ("objective", _l("By compact objective")),
    ("organisation", _l("By organisation")),
    ("workstream", _l("By workstream")),
]


class CompileForm(FlaskForm):
    title = CleanStringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    grouping = SelectField(_l("Chapters"), choices=GROUPING_CHOICES, default="objective")
    preface = CleanTextAreaField(
        _l("Preface"), validators=[Optional(), Length(max=TEXT_MAX)],
        description=_l("Markdown as in positions: paragraphs, # headings, - lists, **bold**, *italic*, [links](https://…)."),
    )
    amendments_annex = BooleanField(_l("Annex compiling all proposed amendments"), default=True)
    review_comments = BooleanField(_l("Review comments shared with the authors, as Word comments"), default=False)
    uploaded_annexes = BooleanField(_l("Word annexes uploaded with the positions"), default=True)
    # The list of positions the page showed (operations.positions_fingerprint): compiling a list that
    # changed meanwhile is refused with a message.
    positions_seen = HiddenField()
    submit = SubmitField(_l("Compile"))


class AttachmentForm(FlaskForm):
    file = FileField(_l("Word annex (.docx, at most 10 MB)"),
                     validators=[FileRequired(message=_l("Choose a .docx file."))])
    submit = SubmitField(_l("Attach"))
