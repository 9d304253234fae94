"""Loading a revision (preview, then publish), reading it with anchors, comparing two revisions."""

from __future__ import annotations

import io
import re
from datetime import date

from sqlalchemy import func, select

from drafting.extensions import db
from drafting.models import PendingUpload, TextParagraph, TextRevision
from tests.support.query_budget import statements_for
from tests.support.wordfiles import DraftFile

PASTED = """# Objective 1: Collect and use data
16. We commit to strengthen the global evidence base on international migration.
(a) Elaborate and implement a comprehensive strategy for improving migration data;
(b) Improve international comparability of data;
17. We commit to ensure that all migrants have proof of legal identity.
"""


def revisions() -> int:
    return db.session.scalar(select(func.count()).select_from(TextRevision))


def form(**changes) -> dict:
    data = {"name": "Zero draft", "issued_on": "2018-02-05", "milestone": "0", "text": PASTED}
    data.update(changes)
    return data


def test_pasted_text_is_previewed_without_saving_then_published(client, login_as):
    login_as("secretariat")
    preview = client.post("/text/new", data=form(preview="1"))
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "1 section" in page and "4 numbered paragraphs" in page
    assert "16(a)" in page and "Elaborate and implement a comprehensive strategy" in page
    assert revisions() == 0  # nothing saved by the preview

    structure = page.split('<textarea name="structure" hidden>')[1].split("</textarea>")[0]
    published = client.post("/text/new", data=form(publish="1", structure=structure.replace("&#39;", "'")))
    assert published.status_code == 302
    revision = db.session.scalar(select(TextRevision))
    assert [p.number for p in revision.paragraphs if p.kind == "paragraph"] == ["16", "16(a)", "16(b)", "17"]

    shown = client.get(published.headers["Location"]).get_data(as_text=True)
    assert 'id="p-16-a"' in shown and 'href="#p-16-a"' in shown
    assert "Objective 1: Collect and use data" in shown


def test_word_file_with_automatic_numbering_is_previewed_with_its_numbers(client, login_as):
    login_as("secretariat")
    draft = DraftFile()
    decimal = draft.list_definition([("decimal", "%1."), ("lowerLetter", "(%2)")], start=21)
    num = draft.list_instance(decimal)
    draft.heading("Objective 6")
    draft.paragraph("We commit to review recruitment mechanisms.", num)
    draft.paragraph("Promote signature of conventions;", num, ilvl=1)
    draft.paragraph("A note without number that the importer cannot place, in a long sentence.")
    response = client.post("/text/new", data={**form(text="", preview="1"),
                                              "word_file": (io.BytesIO(draft.bytes()), "zero.docx")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "21(a)" in page and "Promote signature of conventions" in page
    assert "1 paragraph could not be numbered" in page
    assert "no number" in page


def test_a_malformed_upload_is_refused_beside_the_field_and_nothing_is_stored(client, login_as):
    login_as("secretariat")
    response = client.post("/text/new", data={**form(text="", preview="1"),
                                              "word_file": (io.BytesIO(b"not a zip"), "draft.docx")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="word_file-error"' in page
    assert 'value="Zero draft"' in page  # what was typed stays
    assert revisions() == 0


def test_text_changed_after_the_preview_is_not_published_unseen(client, login_as):
    login_as("secretariat")
    response = client.post("/text/new", data=form(publish="1", structure="16. Old text.\n",
                                                  text="16. New text.\n"))
    assert response.status_code == 422
    assert "changed since the preview" in response.get_data(as_text=True)
    assert revisions() == 0


def test_a_second_revision_with_the_same_name_is_refused(client, login_as):
    login_as("secretariat")
    assert client.post("/text/new", data=form(publish="1", structure="1. One.\n", text="")).status_code == 302
    again = client.post("/text/new", data=form(publish="1", structure="1. One.\n", text="1. One.\n"))
    assert again.status_code == 422 and "exists already" in again.get_data(as_text=True)
    assert revisions() == 1


def test_nothing_to_number_is_a_message_not_a_preview(client, login_as):
    login_as("secretariat")
    response = client.post("/text/new", data=form(text="Just a sentence without numbers.", preview="1"))
    assert response.status_code == 422
    assert "No numbered paragraph was found" in response.get_data(as_text=True)


def _revision(name: str, texts: list[str], by) -> TextRevision:
    revision = TextRevision(name=name, issued_on=date(2018, 2, 5), published_by=by, paragraphs=[
        TextParagraph(order=i, kind="paragraph", number=str(i), text=text) for i, text in enumerate(texts, 1)])
    db.session.add(revision)
    db.session.commit()
    return revision


def test_comparison_says_what_was_edited_renumbered_added_and_removed(client, login_as):
    user = login_as("contributor", "CEMR")
    _revision("Zero draft", ["Cities matter for integration.", "States cooperate on return.",
                             "A paragraph that will go."], user)
    _revision("Rev 1", ["A new opening paragraph about data.", "Cities matter greatly for integration.",
                        "States cooperate on return."], user)
    page = client.get("/text/compare").get_data(as_text=True)
    assert "Added" in page and "Removed" in page and "edited" in page
    assert "renumbered from 2" in page
    assert "<ins>greatly </ins>" in page or "<ins>greatly" in page


def test_reading_a_revision_costs_the_same_for_a_long_text(app, client, login_as):
    user = login_as("reviewer", "Metropolis")
    short = _revision("Short", ["One."] * 5, user)
    long = _revision("Long", ["Many."] * 300, user)
    assert statements_for(client, f"/text/{long.id}") == statements_for(client, f"/text/{short.id}")


def test_the_reading_page_shows_beside_each_paragraph_the_amendments_each_network_puts_forward(
        client, login_as, world, make_position):
    from tests.support.amended_drafts import anchor

    # A draft is its network's business: the reading page does not announce it to the others.
    draft = make_position("draft", org="UCLG Africa", title="Still a draft")
    anchor(draft, world["zero"], ["16", "17"])
    login_as("contributor", org="UCLG Africa")
    page = client.get(f"/text/{world['zero'].id}").get_data(as_text=True)

    def proposals_beside(anchor_id: str) -> str:
        paragraph = page.split(f'id="{anchor_id}"')[1].split("</p>")[0]
        _, _, proposals = paragraph.partition("Amendments proposed:")
        return " ".join(proposals.split())

    assert "CEMR 1" in proposals_beside("p-16") and "UCLG Africa" not in proposals_beside("p-16")
    assert proposals_beside("p-18").count("Metropolis 1") == 1 and "CEMR" not in proposals_beside("p-18")
    assert proposals_beside("p-17") and "Metropolis" not in proposals_beside("p-17")


def test_the_reading_page_costs_the_same_with_more_amended_positions(client, login_as, world, make_position):
    from tests.support.amended_drafts import anchor

    login_as("secretariat")
    few = statements_for(client, f"/text/{world['zero'].id}")
    for index in range(12):
        anchor(make_position("submitted", org="CEMR", title=f"More {index}"), world["zero"], ["16", "18", "20"])
    assert statements_for(client, f"/text/{world['zero'].id}") == few


def _revision_file() -> bytes:
    draft = DraftFile()
    decimal = draft.list_definition([("decimal", "%1.")], start=16)
    num = draft.list_instance(decimal)
    draft.paragraph("Revision 1 (26 March 2018)")
    draft.heading("Objective 1: Collect and use data")
    draft.paragraph("We commit to strengthen the global evidence base.", num)
    draft.paragraph("A note that the importer cannot place, in a long sentence of its own.")
    draft.paragraph("We commit to ensure proof of legal identity.", num)
    return draft.bytes()


def _preview_file(client, data: bytes = b"", filename: str = "rev1.docx") -> str:
    response = client.post("/text/new", data={**form(name="Rev 1", text="", preview="1"),
                                              "word_file": (io.BytesIO(data or _revision_file()), filename)},
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def _hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page).group(1)


def _line_index(page: str, words: str) -> str:
    """The index of the preview's select for the unnumbered line that begins with `words`."""
    found = re.search(rf'id="line-(\d+)-text"[^>]*>{re.escape(words)}', page)
    assert found, words
    return found.group(1)


def test_the_previewed_word_file_is_kept_for_publish_and_named_beside_the_field(client, login_as):
    login_as("secretariat")
    page = _preview_file(client)
    token = _hidden(page, "pending_upload")
    assert token and "Kept from the preview: rev1.docx" in page
    assert db.session.scalar(select(func.count()).select_from(PendingUpload)) == 1

    # Publish without choosing the file again: the kept file is read and published.
    published = client.post("/text/new", data=form(name="Rev 1", text="", publish="1", pending_upload=token))
    assert published.status_code == 302, published.get_data(as_text=True)[:2000]
    revision = db.session.scalar(select(TextRevision))
    assert revision.source_filename == "rev1.docx"
    assert [p.number for p in revision.paragraphs if p.number] == ["16", "17"]
    assert db.session.scalar(select(func.count()).select_from(PendingUpload)) == 0, "used, then forgotten"


def test_a_kept_file_is_only_for_the_person_who_uploaded_it(client, login_as):
    login_as("secretariat")
    token = _hidden(_preview_file(client), "pending_upload")
    login_as("secretariat")  # a colleague, with the same token
    response = client.post("/text/new", data=form(name="Rev 1", text="", publish="1", pending_upload=token))
    assert response.status_code == 422
    assert "Choose a Word file or paste the text." in response.get_data(as_text=True)
    assert revisions() == 0


def test_unnumbered_lines_are_published_as_the_secretariat_marks_them(client, login_as):
    login_as("secretariat")
    page = _preview_file(client)
    date_line = _line_index(page, "Revision 1 (26 March 2018)")
    note = _line_index(page, "A note that the importer")
    heading = _line_index(page, "Objective 1: Collect and use data")
    # Each unnumbered line offers the three uses, the importer's guess chosen.
    assert re.search(rf'<select name="line-{heading}"[^>]*>\s*<option value="heading" selected>', page)
    assert re.search(rf'<select name="line-{note}".*?<option value="paragraph" selected>', page, re.S)

    published = client.post("/text/new", data=form(
        name="Rev 1", text="", publish="1", pending_upload=_hidden(page, "pending_upload"),
        **{f"line-{date_line}": "omit", f"line-{note}": "heading", f"line-{heading}": "heading"}))
    assert published.status_code == 302
    revision = db.session.scalar(select(TextRevision))
    kinds = [(p.kind, p.text[:20], p.section[:20]) for p in revision.paragraphs]
    assert kinds == [
        ("heading", "Objective 1: Collect", "Objective 1: Collect"),
        ("paragraph", "We commit to strengt", "Objective 1: Collect"),
        ("heading", "A note that the impo", "A note that the impo"),
        ("paragraph", "We commit to ensure ", "A note that the impo"),
    ]
