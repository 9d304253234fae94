"""Word annexes uploaded with a position: checked before anything is stored, cleaned before composing.

The checks read the ZIP's central directory only (entry count, declared sizes) before python-docx
decompresses anything, so a zip bomb is refused without being inflated. Python's zipfile never
inflates an entry past its declared size, so the declared total is a real bound.
"""

from __future__ import annotations

import io
import zipfile

import docx
from flask_babel import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ENTRIES = 2_000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
REQUIRED_ENTRIES = ("[Content_Types].xml", "word/document.xml")

COMMENT_RELTYPE_SUFFIXES = ("/comments", "/commentsExtended", "/commentsIds", "/commentsExtensible")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
COMMENT_MARKS = tuple(f"{{{W_NS}}}{tag}" for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"))


class AnnexRefused(ValueError):
    """The upload is not accepted; the message says why, for the person who uploaded it."""


def validate_docx_upload(filename: str, data: bytes) -> None:
    """Raise AnnexRefused unless `data` is a Word document we can safely store and compose."""
    if not (filename or "").lower().endswith(".docx"):
        raise AnnexRefused(_("Only Word documents (.docx) can be attached."))
    if not data:
        raise AnnexRefused(_("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise AnnexRefused(_("The file is larger than the 10 MB allowed."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise AnnexRefused(_("This file is not a Word document (.docx): it cannot be read as one.")) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise AnnexRefused(_("This document holds too many parts (more than %(count)s).", count=MAX_ENTRIES))
        if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
            raise AnnexRefused(_("This document would expand to more than 100 MB; it cannot be attached."))
        names = {entry.filename for entry in entries}
        if any(required not in names for required in REQUIRED_ENTRIES):
            raise AnnexRefused(_("This file is not a Word document (.docx): its main parts are missing."))
    try:
        docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds of errors for broken packages
        raise AnnexRefused(_("This Word document is damaged and cannot be opened.")) from None


def strip_comments(document) -> int:
    """Remove the comments of an opened document: their parts (and so their content-type overrides,
    which python-docx writes only for parts it keeps), the relationships, and the anchors in the body.
    docxcompose would leave the anchors behind, and LibreOffice refuses such a file. Returns how many
    anchors went."""
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith(COMMENT_RELTYPE_SUFFIXES):
            del part.rels[rel_id]
    removed = 0
    for element in list(document.element.body.iter(*COMMENT_MARKS)):
        parent = element.getparent()
        parent.remove(element)
        removed += 1
        # A run that held only the reference (and its properties) is now empty: drop it too.
        if parent.tag == f"{{{W_NS}}}r" and all(child.tag == f"{{{W_NS}}}rPr" for child in parent):
            parent.getparent().remove(parent)
    return removed


def open_without_comments(data: bytes):
    document = docx.Document(io.BytesIO(data))
    strip_comments(document)
    return document


def without_comments(data: bytes) -> bytes:
    out = io.BytesIO()
    open_without_comments(data).save(out)
    return out.getvalue()
