"""Reading a Word file within its budget (`limits.Budget`).

Each part of the zip is inflated a chunk at a time and the bytes that come out are counted: the sizes
the zip's directory declares are never trusted (zipfile stops an entry at its declared size, and the
checksum then fails, so a part that lies is refused after one chunk). Each XML part goes through a
pull parser as it is inflated. Before each chunk is parsed, its markup is counted in the bytes (every
element starts with "<", every attribute holds one "="), which bounds the tree the parser builds;
paragraphs and the nesting of tables are found in the bytes too. The file is refused at the first
budget it passes, with only what was read so far in memory. Runs, characters, styles, lists, list
levels and start numbers are counted once a part is parsed, its tree bounded by then. Then the
inheritance of styles (`basedOn`) and of lists (`numStyleLink` to a list style, whose numbering names
a list) is followed with a depth limit, refusing a circle.

The parser refuses what Word never writes and what could reach outside: a DTD (entities can break the
edition's XML or read files), and it never fetches anything from the network.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from flask_babel import gettext as _
from lxml import etree

from drafting.wordfiles.limits import Budget, WordFileRefused, damaged, inheritance_circle, too_large

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REQUIRED_ENTRIES = ("[Content_Types].xml", "word/document.xml")
CONTENT_TYPES = "[Content_Types].xml"
CHUNK = 64 * 1024
RATIO_ALLOWANCE = 1024 * 1024  # the first megabyte of a part is never refused for its ratio


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


VAL, ILVL_ATTRIBUTE = _w("val"), _w("ilvl")
STYLE, ABSTRACT_NUM, NUM = (_w(t) for t in ("style", "abstractNum", "num"))
LEVEL_ELEMENTS = frozenset({_w("lvl"), _w("lvlOverride")})  # their level in a w:ilvl attribute
ILVL = _w("ilvl")  # a paragraph's level, in w:val
STARTS = frozenset({_w("start"), _w("startOverride")})
TEXTS = (_w("t"), _w("delText"), _w("instrText"), _w("delInstrText"))
NS = {"w": W_NS}
# Paragraphs and tables found in the bytes before they are parsed, whatever their prefix: paragraphs
# to stop a flood of them early, tables because libxml2 refuses 256 levels of nesting as damage
# before the tree could say they were tables. (lxml's pull parser, which would report them, keeps
# every tree it built alive until the garbage collector runs.)
_PARAGRAPH = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?p[\s/>]")
_TABLE = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?tbl(?=[\s/>])[^<>]*?(/?)>")
_TAIL = 4096  # at most this much of an unfinished tag is carried to the next chunk


@dataclass
class Package:
    """A Word file read within its budget: the XML parts as parsed trees, the other parts as bytes."""

    trees: dict[str, etree._Element] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # the parts' names in the zip's order

    def part_target(self, source: str, reltype_suffix: str) -> str | None:
        """The part `source` relates to by a relationship whose type ends with `reltype_suffix`."""
        folder, name = source.rsplit("/", 1) if "/" in source else ("", source)
        rels = self.trees.get(f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels")
        if rels is None:
            return None
        for rel in rels:
            if (rel.get("Type") or "").endswith(reltype_suffix) and (rel.get("TargetMode") or "") != "External":
                target = rel.get("Target") or ""
                if target.startswith("/"):
                    return target.lstrip("/")
                parts = (folder.split("/") if folder else []) + target.split("/")
                resolved: list[str] = []
                for piece in parts:
                    if piece == "..":
                        if resolved:
                            resolved.pop()
                    elif piece not in ("", "."):
                        resolved.append(piece)
                return "/".join(resolved)
        return None


class _Counter:
    """What the parts read so far hold, against the budget."""

    def __init__(self, budget: Budget):
        self.budget = budget
        self.inflated = 0
        self.markup = self.paragraphs = self.runs = self.characters = self.styles = 0
        self.abstract_lists = self.list_instances = 0
        self.table_depth = 0
        self.tail = b""

    def inflated_bytes(self, count: int, part_inflated: int, part_compressed: int) -> None:
        self.inflated += count
        if self.inflated > self.budget.inflated_bytes:
            raise too_large("inflated_bytes", self.budget.inflated_bytes)
        if part_inflated > self.budget.ratio * part_compressed + RATIO_ALLOWANCE:
            raise too_large("ratio", self.budget.ratio)

    def markup_in(self, chunk: bytes) -> None:
        """An upper bound of the nodes `chunk` makes: "<" opens every element (and closes some), "="
        comes with every attribute (and may stand in text)."""
        self.markup += chunk.count(b"<") + chunk.count(b"=")
        if self.markup > self.budget.xml_nodes:
            raise too_large("xml_nodes", self.budget.xml_nodes)

    def tags_in(self, chunk: bytes) -> None:
        """Paragraphs and the nesting of tables in `chunk` (a tag cut by its end waits for the next)."""
        data = self.tail + chunk
        cut = data.rfind(b"<")
        if cut != -1 and data.find(b">", cut) == -1:
            data, self.tail = data[:cut], data[cut:][:_TAIL]
        else:
            self.tail = b""
        self.paragraphs += len(_PARAGRAPH.findall(data))
        if self.paragraphs > self.budget.paragraphs:
            raise too_large("paragraphs", self.budget.paragraphs)
        for match in _TABLE.finditer(data):
            if match.group(2):
                continue  # <w:tbl/>: opened and closed
            self.table_depth += -1 if match.group(1) else 1
            if self.table_depth > self.budget.table_depth:
                raise too_large("table_depth", self.budget.table_depth)

    def part_ends(self) -> None:
        self.tail, self.table_depth = b"", 0

    def part(self, root) -> None:
        """A part once parsed (its tree bounded by the markup counted): what it adds to the counts, its
        list levels and start numbers. XPath counts in C, without a Python object per element."""
        budget = self.budget

        def count(path: str) -> int:
            return int(root.xpath(f"count({path})", namespaces=NS))

        self.runs += count("//w:r")
        if self.runs > budget.runs:
            raise too_large("runs", budget.runs)
        self.characters += sum(len(text.text or "") for text in root.iter(*TEXTS))
        if self.characters > budget.characters:
            raise too_large("characters", budget.characters)
        self.styles += count("//w:style")
        if self.styles > budget.styles:
            raise too_large("styles", budget.styles)
        self.abstract_lists += count("//w:abstractNum")
        self.list_instances += count("//w:num")
        if max(self.abstract_lists, self.list_instances) > budget.lists:
            raise too_large("lists", budget.lists)
        for element in root.iter(*LEVEL_ELEMENTS, ILVL):
            _check_level(element.get(VAL if element.tag == ILVL else ILVL_ATTRIBUTE), budget)
        for element in root.iter(*STARTS):
            if not 0 <= _number(element.get(VAL)) <= budget.list_start:
                raise too_large("list_start", budget.list_start)


def _number(value: str | None, default: int = 0) -> int:
    """An integer attribute, at most 12 digits (a longer one is past every budget anyway)."""
    if value is None:
        return default
    text = value.strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isdigit() or not digits.isascii():
        raise damaged()
    if len(digits) > 12:
        return -10**12 if text.startswith("-") else 10**12
    return int(text)


def _check_level(value: str | None, budget: Budget) -> None:
    level = _number(value)
    if not 0 <= level < budget.list_levels:
        raise too_large("list_levels", budget.list_levels)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_blank_text=False)


def _refuse_dtd(root) -> None:
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None or tree.docinfo.externalDTD is not None \
            or any(True for _node in root.iter(etree.Entity)):
        raise WordFileRefused(_("This Word document contains a document type declaration (DTD), which Word "
                                "documents never need. Save it again from Word and attach the new file."))


def _read_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, counter: _Counter, as_xml: bool):
    """One part, inflated and counted a chunk at a time: its tree (XML) or its bytes."""
    if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or entry.flag_bits & 0x1:
        raise damaged()  # Word never encrypts parts nor compresses them otherwise
    parser = _parser() if as_xml else None
    chunks: list[bytes] = []
    part_inflated = 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(CHUNK):
                part_inflated += len(chunk)
                counter.inflated_bytes(len(chunk), part_inflated, entry.compress_size)
                if parser is None:
                    chunks.append(chunk)
                else:
                    counter.markup_in(chunk)
                    counter.tags_in(chunk)
                    parser.feed(chunk)
        if parser is None:
            return b"".join(chunks)
        counter.part_ends()
        root = parser.close()
        counter.part(root)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError,
            etree.XMLSyntaxError) as error:
        if isinstance(error, WordFileRefused):
            raise
        raise damaged() from None
    _refuse_dtd(root)
    return root


def _xml_names(content_types) -> tuple[set[str], set[str]]:
    """(extensions, part names) that [Content_Types].xml declares as XML."""
    extensions, names = set(), set()
    for element in content_types:
        kind = (element.get("ContentType") or "").lower()
        if "xml" not in kind:
            continue
        if element.get("Extension"):
            extensions.add(element.get("Extension").lower())
        if element.get("PartName"):
            names.add(element.get("PartName").lstrip("/"))
    return extensions, names


def read_package(data: bytes, budget: Budget) -> Package:
    """The Word file `data`, read within `budget`; raises WordFileRefused with the reason."""
    if not data:
        raise WordFileRefused(_("The file is empty."))
    if len(data) > budget.file_bytes:
        raise WordFileRefused(_("The file is larger than the %(count)s MB allowed.",
                                count=budget.file_bytes // (1024 * 1024)))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise WordFileRefused(_("This file is not a Word document (.docx): it cannot be read as one.")) from None
    counter = _Counter(budget)
    package = Package()
    with archive:
        entries = [entry for entry in archive.infolist() if not entry.is_dir()]
        if len(entries) > budget.entries:
            raise WordFileRefused(_("This document holds too many parts (more than %(count)s).",
                                    count=budget.entries))
        by_name = {entry.filename: entry for entry in entries}
        if len(by_name) != len(entries):
            raise damaged()  # two parts of one name: which one a reader takes is anyone's guess
        if any(required not in by_name for required in REQUIRED_ENTRIES):
            raise WordFileRefused(_("This file is not a Word document (.docx): its main parts are missing."))
        if sum(entry.file_size for entry in entries) > budget.inflated_bytes:
            raise too_large("inflated_bytes", budget.inflated_bytes)  # an honest bomb: refused unread
        content_types = _read_entry(archive, by_name[CONTENT_TYPES], counter, as_xml=True)
        extensions, xml_parts = _xml_names(content_types)
        for entry in entries:
            name = entry.filename
            package.order.append(name)
            if name == CONTENT_TYPES:
                package.trees[name] = content_types
                continue
            as_xml = name.endswith((".xml", ".rels")) or name in xml_parts or \
                name.rsplit(".", 1)[-1].lower() in extensions
            read = _read_entry(archive, entry, counter, as_xml)
            if as_xml:
                package.trees[name] = read
            else:
                package.blobs[name] = read
    _check_inheritance(package, budget)
    return package


def _check_inheritance(package: Package, budget: Budget) -> None:
    """Styles based on styles, lists linked to list styles: no circle, no chain past the budget."""
    based_on: dict[str, str] = {}
    style_list: dict[str, str] = {}  # a (numbering) style's list instance
    names: dict[str, str] = {}
    list_link: dict[str, str] = {}  # abstractNum -> the list style it takes its levels from
    instance_of: dict[str, str] = {}  # num -> abstractNum
    for root in package.trees.values():
        for style in root.iter(STYLE):
            style_id = style.get(_w("styleId")) or ""
            name = style.find(_w("name"))
            names[style_id] = name.get(VAL, style_id) if name is not None else style_id
            parent = style.find(_w("basedOn"))
            if parent is not None and parent.get(VAL):
                based_on[style_id] = parent.get(VAL)
            num_id = style.find(f"{_w('pPr')}/{_w('numPr')}/{_w('numId')}")
            if num_id is not None and num_id.get(VAL):
                style_list[style_id] = num_id.get(VAL)
        for abstract in root.iter(ABSTRACT_NUM):
            link = abstract.find(_w("numStyleLink"))
            if link is not None and link.get(VAL):
                list_link[abstract.get(_w("abstractNumId")) or ""] = link.get(VAL)
        for num in root.iter(NUM):
            abstract_id = num.find(_w("abstractNumId"))
            if abstract_id is not None:
                instance_of[num.get(_w("numId")) or ""] = abstract_id.get(VAL) or ""
    _follow(based_on, budget, lambda style_id: names.get(style_id, style_id))

    def list_parent(abstract_id: str) -> str | None:
        style_id = list_link.get(abstract_id)
        num_id = style_list.get(style_id) if style_id else None
        return instance_of.get(num_id) if num_id else None

    lists = {abstract_id: parent for abstract_id in list_link if (parent := list_parent(abstract_id)) is not None}
    _follow(lists, budget, lambda abstract_id: names.get(list_link[abstract_id], list_link[abstract_id]))


def _follow(parent_of: dict[str, str], budget: Budget, name_of) -> None:
    """Each chain of `parent_of` once (depths remembered): refuse a circle or a chain past the budget."""
    depth: dict[str, int] = {}
    for start in parent_of:
        chain: list[str] = []
        on_chain: set[str] = set()
        node = start
        while node in parent_of and node not in depth:
            if node in on_chain:
                raise inheritance_circle(name_of(node))
            chain.append(node)
            on_chain.add(node)
            node = parent_of[node]
        known = depth.get(node, 0)
        for offset, member in enumerate(reversed(chain), start=1):
            depth[member] = known + offset
            if depth[member] > budget.inheritance_depth:
                raise too_large("inheritance_depth", budget.inheritance_depth)
