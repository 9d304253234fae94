"""Form pieces shared by every area: fields that clean text, and the POST-only button form."""

from __future__ import annotations

import hashlib
from datetime import date

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, StringField, TextAreaField
from wtforms import Form as UnprotectedForm
from wtforms.validators import ValidationError

from drafting.text import UnreadableText, clean_text, has_refused_characters, strip_controls

# The largest id an INTEGER column holds on every database we run on.
MAX_ID = 2**31 - 1


def record_id(value) -> int:
    """A positive id the database can hold, for `request.args.get(name, type=record_id)`: anything else
    raises ValueError, which Werkzeug turns into the default (None) instead of a database overflow."""
    number = int(str(value).strip())
    if not 0 < number <= MAX_ID:
        raise ValueError(value)
    return number


def page_number() -> int:
    """The `page` argument of a list, 1 when absent or nonsense."""
    return request.args.get("page", 1, type=record_id) or 1


class CleanTextMixin:
    """Drops control characters (tab and newline kept) and refuses lone surrogates with a message
    beside the field; the typed text stays in the field either way."""

    def process_formdata(self, valuelist):
        if not valuelist:
            self.data = ""
            return
        raw = valuelist[0]
        try:
            self.data = clean_text(raw)
        except UnreadableText:
            # Kept for the field to show again, and still free of what no database can take (NUL,
            # surrogates): validators such as the email uniqueness check run on it anyway.
            self.data = strip_controls(raw.encode("utf-8", "replace").decode("utf-8"))
            raise ValueError(
                _l("This text contains broken characters (lone surrogates). Retype or paste it again.")
            ) from None


class CleanStringField(CleanTextMixin, StringField):
    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = self.data.replace("\n", " ").replace("\t", " ").strip()


class CleanTextAreaField(CleanTextMixin, TextAreaField):
    pass


REFUSED_CHARACTERS = _l("This field contains characters that cannot be stored (control or broken "
                        "characters). Remove them and try again.")


class RefusedCharactersGuard:
    """Every field of every form refuses what the service cannot store (NUL, other control characters,
    bidi overrides, broken characters), with a message beside the field, before anything reaches a
    validator or the database. Free-text fields (CleanTextMixin) clean their text instead."""

    def process(self, *args, **kwargs):
        super().process(*args, **kwargs)
        for field in self._fields.values():
            if isinstance(field, CleanTextMixin):
                continue
            raw = [value for value in getattr(field, "raw_data", None) or () if isinstance(value, str)]
            if any(has_refused_characters(value) for value in raw):
                field.process_errors.append(REFUSED_CHARACTERS)
                if isinstance(field.data, str):  # what validators and the page see is storable
                    field.data = strip_controls(field.data)


class Form(RefusedCharactersGuard, FlaskForm):
    """The base of every form the service posts. Its CSRF token is rendered without an id: a page carries
    several forms (the header's "Log out" and the page's own), and an id must be unique on a page."""

    class Meta:
        def render_field(self, field, render_kw):
            if field.type == "CSRFTokenField":
                render_kw = {**render_kw, "id": False}
            return super().render_field(field, render_kw)


class NestedForm(RefusedCharactersGuard, UnprotectedForm):
    """The base of a form repeated inside another (FieldList of FormField): the outer form carries the
    CSRF token."""


# Every date the service stores lies within these years: the calendar of the negotiations and what
# follows it. Year 1 or 9999 is a typing slip, and would stretch the tracker's timeline to nothing.
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2100, 12, 31)


class BoundedDateField(DateField):
    """A date between 1990 and 2100, with a message beside the field; the typed text stays in it."""

    def pre_validate(self, form):
        if self.data is not None and not EARLIEST_DATE <= self.data <= LATEST_DATE:
            raise ValidationError(_l("Enter a date between %(first)d and %(last)d.",
                                     first=EARLIEST_DATE.year, last=LATEST_DATE.year))


class StaleEditGuard:
    """For edit forms of shared records (milestones, accounts): the form carries a fingerprint of the
    record's values as they were when it was opened, so that saving over someone else's change is
    refused instead of silently overwriting it."""

    opened_values = HiddenField()

    def _edited_names(self) -> list[str]:
        return [name for name, field in self._fields.items()
                if field.type not in ("HiddenField", "CSRFTokenField", "SubmitField", "PasswordField")]

    def fingerprint(self, record) -> str:
        values = "\x1f".join(repr(getattr(record, name, None)) for name in self._edited_names())
        return hashlib.sha256(values.encode()).hexdigest()

    def remember(self, record) -> None:
        self.opened_values.data = self.fingerprint(record)

    def changed_since_opened(self, record) -> bool:
        return self.opened_values.data != self.fingerprint(record)

    def saved_values(self, record) -> list[tuple[str, str]]:
        """(label, saved value) of each edited field, for the conflict message."""
        shown = []
        for name in self._edited_names():
            field, value = self._fields[name], getattr(record, name, None)
            labels = dict((choice[0], choice[1]) for choice in getattr(field, "choices", None) or [])
            shown.append((field.label.text, str(labels.get(value, "—" if value in (None, "") else value))))
        return shown


class EmptyForm(Form):
    """For buttons that POST: every one carries a CSRF token."""
