"""Reading a revision of the draft compact from the Word file the co-facilitators circulate.

The file is read within its budget (`drafting.wordfiles`, REVISION) and its XML walked directly: one
pass over the body, styles and numbering looked up in dictionaries made once.

Numbers come from two places: typed at the start of the text ("16. We commit …"), or Word's
automatic numbering, whose numbers live in `numbering.xml` and not in the text. The latter is
computed here the way Word counts: one counter per list and level, lower levels restart when a
higher one moves on, a `w:startOverride` restarts a list where a new numbering instance says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafting.negotiated_text.structure import Numberer, ParsedText, looks_like_heading, normalise_space
from drafting.wordfiles import REVISION, Budget, Package, damaged, read_package, too_large

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_HEADING_STYLE = re.compile(r"^(heading|titre|título|titulo)\s*\d", re.IGNORECASE)


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


VAL = _w("val")
P, TBL, TR, TC, R, SDT, SDT_CONTENT = (_w(t) for t in ("p", "tbl", "tr", "tc", "r", "sdt", "sdtContent"))
# What a run shows as text (python-docx's reading): text, tabs, breaks, non-breaking hyphens.
_RUN_TEXT = {_w("t"): None, _w("tab"): "\t", _w("ptab"): "\t", _w("br"): "\n", _w("cr"): "\n",
             _w("noBreakHyphen"): "-"}
# Containers whose content is not the paragraph's own text: deleted text, text boxes and pictures.
_NOT_TEXT = frozenset({_w("del"), _w("moveFrom"), _w("drawing"), _w("pict"), _w("object"), _w("rPr"),
                       _w("pPr"), _w("txbxContent"), f"{{{MC_NS}}}AlternateContent"})


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level, if given


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    num_pr: tuple[str, int] | None = None
    default: bool = False


def _int(value: str | None, default: int) -> int:
    """An attribute the reading checked already (digits within the budget)."""
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _num_pr_of(ppr) -> tuple[str, int] | None | bool:
    """(numId, ilvl) of a w:pPr; None when it has none, False when it says "not numbered"."""
    if ppr is None:
        return None
    num_pr = ppr.find(_w("numPr"))
    if num_pr is None:
        return None
    num_id = num_pr.find(_w("numId"))
    if num_id is None or num_id.get(VAL) == "0":
        return False
    ilvl = num_pr.find(_w("ilvl"))
    return num_id.get(VAL), _int(ilvl.get(VAL) if ilvl is not None else None, 0)


class _Styles:
    """styles.xml reduced to what reading needs: names, bases and list numbering of paragraph styles."""

    def __init__(self, root, budget: Budget) -> None:
        self.budget = budget
        self.styles: dict[str, _Style] = {}
        self.default: str | None = None
        self._heading: dict[str, bool] = {}
        if root is None:
            return
        for element in root.iter(_w("style")):
            if element.get(_w("type"), "paragraph") not in ("paragraph", "numbering"):
                continue
            style_id = element.get(_w("styleId")) or ""
            name = element.find(_w("name"))
            based_on = element.find(_w("basedOn"))
            num_pr = _num_pr_of(element.find(_w("pPr")))
            style = _Style(name.get(VAL, "") if name is not None else "",
                           based_on.get(VAL) if based_on is not None else None,
                           num_pr or None, element.get(_w("default")) in ("1", "true", "on"))
            self.styles.setdefault(style_id, style)
            if style.default and element.get(_w("type"), "paragraph") == "paragraph" and self.default is None:
                self.default = style_id

    def of(self, ppr) -> str | None:
        style = ppr.find(_w("pStyle")) if ppr is not None else None
        style_id = style.get(VAL) if style is not None else None
        return style_id if style_id in self.styles else self.default

    def is_heading(self, style_id: str | None) -> bool:
        """A heading style, or one based on a heading style (the chain was checked when reading; it is
        still walked at most the budget's depth)."""
        if style_id is None:
            return False
        if style_id not in self._heading:
            found, current, seen = False, style_id, 0
            while current in self.styles and seen <= self.budget.inheritance_depth:
                name = self.styles[current].name
                if _HEADING_STYLE.match(name) or name.lower() in ("title", "subtitle"):
                    found = True
                    break
                current, seen = self.styles[current].based_on, seen + 1
            self._heading[style_id] = found
        return self._heading[style_id]


@dataclass
class _Numbering:
    """numbering.xml, reduced to what counting needs."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # abstractNumId -> ilvl -> level
    instances: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)  # numId -> (abstract, overrides)

    @classmethod
    def read(cls, root, styles: _Styles, budget: Budget) -> _Numbering:
        numbering = cls()
        if root is None:
            return numbering
        links: dict[str, str] = {}  # abstractNumId -> the list style it takes its levels from
        for abstract in root.iter(_w("abstractNum")):
            levels = {}
            for lvl in abstract.findall(_w("lvl")):
                level = _Level()
                if (node := lvl.find(_w("start"))) is not None:
                    level.start = _int(node.get(VAL), 1)
                if (node := lvl.find(_w("numFmt"))) is not None:
                    level.fmt = node.get(VAL, "decimal")
                if (node := lvl.find(_w("lvlText"))) is not None:
                    level.text = node.get(VAL, "")
                if (node := lvl.find(_w("lvlRestart"))) is not None:
                    level.restart = _int(node.get(VAL), 0)
                levels[_int(lvl.get(_w("ilvl")), 0)] = level
            abstract_id = abstract.get(_w("abstractNumId"))
            numbering.levels[abstract_id] = levels
            if (link := abstract.find(_w("numStyleLink"))) is not None and link.get(VAL):
                links[abstract_id] = link.get(VAL)
        instances = {}
        for num in root.iter(_w("num")):
            abstract_id = num.find(_w("abstractNumId"))
            if abstract_id is None:
                continue
            overrides = {}
            for override in num.findall(_w("lvlOverride")):
                if (start := override.find(_w("startOverride"))) is not None:
                    overrides[_int(override.get(_w("ilvl")), 0)] = _int(start.get(VAL), 1)
            instances[num.get(_w("numId"))] = (abstract_id.get(VAL), overrides)
        for num_id, (abstract_id, overrides) in instances.items():
            numbering.instances[num_id] = (numbering._linked(abstract_id, links, instances, styles, budget), overrides)
        return numbering

    def _linked(self, abstract_id: str, links, instances, styles: _Styles, budget: Budget) -> str:
        """The list whose levels (and counters) a list linked to a list style uses, as Word does."""
        for _step in range(budget.inheritance_depth):
            style = styles.styles.get(links.get(abstract_id, ""))
            target = instances.get(style.num_pr[0]) if style and style.num_pr else None
            if target is None or target[0] == abstract_id:
                break
            abstract_id = target[0]
        return abstract_id


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


def _paragraph_text(paragraph) -> str:
    """The paragraph's text as a reader sees it: its runs (in hyperlinks, fields, insertions and
    content controls too), without deleted text, text boxes or pictures."""
    pieces: list[str] = []
    stack = list(reversed(paragraph))
    while stack:
        node = stack.pop()
        tag = node.tag
        if not isinstance(tag, str) or tag in _NOT_TEXT or tag == P:
            continue
        if tag in _RUN_TEXT:
            shown = _RUN_TEXT[tag]
            pieces.append(node.text or "" if shown is None else shown)
        elif len(node):
            stack.extend(reversed(node))
    return "".join(pieces)


def _all_bold(paragraph) -> bool:
    """Every run holding text is bold by its own formatting (as python-docx's `run.bold` reads it)."""
    found = False
    for run in paragraph.iter(R):
        if not "".join(t.text or "" for t in run.iter(_w("t"))).strip():
            continue
        bold = run.find(f"{_w('rPr')}/{_w('b')}")
        if bold is None or bold.get(VAL, "true").lower() in ("0", "false", "off"):
            return False
        found = True
    return found


def _body_paragraphs(container):
    """Paragraphs in reading order: a table's cells row by row, content controls opened."""
    for child in container:
        tag = child.tag
        if tag == P:
            yield child
        elif tag == TBL:
            for row in child.iter(TR):
                if row.getparent() is not child:
                    continue
                for cell in row:
                    if cell.tag == TC:
                        yield from _body_paragraphs(cell)
        elif tag == SDT:
            for content in child.iterfind(SDT_CONTENT):
                yield from _body_paragraphs(content)


def main_document(package: Package) -> str:
    return package.part_target("", "/officeDocument") or "word/document.xml"


def parse_package(package: Package, budget: Budget = REVISION) -> ParsedText:
    """The structure of a Word file read within its budget."""
    main = main_document(package)
    document = package.trees.get(main)
    body = document.find(_w("body")) if document is not None else None
    if body is None:
        raise damaged()
    styles = _Styles(package.trees.get(package.part_target(main, "/styles") or ""), budget)
    counter = _Counter(_Numbering.read(package.trees.get(package.part_target(main, "/numbering") or ""), styles,
                                       budget))
    numberer = Numberer()
    for paragraph in _body_paragraphs(body):
        text = normalise_space(_paragraph_text(paragraph))
        if not text:
            continue
        ppr = paragraph.find(_w("pPr"))
        style_id = styles.of(ppr)
        num_pr = _num_pr_of(ppr)
        if num_pr is None and style_id is not None:
            num_pr = styles.styles[style_id].num_pr
        counted = counter.next(*num_pr) if num_pr else None
        if counted is None and (styles.is_heading(style_id) or (ppr is not None and ppr.find(_w("outlineLvl"))
                                                                is not None)):
            numberer.heading(text)
        elif counted is not None:
            level, counts = counted
            ilvl = max(counts)
            lettered = level.fmt in ("lowerLetter", "upperLetter") or (level.fmt.endswith("Roman") and ilvl > 0)
            if lettered:
                number = _format(counts[ilvl], level.fmt).lower()
            else:
                formats = {k: v.fmt for k, v in counter.numbering.levels[counter.abstract_of(num_pr[0])].items()}
                number = _label(level, counts, formats) or str(counts[ilvl])
            if len(number) > budget.list_number_characters:
                # Word repeats a letter past "z" ("aa" is 27): a start within the budget can still
                # print a number longer than a paragraph's number holds.
                raise too_large("list_number_characters", budget.list_number_characters)
            (numberer.lettered if lettered else numberer.numbered)(number, text)
        elif looks_like_heading(text) and _all_bold(paragraph):
            numberer.heading(text)
        else:
            numberer.typed(text)
    return numberer.parsed


def parse_docx(data: bytes, budget: Budget = REVISION) -> ParsedText:
    """The structure of a Word file. Raises WordFileRefused (a ValueError) when it cannot be read."""
    return parse_package(read_package(data, budget), budget)
