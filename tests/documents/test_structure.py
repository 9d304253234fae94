"""The structural checker finds each kind of defect, and editions of every kind pass it: a hostile text
set, a generated set, the demo data (see also the autouse fixture `sound_editions`)."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from drafting.documents.naming import CompileOptions
from drafting.documents.plan.data import AmendmentEntry, ReviewNote
from drafting.documents.render.builder import build_document
from tests.support.docx_structure import assert_sound_docx, problems
from tests.support.worker import run_queued_jobs

from ..conftest import milestone
from .conftest import compile_ready, entry, open_docx, plan_of


def rewritten(data: bytes, part: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == part:
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


@pytest.fixture(scope="module")
def sound() -> bytes:
    return build_document(plan_of(entry(1, "Housing", "Text.")))


@pytest.mark.parametrize(("part", "change", "message"), [
    ("word/document.xml", lambda x: x.replace("</w:body>", "<w:p>", 1), "not well-formed"),
    ("word/header2.xml", lambda x: x.replace("<w:pPr>", "<w:pPr/><w:pPr>", 1), "p has 2 pPr"),
    ("word/document.xml", lambda x: x.replace("<w:rPr>", "<w:rPr><w:i/><w:i/>", 1), "rPr has 2 i"),
    ("word/_rels/document.xml.rels",
     lambda x: x.replace("</Relationships>", '<Relationship Id="rX" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/image" Target="media/gone.png"/></Relationships>'),
     "target media/gone.png is missing"),
    ("word/_rels/document.xml.rels",
     lambda x: x.replace("</Relationships>", '<Relationship Id="rY" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/image" Target="http://tracker.example/p.png" '
                         'TargetMode="External"/></Relationships>'),
     "external relationship image to http://tracker.example/p.png"),
    ("docProps/core.xml",
     lambda x: x.replace("</cp:coreProperties>", '<x:lastModifiedBy xmlns:x="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/custom-properties"/></cp:coreProperties>'),
     "core.xml has a foreign element"),
    ("word/document.xml", lambda x: x.replace('w:w="11906" w:h="16838"', 'w:w="12240" w:h="15840"'),
     "is 12240x15840, not A4"),
])
def test_the_checker_finds_each_defect(sound, part, change, message):
    assert problems(sound) == []
    found = problems(rewritten(sound, part, change))
    assert any(message in problem for problem in found), found


HOSTILE = [
    "Tags <w:p> & \"quotes\" ]]> &amp; <!-- --> <?pi?>",
    "Control \x00\x01\x08\x0b\x0c\x1f\x7f characters and \ufffe\uffff noncharacters",
    "Bidi \u202eoverride\u202c and \u2066isolate\u2069 marks",
    "Line\u2028separator, paragraph\u2029separator and next\u0085line",
    "Surrogate-free emoji 🏙️👩🏽‍⚖️ and CJK 城市 and Arabic المدن",
    "**unclosed bold, [link](javascript:alert(1)) [ok](https://uclg.org) ![img](http://x/y.png)",
    "# Heading\n\n- item\n    - nested\n\n1. one\n2. two\n\n> quote\n\n    code\n\n---",
    "x" * 5000,
    "",
]


def test_a_hostile_text_set_gives_a_sound_file():
    entries = []
    for index, text in enumerate(HOSTILE, start=1):
        amendment = AmendmentEntry(None, text[:40], index, text[:10] or "1", text, text, text)
        entries.append(entry(index, text[:200] or "Untitled", text, language=("en", "fr", "es", "ar")[index % 4],
                             org=text[:20] or "CEMR", summary=text, authors=[text[:50]], approvers=[text[:30]],
                             approved_on=date(2018, 2, 1), amendments=[amendment],
                             review_notes=[ReviewNote(text[:40] or "R", date(2018, 1, 1), text)]))
    data = build_document(plan_of(*entries, title=HOSTILE[0], preface=HOSTILE[6], review_comments=True))
    assert_sound_docx(data)
    assert open_docx(data).paragraphs


@pytest.mark.slow  # seeds hundreds of positions
def test_a_generated_set_gives_a_sound_file(app, make_user, section):
    from tests.support.seed import seed_approved_positions

    seed_approved_positions(60, milestone("Round 2"), section)
    edition = compile_ready(milestone("Round 2"), make_user("secretariat"),
                            CompileOptions(review_comments=True, language="es", advance_unedited=True))
    assert_sound_docx(edition.data)


def test_the_demo_data_gives_sound_files(app):
    from sqlalchemy import select

    from drafting.demo import load_demo
    from drafting.extensions import db
    from drafting.models import Edition

    load_demo()
    run_queued_jobs(app)  # the worker prepares the demo's edition
    editions = db.session.scalars(select(Edition)).all()
    assert editions
    for edition in editions:
        assert_sound_docx(edition.data)
