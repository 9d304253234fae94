"""Export a Word file to PDF in one load, through the UNO port of the running unoserver's LibreOffice.

Run by the Python that has LibreOffice's `uno` module (the unoserver environment, `.venv-office`), not
by the application's: `drafting.documents.office.unoserver` starts it for one file and reads its exit
status. It imports nothing of the application.

    python uno_export.py PORT SOURCE.docx TARGET.pdf [--update-contents] [Name=value ...]

It loads SOURCE hidden and read-only and, with `--update-contents`, writes into each entry of the
contents list the page LibreOffice laid its heading out on (its physical page, as the application reads
it back from the PDF's outline), then stores the PDF with the `writer_pdf_Export` options given. The
entries are the Word file's own (each a hyperlink to its heading's bookmark, ending with a placeholder
number): only their numbers change, so LibreOffice lays out the document once and re-formats the contents pages
alone. An index whose entries cannot all be resolved that way is updated by LibreOffice instead, which
regenerates its entries and lays the document out again. unoserver's own `update_index` updates twice
with a full layout before each, for lists that start empty.
"""

from __future__ import annotations

import sys

import uno  # the office Python's module: this file never runs in the application's environment
from com.sun.star.beans import PropertyValue


def _property(name: str, value) -> PropertyValue:
    return PropertyValue(Name=name, Value=value)


def _value(text: str):
    if text in ("true", "false"):
        return text == "true"
    return int(text) if text.isdecimal() else text


def _entries(index) -> list[tuple[object, str, int]] | None:
    """Each entry paragraph of `index` with its heading's bookmark and the length of its trailing number;
    None when one of them has no such link or number."""
    entries = []
    paragraphs = index.getAnchor().createEnumeration()
    while paragraphs.hasMoreElements():
        paragraph = paragraphs.nextElement()
        if not paragraph.supportsService("com.sun.star.text.Paragraph"):
            return None
        target, portions = "", paragraph.createEnumeration()
        while portions.hasMoreElements() and not target:
            url = portions.nextElement().HyperLinkURL
            target = url[1:] if url.startswith("#") else ""
        text = paragraph.getString()
        digits = len(text) - len(text.rstrip("0123456789"))
        if not target or not digits:
            return None
        entries.append((paragraph, target, digits))
    return entries or None


def _number_entries(document, index) -> bool:
    """Write the page of each entry's heading (as laid out) over its placeholder number; False, and
    nothing written, when the index's entries are not all links to bookmarks ending with a number."""
    entries = _entries(index)
    bookmarks = document.getBookmarks()
    if entries is None or not all(bookmarks.hasByName(target) for _, target, _ in entries):
        return False
    cursor = document.getCurrentController().getViewCursor()
    pages = []
    for _, target, _ in entries:
        cursor.gotoRange(bookmarks.getByName(target).getAnchor(), False)
        pages.append(cursor.getPage())
    index.IsProtected = False
    for (paragraph, _, digits), page in zip(entries, pages, strict=True):
        number = paragraph.getText().createTextCursorByRange(paragraph.getEnd())
        number.goLeft(digits, True)
        number.setString(str(page))
    return True


def _update_contents(document) -> None:
    # The controllers locked while the view cursor finds the headings: the hidden view is not scrolled and
    # repainted at each one. Unlocked before the export, which takes the outline's targets from the view.
    document.lockControllers()
    try:
        indexes = document.getDocumentIndexes()
        for number in range(indexes.getCount()):
            index = indexes.getByIndex(number)
            if not _number_entries(document, index):
                index.update()
    finally:
        document.unlockControllers()


def export(port: int, source: str, target: str, update_contents: bool, options: list[str]) -> None:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    context = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
                                            (_property("ReadOnly", True), _property("Hidden", True)))
    if document is None:
        raise SystemExit(f"LibreOffice could not load {source}")
    try:
        if update_contents:
            _update_contents(document)
        data = tuple(_property(name, _value(value)) for name, value in (option.split("=", 1) for option in options))
        document.storeToURL(uno.systemPathToFileUrl(target), (
            _property("FilterName", "writer_pdf_Export"), _property("Overwrite", True),
            _property("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", data))))
    finally:
        document.close(True)


def main(argv: list[str]) -> None:
    port, source, target, *rest = argv
    update_contents = "--update-contents" in rest
    export(int(port), source, target, update_contents, [item for item in rest if item != "--update-contents"])


if __name__ == "__main__":
    main(sys.argv[1:])
