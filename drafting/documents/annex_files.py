"""Uploaded Word annexes appended after the edition's own annexes."""

from __future__ import annotations

from flask_babel import gettext as _

from drafting.documents.plan import PositionEntry
from drafting.documents.wordml import Writer


def append_uploaded_annexes(document, writer: Writer, annexed: list[PositionEntry]) -> None:
    from docxcompose.composer import Composer

    from drafting.documents.annexes import open_without_comments

    writer.heading(1, _("Annex: Documents attached to positions"))
    composer = Composer(document)
    for entry in annexed:
        for annex in entry.annexes:
            writer.heading(2, _("“%(title)s” (%(organisation)s): %(filename)s", title=entry.title,
                                organisation=entry.organisation_short, filename=annex.filename))
            writer.insert(writer.take())
            composer.append(open_without_comments(annex.data))
