"""Storing and removing the Word annexes of a position (after `drafting.wordfiles.clean_word_file`)."""

from __future__ import annotations

import hashlib
import unicodedata

from drafting.clock import now
from drafting.extensions import db
from drafting.models import Attachment, Position, User
from drafting.wordfiles import clean_word_file

MAX_FILENAME = 120
DEFAULT_FILENAME = "annex.docx"


def safe_filename(filename: str, default: str = DEFAULT_FILENAME) -> str:
    """The name as the user knows it (any script), reduced to what every browser, file system and
    HTTP header accepts: no folder, no control or format character (CR, LF, bidi overrides), no broken
    character (U+FFFD, lone surrogates), at most 120 characters, the extension kept."""
    name = unicodedata.normalize("NFC", str(filename or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = []
    for char in name:
        category = unicodedata.category(char)
        if char in "\t\r\n" or category in ("Zs", "Zl", "Zp"):
            kept.append(" ")
        elif char != "\ufffd" and category not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            kept.append(char)
    name = " ".join("".join(kept).split())
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10 or " " in extension:
        stem, extension = name, ""
    stem = stem.strip(" .")[: MAX_FILENAME - len(extension) - 1].rstrip(" .")
    if not stem:
        stem = default.rpartition(".")[0]
        extension = extension or default.rpartition(".")[2]
    return f"{stem}.{extension}" if extension else stem


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
