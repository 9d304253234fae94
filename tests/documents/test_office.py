"""Proof that a compiled edition opens: headless LibreOffice converts it to PDF."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from drafting.documents.operations import CompileOptions, compile_edition
from drafting.documents.uploads import attach_annex

from ..conftest import milestone
from .conftest import headings, open_docx, w, word_file, xml_of

pytestmark = pytest.mark.office

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx_bytes: bytes, tmp_path: Path) -> Path:
    if SOFFICE is None:
        pytest.fail("LibreOffice (soffice) is not installed: `make test` installs libreoffice-writer-nogui")
    source = tmp_path / "edition.docx"
    source.write_bytes(docx_bytes)
    profile = tmp_path / "profile"
    result = subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    pdf = tmp_path / "edition.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000, f"LibreOffice did not convert: {result.stdout}{result.stderr}"
    return pdf


@pytest.fixture
def backend():
    """The file does not depend on the database: convert it once, on SQLite."""
    return "sqlite"


@pytest.mark.parametrize("with_annex", [True, False], ids=["uploaded-annex", "no-annex"])
def test_an_edition_with_arabic_and_comments_converts_to_pdf(app, make_position, make_user, tmp_path, section,
                                                             backend, with_annex):
    """With an uploaded annex the builder composes on the tree (annex_files); without, it splices the
    body text into document.xml: both files must open."""
    amendment = {"section_id": section(4).id, "paragraph": "31(c)", "current_text": "Now.",
                 "proposed_text": "Local governments too.", "rationale": "Cities."}
    make_position("approved", org="UCLG-MEWA", title="المدن ترحب بالقادمين", language="ar",
                  text="السلطات المحلية **تقدم** الخدمات.\n\n1. السكن\n2. الصحة", amendments=[amendment])
    english = make_position("approved", org="CEMR", title="Housing", text="# Why\n\nCities *house* people.",
                            amendments=[dict(amendment)])
    if with_annex:
        attach_annex(english, english.created_by, "costs.docx", word_file("Annex costs.", comment="Check this"))
    from drafting.extensions import db
    from drafting.models import Comment

    db.session.add(Comment(position=english, author=make_user("reviewer", "CEMR"), body="Well argued.",
                           visibility="shared", revision_number=1))
    db.session.commit()
    edition = compile_edition(milestone("Round 2"), make_user("secretariat"),
                              CompileOptions(preface="To the co-facilitators.", review_comments=True))
    convert_to_pdf(edition.data, tmp_path)


def _check_structure(data: bytes) -> None:
    """What a reader of any edition relies on: chapters, a TOC field, page fields, the amendments annex."""
    document = open_docx(data)
    assert headings(document, 1) and headings(document, 2)
    body = xml_of(data)
    instructions = " ".join(node.text or "" for node in body.iter(w("instrText")))
    assert "TOC" in instructions
    footer = " ".join(
        node.text or "" for section in document.sections
        for node in section.footer._element.iter(w("instrText")))
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert "Annex: Compilation of proposed amendments" in headings(document, 1)


def test_the_demo_data_editions_reopen_and_convert(app, tmp_path):
    """The demo set of `make run`: its zero-draft edition, and a Round 1 edition with every option."""
    from drafting.demo import load_demo
    from drafting.models import Edition, User

    load_demo()
    from sqlalchemy import select

    from drafting.extensions import db

    secretariat = db.session.scalar(select(User).where(User.role == "secretariat"))
    round1 = compile_edition(milestone("Round 1"), secretariat,
                             CompileOptions(preface="**Note.** Demo.", review_comments=True))
    zero = db.session.scalar(select(Edition).where(Edition.number == 1, Edition.id != round1.id))
    for edition, folder in ((zero, "zero"), (round1, "round1")):
        _check_structure(edition.data)
        body = xml_of(edition.data)
        rtl = [p for p in body.iter(w("p")) if p.find(f"{w('pPr')}/{w('bidi')}") is not None]
        assert rtl, "the demo's Arabic positions are right-to-left"
        (tmp_path / folder).mkdir()
        convert_to_pdf(edition.data, tmp_path / folder)


def test_a_large_generated_set_converts_to_pdf(app, make_user, section, tmp_path):
    from tests.documents.seed import seed_approved_positions

    seed_approved_positions(200, milestone("Round 2"), section)
    edition = compile_edition(milestone("Round 2"), make_user("secretariat"), CompileOptions())
    _check_structure(edition.data)
    convert_to_pdf(edition.data, tmp_path)
