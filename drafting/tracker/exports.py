"""The tracker as files for the secretariat: CSV (read by Excel in any locale) and an Excel workbook.

Both carry text that contributors typed (titles), so every cell that a spreadsheet would read as a
formula is neutralised first.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from drafting.i18n import LANGUAGE_NAMES
from drafting.models import STAGES
from drafting.models.stages import STAGE_LABELS
from drafting.tracker.queries import PositionLine, Tracker

# A spreadsheet reads a cell starting with one of these as a formula (or the start of one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; the rest is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _stage_labels() -> dict[str, str]:
    return {stage: str(STAGE_LABELS[stage]) for stage in STAGES}


def count_header() -> list[str]:
    return [str(_l("Milestone")), str(_l("Organisation")), str(_l("Stage")), str(_l("Positions"))]


def count_rows(tracker: Tracker) -> list[list]:
    """One row per milestone, organisation and stage, zeros included, so pivots see the whole grid."""
    labels = _stage_labels()
    return [
        [row.milestone.display_name, cell.organisation.short_name, labels[stage], cell.by_stage.get(stage, 0)]
        for row in tracker.rows
        for cell in row.cells
        for stage in STAGES
    ]


def position_header() -> list[str]:
    return [str(_l("Id")), str(_l("Title")), str(_l("Organisation")), str(_l("Milestone")), str(_l("Stage")),
            str(_l("Language")), str(_l("Submitted")), str(_l("Approved"))]


def position_rows(lines: list[PositionLine]) -> list[list]:
    labels = _stage_labels()
    return [
        [line.id, line.title, line.organisation, line.milestone, labels.get(line.stage, line.stage),
         str(LANGUAGE_NAMES.get(line.language, line.language)), line.submitted_at, line.approved_at]
        for line in lines
    ]


def _csv_value(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if value is None:
        return ""
    return neutralise(value)


def to_csv(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark, which is how Excel recognises UTF-8 (and so the accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(name) for name in header])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _add_sheet(workbook: Workbook, title: str, header: list[str], rows: list[list], widths: list[int],
               date_columns: tuple[int, ...] = ()):
    sheet = workbook.create_sheet(title)
    sheet.append([neutralise(name) for name in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for column in date_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    return sheet


def to_xlsx(tracker: Tracker, lines: list[PositionLine]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _add_sheet(workbook, str(_l("Counts")), count_header(), count_rows(tracker), [60, 16, 20, 10])
    _add_sheet(workbook, str(_l("Positions")), position_header(), position_rows(lines),
               [8, 60, 16, 60, 20, 12, 17, 17], date_columns=(7, 8))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
