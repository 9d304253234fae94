"""The secretariat's forms: loading a revision of the draft compact, confirming its paragraphs' objectives."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from drafting.forms import BoundedDateField, CleanStringField, CleanTextAreaField, Form

TEXT_MAX = 500_000  # the compact is about 35,000 words; room for a long draft, not for a flood


class LoadRevisionForm(Form):
    name = CleanStringField(_l("Name"), validators=[DataRequired(), Length(max=200)],
                            description=_l("As the co-facilitators name it: “Zero draft”, “Rev 1”, …"))
    issued_on = BoundedDateField(_l("Date"), validators=[DataRequired(message=_l("Enter a date."))])
    milestone = SelectField(_l("Milestone"), coerce=int, validate_choice=True)
    word_file = FileField(_l("Word file"), description=_l("The .docx file as circulated (at most 10 MB)."))
    text = CleanTextAreaField(
        _l("Text"), validators=[Optional(), Length(max=TEXT_MAX)],
        description=_l("Or paste the text: one paragraph per line, “16.” before a numbered paragraph, "
                       "“(a)” before a lettered one, “# ” before a section heading."))
    # What the preview found, carried to "Publish" and read again there.
    structure = CleanTextAreaField(validators=[Optional(), Length(max=TEXT_MAX)])
    # The token of the Word file kept since the preview (negotiated_text/pending_uploads.py).
    pending_upload = HiddenField(validators=[Optional(), Length(max=64)])
    preview = SubmitField(_l("Preview"))
    publish = SubmitField(_l("Publish"))


class PostedForm(Form):
    """The CSRF token of a form whose fields the page builds itself (one per heading and paragraph)."""


def read_objective_choices(revision, posted, valid_ids: set[int], by_number: dict[int, int]
                           ) -> tuple[dict[int, int | None], dict[int, str]]:
    """The objectives page as posted: `heading-<id>` an objective's id ("" none) for a heading and the
    paragraphs under it, `paragraph-<id>` an objective's number for a paragraph of another objective
    ("" follows its heading). Returns paragraph id -> objective id, and the errors by paragraph id."""
    chosen: dict[int, int | None] = {}
    errors: dict[int, str] = {}
    current: int | None = None
    for paragraph in revision.paragraphs:
        if paragraph.kind == "heading":
            value = (posted.get(f"heading-{paragraph.id}") or "").strip()
            current = int(value) if value.isdigit() and int(value) in valid_ids else None
            chosen[paragraph.id] = current
            continue
        value = (posted.get(f"paragraph-{paragraph.id}") or "").strip()
        if not value:
            chosen[paragraph.id] = current
        elif value.isdigit() and int(value) in by_number:
            chosen[paragraph.id] = by_number[int(value)]
        else:
            errors[paragraph.id] = str(_l("Enter the number of an objective, 1 to %(last)d, or leave it empty.",
                                          last=max(by_number, default=23)))
    return chosen, errors
