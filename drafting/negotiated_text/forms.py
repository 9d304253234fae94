"""The secretariat's form to load a revision of the draft compact."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from drafting.forms import BoundedDateField, CleanStringField, CleanTextAreaField

TEXT_MAX = 500_000  # the compact is about 35,000 words; room for a long draft, not for a flood


class LoadRevisionForm(FlaskForm):
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
