"""Proof that a compiled edition opens: headless LibreOffice converts it to PDF."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from drafting.documents.operations import CompileOptions, compile_edition
from drafting.documents.uploads import attach_annex

from ..conftest import milestone
from .conftest import word_file

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
    """With an uploaded annex the builder composes on the tree (docxcompose); without, it splices the
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
