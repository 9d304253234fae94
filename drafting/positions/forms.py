from __future__ import annotations

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from drafting.amendments.rules import KIND_LABELS, collapse_whitespace, is_key, new_key, normalise_reference
from drafting.forms import BoundedDateField, CleanStringField, CleanTextAreaField, Form, NestedForm, record_id
from drafting.i18n import COMPACT_LANGUAGE, LANGUAGE_NAMES
from drafting.models.positions import SUMMARY_MAX, TEXT_MAX, TITLE_MAX

COMMENT_MAX = 10_000
AMENDMENT_TEXT_MAX = 10_000


def _too_long(limit: int):
    return Length(max=limit, message=_l("At most %(max)d characters; this text is longer. Shorten it: "
                                        "nothing you typed has been lost."))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _paragraph_choice(value) -> int:
    """A paragraph id as the select sends it: 0 for none chosen; anything that is not an id the
    database can hold is refused as an invalid choice."""
    if value in (None, "", "0", 0):
        return 0
    return record_id(value)


class AmendmentForm(NestedForm):
    """One proposed amendment. Anchored ("anchored" set): a paragraph picked from the current revision
    of the text, whose text the server quotes. Otherwise the free-text fields of amendments written
    before the text was loaded (or while no revision is published): "Not anchored to the text"."""

    key = HiddenField()
    anchored = HiddenField()
    paragraph_id = SelectField(_l("Paragraph"), coerce=_paragraph_choice, validate_choice=False)
    kind = SelectField(_l("Kind"), choices=list(KIND_LABELS.items()), default="replace")
    section_id = SelectField(_l("Section of the compact"), coerce=int, validators=[Optional()])
    paragraph = CleanStringField(_l("Paragraph"), validators=[Length(max=20)], filters=[normalise_reference],
                                 description=_l("For example 31(c)."))
    current_text = CleanTextAreaField(_l("Current text"), validators=[_too_long(AMENDMENT_TEXT_MAX)])
    proposed_text = CleanTextAreaField(_l("Proposed text"), validators=[_too_long(AMENDMENT_TEXT_MAX)])
    rationale = CleanTextAreaField(_l("Rationale"), validators=[_too_long(AMENDMENT_TEXT_MAX)])
    remove = BooleanField(_l("Remove this amendment"))

    paragraphs: dict = {}  # the current revision's numbered paragraphs by id (set_choices)
    picked = False  # opened from "Propose an amendment" on its paragraph: focused on arrival

    @property
    def is_anchored(self) -> bool:
        return self.anchored.data == "1"

    @property
    def chosen_paragraph(self):
        return self.paragraphs.get(self.paragraph_id.data) if self.is_anchored else None

    def is_blank(self) -> bool:
        if self.is_anchored:
            return not any((self.paragraph_id.data, self.proposed_text.data, self.rationale.data))
        return not any((self.paragraph.data, self.current_text.data, self.proposed_text.data, self.rationale.data))

    def _checked(self) -> bool:
        return not self.remove.data and not self.is_blank()

    def validate_key(self, field):
        # Only a page that was tampered with sends another: the message shows above the fieldset.
        if field.data and not is_key(field.data):
            raise ValidationError(_l("This amendment's identifier is not valid. Reload the page and enter the "
                                     "amendment again."))

    def validate_paragraph_id(self, field):
        if not self.is_anchored or not self._checked():
            return
        if not field.data:
            raise ValidationError(_l("Choose the paragraph this amendment changes."))
        if field.data not in self.paragraphs:
            raise ValidationError(_l("This paragraph is not in the current revision of the text: choose it "
                                     "again."))

    def validate_kind(self, field):
        if field.data not in KIND_LABELS:
            raise ValidationError(_l("Choose what the amendment does."))

    def validate_paragraph(self, field):
        if not self.is_anchored and self._checked() and not field.data:
            raise ValidationError(_l("Say which paragraph this amendment changes."))

    def validate_proposed_text(self, field):
        if not self._checked() or (self.is_anchored and self.kind.data == "delete"):
            return
        if not field.data:
            raise ValidationError(_l("Write the text you propose."))
        chosen = self.chosen_paragraph
        if chosen is not None and self.kind.data == "replace" and (
                collapse_whitespace(field.data) == collapse_whitespace(chosen.text)):
            raise ValidationError(_l("The proposed text is the same as the current text: change its wording, "
                                     "or choose another kind."))

    def validate_section_id(self, field):
        if not self.is_anchored and self._checked() and not field.data:
            raise ValidationError(_l("Choose the section of the compact."))

    def show_current_text(self, copy_into_proposed: bool = False) -> None:
        """The chosen paragraph's text in the read-only field (never what was posted); a new proposal
        starts as a copy of it."""
        chosen = self.chosen_paragraph
        if chosen is None:  # none chosen yet, or one of another revision: its stored quote stays in view
            return
        self.current_text.data = chosen.text
        if copy_into_proposed and not self.proposed_text.data and self.kind.data != "delete":
            self.proposed_text.data = chosen.text

    def data_to_store(self) -> dict:
        common = {"key": self.key.data or new_key(), "rationale": self.rationale.data}
        chosen = self.chosen_paragraph
        if chosen is not None:
            delete = self.kind.data == "delete"
            return {**common, "paragraph_id": chosen.id, "kind": self.kind.data, "section_id": None,
                    "paragraph": chosen.number, "current_text": chosen.text,
                    "proposed_text": "" if delete else self.proposed_text.data}
        return {**common, "paragraph_id": None, "kind": "replace", "section_id": self.section_id.data or None,
                "paragraph": self.paragraph.data, "current_text": self.current_text.data,
                "proposed_text": self.proposed_text.data}


def milestone_choice(milestone) -> str:
    """"Round 2 (submissions until 26 February 2018)": the deadline beside each milestone offered."""
    return str(_l("%(milestone)s (submissions until %(date)s)", milestone=milestone.display_name,
                  date=format_date(milestone.submission_deadline, "long")))


class PositionForm(Form):
    title = CleanStringField(_l("Title"), validators=[DataRequired(message=_l("A title is required.")),
                                                      _too_long(TITLE_MAX)])
    # Always one milestone chosen (no empty first option): no `required` attribute, which HTML allows only
    # on a select whose first option is empty.
    milestone_id = SelectField(_l("Milestone"), coerce=int, validators=[InputRequired()],
                               render_kw={"required": False})
    themes = MultiCheckboxField(_l("Themes"), coerce=int)
    language = SelectField(_l("Language"), choices=list(LANGUAGE_NAMES.items()))
    summary = CleanTextAreaField(_l("Summary"), validators=[_too_long(SUMMARY_MAX)])
    text = CleanTextAreaField(
        _l("Text"), validators=[_too_long(TEXT_MAX)],
        description=_l("Paragraphs are separated by an empty line. # Heading, - bullet, 1. numbered item, "
                       "**bold**, *italic*, [link](https://…)."),
    )
    amendments = FieldList(FormField(AmendmentForm), min_entries=0, max_entries=200)
    # Offered only when resubmitting after the reviewers requested changes (edit.html).
    response = CleanTextAreaField(
        _l("Response to the reviewers"), validators=[_too_long(COMMENT_MAX)],
        description=_l("Shared with the reviewers when you submit: what you changed, and why."))
    base_revision = HiddenField()
    save = SubmitField(_l("Save draft"))
    save_and_submit = SubmitField(_l("Submit for review"))
    add_amendment = SubmitField(_l("Propose an amendment"))

    text_revision = None  # the revision of the negotiated text that amendments are proposed on

    def set_choices(self, milestones, themes, sections, text_revision=None) -> None:
        self.milestone_id.choices = [(m.id, milestone_choice(m)) for m in milestones]
        self.themes.choices = [(t.id, t.label) for t in themes]
        self.section_choices = [(0, "—")] + [(s.id, s.display_name) for s in sections]
        self.text_revision = text_revision
        numbered = [p for p in text_revision.paragraphs if p.kind == "paragraph" and p.number] if text_revision else []
        self.paragraphs = {p.id: p for p in numbered}
        # Grouped by the section of the text they stand in (an <optgroup> each), number and first words,
        # which are the compact's English whatever the page's language.
        self.paragraph_choices = [SelectChoice(0, "—")] + [
            SelectChoice(p.id, f"{p.number} — {p.first_words}", render_kw=COMPACT_LANGUAGE,
                         optgroup=p.section or str(_l("Paragraphs")))
            for p in numbered]
        for entry in self.amendments:
            self._choices_of(entry.form)

    def _choices_of(self, form: AmendmentForm) -> None:
        form.section_id.choices = self.section_choices
        form.paragraph_id.choices = self.paragraph_choices
        form.paragraphs = self.paragraphs

    def blank_amendment(self, index="__index__") -> AmendmentForm:
        """The fieldset a new amendment starts from (also the page's <template> for scripts)."""
        form = AmendmentForm(prefix=f"amendments-{index}-", data={"anchored": "1" if self.paragraphs else ""})
        self._choices_of(form)
        return form

    def paragraph_texts(self) -> dict[str, dict[str, str]]:
        """For the page's script: each paragraph's number and whole text, by id."""
        return {str(p.id): {"number": p.number, "text": p.text} for p in self.paragraphs.values()}

    def add_blank_amendment(self) -> AmendmentForm:
        entry = self.amendments.append_entry({"anchored": "1" if self.paragraphs else ""})
        self._choices_of(entry.form)
        return entry.form

    def pick_paragraph(self, paragraph_id: int | None) -> None:
        """"Propose an amendment" on a paragraph of the negotiated text: a new amendment on it, its
        proposed text a copy of the paragraph, focused - or the draft's amendment already on it. A
        paragraph not of the revision this form amends is ignored."""
        if paragraph_id not in self.paragraphs:
            return
        for entry in self.amendments:
            if entry.form.is_anchored and entry.form.paragraph_id.data == paragraph_id:
                entry.form.picked = True
                return
        form = self.add_blank_amendment()
        form.paragraph_id.data = paragraph_id
        form.picked = True
        form.show_current_text(copy_into_proposed=True)

    def show_current_texts(self) -> None:
        copy = bool(self.add_amendment.data)
        for entry in self.amendments:
            entry.form.show_current_text(copy_into_proposed=copy)

    def amendment_data(self) -> list[dict]:
        return [entry.form.data_to_store() for entry in self.amendments
                if not entry.form.remove.data and not entry.form.is_blank()]


VISIBILITY_CHOICES = [("internal", _l("Internal")), ("shared", _l("Shared with the authors"))]


class CommentForm(Form):
    body = CleanTextAreaField(_l("Comment"), validators=[DataRequired(message=_l("Write a comment.")),
                                                         _too_long(COMMENT_MAX)])
    visibility = RadioField(_l("Visibility"), choices=VISIBILITY_CHOICES, default="internal")
    post = SubmitField(_l("Add comment"))


class DecisionForm(Form):
    """The reviewer's panel: the reason the authors see, an optional internal note, a button per decision.
    Its reason is labelled apart from the discussion's "Comment", which may stay internal."""

    comment = CleanTextAreaField(
        _l("Reason for your decision (shared with the authors)"), validators=[_too_long(COMMENT_MAX)],
        description=_l("Required to request changes or to reject."))
    internal_note = CleanTextAreaField(
        _l("Internal note"), validators=[_too_long(COMMENT_MAX)],
        description=_l("Optional. Only reviewers and the secretariat see it."))


class ResubmitForm(Form):
    """"Submit for review" on the position page; after changes were requested, with the authors' response."""

    comment = CleanTextAreaField(
        _l("Response to the reviewers"), validators=[_too_long(COMMENT_MAX)],
        description=_l("Shared with the reviewers when you submit: what you changed, and why."))


class WithdrawForm(Form):
    """The confirmation step of "Withdraw": the POST only withdraws with `confirmed` set."""

    confirmed = HiddenField(default="yes")


class ReasonForm(Form):
    comment = CleanTextAreaField(_l("Reason"), validators=[DataRequired(message=_l("Give a reason.")),
                                                           _too_long(COMMENT_MAX)])


class ExtensionForm(Form):
    until = BoundedDateField(_l("Extend the submission deadline until"),
                      validators=[DataRequired(message=_l("Enter a date."))])
    reason = CleanStringField(_l("Reason"), validators=[Length(max=500)])
    grant = SubmitField(_l("Grant extension"))


class CarryForwardForm(Form):
    milestone_id = SelectField(_l("Later milestone"), coerce=int)
    carry = SubmitField(_l("Carry forward"))

