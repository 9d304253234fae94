"""Helpers of the document tests: open a compiled edition, make small Word files to upload."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import docx
import pytest
from lxml import etree
from sqlalchemy import select

from drafting.documents.plan.data import EditionPlan, PositionEntry, ThemeRef
from drafting.extensions import db
from drafting.models import CompactSection

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W_NS}


OBJECTIVE_15 = ThemeRef(15, "objective", "15. Access to basic services", (15,))
OBJECTIVE_16 = ThemeRef(16, "objective", "16. Inclusion and social cohesion", (16,))
ADVOCACY = ThemeRef(24, "workstream", "Advocacy", (24,))


def entry(position_id: int, title: str, text: str, language: str = "en", org: str = "CEMR", **kwargs):
    """One position of a plan, on plain data (no database)."""
    return PositionEntry(position_id=position_id, revision_number=1, title=title, text=text, language=language,
                         organisation_short=org, organisation_full=f"{org} full name", **kwargs)


def plan_of(*entries: PositionEntry, **kwargs) -> EditionPlan:
    options = {"symbol": "UCLG/GCM/2018/R2/3", "title": "Local governments on the compact", **kwargs}
    return EditionPlan(milestone_name="Round 2",
                       milestone_start=date(2018, 3, 12), milestone_end=date(2018, 3, 15), milestone_place="New York",
                       edition_number=3, compiled_at=datetime(2018, 2, 10, 9, 30), compiled_by="Ana Secretariat",
                       positions=list(entries), **options)


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def body_text(document) -> str:
    """Every piece of text of the body, paragraphs and table cells, as a reader would see it."""
    return "\n".join("".join(p.itertext(w("t"))) for p in document.element.body.iter(w("p")))


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def words(markdown: str) -> list[str]:
    return re.findall(r"\w+", markdown)


def word_file(*paragraphs: str, comment: str | None = None) -> bytes:
    """A small .docx; with `comment`, the first paragraph carries a Word comment."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if comment:
        document.add_comment(document.paragraphs[0].runs, text=comment, author="Reviewer", initials="R")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xml_of(data: bytes, part: str = "word/document.xml"):
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(part))


def assert_closing_rule(data: bytes) -> None:
    """The text ends, on its last page, with UN documents' short centred rule: the body's last paragraph
    is an empty one whose style draws a bottom border across a narrow centred width."""
    body = xml_of(data).find(w("body"))
    last = [p for p in body if p.tag == w("p")][-1]
    style = last.find(f"{w('pPr')}/{w('pStyle')}")
    assert style is not None and style.get(w("val")) == "ClosingRule", etree.tostring(last)[:300]
    assert not "".join(last.itertext(w("t")))
    definition = next(s for s in xml_of(data, "word/styles.xml").iter(w("style"))
                      if s.get(w("styleId")) == "ClosingRule")
    ppr = definition.find(w("pPr"))
    assert ppr.find(f"{w('pBdr')}/{w('bottom')}").get(w("val")) == "single"
    assert ppr.find(w("jc")).get(w("val")) == "center"
    indent = last.find(f"{w('pPr')}/{w('ind')}")  # its own, on a page wider than portrait
    indent = indent if indent is not None else ppr.find(w("ind"))
    section = body.find(w("sectPr"))
    page, margins = section.find(w("pgSz")), section.find(w("pgMar"))
    text = int(page.get(w("w"))) - int(margins.get(w("left"))) - int(margins.get(w("right")))
    assert int(indent.get(w("left"))) == int(indent.get(w("right")))  # centred
    assert text - 2 * int(indent.get(w("left"))) == 2268, "4 cm long, whatever the page's width"


@pytest.fixture
def section():
    def find(order: int = 4) -> CompactSection:
        return db.session.scalar(select(CompactSection).where(CompactSection.order == order))

    return find


def prepared(edition):
    """The edition once the worker has run the waiting jobs (its preparation among them)."""
    from flask import current_app

    from tests.support.worker import run_queued_jobs

    run_queued_jobs(current_app._get_current_object())
    db.session.expire_all()
    return db.session.get(type(edition), edition.id)


def compile_ready(milestone, actor, options, **kwargs):
    """Compile an edition and prepare it, as the secretariat sees it once the editions page says "Ready"."""
    from drafting.documents.editions import compile_edition

    return prepared(compile_edition(milestone, actor, options, **kwargs))
