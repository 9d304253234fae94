"""Hostile Word annexes: what is refused at upload, what is removed before storing, and the file
names and downloads of annexes."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import func, select

from drafting.core.filenames import safe_filename
from drafting.extensions import db
from drafting.models import Attachment
from drafting.wordfiles import WordFileRefused, clean_word_file
from tests.support import hostile_docx as hostile

from .conftest import open_docx, word_file


def _all_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                         if n.endswith((".xml", ".rels")))


def test_a_dtd_entity_is_refused_with_a_message():
    with pytest.raises(WordFileRefused, match="document type declaration"):
        clean_word_file("annex.docx", hostile.dtd_entity())


def test_an_external_image_is_removed_and_the_rest_kept():
    cleaned = clean_word_file("annex.docx", hostile.external_image())
    xml = _all_xml(cleaned.data)
    assert "tracker.example.com" not in xml and "r:link" not in xml
    assert "outside links" in cleaned.removed
    assert "Ordinary text." in "\n".join(p.text for p in open_docx(cleaned.data).paragraphs)


def test_fields_that_fetch_from_elsewhere_are_removed_keeping_what_they_showed():
    cleaned = clean_word_file("annex.docx", hostile.includepicture_fields())
    xml = _all_xml(cleaned.data)
    assert not re.search("includepicture|includetext", xml, re.IGNORECASE)
    assert "tracker.example.com" not in xml and "server" not in xml
    assert "simple shown" in xml and "complex shown" in xml
    assert " PAGE " in xml  # a harmless field stays
    assert cleaned.removed == {"outside fields"}


def test_an_attached_template_is_removed():
    cleaned = clean_word_file("annex.docx", hostile.attached_template())
    xml = _all_xml(cleaned.data)
    assert "attachedTemplate" not in xml and "attacker.example.com" not in xml
    assert "template" in cleaned.removed


def test_a_macro_project_is_removed_with_its_part_and_content_type():
    cleaned = clean_word_file("annex.docx", hostile.vba_project())
    assert not any("vba" in name.lower() for name in hostile.names(cleaned.data))
    assert "vbaProject" not in _all_xml(cleaned.data)
    assert "macros" in cleaned.removed


def test_an_embedded_object_and_a_file_share_link_are_removed_web_links_kept():
    cleaned = clean_word_file("annex.docx", hostile.ole_object())
    xml = _all_xml(cleaned.data)
    assert "OLEObject" not in xml and "oleObject" not in xml and "attacker.example.com" not in xml
    assert not any(name.startswith("word/embeddings/") for name in hostile.names(cleaned.data))
    assert "https://www.uclg.org/" in xml and "share link" in xml
    assert "embedded objects" in cleaned.removed


@pytest.mark.parametrize("filename", ["annex.docm", "annex.docx"])
def test_macro_enabled_documents_are_refused(filename):
    with pytest.raises(WordFileRefused, match=r"macros \(\.docm\)"):
        clean_word_file(filename, hostile.macro_enabled())


def test_a_clean_document_is_stored_as_uploaded():
    data = word_file("Nothing to remove.")
    cleaned = clean_word_file("annex.docx", data)
    assert cleaned.data == data and not cleaned.removed


# Through the upload page ----------------------------------------------------------------------

def upload(client, position_id, data, filename="annex.docx"):
    return client.post(f"/positions/{position_id}/attachments", data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def test_a_hostile_upload_is_stored_cleaned_and_the_uploader_told(client, login_as, make_position):
    position = make_position("draft", org="CEMR")
    login_as("contributor", org="CEMR")
    response = upload(client, position.id, hostile.includepicture_fields(), "Remote.docx")
    assert response.status_code in (302, 303)
    stored = db.session.scalar(select(Attachment))
    assert "tracker.example.com" not in _all_xml(stored.data)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "fields that fetch content from elsewhere" in page


@pytest.mark.parametrize(("data", "message"), [
    (hostile.dtd_entity(), "document type declaration"),
    (hostile.macro_enabled(), "macros"),
])
def test_a_refused_hostile_upload_says_why_beside_the_field(client, login_as, make_position, data, message):
    position = make_position("draft", org="CEMR")
    login_as("contributor", org="CEMR")
    response = upload(client, position.id, data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="error"' in page and message in page
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


@pytest.mark.parametrize(("typed", "stored"), [
    ("Budget\ufffd 2018.docx", "Budget 2018.docx"),
    ("Budget\r\n2018.docx", "Budget 2018.docx"),
    ("..\\..\\Budget.docx", "Budget.docx"),
    ("\u202excod.docx", "xcod.docx"),
    ("\ufffd.docx", "annex.docx"),
    ("x" * 300 + ".docx", "x" * 115 + ".docx"),
    ("مقترح المدينة.docx", "مقترح المدينة.docx"),
])
def test_file_names_are_reduced_to_a_safe_readable_form(typed, stored):
    assert safe_filename(typed) == stored


def _raw_upload(client, position_id, disposition: bytes):
    data = word_file("Named oddly.")
    body = (b"--XX\r\nContent-Disposition: form-data; name=\"file\"; " + disposition +
            b"\r\nContent-Type: application/octet-stream\r\n\r\n" + data + b"\r\n--XX--\r\n")
    return client.post(f"/positions/{position_id}/attachments", data=body,
                       content_type="multipart/form-data; boundary=XX")


@pytest.mark.parametrize("disposition", [
    b"filename=\"Budget \xef\xbf\xbd.docx\"",  # U+FFFD typed
    b"filename=\"Budget \xff\xfe.docx\"",  # bytes that are not UTF-8
    b"filename*=UTF-8''Budget%20%FF%FE.docx",  # invalid UTF-8 in filename*
])
def test_broken_characters_in_the_uploaded_name_are_dropped_not_a_500(client, login_as, make_position, disposition):
    position = make_position("draft", org="CEMR")
    login_as("contributor", org="CEMR")
    response = _raw_upload(client, position.id, disposition)
    if response.status_code == 400:
        # Werkzeug cannot read the part's headers at all: the form says no file came, beside the field.
        assert "Choose a .docx file" in response.get_data(as_text=True)
        return
    assert response.status_code in (302, 303)
    stored = db.session.scalar(select(Attachment))
    assert "\ufffd" not in stored.filename and stored.filename.endswith(".docx")
    assert client.get(f"/attachments/{stored.id}").status_code == 200


@pytest.mark.parametrize("stored_name", ["Budget\r\n2018.docx", "Budget\ufffd 2018.docx", "Plan de l’été 2018.docx"])
def test_downloads_always_send_a_valid_content_disposition(client, login_as, make_position, stored_name):
    position = make_position("draft", org="CEMR")
    attachment = Attachment(position=position, filename=stored_name, size=1, sha256="0" * 64, data=word_file("x"),
                            uploaded_by=position.created_by)
    db.session.add(attachment)
    db.session.commit()  # as a name stored before uploads were cleaned
    login_as("contributor", org="CEMR")
    response = client.get(f"/attachments/{attachment.id}")
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    assert "\r" not in header and "\n" not in header and header.isascii()
    assert re.fullmatch(r"attachment; filename=\"?[ -~]+\"?(; filename\*=UTF-8''[A-Za-z0-9%._~!$&'()*+,;=:@-]+)?",
                        header), header
    assert "2018.docx" in header
