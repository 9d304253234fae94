"""The one cleaner of the names of uploaded files (annexes, the negotiated text's Word file)."""

from __future__ import annotations

import unicodedata

from drafting.text import collapse_whitespace

MAX_FILENAME = 120
DEFAULT_FILENAME = "annex.docx"


def safe_filename(filename: str, default: str = DEFAULT_FILENAME, max_length: int = MAX_FILENAME) -> str:
    """The name as the user knows it (any script), reduced to what every browser, file system and
    HTTP header accepts: no folder, no control or format character (CR, LF, bidi overrides), no broken
    character (U+FFFD, lone surrogates), at most `max_length` characters, the extension kept. With `default=""`,
    a name with nothing usable is ""."""
    name = unicodedata.normalize("NFC", str(filename or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = []
    for char in name:
        category = unicodedata.category(char)
        if char in "\t\r\n" or category in ("Zs", "Zl", "Zp"):
            kept.append(" ")
        elif char != "\ufffd" and category not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            kept.append(char)
    name = collapse_whitespace("".join(kept))
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10 or " " in extension:
        stem, extension = name, ""
    stem = stem.strip(" .")[: max_length - (len(extension) + 1 if extension else 0)].rstrip(" .")
    if not stem and not default:  # nothing usable, and no default asked for
        return ""
    if not stem:
        stem = default.rpartition(".")[0]
        extension = extension or default.rpartition(".")[2]
    return f"{stem}.{extension}" if extension else stem
