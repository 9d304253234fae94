"""The Uptake page as a CSV file: one row per revision, network, objective, paragraph and status,
with the tracker's rules for files that a spreadsheet opens (UTF-8 with BOM, formulas neutralised)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from drafting.amendments.uptake import STATUS_LABELS
from drafting.negotiated_text.uptake_queries import Uptake
from drafting.tracker.exports import CSV_CONTENT_TYPE, to_csv

__all__ = ["CSV_CONTENT_TYPE", "uptake_csv"]


def header() -> list[str]:
    return [str(_l("Revision")), str(_l("Network")), str(_l("Objective")), str(_l("Paragraph")),
            str(_l("Paragraph now")), str(_l("Status")), str(_l("Amendments"))]


def rows(uptake: Uptake) -> list[list]:
    return [
        [item.revision.name, line.organisation.short_name, section, paragraph.number,
         paragraph.successor_number or "", str(STATUS_LABELS[paragraph.status]), paragraph.count]
        for item in uptake.revisions
        for section, lines in item.objectives
        for line in lines
        for paragraph in line.details
    ]


def uptake_csv(uptake: Uptake) -> bytes:
    return to_csv(header(), rows(uptake))
