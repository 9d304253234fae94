"""Reading a revision of the draft compact from the Word file the co-facilitators circulate.

Numbers come from two places: typed at the start of the text ("16. We commit …"), or Word's
automatic numbering, whose numbers live in `numbering.xml` and not in the text. The latter is
computed here the way Word counts: one counter per list and level, lower levels restart when a
higher one moves on, a `w:startOverride` restarts a list where a new numbering instance says so.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from drafting.negotiated_text.structure import Numberer, ParsedText, looks_like_heading, normalise_space

_HEADING_STYLE = re.compile(r"^(heading|titre|título|titulo)\s*\d", re.IGNORECASE)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level, if given


@dataclass
class _Numbering:
    """numbering.xml, reduced to what counting needs."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # abstractNumId -> ilvl -> level
    instances: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)  # numId -> (abstract, overrides)

    @classmethod
    def read(cls, document) -> _Numbering:
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return numbering
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.findall(qn("w:lvl")):
                level = _Level()
                if (node := lvl.find(qn("w:start"))) is not None:
                    level.start = int(node.get(qn("w:val"), "1"))
                if (node := lvl.find(qn("w:numFmt"))) is not None:
                    level.fmt = node.get(qn("w:val"), "decimal")
                if (node := lvl.find(qn("w:lvlText"))) is not None:
                    level.text = node.get(qn("w:val"), "")
                if (node := lvl.find(qn("w:lvlRestart"))) is not None:
                    level.restart = int(node.get(qn("w:val"), "0"))
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = level
            numbering.levels[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            abstract_id = num.find(qn("w:abstractNumId"))
            if abstract_id is None:
                continue
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                if (start := override.find(qn("w:startOverride"))) is not None:
                    overrides[int(override.get(qn("w:ilvl"), "0"))] = int(start.get(qn("w:val"), "1"))
            numbering.instances[num.get(qn("w:numId"))] = (abstract_id.get(qn("w:val")), overrides)
        return numbering


class _Counter:
    """Word's counting over the whole document."""

    def __init__(self, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.counts: dict[str, dict[int, int]] = {}  # abstract -> ilvl -> current value
        self.started: set[str] = set()  # numIds whose start overrides were applied

    def abstract_of(self, num_id: str) -> str:
        return self.numbering.instances[num_id][0]

    def next(self, num_id: str, ilvl: int) -> tuple[_Level, dict[int, int]] | None:
        if num_id not in self.numbering.instances:
            return None
        abstract, overrides = self.numbering.instances[num_id]
        levels = self.numbering.levels.get(abstract, {})
        if ilvl not in levels or levels[ilvl].fmt in ("bullet", "none"):
            return None
        counts = self.counts.setdefault(abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in overrides.items():
                counts[level] = start - 1
                for deeper in [k for k in counts if k > level]:
                    del counts[deeper]
        counts[ilvl] = counts.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            if levels.get(deeper) is None or levels[deeper].restart != 0:
                del counts[deeper]
        for shallower in range(ilvl):  # a level used before its parent counts from the parent's start
            if shallower in levels and shallower not in counts:
                counts[shallower] = levels[shallower].start
        return levels[ilvl], counts


def _label(level: _Level, counts: dict[int, int], formats: dict[int, str]) -> str:
    """The number as Word prints it ("16.", "16.1", "(a)"), without the punctuation around it."""
    def value(match: re.Match) -> str:
        index = int(match.group(1)) - 1
        return _format(counts.get(index, 1), formats.get(index, "decimal"))
    printed = re.sub(r"%(\d)", value, level.text or "")
    return printed.strip().strip("().").strip()


def _format(value: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(value)
    if fmt == "upperLetter":
        return _letters(value).upper()
    if fmt == "lowerRoman":
        return _roman(value).lower()
    if fmt == "upperRoman":
        return _roman(value)
    return str(value)


def _letters(value: int) -> str:
    # Word's letter numbering repeats the letter: a … z, aa … zz.
    value = max(value, 1)
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for amount, numeral in numerals:
        while value >= amount:
            out.append(numeral)
            value -= amount
    return "".join(out)


def _num_pr(paragraph) -> tuple[str, int] | None:
    """The paragraph's own numbering, else its style's (Word's "List Number" styles)."""
    for element in (paragraph._p, getattr(paragraph.style, "element", None)):
        if element is None:
            continue
        ppr = element.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is None:
            continue
        num_id = num_pr.find(qn("w:numId"))
        ilvl = num_pr.find(qn("w:ilvl"))
        if num_id is None or num_id.get(qn("w:val")) == "0":
            return None
        return num_id.get(qn("w:val")), int(ilvl.get(qn("w:val"), "0")) if ilvl is not None else 0
    return None


def _is_heading(paragraph) -> bool:
    style = paragraph.style
    while style is not None:
        if _HEADING_STYLE.match(style.name or "") or style.name in ("Title", "Subtitle"):
            return True
        style = style.base_style
    ppr = paragraph._p.find(qn("w:pPr"))
    return ppr is not None and ppr.find(qn("w:outlineLvl")) is not None


def _body_paragraphs(document):
    """Body paragraphs in order; a table's cells are read as paragraphs, row by row."""
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            for row in Table(child, document).rows:
                for cell in row.cells:
                    yield from cell.paragraphs


def _all_bold(paragraph) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs)


def parse_docx(data: bytes) -> ParsedText:
    """The structure of a Word file. Raises ValueError if python-docx cannot open it."""
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds for a damaged file
        raise ValueError(str(error)) from error
    counter = _Counter(_Numbering.read(document))
    numberer = Numberer()
    for paragraph in _body_paragraphs(document):
        text = normalise_space(paragraph.text)
        if not text:
            continue
        num_pr = _num_pr(paragraph)
        counted = counter.next(*num_pr) if num_pr else None
        if _is_heading(paragraph) and counted is None:
            numberer.heading(text)
        elif counted is not None:
            level, counts = counted
            ilvl = max(counts)
            if level.fmt in ("lowerLetter", "upperLetter") or (level.fmt.endswith("Roman") and ilvl > 0):
                numberer.lettered(_format(counts[ilvl], level.fmt).lower(), text)
            else:
                formats = {k: v.fmt for k, v in counter.numbering.levels[counter.abstract_of(num_pr[0])].items()}
                numberer.numbered(_label(level, counts, formats) or str(counts[ilvl]), text)
        elif looks_like_heading(text) and _all_bold(paragraph):
            numberer.heading(text)
        else:
            numberer.typed(text)
    return numberer.parsed
