"""Are the French and Spanish catalogues complete for the code as it is now?

    .venv/bin/python -m tools.check_translations            # report what is missing
    .venv/bin/python -m tools.check_translations --update   # also refresh messages.pot and the .po files

The workflow for a translation pass: run with `--update` (extracts every string of the current code
into drafting/translations/messages.pot and merges it into fr and es, keeping existing translations and
marking near matches fuzzy), translate the empty and fuzzy entries of each messages.po, run it again
until it reports nothing, then `make translations` compiles the .mo files.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "drafting" / "translations"
LOCALES = ("fr", "es")
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext"]


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract(output: Path) -> Catalog:
    """Every translatable string of the current code (Python and templates, as babel.cfg says)."""
    _pybabel("extract", "-F", str(ROOT / "babel.cfg"), *KEYWORDS, "--no-location", "--omit-header",
             "-o", str(output), str(ROOT))
    with output.open("rb") as handle:
        return read_po(handle)


def _untranslated(message) -> bool:
    if message.fuzzy:
        return True
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return not all(s and s.strip() for s in strings)


def missing(locale: str, template: Catalog) -> list[str]:
    """The msgids of `template` that the locale's catalogue lacks, leaves empty, or marks fuzzy."""
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return [m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id]
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=locale)
    gaps = []
    for message in template:
        if not message.id:
            continue
        translated = catalogue.get(message.id, context=message.context)
        if translated is None or _untranslated(translated):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def update() -> None:
    """Refresh messages.pot and merge it into each catalogue. No source locations and entries sorted
    by msgid: the files change only where a string changes, so parallel branches merge cleanly."""
    pot = TRANSLATIONS / "messages.pot"
    _pybabel("extract", "-F", str(ROOT / "babel.cfg"), *KEYWORDS, "--no-location", "--sort-output",
             "-o", str(pot), str(ROOT))
    with pot.open("rb") as handle:
        template = read_po(handle)
    for locale in LOCALES:
        path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
        if path.exists():
            with path.open("rb") as handle:
                catalogue = read_po(handle, locale=locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalogue = Catalog(locale=locale)
        catalogue.update(template, update_header_comment=False)
        with path.open("wb") as handle:
            write_po(handle, catalogue, width=76, no_location=True, sort_output=True, ignore_obsolete=True)


def report() -> dict[str, list[str]]:
    with tempfile.TemporaryDirectory() as folder:
        template = extract(Path(folder) / "current.pot")
    return {locale: missing(locale, template) for locale in LOCALES}


def main(argv: list[str]) -> int:
    if "--update" in argv:
        update()
    gaps = report()
    for locale, ids in gaps.items():
        print(f"{locale}: {len(ids)} strings missing, empty or fuzzy")
        for msgid in ids:
            print(f"  {msgid!r}")
    return 1 if any(gaps.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
