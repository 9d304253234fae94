"""Export a Word file to PDF in one load, through the UNO port of the running unoserver's LibreOffice.

Run by the Python that has LibreOffice's `uno` module (the unoserver environment, `.venv-office`), not
by the application's: `drafting.documents.office.unoserver` starts it for one file and reads its exit
status and last line. It imports nothing of the application.

    python uno_export.py PORT SOURCE.docx TARGET.pdf [--update-contents] [Name=value ...]

It loads SOURCE hidden and read-only and, with `--update-contents`, writes into each entry of the
contents list the page LibreOffice laid its heading out on (its physical page), then stores the PDF with
the `writer_pdf_Export` options given, and prints those pages, one JSON line: `{"pages": [...]}` (null
when LibreOffice updated an index itself). The entries are the Word file's own (each a hyperlink to its
heading's bookmark, ending with a placeholder number): only their numbers change, so LibreOffice lays out
the document once and re-formats the contents pages alone. An index whose entries cannot all be resolved
that way is updated by LibreOffice instead, which regenerates its entries and lays the document out
again. unoserver's own `update_index` updates twice with a full layout before each, for lists that start
empty.

Where it runs. The whole job (load, numbering, export, close) runs inside LibreOffice's process and on
its main thread, as `soffice --convert-to` does:

- inside the process: LibreOffice's own Python loader loads this same file as a UNO component
  (`OneLoadExport`), so the thousands of calls of the numbering (several per contents entry and
  heading) are calls within LibreOffice, not round trips over the socket (about 4 s of 30 at 1,000
  positions). LibreOffice must therefore read this file: the worker runs beside its unoserver, as the
  same user (docs/operations.md). Its loader keeps the module it loaded: a new version of this file
  takes effect when unoserver restarts.
- on the main thread, in one callback (`com.sun.star.awt.AsyncCallback`; the UNO bridge runs a call
  made from inside the callback on that same thread). Called from the bridge's own thread instead,
  each call returns to LibreOffice's event loop, whose idle jobs (word count, word completion,
  background layout) then run over the whole document between and during the calls: at 1,000
  positions a third more CPU than the plain conversion.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

import uno  # the office Python's module: this file never runs in the application's environment
import unohelper
from com.sun.star.awt import XCallback
from com.sun.star.beans import NamedValue, PropertyValue
from com.sun.star.task import XJob


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


def _number_entries(document, index) -> list[int] | None:
    """Write the page of each entry's heading (as laid out) over its placeholder number, and return those
    pages; None, and nothing written, when the index's entries are not all links to bookmarks ending with
    a number."""
    entries = _entries(index)
    bookmarks = document.getBookmarks()
    if entries is None or not all(bookmarks.hasByName(target) for _, target, _ in entries):
        return None
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
    return pages


def _lay_out_as_exported(context, document) -> None:
    """The whole document laid out as the PDF export lays it out, before any page is looked up.

    The view's own layout is not the export's: formatted for the screen, and lazily (a page not yet
    formatted holds an estimate of its frames, and no idle job formats it on this thread), it can put a
    heading a page or more later than the PDF does. Asking for the renderer count as the PDF export
    does (no "IsPrinter", a render device) formats every page in the export's mode; the export that
    follows finds that layout done and formats again only the contents pages whose numbers changed."""
    toolkit = context.ServiceManager.createInstanceWithContext("com.sun.star.awt.Toolkit", context)
    document.getRendererCount(document, (_property("RenderDevice", toolkit.createScreenCompatibleDevice(1, 1)),))


def _update_contents(context, document) -> list[int] | None:
    """The pages written into the contents list's entries, in order; None when LibreOffice updated an
    index itself (the caller then reads the pages from the PDF)."""
    _lay_out_as_exported(context, document)
    # The controllers locked while the view cursor finds the headings: the hidden view is not scrolled and
    # repainted at each one. Unlocked before the export, which takes the outline's targets from the view.
    document.lockControllers()
    try:
        indexes = document.getDocumentIndexes()
        written: list[int] | None = []
        for number in range(indexes.getCount()):
            index = indexes.getByIndex(number)
            pages = _number_entries(document, index)
            if pages is None:
                index.update()
                written = None
            elif written is not None:
                written.extend(pages)
        return written
    finally:
        document.unlockControllers()


def _export(context, desktop, source: str, target: str, update_contents: bool, options: list[str]) -> list[int] | None:
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0,
                                            (_property("ReadOnly", True), _property("Hidden", True)))
    if document is None:
        raise RuntimeError(f"LibreOffice could not load {source}")
    try:
        pages = _update_contents(context, document) if update_contents else None
        data = tuple(_property(name, _value(value)) for name, value in (option.split("=", 1) for option in options))
        document.storeToURL(uno.systemPathToFileUrl(target), (
            _property("FilterName", "writer_pdf_Export"), _property("Overwrite", True),
            _property("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", data))))
        return pages
    finally:
        document.close(True)


class _OnMainThread(unohelper.Base, XCallback):
    """`job()` run once by LibreOffice's main thread; `wait()` returns its result or raises its error."""

    def __init__(self, job):
        self._job, self._done, self._result, self._error = job, threading.Event(), None, None

    def notify(self, _data) -> None:
        try:
            self._result = self._job()
        except BaseException as error:  # noqa: BLE001 (handed to the waiting thread, raised there)
            self._error = error
        finally:
            self._done.set()

    def wait(self):
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._result


IMPLEMENTATION = "org.uclg.drafting.OneLoadExport"


class OneLoadExport(unohelper.Base, XJob):
    """This module as a UNO component inside LibreOffice's own Python (loaded by its Python loader from
    this file): `execute` runs `_export` there, so that its thousands of calls (one per contents entry
    and heading, several each) are calls within LibreOffice's process instead of round trips over the
    socket. Returns the pages as JSON text."""

    def __init__(self, context):
        self._context = context

    def execute(self, arguments):
        given = {argument.Name: argument.Value for argument in arguments}
        desktop = self._context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", self._context)
        pages = _export(self._context, desktop, given["Source"], given["Target"], given["UpdateContents"],
                        [option for option in given["Options"].split("\n") if option])
        return json.dumps(pages)


g_ImplementationHelper = unohelper.ImplementationHelper()  # what LibreOffice's Python loader looks for
g_ImplementationHelper.addImplementation(OneLoadExport, IMPLEMENTATION, ("com.sun.star.task.Job",))


def export(port: int, source: str, target: str, update_contents: bool, options: list[str]) -> list[int] | None:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    context = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
    manager = context.ServiceManager
    factory = manager.createInstanceWithContext("com.sun.star.loader.Python", context).activate(
        IMPLEMENTATION, "", uno.systemPathToFileUrl(str(Path(__file__).resolve())), None)
    component = factory.createInstanceWithContext(context)
    arguments = (NamedValue("Source", source), NamedValue("Target", target),
                 NamedValue("UpdateContents", update_contents), NamedValue("Options", "\n".join(options)))
    job = _OnMainThread(lambda: json.loads(component.execute(arguments)))
    manager.createInstanceWithContext("com.sun.star.awt.AsyncCallback", context).addCallback(job, None)
    return job.wait()


def main(argv: list[str]) -> None:
    port, source, target, *rest = argv
    update_contents = "--update-contents" in rest
    pages = export(int(port), source, target, update_contents, [item for item in rest if item != "--update-contents"])
    print(json.dumps({"pages": pages}), flush=True)
    # Out at once: the callback's thread (the UNO bridge's) may still be returning from `notify` while
    # this one ends, and tearing the interpreter down under it can crash the process after the work is
    # done (a signal, nothing on stderr), which would read as a failed conversion.
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
