"""What an edition is called: its options as the compile form records them, its default symbol
("UCLG/GCM/2018/R1/2"), default title (in the document's language) and file name."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from drafting.documents.queries import next_edition_number, symbol_in_use
from drafting.documents.render.words import typeset
from drafting.models import Milestone, TextRevision


@dataclass
class CompileOptions:
    title: str = ""
    grouping: str = "objective"
    preface: str = ""
    amendments_annex: bool = True
    review_comments: bool = False
    uploaded_annexes: bool = True
    language: str = "en"  # the document's language, whatever the interface language of who compiles
    symbol: str = ""  # empty: default_symbol(milestone, number)
    distribution: str = "general"
    advance_unedited: bool = False
    document_date: date | None = None  # empty: the day it is compiled
    number_paragraphs: bool = True
    pdf_archive: bool = False  # PDF/A-2b; every PDF is tagged (structure, language, title, outline)
    # "UCLG joint proposal": only the proposals every network concerned agreed to (else every one recorded).
    joint_agreed_only: bool = False
    # The edition's kind and text revision are the edition's own columns, not stored options.
    kind: str = "consolidated"  # or one of TEXT_KINDS (drafting.models.documents)
    text_revision_id: int | None = None

    def as_dict(self) -> dict:
        options = asdict(self)
        options["document_date"] = self.document_date.isoformat() if self.document_date else None
        del options["kind"], options["text_revision_id"]
        return options

    @classmethod
    def from_dict(cls, stored: dict) -> CompileOptions:
        """The options an edition recorded (keys this version does not know are left aside)."""
        known = cls.__dataclass_fields__
        options = cls(**{key: value for key, value in stored.items() if key in known})
        if isinstance(options.document_date, str):
            options.document_date = date.fromisoformat(options.document_date)
        return options


_SMALL_WORDS = {"a", "an", "and", "de", "des", "du", "for", "in", "la", "le", "of", "on", "the", "to"}


def milestone_code(milestone: Milestone) -> str:
    """The milestone's code in its symbols: the one the secretariat gave it ("R1", "ZD"), else its
    initials and numbers ("World Urban Forum" -> "WUF")."""
    if milestone.symbol_code:
        return milestone.symbol_code.strip().upper()
    parts = []
    for word in re.findall(r"[^\W_]+", milestone.name):
        if word.isdigit():
            parts.append(word)
        elif word.lower() not in _SMALL_WORDS:
            parts.append(word[0].upper())
    code = unicodedata.normalize("NFKD", "".join(parts)).encode("ascii", "ignore").decode()
    return code[:8] or "M"


def default_symbol(milestone: Milestone, number: int | None = None) -> str:
    """UCLG/GCM/<year>/<milestone code>/<edition number>, e.g. UCLG/GCM/2018/R1/2; if another
    milestone's edition already has it, the milestone's id stands in for the code."""
    number = number or next_edition_number(milestone)
    symbol = f"UCLG/GCM/{milestone.start_date.year}/{milestone_code(milestone)}/{number}"
    if symbol_in_use(symbol):
        symbol = f"UCLG/GCM/{milestone.start_date.year}/M{milestone.id}/{number}"
    return symbol


def default_title(milestone: Milestone, language: str | None = None, text_revision: TextRevision | None = None,
                  kind: str = "") -> str:
    """The title an edition gets unless the secretariat writes one; in `language` (the document's), or
    in the interface's when None (to prefill the compile form). With `text_revision`: the title of a
    text with proposed amendments, of the table of proposals or of UCLG's joint proposal (`kind`)."""
    def title() -> str:
        if text_revision is not None and kind == "table_of_proposals":
            return str(_l("%(revision)s: table of the proposals of local and regional governments",
                          revision=text_revision.name))
        if text_revision is not None and kind == "joint_proposal":
            return str(_l("%(revision)s with UCLG’s joint proposals", revision=text_revision.name))
        if text_revision is not None:
            return str(_l("%(revision)s with the amendments proposed by local and regional governments",
                          revision=text_revision.name))
        return str(_l("Local and regional governments’ positions: %(milestone)s", milestone=milestone.display_name))

    if language is None:
        return title()
    with force_locale(language):
        return typeset(title(), language)


FILENAME_SUFFIXES = {"text_with_amendments": "-text-with-amendments", "table_of_proposals": "-table-of-proposals",
                     "joint_proposal": "-uclg-joint-proposal"}


def edition_filename(milestone: Milestone, number: int, kind: str = "consolidated") -> str:
    ascii_name = unicodedata.normalize("NFKD", milestone.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:80] or "milestone"
    suffix = FILENAME_SUFFIXES.get(kind, "")
    return f"{slug}-edition-{number}{suffix}.docx"
