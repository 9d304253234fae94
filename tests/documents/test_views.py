"""The document pages: who may compile and download, what the secretariat sees, uploads."""

from __future__ import annotations

import hashlib
import html
import json
import re

import pytest
from sqlalchemy import func, select

from drafting.extensions import db
from drafting.models import Attachment, Edition

from ..conftest import milestone
from .conftest import open_docx, prepared, word_file

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize("role", ["contributor", "reviewer"])
def test_only_the_secretariat_compiles_and_downloads(client, login_as, make_position, make_user, role):
    make_position("approved", org="CEMR")
    from drafting.documents.editions import compile_edition
    from drafting.documents.naming import CompileOptions

    edition = compile_edition(milestone("Round 2"), make_user("secretariat"), CompileOptions())  # still preparing
    round_2 = milestone("Round 2").id
    login_as(role, org="CEMR")
    assert client.get(f"/milestones/{round_2}/compile").status_code == 403
    posted = client.post(f"/milestones/{round_2}/compile", data={"title": "x", "grouping": "objective"})
    assert posted.status_code == 403
    assert client.get(f"/milestones/{round_2}/editions").status_code == 403
    assert client.get(f"/editions/{edition.id}/download").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Edition)) == 1


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(f"/milestones/{milestone('Round 2').id}/compile")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_unknown_objects_are_404(client, login_as):
    login_as("secretariat")
    assert client.get("/milestones/999999/compile").status_code == 404
    assert client.get("/editions/999999/download").status_code == 404
    assert client.get("/attachments/999999").status_code == 404


def test_secretariat_compiles_then_downloads_the_stored_bytes(client, login_as, make_position):
    make_position("approved", org="CEMR", title="Housing for newcomers")
    make_position("approved", org="UCLG-MEWA", title="الإدماج", language="ar", text="نص **عربي**.")
    login_as("secretariat")
    round_2 = milestone("Round 2").id

    page = client.get(f"/milestones/{round_2}/compile").get_data(as_text=True)
    assert "Housing for newcomers" in page and "الإدماج" in page
    assert ">Compile</button>" in page

    response = client.post(f"/milestones/{round_2}/compile", data={
        "title": "Positions for Round 2", "grouping": "organisation", "preface": "Dear co-facilitators,",
        "amendments_annex": "y"})
    assert response.status_code in (302, 303)
    assert response.headers["Location"].endswith(f"/milestones/{round_2}/editions")

    edition = db.session.scalar(select(Edition))
    assert edition.options["grouping"] == "organisation" and edition.options["amendments_annex"] is True
    assert edition.options["review_comments"] is False
    listing = client.get(f"/milestones/{round_2}/editions").get_data(as_text=True)
    assert "Preparing" in listing and "Positions for Round 2" in listing
    assert "Download" not in listing and ">Retry<" not in listing  # no file yet; its job is not lost
    assert client.get(f"/editions/{edition.id}/download").status_code == 404

    edition = prepared(edition)  # the worker's job; no LibreOffice configured in this test
    listing = client.get(f"/milestones/{round_2}/editions").get_data(as_text=True)
    assert "Ready" in listing and "Download" in listing and edition.sha256 in listing
    assert "LibreOffice is not installed on this server" in listing and ">PDF<" not in listing
    assert client.get(f"/editions/{edition.id}/pdf").status_code == 404

    # Its options in French: a no-break space before each colon (the colon was once written in the template).
    login_as("secretariat", locale="fr")
    listing = client.get(f"/milestones/{round_2}/editions").get_data(as_text=True)
    assert "Type\u00a0: <strong>Positions consolidées</strong>" in listing
    assert "Titre\u00a0: " in listing and "Titre: " not in listing

    download = client.get(f"/editions/{edition.id}/download")
    assert download.status_code == 200
    assert download.mimetype == DOCX
    assert "attachment" in download.headers["Content-Disposition"]
    assert edition.filename in download.headers["Content-Disposition"]
    assert hashlib.sha256(download.data).hexdigest() == edition.sha256
    assert open_docx(download.data).core_properties.title == "Positions for Round 2"


def test_no_approved_position_shows_a_message_and_stores_nothing(client, login_as, make_position):
    make_position("submitted", org="CEMR")
    login_as("secretariat")
    round_2 = milestone("Round 2").id
    response = client.post(f"/milestones/{round_2}/compile", data={"title": "T", "grouping": "objective"},
                           follow_redirects=True)
    assert "nothing to compile" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Edition)) == 0


def upload(client, position_id, data, filename="annex.docx"):
    import io

    return client.post(f"/positions/{position_id}/attachments",
                       data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


def test_a_member_uploads_downloads_and_removes_an_annex(client, login_as, make_position):
    position = make_position("draft", org="CEMR")
    login_as("contributor", org="CEMR")
    data = word_file("Annex text.")
    response = upload(client, position.id, data, "Budget 2018.docx")
    assert response.status_code in (302, 303)
    attachment = db.session.scalar(select(Attachment))
    assert attachment.filename == "Budget 2018.docx" and attachment.sha256 == hashlib.sha256(data).hexdigest()
    page = client.get(f"/positions/{position.id}/attachments").get_data(as_text=True)
    assert "Budget 2018.docx" in page

    download = client.get(f"/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == data and download.mimetype == DOCX

    assert client.post(f"/attachments/{attachment.id}/delete").status_code in (302, 303)
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_a_refused_upload_stores_nothing_and_says_why_beside_the_field(client, login_as, make_position):
    position = make_position("draft", org="CEMR")
    login_as("contributor", org="CEMR")
    response = upload(client, position.id, b"not a zip at all")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="error"' in page and "not a Word document" in page
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_uploads_follow_the_permissions(client, login_as, make_position, make_user):
    position = make_position("submitted", org="CEMR")  # no longer editable
    from drafting.documents.uploads import attach_annex

    attachment, _removed = attach_annex(position, position.created_by, "a.docx", word_file("x"))
    login_as("contributor", org="CEMR")
    assert upload(client, position.id, word_file("y")).status_code == 403
    assert client.post(f"/attachments/{attachment.id}/delete").status_code == 403
    assert client.get(f"/attachments/{attachment.id}").status_code == 200
    login_as("contributor", org="Metropolis")  # another network's position: as if it did not exist
    assert client.get(f"/attachments/{attachment.id}").status_code == 404
    assert client.get(f"/positions/{position.id}/attachments").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1


def test_the_compile_form_sets_language_and_front_matter(client, login_as, make_position):
    make_position("approved", org="CEMR", title="Housing for newcomers")
    login_as("secretariat", locale="fr")  # the interface in French...
    round_2 = milestone("Round 2")
    page = client.get(f"/milestones/{round_2.id}/compile").get_data(as_text=True)
    for label in ("Langue du document", "Cote", "Distribution", "Version préliminaire non éditée",
                  "Numéroter les paragraphes"):
        assert label in page
    assert 'value="UCLG/GCM/2018/R2/1"' in page  # the default symbol: milestone code and edition number
    assert 'value="2018-02-10"' in page  # today's date

    response = client.post(f"/milestones/{round_2.id}/compile", data={
        "title": "Positions", "grouping": "objective", "symbol": "A/CONF.231/L.1", "distribution": "limited",
        "document_date": "2018-02-20", "number_paragraphs": "y"})  # ...the document language left as it is
    assert response.status_code in (302, 303)
    edition = prepared(db.session.scalar(select(Edition)))
    assert edition.symbol == "A/CONF.231/L.1"
    assert edition.options["language"] == "en" and edition.options["distribution"] == "limited"
    assert edition.options["document_date"] == "2018-02-20" and edition.options["number_paragraphs"] is True
    cover = [p.text for p in open_docx(edition.data).paragraphs[:3]]
    assert cover == ["A/CONF.231/L.1", "Distr.: Limited", "20 February 2018"]  # English, not the interface's French

    # A symbol names one document: the same symbol again is refused beside the field, nothing is lost.
    response = client.post(f"/milestones/{round_2.id}/compile", data={
        "title": "Second try", "grouping": "objective", "symbol": "A/CONF.231/L.1", "language": "es"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Cette cote est déjà utilisée par une autre édition" in page and 'value="Second try"' in page
    assert db.session.scalar(select(func.count()).select_from(Edition)) == 1

    response = client.post(f"/milestones/{round_2.id}/compile", data={
        "title": "Third", "grouping": "objective", "symbol": "", "language": "es"})
    assert response.status_code in (302, 303)
    second = prepared(db.session.scalar(select(Edition).where(Edition.number == 2)))
    assert second.symbol == "UCLG/GCM/2018/R2/2" and second.options["language"] == "es"
    assert open_docx(second.data).paragraphs[1].text == "Distr. general"
    # The network is named in the document's language.
    spanish_text = "\n".join(p.text for p in open_docx(second.data).paragraphs)
    assert "Consejo de Municipios y Regiones de Europa" in spanish_text
    assert "Council of European Municipalities" not in spanish_text


def test_the_suggested_title_follows_the_document_language(client, login_as, make_position):
    make_position("approved", org="CEMR", title="Housing for newcomers")
    login_as("secretariat", locale="fr")
    round_2 = milestone("Round 2")
    page = client.get(f"/milestones/{round_2.id}/compile").get_data(as_text=True)
    # In the document's language (English by default), not the interface's French...
    english = f"Local and regional governments’ positions: {round_2.name}"
    title_field = re.search(r'<input[^>]*id="title"[^>]*>', page).group(0)
    assert f'value="{english}"' in title_field
    # ...with the suggestion in each document language, for static/compile.js to swap.
    titles = json.loads(html.unescape(re.search(r'data-default-titles="([^"]*)"', title_field).group(1)))
    assert set(titles) == {"en", "fr", "es"} and titles["en"] == english
    assert titles["fr"] == f"Positions des gouvernements locaux et régionaux : {round_2.name_fr}"
    assert titles["es"].startswith("Posiciones de los gobiernos locales y regionales")
    assert '<div class="wide">' in page, "the title takes the page's width"
    suggested = "Positions des gouvernements locaux et régionaux : " + round_2.name_fr  # as pasted: plain spaces
    response = client.post(f"/milestones/{round_2.id}/compile", data={
        "title": suggested, "grouping": "objective", "language": "en"})
    assert response.status_code in (302, 303)
    edition = db.session.scalar(select(Edition))
    assert edition.title == f"Local and regional governments\u2019 positions: {round_2.name}"


def _stored_without_checks(position, filename: str, data: bytes) -> Attachment:
    """An attachment as one stored before today's checks: straight into the table."""
    attachment = Attachment(position_id=position.id, filename=filename, size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), data=data, uploaded_by_id=position.created_by_id)
    db.session.add(attachment)
    db.session.commit()
    return attachment


def test_an_annex_left_out_when_preparing_is_listed_with_its_reason_on_the_editions_page(client, login_as,
                                                                                           make_position):
    from drafting.documents.editions import compile_edition
    from drafting.documents.naming import CompileOptions
    from tests.support import hostile_docx as hostile

    position = make_position("approved", org="CEMR", title="Housing for newcomers")
    _stored_without_checks(position, "entity.docx", hostile.dtd_entity())
    _stored_without_checks(position, "fine.docx", word_file("A fine annex."))
    secretariat = login_as("secretariat", locale="fr")
    edition = prepared(compile_edition(milestone("Round 2"), secretariat, CompileOptions(language="en")))
    assert edition.state == "ready"
    assert [(item["filename"], item["title"], item["organisation"]) for item in edition.annexes_left_out] == [
        ("entity.docx", "Housing for newcomers", "CEMR")]
    assert "document type declaration" in edition.annexes_left_out[0]["reasons"]["en"]

    # Read in the reader's language (French here), whatever the document's language (English).
    listing = client.get(f"/milestones/{milestone('Round 2').id}/editions").get_data(as_text=True)
    assert "entity.docx" in listing and "déclaration de type de document" in listing
    assert "fine.docx" not in listing
    login_as("secretariat")
    listing = client.get(f"/milestones/{milestone('Round 2').id}/editions").get_data(as_text=True)
    assert "1 attached Word annex is left out" in listing and "document type declaration" in listing


def test_the_editions_page_refreshes_each_editions_state_while_one_is_preparing(client, login_as, make_position):
    from drafting.documents.editions import compile_edition
    from drafting.documents.naming import CompileOptions
    from tests.support.query_budget import counting_statements

    make_position("approved", org="CEMR")
    secretariat = login_as("secretariat")
    round_2 = milestone("Round 2").id
    page = client.get(f"/milestones/{round_2}/editions").get_data(as_text=True)
    assert "editions.js" in page and "No edition has been compiled" in page

    edition = compile_edition(milestone("Round 2"), secretariat, CompileOptions())
    page = client.get(f"/milestones/{round_2}/editions").get_data(as_text=True)
    # The script's hooks: where to ask, which cell to refresh, and a status region for the news.
    assert f'data-edition-states="/milestones/{round_2}/editions/states"' in page
    assert f'data-edition-state="{edition.id}" data-state="preparing"' in page
    assert 'role="status" data-edition-announcer' in page
    states = client.get(f"/milestones/{round_2}/editions/states").get_json()["editions"]
    assert [(s["id"], s["state"], s["status"]) for s in states] == [(edition.id, "preparing", "Edition 1: Preparing")]
    assert "Preparing" in states[0]["html"] and "Download" not in states[0]["html"]

    edition = prepared(edition)
    states = client.get(f"/milestones/{round_2}/editions/states").get_json()["editions"]
    assert [(s["state"], s["status"]) for s in states] == [("ready", "Edition 1: Ready")]
    assert f"/editions/{edition.id}/download" in states[0]["html"] and edition.sha256 in states[0]["html"]

    # Asked every few seconds: a few statements, however many editions and positions they hold.
    def statements() -> int:
        db.session.expire_all()
        with counting_statements() as seen:
            assert client.get(f"/milestones/{round_2}/editions/states").status_code == 200
        return len(seen)

    one = statements()
    for _ in range(2):
        make_position("approved", org="Metropolis")
        prepared(compile_edition(milestone("Round 2"), secretariat, CompileOptions()))
    assert statements() == one <= 6


@pytest.mark.slow  # seeds hundreds of positions
def test_the_compile_page_counts_per_network_and_lists_a_page_at_a_time(client, login_as, make_user):
    """Thousands of approved positions: the page says how many from each network and shows them 25 at a
    time, and the edition still takes every one of them (the fingerprint covers the whole list)."""
    import re

    from sqlalchemy import update

    from drafting.models import EditionEntry, Position
    from tests.support.query_budget import insert_positions

    insert_positions(300, make_user("contributor", "CEMR"))
    round_2 = milestone("Round 2")
    db.session.execute(update(Position).where(Position.milestone_id == round_2.id, Position.stage != "draft")
                       .values(stage="approved"))
    db.session.commit()
    approved = db.session.execute(
        select(Position.organisation_id, func.count()).where(Position.milestone_id == round_2.id,
                                                             Position.stage == "approved")
        .group_by(Position.organisation_id)).all()
    total = sum(count for _, count in approved)
    assert total > 25 and len(approved) > 1
    login_as("secretariat")

    page = client.get(f"/milestones/{round_2.id}/compile").get_data(as_text=True)
    assert f"Positions that will go in ({total})" in page
    networks = re.search(r'aria-label="Positions per network".*?</table>', page, re.S).group(0)
    assert sorted(int(n) for n in re.findall(r"<td>(\d+)</td>", networks)) == sorted(c for _, c in approved)
    assert page.count('<td class="card-title" lang=') == 25
    following = re.search(r'<a href="([^"]+)" rel="next">', page).group(1).replace("&amp;", "&")
    assert following.endswith("#compile-positions")
    rest = client.get(following).get_data(as_text=True)
    assert rest.count('<td class="card-title" lang=') == min(25, total - 25)
    assert '<details id="compile-positions" open' in rest

    seen = re.search(r'name="positions_seen" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(f"/milestones/{round_2.id}/compile", data={
        "title": "All of them", "grouping": "objective", "positions_seen": seen})
    assert response.status_code in (302, 303)
    assert db.session.scalar(select(func.count()).select_from(EditionEntry)) == total
