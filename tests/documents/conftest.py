"""Helpers of the document tests: open a compiled edition, make small Word files to upload."""

from __future__ import annotations

import io
import re

import docx
import pytest
from lxml import etree
from sqlalchemy import select

from drafting.extensions import db
from drafting.models import CompactSection

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W_NS}


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


@pytest.fixture
def section():
    def find(order: int = 4) -> CompactSection:
        return db.session.scalar(select(CompactSection).where(CompactSection.order == order))

    return find


def prepared(edition):
    """The edition once the worker has prepared it (its job run here, as the worker would)."""
    from drafting.documents.preparation import prepare_edition

    prepare_edition(edition.id)
    db.session.expire_all()
    return db.session.get(type(edition), edition.id)


def compile_ready(milestone, actor, options, **kwargs):
    """Compile an edition and prepare it, as the secretariat sees it once the editions page says "Ready"."""
    from drafting.documents.operations import compile_edition

    return prepared(compile_edition(milestone, actor, options, **kwargs))


@pytest.fixture
def worker_stopped(monkeypatch):
    """No worker runs: compiled editions stay "preparing" until the test runs their job (`prepared`)."""
    from drafting.documents import operations

    monkeypatch.setattr(operations, "queue_preparation", lambda edition: None)
