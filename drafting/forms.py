"""Form pieces shared by every area: fields that clean text, and the POST-only button form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from drafting.text import UnreadableText, clean_text


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
            self.data = raw.encode("utf-8", "replace").decode("utf-8")
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


class EmptyForm(FlaskForm):
    """For buttons that POST: every one carries a CSRF token."""
