"""LibreOffice, reached through one long-running `unoserver` (XML-RPC), never a process per file.

`unoserver` runs under the system Python that has LibreOffice's `uno` module (see the Makefile's
`unoserver` target); this side only speaks XML-RPC, so it lives in the application's own environment.
`UNOSERVER_URL` says where the server listens; empty means this installation has no LibreOffice.
With `UNOSERVER_UNO_PORT` and `OFFICE_PYTHON` (the unoserver's Python), a PDF is made by `uno_export.py`
run by that Python against the same LibreOffice's UNO port: one load, hidden, on LibreOffice's main thread,
with at most one update of the contents list (unoserver's own update lays the document out twice more).
"""

from __future__ import annotations

import http.client
import io
import json
import subprocess
import tempfile
import time
import xmlrpc.client
import zipfile
from pathlib import Path

from flask import current_app
from lxml import etree

# unoserver's XML-RPC API version 3 (unoserver 2.x and 3.x): convert(inpath, indata, outpath, convert_to,
# filtername, filter_options, update_index, infiltername, password).
API_VERSION = "3"

UNO_EXPORT = Path(__file__).with_name("uno_export.py")


class OfficeUnavailable(Exception):
    """This installation has no LibreOffice configured (`UNOSERVER_URL` is empty)."""


class OfficeFailed(Exception):
    """LibreOffice is configured but did not convert the file: unreachable, too slow, or it refused it."""


class _TimeoutTransport(xmlrpc.client.Transport):
    # xmlrpc.client waits forever by default: a hung LibreOffice must not hang the worker with it.
    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


def configured() -> bool:
    return bool(current_app.config.get("UNOSERVER_URL"))


def _proxy(url: str, timeout: float) -> xmlrpc.client.ServerProxy:
    return xmlrpc.client.ServerProxy(url, transport=_TimeoutTransport(timeout), allow_none=True)


COMMENT_ANCHORS = ("commentRangeStart", "commentRangeEnd", "commentReference")


def without_comments(document: bytes) -> bytes:
    """The Word file without the anchors of its Word comments. A PDF does not show comments, and they
    take no room on the page; but LibreOffice running as a server (unoserver keeps a view of each file)
    from Debian's libreoffice-writer-nogui crashes on them: it tries to build their side pane."""
    source = zipfile.ZipFile(io.BytesIO(document))
    body = source.read("word/document.xml")
    if b"commentReference" not in body and b"commentRangeStart" not in body:
        return document
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(body)
    for name in COMMENT_ANCHORS:
        for anchor in list(root.iter(f"{w}{name}")):
            parent = anchor.getparent()
            parent.remove(anchor)
            if name == "commentReference" and parent.tag == f"{w}r" and parent.find(f"{w}t") is None:
                parent.getparent().remove(parent)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) \
                if item.filename == "word/document.xml" else source.read(item.filename)
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return out.getvalue()


# LibreOffice's writer_pdf_Export options: a tagged PDF (structure tree, the document's language), its
# outline from the headings, the document's title shown by viewers; PDF/A-2b on request.
PDF_FILTER = "writer_pdf_Export"
PDF_OPTIONS = ("UseTaggedPDF=true", "ExportBookmarks=true", "DisplayPDFDocumentTitle=true")
PDF_ARCHIVE_OPTIONS = ("SelectPdfVersion=2",)


def pdf_options(archive: bool = False) -> list[str]:
    return [*PDF_OPTIONS, *(PDF_ARCHIVE_OPTIONS if archive else ())]


def to_pdf(document: bytes, *, timeout: float | None = None, archive: bool = False) -> bytes:
    """The tagged PDF of a Word file (PDF/A-2b with `archive`), as LibreOffice lays it out, in one load of
    the file; fields and indexes are left as the file has them."""
    return _convert(document, timeout, archive, update_contents=False)[0]


def to_pdf_with_contents(document: bytes, *, timeout: float | None = None,
                         archive: bool = False) -> tuple[bytes, list[int] | None]:
    """The PDF as `to_pdf` makes it, but with the contents list updated from LibreOffice's own layout of
    the same load, so that it carries the page each heading is on; and those pages, one per entry in order,
    when LibreOffice wrote them into the file's own entries (over the UNO port). None when they are not
    known: unoserver's own update, or an index LibreOffice regenerated (read them from the PDF then)."""
    return _convert(document, timeout, archive, update_contents=True)


def _convert(document: bytes, timeout: float | None, archive: bool,
             update_contents: bool) -> tuple[bytes, list[int] | None]:
    url = current_app.config.get("UNOSERVER_URL") or ""
    if not url:
        raise OfficeUnavailable("UNOSERVER_URL is empty")
    timeout = timeout or float(current_app.config.get("UNOSERVER_TIMEOUT", 300))
    proxy = _proxy(url, timeout)
    _wait_until_started(url, float(current_app.config.get("UNOSERVER_START_WAIT", 0)))
    try:
        info = proxy.info()
        if str(info.get("api")) != API_VERSION:
            raise OfficeFailed(f"unoserver at {url} speaks API {info.get('api')}, this application {API_VERSION}")
        office_python = _office_python()
        if office_python:
            return _export_over_uno(office_python, document, timeout, archive, update_contents)
        data = xmlrpc.client.Binary(without_comments(document))
        result = proxy.convert(None, data, None, "pdf", PDF_FILTER, pdf_options(archive), update_contents, None,
                               None)
    except (OSError, http.client.HTTPException) as error:  # refused, reset, timed out
        raise OfficeFailed(f"unoserver at {url} did not answer: {error}") from error
    except xmlrpc.client.Error as error:  # a Fault: LibreOffice refused the file
        raise OfficeFailed(f"LibreOffice did not convert the file: {error}") from error
    data = result.data if isinstance(result, xmlrpc.client.Binary) else bytes(result or b"")
    if not data.startswith(b"%PDF"):
        raise OfficeFailed("LibreOffice returned something that is not a PDF")
    return data, None


def _office_python() -> str:
    """The Python that runs `uno_export.py`, when the UNO port is configured and that Python is there."""
    python = current_app.config.get("OFFICE_PYTHON") or ""
    return python if current_app.config.get("UNOSERVER_UNO_PORT") and Path(python).exists() else ""


def _export_over_uno(python: str, document: bytes, timeout: float, archive: bool,
                     update_contents: bool) -> tuple[bytes, list[int] | None]:
    """The PDF through the UNO port, and the contents pages `uno_export.py` printed: LibreOffice reads and
    writes the files in a folder of this machine (the worker runs beside its unoserver)."""
    with tempfile.TemporaryDirectory(prefix="drafting-office-") as folder:
        source, target = Path(folder) / "edition.docx", Path(folder) / "edition.pdf"
        source.write_bytes(without_comments(document))
        command = [python, str(UNO_EXPORT), str(int(current_app.config["UNOSERVER_UNO_PORT"])), str(source),
                   str(target), *(("--update-contents",) if update_contents else ()), *pdf_options(archive)]
        try:
            result = subprocess.run(command, capture_output=True, timeout=timeout, check=False)  # noqa: S603
        except subprocess.TimeoutExpired as error:
            raise OfficeFailed(f"LibreOffice did not convert the file within {timeout:.0f} s") from error
        if result.returncode != 0:
            raise OfficeFailed(f"LibreOffice did not convert the file (exit status {result.returncode}): "
                               + result.stderr.decode(errors="replace").strip()[-500:])
        data = target.read_bytes() if target.exists() else b""
    if not data.startswith(b"%PDF"):
        raise OfficeFailed("LibreOffice returned something that is not a PDF")
    return data, _printed_pages(result.stdout)


def _printed_pages(output: bytes) -> list[int] | None:
    """The pages `uno_export.py` printed on its last line (`{"pages": [...]}`), or None."""
    lines = output.decode(errors="replace").strip().splitlines()
    try:
        pages = json.loads(lines[-1]).get("pages") if lines else None
    except (ValueError, AttributeError):
        return None
    if not isinstance(pages, list) or not all(isinstance(page, int) and page > 0 for page in pages):
        return None
    return pages


def _wait_until_started(url: str, seconds: float) -> None:
    """A unoserver that refuses connections may be starting (`make run` starts it beside the worker,
    which may take a job first) or restarting: wait for it, up to `seconds`. The conversion that
    follows reports a server that never came."""
    deadline = time.monotonic() + seconds
    while seconds > 0 and not reachable(url) and time.monotonic() < deadline:
        time.sleep(1)


def reachable(url: str, timeout: float = 2.0) -> bool:
    """Whether a unoserver answers at `url` (used to wait for one to start)."""
    try:
        return str(_proxy(url, timeout).info().get("api")) == API_VERSION
    except (OSError, http.client.HTTPException, xmlrpc.client.Error):
        return False
