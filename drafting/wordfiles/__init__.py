"""Word files from outside: read within a budget, checked and cleaned before anything keeps them.

Every place that reads a Word file goes through here: annexes uploaded to positions (and read again
when the worker builds an edition), and revisions of the negotiated text loaded at /text/new.
"""

from drafting.wordfiles.cleaning import (
    REMOVED_LABELS,
    SAFE_LINK_SCHEMES,
    Cleaning,
    check_word_file,
    clean_word_file,
    parse_part,
)
from drafting.wordfiles.limits import ANNEX, REVISION, Budget, WordFileRefused, damaged, too_large
from drafting.wordfiles.reading import Package, read_package

__all__ = ["ANNEX", "REMOVED_LABELS", "REVISION", "SAFE_LINK_SCHEMES", "Budget", "Cleaning", "Package",
           "WordFileRefused", "check_word_file", "clean_word_file", "damaged", "parse_part", "read_package",
           "too_large"]
