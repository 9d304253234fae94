"""Uploaded Word annexes: what is refused before anything is stored, and comments stripped."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import docx
import pytest

from drafting.documents.annexes.checks import without_comments
from drafting.wordfiles import ANNEX, WordFileRefused, clean_word_file, cleaning

from .conftest import word_file, xml_of


def zip_of(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_real_word_document_is_accepted_with_its_text_and_nothing_removed():
    upload = word_file("Our annex.", "Its second paragraph.")
    cleaning = clean_word_file("annex.docx", upload)
    assert cleaning.removed == set()  # nothing to tell the contributor
    assert [p.text for p in docx.Document(io.BytesIO(cleaning.data)).paragraphs] == [
        "Our annex.", "Its second paragraph."]


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("annex.docx", b"this is plain text, not a zip", "not a Word document"),
    ("annex.docx", b"", "empty"),
    ("annex.pdf", b"%PDF-1.4", "Only Word documents"),
    ("annex.docx", zip_of({"[Content_Types].xml": b"<Types/>", "other.xml": b"<x/>"}), "main parts are missing"),
    ("annex.docx", zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<broken"}), "damaged"),
])
def test_refused_uploads_say_why(filename, data, message):
    with pytest.raises(WordFileRefused, match=message):
        clean_word_file(filename, data)


def test_larger_than_ten_megabytes_is_refused():
    with pytest.raises(WordFileRefused, match="10 MB"):
        clean_word_file("big.docx", b"PK" + b"\0" * (10 * 1024 * 1024))


def test_too_many_entries_is_refused():
    data = zip_of({f"word/media/{i}.xml": b"x" for i in range(21)} | {"[Content_Types].xml": b"<T/>",
                                                                       "word/document.xml": b"<d/>"})
    with pytest.raises(WordFileRefused, match="too many parts"):
        clean_word_file("many.docx", data, replace(ANNEX, entries=20))


def test_zip_bomb_is_refused_from_its_declared_size_without_inflating_it(monkeypatch):
    # 150 MB of zeros compress to about 150 KB: the declared size gives it away.
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<d/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(150):
                member.write(chunk)
    data = bomb.getvalue()
    assert len(data) < 1024 * 1024

    def must_not_open(*args, **kwargs):
        raise AssertionError("python-docx must not open a zip bomb")

    monkeypatch.setattr(cleaning.docx, "Document", must_not_open)
    with pytest.raises(WordFileRefused, match="50 MB"):
        clean_word_file("bomb.docx", data)


def test_comments_are_stripped_with_their_part_relationship_override_and_anchors():
    original = word_file("Commented paragraph.", "Second.", comment="Please rephrase")
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        assert "word/comments.xml" in archive.namelist()
    cleaned = without_comments(original)
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        names = archive.namelist()
        content_types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert not any("comments" in name for name in names)
    assert "comments" not in content_types and "comments" not in rels
    document = xml_of(cleaned).iter()
    tags = {element.tag.split("}")[-1] for element in document}
    assert not tags & {"commentRangeStart", "commentRangeEnd", "commentReference"}
    assert "Commented paragraph." in b"".join(zipfile.ZipFile(io.BytesIO(cleaned)).read("word/document.xml")
                                              .split(b"<")).decode()
