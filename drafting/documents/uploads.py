"""Storing and removing the Word annexes of a position (after `annexes.validate_docx_upload`)."""

from __future__ import annotations

import hashlib
import posixpath

from drafting.clock import now
from drafting.documents.annexes import validate_docx_upload
from drafting.extensions import db
from drafting.models import Attachment, Position, User
from drafting.text import clean_text, has_lone_surrogates


def safe_filename(filename: str) -> str:
    """The name as the user knows it (any script), without a path or control characters."""
    if has_lone_surrogates(filename):
        filename = filename.encode("utf-8", "replace").decode("utf-8")
    name = posixpath.basename(clean_text(filename).replace("\\", "/")).strip().strip(".") or "annex.docx"
    if len(name) > 200:
        name = name[:195] + ".docx"
    return name


def attach_annex(position: Position, actor: User, filename: str, data: bytes) -> Attachment:
    """Check the upload, then store it; raises AnnexRefused (and stores nothing) when it is refused."""
    name = safe_filename(filename)
    validate_docx_upload(name, data)
    attachment = Attachment(position=position, filename=name, size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), data=data, uploaded_by=actor,
                            uploaded_at=now())
    db.session.add(attachment)
    db.session.commit()
    return attachment


def remove_annex(attachment: Attachment) -> None:
    db.session.delete(attachment)
    db.session.commit()
