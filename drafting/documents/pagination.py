"""Page numbers of the contents list, read from LibreOffice's own layout of the same file.

The Word file's contents list names every heading in order; LibreOffice's PDF of that file has one
bookmark (outline entry) per heading, pointing at its page. Matching the two in order gives each entry
its page, whatever the script or however often a title repeats. A heading missing from the outline is
looked up in the text of the pages that follow the previous one.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator

from lxml import etree
from pypdf import PdfReader

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SPACES = re.compile(r"\s+")


def _normal(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def contents_entries(document: bytes) -> list[str]:
    """The text of each entry of the contents list (paragraphs in a "TOC 1"/"TOC 2"... style), in order."""
    entries = []
    with zipfile.ZipFile(io.BytesIO(document)) as archive, archive.open("word/document.xml") as part:
        for _event, paragraph in etree.iterparse(part, tag=f"{W}p"):
            style = paragraph.find(f"{W}pPr/{W}pStyle")
            name = style.get(f"{W}val", "") if style is not None else ""
            if re.fullmatch(r"TOC ?\d", name):
                entries.append(_normal("".join(t.text or "" for t in paragraph.iter(f"{W}t"))))
            if paragraph.getparent() is not None and paragraph.getparent().tag == f"{W}body":
                paragraph.clear()  # a large edition: keep memory flat
    return entries


def _outline(reader: PdfReader) -> Iterator[tuple[str, int]]:
    """Every outline entry of the PDF, depth first (document order), with its 1-based page."""
    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
                continue
            try:
                page = reader.get_destination_page_number(item) + 1
            except Exception:  # noqa: BLE001, S112 (an entry without a page: nothing to learn from it)
                continue
            yield _normal(item.title), page

    yield from walk(reader.outline)


def _matches(entry: str, title: str) -> bool:
    # LibreOffice may prefix a heading's number ("1. Title") or cut a very long bookmark.
    return bool(entry) and (title == entry or title.endswith(entry) or (len(title) > 40 and entry.startswith(title)))


def heading_pages(pdf: bytes, entries: list[str]) -> list[int]:
    """The page (1-based) of each contents entry, in order; never decreasing."""
    reader = PdfReader(io.BytesIO(pdf))
    outline = list(_outline(reader))
    texts: dict[int, str] = {}
    pages, cursor, last_page = [], 0, 1
    for entry in entries:
        found = None
        for index in range(cursor, len(outline)):
            title, page = outline[index]
            if _matches(entry, title):
                found, cursor = page, index + 1
                break
        if found is None:
            found = _search_text(reader, texts, entry, last_page)
        last_page = max(last_page, found or last_page)
        pages.append(last_page)
    return pages


def _search_text(reader: PdfReader, cache: dict[int, str], entry: str, start: int) -> int | None:
    for number in range(start, len(reader.pages) + 1):
        if number not in cache:
            cache[number] = _normal(reader.pages[number - 1].extract_text() or "")
        if entry and entry in cache[number]:
            return number
    return None


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)
