"""Dates, in one place: UN style for documents ("20 February 2018", "1er mars 2018", "20 de febrero de
2018", and ranges "20–23 February 2018"), the reader's own style for mail ("February 20, 2018" to an
English reader, "20 février 2018" to a French one), and for pages the same in one unbreakable piece."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date as babel_format_date
from babel.dates import get_month_names
from flask_babel import format_date

NO_BREAK_SPACE = "\u00a0"


def reader_date(value: date | datetime | None) -> str:
    """The date as the reader's language writes it in full (mail, flashed messages)."""
    return format_date(value, "long") if value else ""


def page_date(value: date, fmt: str, language: str) -> str:
    """`value` as a page shows it in `language` ("Feb 20, 2018", "20 févr. 2018", "20 de febrero de 2018"),
    with no-break spaces: a narrow column never leaves the day at the end of one line and the month on
    the next. `fmt` is a Babel format ("medium", "long", "MMM yyyy"...)."""
    return babel_format_date(value, fmt, locale=language).replace(" ", NO_BREAK_SPACE)


def _parts(value: date, locale: str) -> tuple[str, str, str]:
    """Day, month name and year as UN documents print them in `locale`."""
    try:
        months = get_month_names("wide", locale=locale)
    except (ValueError, LookupError):
        locale, months = "en", get_month_names("wide", locale="en")
    day = "1er" if locale == "fr" and value.day == 1 else str(value.day)
    return day, months[value.month], str(value.year)


def long_date(value: date | datetime | None, locale: str) -> str:
    """"20 February 2018", "1er mars 2018", "20 de febrero de 2018"."""
    if value is None:
        return ""
    day, month, year = _parts(value, locale)
    if locale == "es":
        return f"{day} de {month} de {year}"
    return f"{day} {month} {year}"


def date_range(start: date, end: date, locale: str) -> str:
    """UN style: "20–23 February 2018", "28 February–2 March 2018", "30 December 2018–2 January 2019";
    in French with a hyphen ("20-23 février 2018"); in Spanish with "a" ("20 a 23 de febrero de 2018")."""
    if end is None or start == end:
        return long_date(start, locale)
    (d1, m1, y1), (d2, m2, y2) = _parts(start, locale), _parts(end, locale)
    if locale == "es":
        if y1 != y2:
            return f"{d1} de {m1} de {y1} a {d2} de {m2} de {y2}"
        if m1 != m2:
            return f"{d1} de {m1} a {d2} de {m2} de {y2}"
        return f"{d1} a {d2} de {m2} de {y2}"
    dash = "-" if locale == "fr" else "\u2013"
    if y1 != y2:
        return f"{d1} {m1} {y1}{dash}{d2} {m2} {y2}"
    if m1 != m2:
        return f"{d1} {m1}{dash}{d2} {m2} {y2}"
    return f"{d1}{dash}{d2} {m2} {y2}"
