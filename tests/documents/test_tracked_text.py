"""The text with proposed amendments, on plain data: every proposal a native tracked change that Word and
LibreOffice can accept or reject, authored by the proposing networks and dated with the approval, in a
document with the first page of any edition. (Compiled from the database: test_text_with_amendments.py.)"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import date, datetime

import docx
import pytest
from lxml import etree

from drafting.documents.plan.data import AmendmentElsewhere, TextWithAmendments
from drafting.documents.render.builder import build_document
from drafting.documents.render.text_with_amendments import Proposal, TextLine, distinct_changes
from tests.support.tracked_changes import settled_paragraphs, text_region

from .conftest import plan_of

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LINES = [
    TextLine(1, "heading", "Objective 1: Collect and use data"),
    TextLine(2, "paragraph", "We commit to strengthen the evidence base on migration.", "16"),
    TextLine(3, "paragraph", "Elaborate a strategy for data;", "16(a)"),
    TextLine(4, "paragraph", "We commit to ensure proof of identity.", "17"),
    TextLine(5, "paragraph", "States will review return policies.", "18"),
]
APPROVED = datetime(2018, 3, 2, 10, 30)


def proposal(key, kind, text, sponsor, rationale="", day=2):
    return Proposal(key, kind, text, sponsor, datetime(2018, 3, day, 10, 30), rationale)


def build_tracked_text(title, subtitle, lines, proposals, elsewhere=(), locale="en") -> bytes:
    """The edition's Word file, built as the worker builds it (the structural checks run on it too)."""
    plan = plan_of(title=title, locale=locale, preface=subtitle)
    plan.text = TextWithAmendments("Zero draft", date(2018, 2, 5), list(lines), list(proposals), list(elsewhere))
    return build_document(plan)


def changes_of(data: bytes):
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return root.findall(f".//{W}ins"), root.findall(f".//{W}del"), root


def comments_of(data: bytes) -> list[dict]:
    """Each Word comment: its author, initials, paragraphs and their language and direction."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/comments.xml"))
    found = []
    for comment in root.findall(f"{W}comment"):
        paragraphs = comment.findall(f"{W}p")
        found.append({
            "author": comment.get(f"{W}author"), "initials": comment.get(f"{W}initials"),
            "lines": ["".join(p.itertext()) for p in paragraphs],
            "bidi": [p.find(f"{W}pPr/{W}bidi") is not None for p in paragraphs],
            "runs": [[(("".join(r.itertext())), r.find(f"{W}rPr/{W}rtl") is not None,
                       [lang.get(f"{W}val") or lang.get(f"{W}bidi") for lang in r.iter(f"{W}lang")])
                      for r in p.findall(f"{W}r")] for p in paragraphs],
        })
    return found


def test_one_proposal_is_a_tracked_change_in_the_paragraph_itself():
    data = build_tracked_text("Zero draft with proposed amendments", "", LINES, [
        proposal(2, "replace", "We commit to strengthen the local and national evidence base on migration.",
                 "CEMR", "Cities hold the data."),
    ])
    inserted, deleted, root = changes_of(data)
    assert ["".join(i.itertext()) for i in inserted] == ["local and national "]
    assert deleted == []
    assert {i.get(f"{W}author") for i in inserted} == {"CEMR"}
    assert inserted[0].get(f"{W}date") == "2018-03-02T10:30:00Z"
    reopened = docx.Document(io.BytesIO(data))
    texts = [p.text for p in reopened.paragraphs]
    # python-docx reads a paragraph without its tracked insertions (and deletions): the text as it stands.
    assert "16.\tWe commit to strengthen the evidence base on migration." in texts
    assert "(a)\tElaborate a strategy for data;" in texts
    comments = zipfile.ZipFile(io.BytesIO(data)).read("word/comments.xml").decode()
    assert "Proposed by CEMR." in comments and "CEMR: Cities hold the data." in comments


def test_the_same_wording_from_two_networks_is_one_change_by_the_first_naming_both():
    wording = "We commit to ensure proof of legal identity for all migrants."
    data = build_tracked_text("T", "", LINES, [
        proposal(4, "replace", wording, "UCLG-MEWA", "Access to services."),
        proposal(4, "replace", wording.replace(" for", "  for"), "CEMR", "Registration.", day=3),
    ])
    inserted, deleted, _ = changes_of(data)
    # One reviewer per network in Word's list: the change is the first proposer's.
    assert {i.get(f"{W}author") for i in inserted + deleted} == {"UCLG-MEWA"}
    comments = comments_of(data)
    assert len(comments) == 1
    assert comments[0]["author"] == "UCLG-MEWA" and comments[0]["initials"] == "UCLG-MEWA"  # not cut to 8
    assert comments[0]["lines"] == ["Proposed by UCLG-MEWA; also proposed by CEMR.",
                                    "UCLG-MEWA: Access to services.", "CEMR: Registration."]


def test_different_wordings_become_alternatives_labelled_by_comments():
    data = build_tracked_text("T", "", LINES, [
        proposal(5, "replace", "States will review return policies with cities.", "CEMR"),
        proposal(5, "replace", "States will review return and readmission policies.", "UCLG Africa"),
        proposal(5, "replace", "States will review return policies with cities.", "Metropolis"),
    ])
    rejected, accepted = (text_region(settled_paragraphs(data, accept=flag)) for flag in (False, True))
    assert rejected[-1] == "18.\tStates will review return policies."
    assert not any(text.startswith("Alt.") for text in rejected + accepted)  # labels are comments, not text
    # Accepted, the paragraph gives way to every alternative, each numbered as the paragraph it replaces.
    assert accepted[-2:] == ["18.\tStates will review return policies with cities.",
                             "18.\tStates will review return and readmission policies."]
    assert [c["lines"][0] for c in comments_of(data)] == ["Alt. 1 \u2014 CEMR, Metropolis", "Alt. 2 \u2014 UCLG Africa"]
    _, _, root = changes_of(data)
    inserted_marks = root.findall(f".//{W}pPr/{W}rPr/{W}ins")
    assert [m.get(f"{W}author") for m in inserted_marks] == ["CEMR", "UCLG Africa"]


def test_a_deletion_among_alternatives_is_the_deleted_paragraph_labelled_by_its_comment():
    data = build_tracked_text("T", "", LINES, [
        proposal(5, "replace", "States will review return policies with cities.", "CEMR"),
        proposal(5, "delete", "", "Metropolis", "Out of scope.", day=3),
    ])
    _, deleted, root = changes_of(data)
    assert {d.get(f"{W}author") for d in deleted} == {"Metropolis"}  # the paragraph, its number and its mark
    assert [c["lines"] for c in comments_of(data)] == [
        ["Alt. 2 \u2014 Metropolis", "Proposed by Metropolis.", "Metropolis: Out of scope."],
        ["Alt. 1 \u2014 CEMR", "Proposed by CEMR."]]
    accepted = text_region(settled_paragraphs(data, accept=True))
    assert accepted[-1] == "18.\tStates will review return policies with cities."


def test_insertions_and_deletions_of_whole_paragraphs():
    data = build_tracked_text("T", "", LINES, [
        proposal(3, "delete", "", "UCLG-MEWA", "Redundant."),
        proposal(3, "insert_after", "Involve local governments in data collection;", "CEMR"),
    ])
    inserted, deleted, root = changes_of(data)
    # The typed number and its tab are deleted with the text: Accept All leaves no stray "(a)".
    assert ["".join(d.itertext()) for d in deleted if len(d)] == ["(a)Elaborate a strategy for data;"]
    assert deleted[-1].find(f"{W}r/{W}tab") is not None
    paragraph_marks = root.findall(f".//{W}pPr/{W}rPr/{W}del") + root.findall(f".//{W}pPr/{W}rPr/{W}ins")
    assert len(paragraph_marks) == 2  # the deleted paragraph's mark and the inserted one's
    assert {m.get(f"{W}author") for m in paragraph_marks} == {"UCLG-MEWA", "CEMR"}
    assert any("".join(i.itertext()) == "Involve local governments in data collection;" for i in inserted)
    accepted = text_region(settled_paragraphs(data, accept=True))
    assert accepted[-4:] == ["16.\tWe commit to strengthen the evidence base on migration.",
                             "Involve local governments in data collection;",
                             "17.\tWe commit to ensure proof of identity.", "18.\tStates will review return policies."]


def test_comments_carry_the_language_and_direction_of_their_text():
    wording = "We commit to ensure proof of legal identity for all migrants."
    arabic = "السلطات المحلية هي الأقرب إلى المهاجرين."
    data = build_tracked_text("T", "", LINES, [
        Proposal(4, "replace", wording, "UCLG-MEWA", APPROVED, arabic, "ar"),
        Proposal(4, "replace", wording, "CEMR", datetime(2018, 3, 3), "Les communes tiennent les registres.", "fr"),
    ])
    (comment,) = comments_of(data)
    assert comment["lines"] == ["Proposed by UCLG-MEWA; also proposed by CEMR.", f"UCLG-MEWA: {arabic}",
                                "CEMR: Les communes tiennent les registres."]
    # The Arabic rationale's paragraph reads right to left, its Arabic run marked as such; the French one
    # is French; the document's own words take the document's language (its default).
    assert comment["bidi"] == [False, True, False]
    arabic_runs = [run for run in comment["runs"][1] if run[1]]
    assert len(arabic_runs) == 1 and arabic_runs[0][0].endswith(arabic)
    assert arabic_runs[0][2] == ["ar-SA"]
    assert comment["runs"][2][0][2] == ["fr-FR"]
    assert comment["runs"][0][0][2] == []


def test_merging_keeps_case_and_punctuation_apart():
    changes = distinct_changes([
        proposal(2, "replace", "Local governments.", "CEMR"),
        proposal(2, "replace", "LOCAL GOVERNMENTS.", "Metropolis"),
        proposal(2, "replace", "Local  governments.", "UCLG Africa"),
    ])
    assert [(c.text, c.sponsors) for c in changes[2]] == [
        ("Local governments.", ["CEMR", "UCLG Africa"]), ("LOCAL GOVERNMENTS.", ["Metropolis"])]


@pytest.fixture
def backend():
    """No database here: the app only provides the catalogues."""
    return "sqlite"


@pytest.mark.usefixtures("app")
def test_the_document_is_an_edition_with_the_un_first_page_in_its_language():
    data = build_tracked_text("Le projet zéro avec les amendements proposés", "", LINES, [
        proposal(4, "replace", "We commit to ensure proof of legal identity.", "CEMR", "Accès aux services."),
        proposal(5, "replace", "States will review return policies with cities.", "CEMR"),
        proposal(5, "replace", "States will review return policies locally.", "Metropolis"),
    ], locale="fr")
    reopened = docx.Document(io.BytesIO(data))
    texts = [p.text for p in reopened.paragraphs]
    assert texts[0] == "UCLG/GCM/2018/R2/3" and texts[1] == "Distr. générale"
    assert "10 février 2018" in texts and "New York, 12-15 mars 2018" in texts
    # The compact's text and the proposals to it: its original is English, as the compact's.
    assert [t for t in texts if t.startswith("Original")] == ["Original\u00a0: anglais"]
    assert "Le projet zéro avec les amendements proposés" in texts
    lines = [c["lines"] for c in comments_of(data)]
    # In French: "Variante", "Proposé par", and a no-break space before the colon.
    assert lines == [["Proposé par CEMR.", "CEMR\u00a0: Accès aux services."],
                     ["Variante 1 \u2014 CEMR", "Proposé par CEMR."],
                     ["Variante 2 \u2014 Metropolis", "Proposé par Metropolis."]]
    header = reopened.sections[0].header.paragraphs[0].text
    assert header.startswith("UCLG/GCM/2018/R2/3")
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    assert "Times New Roman" in styles and 'w:val="fr-FR"' in styles
    # The compact's own words stay English, whatever the document's language.
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert '<w:lang w:val="en-GB"/>' in body


def test_amendments_pointing_elsewhere_are_listed_in_an_appendix():
    data = build_tracked_text("T", "", LINES, [], elsewhere=[
        AmendmentElsewhere("CEMR", "replace", "Old words.", "New words.", "Because.", revision_name="Rev 1",
                           paragraph="12"),
        AmendmentElsewhere("Metropolis", "delete", "Gone words.", "", "Redundant.", paragraph="31(c)"),
        AmendmentElsewhere("UCLG Africa", "insert_after", "", "A new paragraph.", ""),
    ])
    reopened = docx.Document(io.BytesIO(data))
    assert "Amendments not anchored to this revision" in [p.text for p in reopened.paragraphs]
    rows = [[cell.text for cell in row.cells] for row in reopened.tables[-1].rows]
    assert rows[0] == ["Network", "Paragraph", "Current text", "Proposed text", "Rationale"]
    assert ["Metropolis", "Paragraph 31(c) (not anchored)", "Gone words.", "Delete the paragraph.",
            "Redundant."] in rows
    assert ["CEMR", "Rev 1, paragraph 12", "Old words.", "New words.", "Because."] in rows
    assert ["UCLG Africa", "Not anchored", "", "New paragraph after it:\nA new paragraph.", ""] in rows
    inserted, deleted, _ = changes_of(data)
    assert inserted == deleted == []  # listed, not tracked


def test_hostile_text_stays_well_formed():
    data = build_tracked_text("<script>&", "", [TextLine(1, "paragraph", "A & B < C \x0b", "1")], [
        proposal(1, "replace", "A & B > C \"quoted\" \u202eevil", "CE&MR <x>", "R & D"),
    ])
    inserted, deleted, _ = changes_of(data)  # parses: the markup characters were escaped
    # What the reader sees: the words as typed, the invisible control and bidi override characters left
    # out, the changes in the network's name, and the rationale in its comment.
    reopened = docx.Document(io.BytesIO(data))
    assert "<script>&" in [p.text for p in reopened.paragraphs]
    assert ["".join(i.itertext()) for i in inserted] == [">", '"quoted" evil']
    assert ["".join(d.itertext()) for d in deleted] == ["<"]
    assert {change.get(f"{W}author") for change in inserted + deleted} == {"CE&MR <x>"}
    comments_xml = zipfile.ZipFile(io.BytesIO(data)).read("word/comments.xml").decode()
    assert "CE&amp;MR &lt;x&gt;: R &amp; D" in comments_xml


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by make test")
def test_libreoffice_reads_the_changes_with_their_authors(tmp_path):
    data = build_tracked_text("T", "", LINES, [
        proposal(2, "replace", "We commit to strengthen the local evidence base on migration.", "CEMR"),
        proposal(3, "delete", "", "UCLG-MEWA"),
        proposal(4, "insert_after", "Cities will issue local identity cards.", "Metropolis"),
    ])
    source = tmp_path / "tracked.docx"
    source.write_bytes(data)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "odt", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    content = zipfile.ZipFile(tmp_path / "tracked.odt").read("content.xml").decode()
    assert content.count("<text:changed-region") >= 3
    for author in ("CEMR", "UCLG-MEWA", "Metropolis"):
        assert f"<dc:creator>{author}</dc:creator>" in content
