"""Forms of the document pages: compiling an edition, attaching a Word annex."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from drafting.documents.render.words import DOCUMENT_LANGUAGES
from drafting.forms import BoundedDateField, CleanStringField, CleanTextAreaField, Form, record_id
from drafting.i18n import LANGUAGE_NAMES
from drafting.models.documents import TEXT_KINDS
from drafting.models.positions import TEXT_MAX

GROUPING_CHOICES = [
    ("objective", _l("By compact objective")),
    ("organisation", _l("By organisation")),
    ("workstream", _l("By workstream")),
]

DISTRIBUTION_CHOICES = [("general", _l("General")), ("limited", _l("Limited"))]

KIND_CHOICES = [
    ("consolidated", _l("Consolidated positions")),
    ("text_with_amendments", _l("Text with proposed amendments")),
    ("table_of_proposals", _l("Table of proposals")),
    ("joint_proposal", _l("UCLG joint proposal")),
]


def _revision_id(value) -> int | None:
    """A revision's id as posted; anything else is None (and refused beside the field when it matters)."""
    try:
        return record_id(value)
    except (TypeError, ValueError):
        return None


class CompileForm(Form):
    """The view fills `text_revision.choices` with the published revisions (latest first)."""

    kind = RadioField(_l("Kind"), choices=KIND_CHOICES, default="consolidated")
    text_revision = SelectField(
        _l("Text revision"), coerce=_revision_id, validate_choice=False,
        description=_l("The draft whose paragraphs the changes are tracked against (or, in a table of proposals, "
                       "the rows of). In a text with proposed amendments, amendments anchored to another "
                       "revision, or to none, are listed in an appendix."))
    title = CleanStringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    grouping = SelectField(_l("Chapters"), choices=GROUPING_CHOICES, default="objective")
    preface = CleanTextAreaField(
        _l("Preface"), validators=[Optional(), Length(max=TEXT_MAX)],
        description=_l("Markdown as in positions: paragraphs, # headings, - lists, **bold**, *italic*, [links](https://…)."),
    )
    language = SelectField(_l("Document language"),
                           choices=[(code, LANGUAGE_NAMES[code]) for code in DOCUMENT_LANGUAGES], default="en",
                           description=_l("Every word the document adds (cover, headings, dates) is in this language."))
    symbol = CleanStringField(
        _l("Symbol"),
        validators=[Optional(), Length(max=80),
                    Regexp(r"^[A-Za-z0-9][A-Za-z0-9/.()\-]*$",
                           message=_l("Use letters, digits and / . - ( ) only, as in UCLG/GCM/2018/R1/1."))],
        description=_l("Printed at the top of the first page and in the running header; one per edition. "
                       "Left empty, it is built from the milestone and the edition number."),
    )
    distribution = SelectField(_l("Distribution"), choices=DISTRIBUTION_CHOICES, default="general")
    document_date = BoundedDateField(_l("Date"), validators=[Optional()],
                              description=_l("The date on the first page; left empty, the day of compiling."))
    advance_unedited = BooleanField(_l("Advance unedited version"), default=False)
    number_paragraphs = BooleanField(_l("Number paragraphs"), default=True,
                                     description=_l("The positions’ paragraphs numbered 1, 2, 3… through the "
                                                    "document, so that delegates can cite them."))
    pdf_archive = BooleanField(_l("PDF for archiving (PDF/A-2b)"), default=False,
                               description=_l("Fonts embedded and nothing that depends on the viewer, for "
                                              "long-term keeping; the PDF is tagged for screen readers in "
                                              "any case."))
    joint_agreed_only = BooleanField(
        _l("Only the joint proposals every network concerned agreed to"), default=False,
        description=_l("Left unticked, every joint proposal recorded on the revision’s paragraphs is "
                       "tracked, agreed, disputed or still awaiting answers."))
    amendments_annex = BooleanField(_l("Annex compiling all proposed amendments"), default=True)
    review_comments = BooleanField(_l("Review comments shared with the authors, as Word comments"), default=False)
    uploaded_annexes = BooleanField(_l("Word annexes uploaded with the positions"), default=True)
    # The list of positions the page showed (operations.positions_fingerprint): compiling a list that
    # changed meanwhile is refused with a message.
    positions_seen = HiddenField()
    submit = SubmitField(_l("Compile"))

    def validate_text_revision(self, field) -> None:
        if self.kind.data not in TEXT_KINDS:
            return
        if not field.choices:
            raise ValidationError(_l("No revision of the negotiated text is published yet: load one under "
                                     "“Negotiated text”, or compile the consolidated positions."))
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose one of the published revisions."))


class AttachmentForm(Form):
    file = FileField(_l("Word annex (.docx, at most 10 MB)"),
                     validators=[FileRequired(message=_l("Choose a .docx file."))])
    submit = SubmitField(_l("Attach"))
