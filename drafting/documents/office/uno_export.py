"""Export a Word file to PDF in one load, through the UNO port of the running unoserver's LibreOffice.

Run by the Python that has LibreOffice's `uno` module (the unoserver environment, `.venv-office`), not
by the application's: `drafting.documents.office.unoserver` starts it for one file and reads its exit
status. It imports nothing of the application.

    python uno_export.py PORT SOURCE.docx TARGET.pdf [--update-contents] [Name=value ...]

It loads SOURCE hidden and read-only, updates the document's indexes once with `--update-contents`
(each update lays out what it changed and numbers the entries from the layout), and stores the PDF
with the `writer_pdf_Export` options given. unoserver's own `update_index` updates twice with a full
layout before each, for lists that start empty; a contents list that already has its entries needs one.
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
            indexes = document.getDocumentIndexes()
            for number in range(indexes.getCount()):
                indexes.getByIndex(number).update()
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
