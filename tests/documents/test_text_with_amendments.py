"""The "Text with proposed amendments" edition, compiled from the database: the compile form, the worker's
preparation, the Word file a delegate opens (native tracked changes by network, co-sponsors in a
comment, alternatives, an appendix for the amendments anchored elsewhere), numbering and immutability,
and who may compile it. (The document builder on plain data: test_tracked_text.py; LibreOffice: below.)"""

from __future__ import annotations

import hashlib
import io
import re
import xmlrpc.client
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from drafting.documents.editions import compile_edition
from drafting.documents.naming import CompileOptions
from drafting.documents.office import unoserver as office
from drafting.extensions import db
from drafting.models import Edition, EditionEntry, Revision, TextParagraph, TextRevision
from drafting.negotiated_text.operations import publish_revision
from tests.support.docx_structure import assert_sound_docx
from tests.support.tracked_changes import settled_paragraphs, text_region
from tests.support.worker import run_queued_jobs

from ..conftest import BACKENDS, base_config, milestone
from .conftest import assert_closing_rule, compile_ready, open_docx, prepared, w, xml_of

ZERO_DRAFT = """# Objective 1: Collect and use data
16. We commit to strengthen the evidence base on migration.
(a) Elaborate a strategy for data;
17. We commit to ensure proof of identity.
18. States will review return policies.
"""
REV_1 = """# Objective 1: Collect and use data
16. We commit to strengthen the global evidence base on migration.
17. We commit to ensure proof of legal identity.
"""
KIND = "text_with_amendments"


def publish(name: str, text: str, by, milestone_name: str | None = "Round 2", issued_on=date(2018, 2, 5)):
    return publish_revision(name=name, issued_on=issued_on, milestone=milestone(milestone_name) if milestone_name
                            else None, structure=text, source_filename="", by=by)


def paragraph(revision: TextRevision, number: str) -> TextParagraph:
    return db.session.scalar(select(TextParagraph).where(TextParagraph.revision_id == revision.id,
                                                         TextParagraph.number == number))


def amendment(target: TextParagraph | None, proposed: str, rationale: str = "", kind: str = "replace",
              reference: str = "") -> dict:
    """An amendment as the position form stores it (anchored to `target`, or not anchored)."""
    return {"key": f"k{abs(hash((proposed, kind))) % 10**8}", "paragraph_id": target.id if target else None,
            "kind": kind, "current_text": target.text if target else "", "proposed_text": proposed,
            "rationale": rationale, "paragraph": target.number if target else reference}


def approved_with(make_position, org: str, amendments: list[dict], **kwargs):
    """An approved position whose approved revision proposes `amendments`."""
    position = make_position("approved", org=org, title=f"{org} on the zero draft", **kwargs)
    revision = db.session.scalar(select(Revision).where(Revision.position_id == position.id,
                                                        Revision.number == position.revision_number))
    revision.amendments = amendments
    position.amendments = amendments
    db.session.commit()
    return position


@pytest.fixture
def negotiated(app, make_position, make_user):
    """The zero draft (Round 2's text) and Rev 1, and three networks' approved positions on them."""
    secretariat = make_user("secretariat")
    zero = publish("Zero draft", ZERO_DRAFT, secretariat)
    rev_1 = publish("Rev 1", REV_1, secretariat, milestone_name=None, issued_on=date(2018, 3, 20))
    p16, p16a, p17, p18 = (paragraph(zero, n) for n in ("16", "16(a)", "17", "18"))
    identity = "We commit to ensure proof of legal identity for all migrants."
    approved_with(make_position, "CEMR", [
        amendment(p16, "We commit to strengthen the local evidence base on migration.", "Cities hold the data."),
        amendment(p17, identity, "Access to services."),
        amendment(p18, "States will review return policies with cities."),
        amendment(None, "Local governments are partners.", "Typed before anchoring.", reference="31(c)"),
    ])
    approved_with(make_position, "Metropolis", [
        amendment(p17, identity, "Registration."),
        amendment(p18, "States will review return and readmission policies."),
        amendment(p16a, "", "Redundant.", kind="delete"),
    ])
    approved_with(make_position, "UCLG-MEWA", [
        amendment(p16, "Involve local governments in data collection;", kind="insert_after"),
        amendment(paragraph(rev_1, "17"), "We commit to ensure proof of legal identity for everyone.",
                  "On Rev 1."),
    ])
    make_position("submitted", org="UCLG Africa")  # not approved: not in the edition
    return {"zero": zero, "rev_1": rev_1, "secretariat": secretariat}


def changes(data: bytes):
    root = xml_of(data)
    return root.findall(f".//{w('ins')}"), root.findall(f".//{w('del')}")


def compile_form(**changes) -> dict:
    return {"kind": KIND, "title": "Zero draft with the networks' amendments", "language": "en",
            "grouping": "objective", "distribution": "general", **changes}


# The compile form ---------------------------------------------------------------------------------

def test_without_a_published_revision_the_form_says_so_beside_the_field_and_keeps_the_values(
        client, login_as, make_position):
    make_position("approved", org="CEMR")
    login_as("secretariat")
    round_2 = milestone("Round 2").id
    page = client.get(f"/milestones/{round_2}/compile").get_data(as_text=True)
    assert "Consolidated positions" in page and "Text with proposed amendments" in page
    assert re.search(r'<input checked[^>]*value="consolidated"|value="consolidated"[^>]*checked', page)

    response = client.post(f"/milestones/{round_2}/compile", data=compile_form(title="My own title",
                                                                               preface="Dear co-facilitators,"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = re.search(r'<p class="error" id="text_revision-error">([^<]*)</p>', page)
    assert error and "No revision of the negotiated text is published yet" in error.group(1)
    assert 'value="My own title"' in page and "Dear co-facilitators," in page
    assert re.search(r'<input checked[^>]*value="text_with_amendments"|value="text_with_amendments"[^>]*checked',
                     page)
    assert db.session.scalar(select(func.count()).select_from(Edition)) == 0

    # The consolidated kind needs no revision.
    response = client.post(f"/milestones/{round_2}/compile", data=compile_form(kind="consolidated"))
    assert response.status_code in (302, 303)
    assert db.session.scalar(select(Edition.kind)) == "consolidated"


def test_the_revision_field_offers_the_published_revisions_with_the_milestones_own_chosen(client, login_as,
                                                                                          negotiated):
    login_as("secretariat")
    round_2 = milestone("Round 2").id
    page = client.get(f"/milestones/{round_2}/compile").get_data(as_text=True)
    options = re.findall(r'<option([^>]*)>([^<]*)</option>', page[page.index('id="text_revision"'):])
    revisions = [(label, "selected" in attributes) for attributes, label in options[:2]]
    assert revisions == [("Rev 1 (20 March 2018)", False), ("Zero draft (5 February 2018)", True)]

    response = client.post(f"/milestones/{round_2}/compile", data=compile_form(text_revision="999999"))
    assert response.status_code == 400
    assert "Choose one of the published revisions." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Edition)) == 0


@pytest.mark.parametrize("role", ["contributor", "reviewer"])
def test_only_the_secretariat_compiles_a_text_with_proposed_amendments(client, login_as, negotiated, role):
    login_as(role, org="CEMR")
    round_2 = milestone("Round 2").id
    assert client.get(f"/milestones/{round_2}/compile").status_code == 403
    posted = client.post(f"/milestones/{round_2}/compile",
                         data=compile_form(text_revision=str(negotiated["zero"].id)))
    assert posted.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Edition)) == 0


# Compiled, prepared, opened ------------------------------------------------------------------------

def test_compiled_and_prepared_the_word_file_carries_every_proposal_as_a_tracked_change(
        app, client, login_as, negotiated):
    login_as("secretariat")
    round_2 = milestone("Round 2").id
    zero = negotiated["zero"]
    response = client.post(f"/milestones/{round_2}/compile", data=compile_form(text_revision=str(zero.id)))
    assert response.status_code in (302, 303)
    edition = db.session.scalar(select(Edition))
    assert (edition.kind, edition.text_revision_id, edition.state, edition.number) == (KIND, zero.id, "preparing", 1)
    assert len(edition.entries) == 3  # the three approved positions, each at its approved revision

    assert run_queued_jobs(app) >= 1
    db.session.expire_all()
    edition = db.session.get(Edition, edition.id)
    assert_closing_rule(edition.data)
    assert edition.state == "ready" and edition.sha256 == hashlib.sha256(edition.data).hexdigest()
    assert edition.filename.endswith("-text-with-amendments.docx")
    assert_sound_docx(edition.data)

    inserted, deleted = changes(edition.data)
    authors = sorted(change.get(w("author")) for change in inserted + deleted)
    # 16: CEMR inserts "local"; 16(a): Metropolis deletes the paragraph (its number, tab, text and mark);
    # after 16 UCLG-MEWA inserts a paragraph (its text and its mark); 17: CEMR and Metropolis propose the
    # same words, one change by CEMR, who proposed it first ("legal", "for all migrants"); 18: two
    # alternatives, the paragraph deleted (its runs and mark) and each alternative inserted (runs and mark).
    assert sorted(set(authors)) == ["CEMR", "Metropolis", "UCLG-MEWA"]  # one reviewer per network
    assert authors.count("UCLG-MEWA") == 2 and authors.count("Metropolis") == 4 and authors.count("CEMR") == 7
    assert {"".join(i.itertext()) for i in inserted} >= {"local ", "legal ", " for all migrants",
                                                         "Involve local governments in data collection;",
                                                         "18.States will review return policies with cities.",
                                                         "18.States will review return and readmission policies."}
    approval = {c.get(w("author")): c.get(w("date")) for c in inserted}
    assert re.fullmatch(r"2018-02-10T\d\d:\d\d:\d\dZ", approval["CEMR"])  # the day it was approved
    rejected, accepted = (text_region(settled_paragraphs(edition.data, accept=flag)) for flag in (False, True))
    assert rejected == ["Objective 1: Collect and use data",
                        "16.\tWe commit to strengthen the evidence base on migration.",
                        "(a)\tElaborate a strategy for data;", "17.\tWe commit to ensure proof of identity.",
                        "18.\tStates will review return policies."]
    assert accepted == ["Objective 1: Collect and use data",
                        "16.\tWe commit to strengthen the local evidence base on migration.",
                        "Involve local governments in data collection;",
                        "17.\tWe commit to ensure proof of legal identity for all migrants.",
                        "18.\tStates will review return policies with cities.",
                        "18.\tStates will review return and readmission policies."]

    document = open_docx(edition.data)
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == edition.symbol and "Zero draft with the networks' amendments" in texts
    comments = zipfile.ZipFile(io.BytesIO(edition.data)).read("word/comments.xml").decode()
    assert "Alt. 1 \u2014 CEMR" in comments and "Alt. 2 \u2014 Metropolis" in comments
    assert "Proposed by CEMR; also proposed by Metropolis." in comments
    assert "CEMR: Access to services." in comments and "Metropolis: Registration." in comments

    # Not dropped: the amendment typed before anchoring, and the one anchored to Rev 1.
    assert "Amendments not anchored to this revision" in texts
    rows = [[cell.text for cell in row.cells] for row in document.tables[-1].rows]
    assert ["CEMR", "Paragraph 31(c) (not anchored)", "", "Local governments are partners.",
            "Typed before anchoring."] in rows
    assert ["UCLG-MEWA", "Rev 1, paragraph 17", "We commit to ensure proof of legal identity.",
            "We commit to ensure proof of legal identity for everyone.", "On Rev 1."] in rows

    listing = client.get(f"/milestones/{round_2}/editions").get_data(as_text=True)
    assert "Text with proposed amendments" in listing and "Zero draft" in listing and "Ready" in listing
    download = client.get(f"/editions/{edition.id}/download")
    assert hashlib.sha256(download.data).hexdigest() == edition.sha256
    # Its positions' texts are not in it: they stay approved, for the consolidated document.
    assert {entry.position.stage for entry in edition.entries} == {"approved"}


def test_editions_of_both_kinds_share_the_numbering_and_a_ready_one_never_changes(negotiated, make_position):
    secretariat, zero, rev_1 = negotiated["secretariat"], negotiated["zero"], negotiated["rev_1"]
    round_2 = milestone("Round 2")
    first = compile_ready(round_2, secretariat, CompileOptions(kind=KIND, text_revision_id=zero.id))
    stored = (first.sha256, first.data, first.symbol)
    taken = db.session.execute(select(EditionEntry.position_id, EditionEntry.revision_number)
                               .where(EditionEntry.edition_id == first.id)).all()

    # A new approved position, then two more editions: numbered on, the first as it was.
    approved_with(make_position, "UCLG Africa", [
        {"paragraph_id": paragraph(zero, "18").id, "kind": "delete", "current_text": "", "proposed_text": "",
         "rationale": "", "paragraph": "18"}])
    second = compile_ready(round_2, secretariat, CompileOptions(kind=KIND, text_revision_id=rev_1.id))
    third = compile_ready(round_2, secretariat, CompileOptions())
    assert (first.number, second.number, third.number) == (1, 2, 3)
    assert (second.kind, third.kind) == (KIND, "consolidated")
    assert len(second.entries) == 4 and second.symbol != first.symbol
    db.session.expire_all()
    again = db.session.get(Edition, first.id)
    assert (again.sha256, again.data, again.symbol) == stored
    assert db.session.execute(select(EditionEntry.position_id, EditionEntry.revision_number)
                              .where(EditionEntry.edition_id == first.id)).all() == taken
    # Compiled against Rev 1, the zero draft's amendments are in its appendix, Rev 1's own are changes.
    inserted, _deleted = changes(second.data)
    assert {c.get(w("author")) for c in inserted} == {"UCLG-MEWA"}
    assert "Zero draft, paragraph 16" in "\n".join(cell.text for row in open_docx(second.data).tables[-1].rows
                                                   for cell in row.cells)


def test_a_kind_without_its_revision_is_refused_and_stores_nothing(negotiated):
    from drafting.documents.editions import CompileError

    with pytest.raises(CompileError, match="text revision"):
        compile_edition(milestone("Round 2"), negotiated["secretariat"], CompileOptions(kind=KIND))
    assert db.session.scalar(select(func.count()).select_from(Edition)) == 0


# Through LibreOffice ------------------------------------------------------------------------------

@pytest.mark.office
class TestThroughLibreOffice:
    @pytest.fixture
    def backend(self):
        """The files do not depend on the database: convert them on SQLite only."""
        return "sqlite"

    @pytest.fixture
    def app_config(self, backend, unoserver_config):
        return base_config(BACKENDS[backend], **unoserver_config, UNOSERVER_TIMEOUT=240)

    def test_the_edition_gets_its_pdf_and_libreoffice_reads_the_changes_by_network(self, app, negotiated):
        edition = compile_ready(milestone("Round 2"), negotiated["secretariat"],
                                CompileOptions(kind=KIND, text_revision_id=negotiated["zero"].id))
        assert edition.state == "ready", edition.failure_reason
        assert edition.pdf_data.startswith(b"%PDF")
        assert edition.pdf_sha256 == hashlib.sha256(edition.pdf_data).hexdigest()
        content = to_odt(app, edition.data)
        # Every change LibreOffice reads is one of the networks' (it joins a paragraph's insertions into one
        # region): none of its own. A file ending on a table had LibreOffice add a paragraph after it and
        # record 14 format changes by "Unknown Author"; the closing rule now ends the text.
        assert content.count("<text:insertion>") + content.count("<text:deletion>") >= 8
        assert "<text:format-change" not in content and "Unknown Author" not in content
        for author in ("CEMR", "Metropolis", "UCLG-MEWA"):
            assert f"<dc:creator>{author}</dc:creator>" in content


def to_odt(app, data: bytes) -> str:
    """The Word file as LibreOffice reads it, through the tests' unoserver (without the comment anchors,
    which unoserver's view cannot build: see office.without_comments)."""
    proxy = office._proxy(app.config["UNOSERVER_URL"], 240)
    result = proxy.convert(None, xmlrpc.client.Binary(office.without_comments(data)), None, "odt", None, [], False,
                           None, None)
    return zipfile.ZipFile(io.BytesIO(result.data)).read("content.xml").decode()


def test_prepared_is_what_the_editions_page_shows(negotiated):
    edition = compile_edition(milestone("Round 2"), negotiated["secretariat"],
                              CompileOptions(kind=KIND, text_revision_id=negotiated["zero"].id))
    assert edition.state == "preparing"
    assert prepared(edition).state == "ready"


def test_the_editions_page_lists_both_kinds_in_as_many_statements_for_many_editions(client, login_as, negotiated):
    from tests.support.query_budget import statements_for

    round_2, zero, rev_1 = milestone("Round 2"), negotiated["zero"], negotiated["rev_1"]
    compile_edition(round_2, negotiated["secretariat"], CompileOptions(kind=KIND, text_revision_id=zero.id))
    login_as("secretariat")
    few = statements_for(client, f"/milestones/{round_2.id}/editions")
    for revision in (zero, rev_1, zero, rev_1):
        compile_edition(round_2, negotiated["secretariat"], CompileOptions(kind=KIND, text_revision_id=revision.id))
        compile_edition(round_2, negotiated["secretariat"], CompileOptions())
    assert statements_for(client, f"/milestones/{round_2.id}/editions") == few
    listing = client.get(f"/milestones/{round_2.id}/editions").get_data(as_text=True)
    assert listing.count("Text with proposed amendments") == 5 and listing.count("Consolidated positions") == 4
