"""Comments of an uploaded annex, removed before an edition composes it (the annex was checked and
cleaned at upload by `drafting.wordfiles`)."""

from __future__ import annotations

import io

import docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
COMMENT_RELTYPE_SUFFIXES = ("/comments", "/commentsExtended", "/commentsIds", "/commentsExtensible")
COMMENT_MARKS = tuple(f"{{{W_NS}}}{tag}" for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"))


def strip_comments(document) -> int:
    """Remove the comments of an opened document: their parts (and so their content-type overrides,
    which python-docx writes only for parts it keeps), the relationships, and the anchors in the body.
    A comment anchor left without its comment makes LibreOffice refuse the file. Returns how many
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
