"""The "Table of proposals" edition: compiled from the database like the others (the compile form, the
worker's preparation, numbering, immutability), and the Word file negotiators work from: four columns,
one row per amended paragraph in the text's order, rows that never split, the header repeated on each
page, the differences marked, a landscape section; in the edition's language; Arabic right to left."""

from __future__ import annotations

import hashlib
import re
import subprocess

import pytest
from sqlalchemy import select

from drafting.documents.naming import CompileOptions
from drafting.extensions import db
from drafting.models import Edition
from tests.support.docx_structure import assert_sound_docx
from tests.support.joint import joint_proposal
from tests.support.worker import run_queued_jobs

from ..conftest import BACKENDS, base_config, milestone
from .conftest import assert_closing_rule, compile_ready, open_docx, w, xml_of
from .test_text_with_amendments import ZERO_DRAFT, amendment, approved_with, paragraph, publish

KIND = "table_of_proposals"
ARABIC = "نلتزم بضمان إثبات الهوية القانونية لجميع المهاجرين."


@pytest.fixture
def proposals(app, make_position, make_user):
    """The zero draft; three networks' approved positions on it; UCLG's joint proposal on 17 and 18."""
    secretariat = make_user("secretariat")
    zero = publish("Zero draft", ZERO_DRAFT, secretariat)
    p16, p16a, p17, p18 = (paragraph(zero, n) for n in ("16", "16(a)", "17", "18"))
    approved_with(make_position, "CEMR", [
        amendment(p16, "We commit to strengthen the local evidence base on migration.", "Cities hold the data."),
        amendment(p17, "We commit to ensure proof of legal identity for all migrants."),
        amendment(p18, "States will review return policies with cities."),
    ])
    approved_with(make_position, "Metropolis", [
        amendment(p18, "States will review return and readmission policies."),
        amendment(p16a, "", "Redundant.", kind="delete"),
    ])
    approved_with(make_position, "UCLG-MEWA", [
        amendment(p16, "Involve local governments in data collection;", kind="insert_after"),
    ])
    joint_proposal(p17, "We commit to ensure proof of legal identity for every migrant.", secretariat,
                   choice="modified", reason="Closest to the networks' shared wording.")
    joint_proposal(p18, p18.text, secretariat, choice="unchanged", reason="The networks disagree.")
    return {"zero": zero, "secretariat": secretariat}


def table_of(data: bytes):
    tables = xml_of(data).findall(f".//{w('tbl')}")
    assert len(tables) == 1
    return tables[0]


def cell_texts(row) -> list[str]:
    return ["\n".join("".join(p.itertext(w("t"))) for p in cell.iter(w("p"))) for cell in row.findall(w("tc"))]


def marked(element, mark: str) -> list[str]:
    """The text of the runs of `element` carrying `mark` (strike, u) in their properties."""
    return ["".join(run.itertext(w("t"))) for run in element.iter(w("r"))
            if run.find(f"{w('rPr')}/{w(mark)}") is not None]


def compiled(proposals, **options):
    return compile_ready(milestone("Round 2"), proposals["secretariat"],
                         CompileOptions(kind=KIND, text_revision_id=proposals["zero"].id, **options))


def test_the_compile_form_offers_the_table_and_compiles_it_numbered_with_the_revision(app, client, login_as,
                                                                                       proposals):
    login_as("secretariat")
    round_2 = milestone("Round 2").id
    page = client.get(f"/milestones/{round_2}/compile").get_data(as_text=True)
    assert 'value="table_of_proposals"' in page and "Table of proposals" in page
    # The revision field shows for the kinds written against a revision.
    assert 'data-edition-kind="text_with_amendments table_of_proposals joint_proposal"' in page
    response = client.post(f"/milestones/{round_2}/compile", data={
        "kind": KIND, "text_revision": str(proposals["zero"].id), "title": "Proposals on the zero draft",
        "language": "en", "grouping": "objective", "distribution": "general"})
    assert response.status_code in (302, 303)
    edition = db.session.scalar(select(Edition))
    assert (edition.kind, edition.text_revision_id, edition.number, edition.state) == (
        KIND, proposals["zero"].id, 1, "preparing")
    run_queued_jobs(app)
    db.session.expire_all()
    edition = db.session.get(Edition, edition.id)
    assert edition.state == "ready" and edition.sha256 == hashlib.sha256(edition.data).hexdigest()
    assert edition.filename.endswith("-edition-1-table-of-proposals.docx")
    listed = client.get(f"/milestones/{round_2}/editions").get_data(as_text=True)
    assert "Kind: <strong>Table of proposals</strong>" in listed
    assert "Zero draft" in listed

    # Immutable: a joint proposal changed afterwards leaves the stored file as it is; a new edition is numbered on.
    before = edition.sha256
    joint = joint_proposal(paragraph(proposals["zero"], "16"), "Changed later.", proposals["secretariat"])
    assert joint.id
    assert db.session.get(Edition, edition.id).sha256 == before
    assert compiled(proposals).number == 2


def test_four_columns_one_row_per_amended_paragraph_in_order_never_split_header_repeated(proposals):
    edition = compiled(proposals)
    assert edition.state == "ready", edition.failure_reason
    assert_sound_docx(edition.data)
    table = table_of(edition.data)
    assert len(table.findall(f"{w('tblGrid')}/{w('gridCol')}")) == 4
    rows = table.findall(w("tr"))
    header, body = rows[0], rows[1:]
    assert cell_texts(header) == ["Paragraph", "Text of Zero draft", "Proposals of the networks",
                                  "UCLG joint proposal"]
    assert header.find(f"{w('trPr')}/{w('tblHeader')}") is not None
    assert all(row.find(f"{w('trPr')}/{w('cantSplit')}") is not None for row in rows)
    assert all(row.find(f"{w('trPr')}/{w('tblHeader')}") is None for row in body)
    # 16 (CEMR; UCLG-MEWA inserts after it), 16(a) (Metropolis deletes it), 17, 18: the text's order.
    assert [cell_texts(row)[0] for row in body] == ["16", "16(a)", "17", "18"]
    assert all(len(row.findall(w("tc"))) == 4 for row in body)

    p16, p16a, p17, p18 = (cell_texts(row) for row in body)
    assert p16[1] == "We commit to strengthen the evidence base on migration."
    # One labelled block per network, a dash where it proposes nothing on the paragraph.
    assert p16[2].split("\n")[:2] == ["CEMR", "We commit to strengthen the local evidence base on migration."]
    assert "Metropolis\n\u2014" in p16[2]
    assert "UCLG-MEWA\nNew paragraph after it:\nInvolve local governments in data collection;" in p16[2]
    assert "Metropolis\nDelete the paragraph." in p16a[2]
    assert p16[3] == "\u2014\nNo joint proposal yet."
    assert p17[3].split("\n") == ["We commit to ensure proof of legal identity for every migrant.",
                                  "Reason: Closest to the networks' shared wording."]
    assert p18[3].split("\n")[0] == "No change: the paragraph as it stands."

    # The differences marked as UN compilation tables mark them: inserted underlined (and bold), deleted struck.
    cells = [row.findall(w("tc")) for row in body]
    assert marked(cells[0][2], "u") == ["local ", "Involve local governments in data collection;"]
    assert all(run.find(f"{w('rPr')}/{w('b')}") is not None for run in cells[0][2].iter(w("r"))
               if run.find(f"{w('rPr')}/{w('u')}") is not None)
    assert marked(cells[1][2], "strike") == ["Elaborate a strategy for data;"]
    assert marked(cells[2][3], "u") == ["legal ", " for every migrant"] and marked(cells[2][3], "strike") == []
    assert marked(cells[3][2], "u") == [" with cities", "and readmission "]
    assert marked(cells[2][1], "u") == marked(cells[2][1], "strike") == []  # the revision's own text: plain


def test_the_cover_is_portrait_and_the_table_a_landscape_section(proposals):
    data = compiled(proposals).data
    assert_closing_rule(data)
    document = open_docx(data)
    sections = document.sections
    assert len(sections) == 2
    cover, table = sections
    assert cover.orientation == 0 and cover.page_width < cover.page_height  # WD_ORIENT.PORTRAIT
    assert table.orientation == 1 and table.page_width > table.page_height  # WD_ORIENT.LANDSCAPE
    assert (table.page_width, table.page_height) == (cover.page_height, cover.page_width)  # A4 turned
    assert document.paragraphs[0].text == "UCLG/GCM/2018/R2/1"  # the symbol on the cover
    # The table's pages take the running header from their first page on, its title at the turned page's
    # right margin.
    assert cover.different_first_page_header_footer and not table.different_first_page_header_footer
    header = table.header.paragraphs[0]
    assert header.text.startswith("UCLG/GCM/2018/R2/1\tZero draft: table of the proposals of local")
    right = [tab.position for tab in header.paragraph_format.tab_stops if tab.alignment == 2]  # WD_TAB_ALIGNMENT.RIGHT
    assert right == [table.page_width - table.left_margin - table.right_margin]
    # The title as long as the turned page holds: here whole, where the portrait pages' header cuts it.
    portrait = cover.header.paragraphs[0].text
    assert header.text.endswith("of local and regional governments") and portrait.endswith("\u2026")
    assert header.text.startswith(portrait[:-1])


@pytest.mark.parametrize("language, headers, none_yet", [
    ("fr", ["Paragraphe", "Texte de Zero draft", "Propositions des réseaux", "Proposition commune de CGLU"],
     "Pas encore de proposition commune."),
    ("es", ["Párrafo", "Texto de Zero draft", "Propuestas de las redes", "Propuesta común de CGLU"],
     "Todavía no hay propuesta común."),
])
def test_in_the_editions_language(proposals, language, headers, none_yet):
    edition = compiled(proposals, language=language)
    rows = table_of(edition.data).findall(w("tr"))
    assert cell_texts(rows[0]) == headers
    assert cell_texts(rows[1])[3].split("\n")[1] == none_yet
    root = xml_of(edition.data, "word/styles.xml")
    assert root.find(f".//{w('docDefaults')}//{w('lang')}").get(w("val")).startswith(language)


def test_arabic_wording_reads_right_to_left(app, make_position, make_user):
    secretariat = make_user("secretariat")
    zero = publish("Zero draft", ZERO_DRAFT, secretariat)
    p17 = paragraph(zero, "17")
    approved_with(make_position, "UCLG-MEWA", [amendment(p17, f"{ARABIC} UCLG-MEWA")], language="ar")
    joint_proposal(p17, ARABIC, secretariat, choice="as_proposed")
    edition = compile_ready(milestone("Round 2"), secretariat, CompileOptions(kind=KIND, text_revision_id=zero.id))
    assert_sound_docx(edition.data)
    row = table_of(edition.data).findall(w("tr"))[1]
    networks, joint = row.findall(w("tc"))[2:]
    for cell in (networks, joint):
        wording = [p for p in cell.iter(w("p")) if re.search("[\u0600-\u06ff]", "".join(p.itertext(w("t"))))]
        assert wording and all(p.find(f"{w('pPr')}/{w('bidi')}") is not None for p in wording)
        arabic_runs = [r for p in wording for r in p.iter(w("r")) if re.search("[\u0600-\u06ff]", "".join(
            r.itertext(w("t"))))]
        assert arabic_runs and all(r.find(f"{w('rPr')}/{w('rtl')}") is not None for r in arabic_runs)
        # The inserted words are marked on every run, whichever its script.
        assert all(r.find(f"{w('rPr')}/{w('u')}") is not None for r in arabic_runs)
    latin = [r for r in networks.iter(w("r")) if "UCLG-MEWA" in "".join(r.itertext(w("t")))
             and r.find(f"{w('rPr')}/{w('u')}") is not None]
    assert latin and all(r.find(f"{w('rPr')}/{w('rtl')}") is None for r in latin)


def test_without_any_proposal_the_table_says_so(app, make_position, make_user):
    secretariat = make_user("secretariat")
    zero = publish("Zero draft", ZERO_DRAFT, secretariat)
    approved_with(make_position, "CEMR", [amendment(None, "Local governments are partners.", reference="31(c)")])
    edition = compile_ready(milestone("Round 2"), secretariat, CompileOptions(kind=KIND, text_revision_id=zero.id))
    assert edition.state == "ready"
    assert len(table_of(edition.data).findall(w("tr"))) == 1  # the header only
    text = "".join(xml_of(edition.data).itertext(w("t")))
    assert "No paragraph of this revision has a proposal yet." in text
    assert "1 approved amendment points at no paragraph of this revision" in text


@pytest.mark.office
class TestThroughLibreOffice:
    @pytest.fixture
    def backend(self):
        return "sqlite"

    @pytest.fixture
    def app_config(self, backend, unoserver_config):
        return base_config(BACKENDS[backend], **unoserver_config, UNOSERVER_TIMEOUT=240)

    def test_the_table_gets_its_pdf_with_landscape_pages(self, app, proposals, tmp_path):
        edition = compiled(proposals)
        assert edition.state == "ready", edition.failure_reason
        assert edition.pdf_data.startswith(b"%PDF")
        pdf = tmp_path / "table.pdf"
        pdf.write_bytes(edition.pdf_data)
        info = subprocess.run(["pdfinfo", "-f", "1", "-l", "2", str(pdf)], capture_output=True, text=True,
                              check=True).stdout
        sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
        assert [float(width) > float(height) for width, height in sizes] == [False, True]
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "UCLG joint proposal" in text and "No joint proposal yet." in text


def test_date_of_the_revision_is_named_in_the_introduction(proposals):
    text = "".join(xml_of(compiled(proposals).data).itertext(w("t")))
    assert "Zero draft of 5 February 2018: each paragraph" in text
