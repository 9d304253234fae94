"""Storing and removing the Word annexes of a position (after `drafting.wordfiles.clean_word_file`)."""

from __future__ import annotations

import hashlib

from drafting.clock import now
from drafting.core.filenames import safe_filename
from drafting.extensions import db
from drafting.models import Attachment, Position, User
from drafting.wordfiles import clean_word_file


def attach_annex(position: Position, actor: User, filename: str, data: bytes) -> tuple[Attachment, set[str]]:
    """Check the upload, clean it, then store it; raises WordFileRefused (and stores nothing) when it is
    refused. Returns the attachment and what the cleaning removed."""
    name = safe_filename(filename)
    cleaning = clean_word_file(name, data)
    attachment = Attachment(position=position, filename=name, size=len(cleaning.data),
                            sha256=hashlib.sha256(cleaning.data).hexdigest(), data=cleaning.data,
                            uploaded_by=actor, uploaded_at=now())
    db.session.add(attachment)
    db.session.commit()
    return attachment, cleaning.removed


def remove_annex(attachment: Attachment) -> None:
    db.session.delete(attachment)
    db.session.commit()
