"""The budgets of every Word file the product reads: annexes uploaded to positions (and read again by
the worker when it builds an edition), and revisions of the negotiated text loaded at /text/new.

A file past any of them is refused while it is being read, before it is stored and before it is
whole in memory, with a message naming what was too large. The budgets bound the work: the bytes
inflated from the zip (counted as they come out, whatever its directory declares), the XML nodes the
parser builds, and every number that drives a loop (paragraphs, runs, characters, styles, list levels
and start numbers, table nesting, inheritance depth).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import format_number
from flask_babel import gettext as _


@dataclass(frozen=True)
class Budget:
    file_bytes: int = 10 * 1024 * 1024  # the upload itself
    entries: int = 2_000  # parts in the zip
    inflated_bytes: int = 50 * 1024 * 1024  # all parts together, as inflated
    ratio: int = 100  # inflated bytes per compressed byte of one part (past the first megabyte)
    xml_nodes: int = 500_000  # elements and attributes, all parts together
    paragraphs: int = 20_000
    runs: int = 200_000
    characters: int = 2_000_000
    styles: int = 4_000
    lists: int = 4_000  # list definitions and list instances, each
    list_levels: int = 9  # Word's lists have levels 0 to 8
    list_start: int = 32_767  # the largest start number Word offers
    list_number_characters: int = 20  # a paragraph's number as printed ("16.1.2", "(aa)"), as stored
    table_depth: int = 8  # a table in a cell of a table ...
    inheritance_depth: int = 30  # styles based on styles, lists linked to list styles


# An annex joins an edition as it is.
ANNEX = Budget()
# A revision becomes the text of the compact: what the publish form carries (500,000 characters).
REVISION = replace(Budget(), characters=500_000)


class WordFileRefused(ValueError):
    """The file is not accepted; the message says why, for the person who sent it."""


def too_large(what: str, limit: int) -> WordFileRefused:
    """The refusal naming the budget a file went past, in the current language."""
    count = format_number(limit)
    messages = {
        "inflated_bytes": _("This document would expand to more than %(count)s MB; it cannot be read.",
                            count=format_number(limit // (1024 * 1024))),
        "ratio": _("A part of this document is compressed more than %(count)s times, as no Word file is; it "
                   "cannot be read.", count=count),
        "xml_nodes": _("This document holds more than %(count)s XML elements and attributes; it cannot be read.",
                       count=count),
        "paragraphs": _("This document has more than %(count)s paragraphs; split it into smaller files.",
                        count=count),
        "runs": _("This document has more than %(count)s runs of formatted text; it cannot be read.", count=count),
        "characters": _("This document has more than %(count)s characters; split it into smaller files.",
                        count=count),
        "styles": _("This document defines more than %(count)s styles; it cannot be read.", count=count),
        "lists": _("This document defines more than %(count)s lists; it cannot be read.", count=count),
        "list_levels": _("This document uses a list level beyond the %(count)s levels Word's lists have; it "
                         "cannot be read.", count=count),
        "list_start": _("A list in this document starts at a number larger than %(count)s; it cannot be read.",
                        count=count),
        "list_number_characters": _("A list number in this document would be longer than %(count)s "
                                    "characters; it cannot be read.", count=count),
        "table_depth": _("This document has tables nested more than %(count)s deep; it cannot be read.",
                         count=count),
        "inheritance_depth": _("This document has styles or lists based on one another more than %(count)s "
                               "deep; it cannot be read.", count=count),
    }
    return WordFileRefused(messages[what])


def inheritance_circle(name: str) -> WordFileRefused:
    return WordFileRefused(_("In this document, “%(name)s” is based on itself, through other styles or lists; "
                             "Word files never are. Save it again from Word and send the new file.", name=name))


def damaged() -> WordFileRefused:
    return WordFileRefused(_("This Word document is damaged and cannot be opened."))
