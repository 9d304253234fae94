"""Development tool: set translations from a small JSON file {"fr": {msgid: msgstr}, "es": {...}}.

A msgstr may be a list for plural entries. Used for the few strings a change adds; for large passes,
edit the .po files directly.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUES = Path(__file__).resolve().parents[1] / "drafting" / "translations"


def main(path: str) -> None:
    table = json.loads(Path(path).read_text(encoding="utf-8"))
    for locale, entries in table.items():
        po = CATALOGUES / locale / "LC_MESSAGES" / "messages.po"
        with po.open("rb") as handle:
            catalogue = read_po(handle, locale=locale)
        for msgid, msgstr in entries.items():
            message = catalogue[msgid]
            message.string = tuple(msgstr) if isinstance(msgstr, list) else msgstr
            message.flags.discard("fuzzy")
            message.previous_id = []
        with po.open("wb") as handle:
            write_po(handle, catalogue, width=76, no_location=True, sort_output=True, ignore_obsolete=True)


if __name__ == "__main__":
    main(sys.argv[1])
