"""The secretariat's edit forms for the reference data, in English, French and Spanish. An empty French
or Spanish field shows the English one to those readers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from drafting.forms import CleanStringField, CleanTextAreaField, Form, StaleEditGuard
from drafting.reference.labels import ORGANISATION_KIND_LABELS


class ThemeForm(StaleEditGuard, Form):
    """An objective (short name, title) or a workstream (name, summary)."""

    short_label = CleanStringField(_l("Short name"), validators=[DataRequired(), Length(max=100)])
    short_label_fr = CleanStringField(_l("Short name in French"), validators=[Optional(), Length(max=100)])
    short_label_es = CleanStringField(_l("Short name in Spanish"), validators=[Optional(), Length(max=100)])
    title = CleanTextAreaField(_l("Title"), validators=[DataRequired(), Length(max=2000)])
    title_fr = CleanTextAreaField(_l("Title in French"), validators=[Optional(), Length(max=2000)])
    title_es = CleanTextAreaField(_l("Title in Spanish"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save"))

    # A workstream's words for the same columns, as on the Objectives page.
    WORKSTREAM_LABELS = {
        "short_label": _l("Name"), "short_label_fr": _l("Name in French"), "short_label_es": _l("Name in Spanish"),
        "title": _l("Summary"), "title_fr": _l("Summary in French"), "title_es": _l("Summary in Spanish"),
    }

    def __init__(self, *args, kind: str = "objective", **kwargs):
        super().__init__(*args, **kwargs)
        if kind == "workstream":
            for name, label in self.WORKSTREAM_LABELS.items():
                self[name].label.text = label


class SectionForm(StaleEditGuard, Form):
    name = CleanStringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    name_fr = CleanStringField(_l("Name in French"), validators=[Optional(), Length(max=200)])
    name_es = CleanStringField(_l("Name in Spanish"), validators=[Optional(), Length(max=200)])
    paragraphs = CleanStringField(_l("Paragraphs"), validators=[Optional(), Length(max=100)],
                                  description=_l("As in the final text, for example 17-39."))
    note = CleanTextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])
    note_fr = CleanTextAreaField(_l("Note in French"), validators=[Optional(), Length(max=5000)])
    note_es = CleanTextAreaField(_l("Note in Spanish"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))


class OrganisationForm(StaleEditGuard, Form):
    """Whether it writes positions is not here: the accounts and positions of a network depend on it."""

    short_name = CleanStringField(_l("Short name"), validators=[DataRequired(), Length(max=40)])
    full_name = CleanStringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    full_name_fr = CleanStringField(_l("Full name in French"), validators=[Optional(), Length(max=200)])
    full_name_es = CleanStringField(_l("Full name in Spanish"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=list(ORGANISATION_KIND_LABELS.items()))
    region = CleanStringField(_l("Region"), validators=[Optional(), Length(max=100)])
    region_fr = CleanStringField(_l("Region in French"), validators=[Optional(), Length(max=100)])
    region_es = CleanStringField(_l("Region in Spanish"), validators=[Optional(), Length(max=100)])
    submit = SubmitField(_l("Save"))
