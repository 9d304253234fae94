"""Page numbers of the contents list, read from LibreOffice's own layout of the same file.

The Word file's contents list (`front_matter.contents_entries`) names every heading in order;
LibreOffice's PDF of that file has one bookmark (outline entry) per heading, pointing at its page.
Matching the two in order gives each entry its page, whatever the script or however often a title
repeats. A heading missing from the outline is looked up in the text of the pages after the previous one.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator

from pypdf import PdfReader

# Every kind of space (no-break, narrow no-break, thin) counts as one plain space: French entries carry
# a no-break space before ":" that LibreOffice's bookmarks and extracted text may write plain, or drop.
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2009\u200a]+")


def _normal(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def _spaceless(text: str) -> str:
    return _SPACES.sub("", text)


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
    """`entry` and `title` both normalised. LibreOffice may prefix a heading's number ("1. Title") or cut
    a very long bookmark; spaces are compared last without counting them (one dropped before ":")."""
    if not entry:
        return False
    if title == entry or title.endswith(entry) or (len(title) > 40 and entry.startswith(title)):
        return True
    entry, title = _spaceless(entry), _spaceless(title)
    return title == entry or title.endswith(entry) or (len(title) > 30 and entry.startswith(title))


def heading_pages(pdf: bytes, entries: list[str]) -> list[int]:
    """The page (1-based) of each contents entry, in order; never decreasing."""
    reader = PdfReader(io.BytesIO(pdf))
    outline = list(_outline(reader))
    texts: dict[int, str] = {}
    pages, cursor, last_page = [], 0, 1
    for entry in map(_normal, entries):
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
        if entry and (entry in cache[number] or _spaceless(entry) in _spaceless(cache[number])):
            return number
    return None


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)
