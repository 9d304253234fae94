"""How one uploaded annex maps onto the edition it joins (drafting.documents.annexes.composer composes them):
its styles by name, its lists onto numbering definitions of their own, its relationships and the parts
they bring (pictures, charts, diagrams; web and mail links), its ids, and the schema's order of a
section's properties.
"""

from __future__ import annotations

import posixpath
import re
from copy import deepcopy
from typing import Protocol

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from drafting.documents.annexes.checks import COMMENT_MARKS
from drafting.documents.render.wordml import R_NS, W_NS, Writer, w
from drafting.wordfiles import SAFE_LINK_SCHEMES, WordFileRefused, parse_part

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
XML_NS = "http://www.w3.org/XML/1998/namespace"
VAL = w("val")


class AnnexComposer(Protocol):
    """What a mapping reads and advances of the edition it joins (drafting.documents.annexes.composer
    implements it): named here so that the composer imports the mapping, not the other way round."""

    writer: Writer
    part: Part
    numbering: etree._Element
    styles: etree._Element
    style_ids: set[str]
    style_by_name: dict[tuple[str, str], str]
    declared: set[str]
    next_bookmark: int
    next_docpr: int
    next_num: int
    next_abstract: int
    annex_count: int

    def annex_section(self, sect_pr): ...

    def footnotes_part(self) -> Part: ...

    def add_footnote(self, note) -> str: ...

# Parts an annex's body may bring along (by relationship type); the rest stays behind.
COPIED_RELTYPES = {
    RT.IMAGE, RT.CHART, RT.CHART_USER_SHAPES, RT.DIAGRAM_DATA, RT.DIAGRAM_LAYOUT, RT.DIAGRAM_QUICK_STYLE,
    RT.DIAGRAM_COLORS, RT.THEME_OVERRIDE,
    "http://schemas.microsoft.com/office/2007/relationships/diagramDrawing",
    "http://schemas.microsoft.com/office/2011/relationships/chartStyle",
    "http://schemas.microsoft.com/office/2011/relationships/chartColorStyle",
}
# The order of a w:sectPr's children in the schema.
SECTPR_ORDER = [w(t) for t in ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz",
                               "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt",
                               "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid",
                               "printerSettings", "sectPrChange")]
# Containers that hold a drawing or picture whose part could not come along: removed whole.
PICTURE_CONTAINERS = (w("drawing"), w("pict"), w("object"))
HEADING = re.compile(r"heading ([1-9])")


class AnnexMapping:
    """The mappings of one annex onto the edition: styles, numbering, relationships, ids."""

    def __init__(self, composer: AnnexComposer, source):
        self.composer = composer
        self.source = source
        self.styles = source.styles.element
        self.style_elements = {s.get(w("styleId")): s for s in self.styles.iter(w("style"))}
        self.style_map: dict[str, str | None] = {}
        try:
            self.numbering = source.part.numbering_part.element
        except (KeyError, NotImplementedError, ValueError):
            self.numbering = None
        self.num_map: dict[str, str | None] = {}
        self.abstract_map: dict[str, str] = {}
        self.rel_map: dict[tuple[int, str], str | None] = {}
        self.copied_parts: dict[int, Part] = {}
        self.bookmarks: dict[str, str] = {}
        self.footnotes_source, footnotes = self._notes(RT.FOOTNOTES, "footnote")
        self.footnotes = {note.get(w("id")): note for note in footnotes if note.get(w("type")) in (None, "normal")}
        self.endnotes = {note.get(w("id")): ["".join(p.itertext(w("t"))) for p in note.iter(w("p"))]
                         for note in self._notes(RT.ENDNOTES, "endnote")[1]}

    def _notes(self, reltype: str, tag: str) -> tuple[Part | None, list]:
        """The annex's part of notes of one kind and its notes."""
        for rel in self.source.part.rels.values():
            if rel.reltype == reltype and not rel.is_external:
                try:
                    root = parse_part(rel.target_part.blob)
                except WordFileRefused:
                    return None, []
                return rel.target_part, list(root.iter(w(tag)))
        return None, []

    # Everything an element of the annex's body needs

    def adapt(self, element, notes: list[list[str]]) -> None:
        """`element`, a copy of a block of the annex's body, made the edition's; its endnotes' lines go
        to `notes` (printed at the annex's end), its footnotes into the edition's footnotes."""
        self._adapt(element, notes, self.source.part, self.composer.part)

    def _footnote(self, reference) -> None:
        """A footnote reference of the annex's body points at a copy of its note in the edition."""
        source = self.footnotes.get(reference.get(w("id")))
        if source is None:  # a reference to no note: Word would refuse the file
            run = reference.getparent()
            run.remove(reference)
            return
        note = deepcopy(source)
        target = self.composer.footnotes_part()
        self._adapt(note, [], self.footnotes_source, target, in_note=True)
        self._note_styles(note)
        reference.set(w("id"), self.composer.add_footnote(note))

    def _note_styles(self, note) -> None:
        """A note written without styles looks as the edition's notes: footnote text, a raised mark."""
        text_style = self.composer.style_by_name.get(("paragraph", "footnote text"))
        mark_style = self.composer.style_by_name.get(("character", "footnote reference"))
        for paragraph in note.iter(w("p")):
            ppr = paragraph.find(w("pPr"))
            if text_style and (ppr is None or ppr.find(w("pStyle")) is None):
                if ppr is None:
                    ppr = etree.SubElement(paragraph, w("pPr"))
                    paragraph.insert(0, ppr)
                etree.SubElement(ppr, w("pStyle")).set(VAL, text_style)
                ppr.insert(0, ppr[-1])
        for mark in note.iter(w("footnoteRef")):
            run = mark.getparent()
            rpr = run.find(w("rPr"))
            if mark_style and (rpr is None or rpr.find(w("rStyle")) is None):
                if rpr is None:
                    rpr = etree.Element(w("rPr"))
                    run.insert(0, rpr)
                rpr.insert(0, etree.Element(w("rStyle")))
                rpr[0].set(VAL, mark_style)

    def _adapt(self, element, notes: list[list[str]], source_part, target_part, in_note: bool = False) -> None:
        self._drop_undeclared_markup(element)
        for paragraph in ([element] if element.tag == w("p") else []) + list(element.iter(w("p"))):
            self._explicit_numbering(paragraph)
        for node in list(element.iter()):
            if not isinstance(node.tag, str) or node.getparent() is None and node is not element:
                continue
            tag = node.tag
            if tag in (w("pStyle"), w("rStyle"), w("tblStyle")):
                mapped = self.map_style(node.get(VAL))
                if mapped is None:
                    node.getparent().remove(node)
                else:
                    node.set(VAL, mapped)
            elif tag == w("numId"):
                node.set(VAL, self.map_num(node.get(VAL)) or "0")
            elif tag == w("sectPr"):
                node.getparent().replace(node, self.composer.annex_section(node))
            elif tag in (w("bookmarkStart"), w("bookmarkEnd")):
                node.set(w("id"), self._bookmark(node.get(w("id"))))
            elif tag == f"{{{WP_NS}}}docPr":
                node.set("id", str(self.composer.next_docpr))
                self.composer.next_docpr += 1
            elif tag == w("footnoteReference"):
                if in_note:
                    node.getparent().remove(node)
                else:
                    self._footnote(node)
            elif tag == w("endnoteReference"):
                notes.append(self.endnotes.get(node.get(w("id"))) or [""])
                mark = etree.Element(w("t"))
                mark.text = str(len(notes))
                node.getparent().replace(node, mark)
                run_properties = mark.getparent().find(w("rPr"))
                if run_properties is None:
                    run_properties = etree.Element(w("rPr"))
                    mark.getparent().insert(0, run_properties)
                if run_properties.find(w("vertAlign")) is None:
                    etree.SubElement(run_properties, w("vertAlign")).set(VAL, "superscript")
            elif tag == w("dataBinding") or tag == w("endnoteRef") or (tag == w("footnoteRef") and not in_note) \
                    or (in_note and tag in COMMENT_MARKS):  # the annex's comments stay behind (checks.py)
                node.getparent().remove(node)
            self._map_relationships(node, source_part, target_part)

    def _drop_undeclared_markup(self, element) -> None:
        """Markup in namespaces the edition does not declare would need mc:Ignorable to be readable:
        choose the fallback Word itself would use, drop the rest. Paragraph ids of the annex go too
        (two annexes could bring the same)."""
        declared = self.composer.declared
        for alternate in list(element.iter(f"{{{MC_NS}}}AlternateContent")):
            chosen = None
            for choice in alternate.findall(f"{{{MC_NS}}}Choice"):
                prefixes = (choice.get("Requires") or "").split()
                if all(choice.nsmap.get(prefix) in declared for prefix in prefixes):
                    chosen = choice
                    break
            chosen = chosen if chosen is not None else alternate.find(f"{{{MC_NS}}}Fallback")
            parent = alternate.getparent()
            if parent is None:
                continue
            index = parent.index(alternate)
            for offset, child in enumerate(list(chosen) if chosen is not None else []):
                parent.insert(index + offset, child)
            parent.remove(alternate)
        for node in list(element.iter()):
            if not isinstance(node.tag, str):
                continue
            if etree.QName(node).namespace not in declared and node.getparent() is not None:
                if not _inside_graphic(node):
                    node.getparent().remove(node)
                    continue
            for name in list(node.attrib):
                namespace = etree.QName(name).namespace
                undeclared = namespace and namespace not in declared and not _inside_graphic(node)
                if namespace in (W14_NS, MC_NS) or undeclared:
                    del node.attrib[name]

    # Styles

    def map_style(self, style_id: str | None) -> str | None:
        if not style_id:
            return None
        if style_id in self.style_map:
            return self.style_map[style_id]
        style = self.style_elements.get(style_id)
        if style is None:
            self.style_map[style_id] = None
            return None
        kind = style.get(w("type"))
        name_element = style.find(w("name"))
        name = (name_element.get(VAL) if name_element is not None else style_id) or style_id
        heading = HEADING.fullmatch(name.lower())
        if heading and kind == "paragraph":
            # Below the annex's own heading (Heading 2): the annex's Heading 1 becomes Heading 3.
            target = self.composer.style_by_name.get((kind, f"heading {min(int(heading.group(1)) + 2, 9)}"))
            if target:
                self.style_map[style_id] = target
                return target
        target = self.composer.style_by_name.get((kind, name.lower()))
        if target:
            self.style_map[style_id] = target
            return target
        # A style the edition lacks: copied, under a new id if the annex's id is taken.
        new_id = style_id
        while new_id in self.composer.style_ids:
            new_id = f"{style_id}A{self.composer.annex_count}" if new_id == style_id else new_id + "x"
        self.style_map[style_id] = new_id
        copied = deepcopy(style)
        copied.set(w("styleId"), new_id)
        for attribute in ("default",):
            copied.attrib.pop(w(attribute), None)
        if new_id != style_id and copied.find(w("name")) is not None:
            copied.find(w("name")).set(VAL, f"{name} ({self.composer.annex_count})")
        self.composer.style_ids.add(new_id)
        if copied.find(w("name")) is not None:
            self.composer.style_by_name.setdefault((kind, copied.find(w("name")).get(VAL).lower()), new_id)
        for link in copied.iter(w("basedOn"), w("next"), w("link")):
            mapped = self.map_style(link.get(VAL))
            if mapped is None:
                link.getparent().remove(link)
            else:
                link.set(VAL, mapped)
        for num_id in copied.iter(w("numId")):
            num_id.set(VAL, self.map_num(num_id.get(VAL)) or "0")
        self._drop_undeclared_markup(copied)
        self.composer.styles.append(copied)
        return new_id

    # Numbering

    def _style_numbering(self, style_id: str | None, depth: int = 0):
        """(numId, ilvl) a paragraph style gives its paragraphs in the annex, following basedOn."""
        style = self.style_elements.get(style_id or "")
        if style is None or depth > 20:
            return None
        num_pr = style.find(f"{w('pPr')}/{w('numPr')}")
        if num_pr is not None and num_pr.find(w("numId")) is not None:
            level = num_pr.find(w("ilvl"))
            return num_pr.find(w("numId")).get(VAL), level.get(VAL) if level is not None else "0"
        based_on = style.find(w("basedOn"))
        return self._style_numbering(based_on.get(VAL) if based_on is not None else None, depth + 1)

    def _explicit_numbering(self, paragraph) -> None:
        """A paragraph numbered through its style gets the numbering written on it, so that it keeps the
        annex's own list even when its style maps onto one of the edition's."""
        ppr = paragraph.find(w("pPr"))
        if ppr is not None and ppr.find(w("numPr")) is not None:
            return
        style = ppr.find(w("pStyle")) if ppr is not None else None
        found = self._style_numbering(style.get(VAL) if style is not None else None)
        if not found or found[0] == "0":
            return
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            paragraph.insert(0, ppr)
        num_pr = etree.Element(w("numPr"))
        etree.SubElement(num_pr, w("ilvl")).set(VAL, found[1])
        etree.SubElement(num_pr, w("numId")).set(VAL, found[0])  # mapped with the others below
        anchor = ppr.find(w("pStyle"))
        for tag in ("keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl"):
            if ppr.find(w(tag)) is not None:
                anchor = ppr.find(w(tag))
        if anchor is not None:
            anchor.addnext(num_pr)
        else:
            ppr.insert(0, num_pr)

    def map_num(self, num_id: str | None) -> str | None:
        if not num_id or num_id == "0" or self.numbering is None:
            return None
        if num_id in self.num_map:
            return self.num_map[num_id]
        found = [n for n in self.numbering.iter(w("num")) if n.get(w("numId")) == num_id]
        if not found:
            self.num_map[num_id] = None
            return None
        num = deepcopy(found[0])
        abstract = num.find(w("abstractNumId"))
        new_abstract = self._map_abstract(abstract.get(VAL) if abstract is not None else None)
        if new_abstract is None:
            self.num_map[num_id] = None
            return None
        new_id = str(self.composer.next_num)
        self.composer.next_num += 1
        self.num_map[num_id] = new_id
        num.set(w("numId"), new_id)
        abstract.set(VAL, new_abstract)
        for name in list(num.attrib):
            if etree.QName(name).namespace != W_NS:
                del num.attrib[name]
        self.composer.numbering.append(num)
        self.composer.writer.next_num_id = self.composer.next_num
        return new_id

    def _map_abstract(self, abstract_id: str | None) -> str | None:
        if abstract_id is None:
            return None
        if abstract_id in self.abstract_map:
            return self.abstract_map[abstract_id]
        found = [a for a in self.numbering.iter(w("abstractNum")) if a.get(w("abstractNumId")) == abstract_id]
        if not found:
            return None
        abstract = deepcopy(found[0])
        new_id = str(self.composer.next_abstract)
        self.composer.next_abstract += 1
        self.abstract_map[abstract_id] = new_id
        abstract.set(w("abstractNumId"), new_id)
        for name in list(abstract.attrib):
            if etree.QName(name).namespace != W_NS:
                del abstract.attrib[name]
        # A list identity of its own: Word joins lists whose definitions share an nsid.
        nsid = abstract.find(w("nsid"))
        if nsid is not None:
            nsid.set(VAL, f"{0x5A000000 + int(new_id) % 0x00FFFFFF:08X}")
        for element in list(abstract.iter(w("lvlPicBulletId"), w("numStyleLink"), w("styleLink"))):
            element.getparent().remove(element)
        for style in list(abstract.iter(w("pStyle"))):
            mapped = self.map_style(style.get(VAL))
            if mapped is None:
                style.getparent().remove(style)
            else:
                style.set(VAL, mapped)
        self._drop_undeclared_markup(abstract)
        first_num = self.composer.numbering.find(w("num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.composer.numbering.append(abstract)
        return new_id

    # Relationships and ids

    def _bookmark(self, old: str | None) -> str:
        if old not in self.bookmarks:
            self.bookmarks[old] = str(self.composer.next_bookmark)
            self.composer.next_bookmark += 1
        return self.bookmarks[old]

    def _map_relationships(self, node, source_part, target_part) -> None:
        for name, value in list(node.attrib.items()):
            if not name.startswith(f"{{{R_NS}}}"):
                continue
            mapped = self.map_relationship(value, source_part, target_part)
            if mapped is not None:
                node.set(name, mapped)
                continue
            del node.attrib[name]
            if node.tag in (w("hyperlink"),) or etree.QName(node).localname in ("hlinkClick", "hlinkHover"):
                continue  # the text stays, without the link
            container = node
            while container is not None and container.tag not in PICTURE_CONTAINERS:
                container = container.getparent()
            if container is not None and container.getparent() is not None:
                container.getparent().remove(container)

    def map_relationship(self, rel_id: str, source_part=None, target_part=None) -> str | None:
        """The edition's relationship (from `target_part`, default the document) for the annex's
        `rel_id` (of `source_part`, default its document), or None when what it points to stays behind."""
        source_part = source_part if source_part is not None else self.source.part
        target_part = target_part if target_part is not None else self.composer.part
        key = (id(source_part), rel_id)
        if key in self.rel_map:
            return self.rel_map[key]
        rel = source_part.rels.get(rel_id)
        mapped = None
        if rel is not None:
            if rel.is_external:
                if rel.reltype == RT.HYPERLINK and rel.target_ref.strip().lower().startswith(SAFE_LINK_SCHEMES):
                    mapped = (self.composer.writer.link_id(rel.target_ref) if target_part is self.composer.part
                              else target_part.relate_to(rel.target_ref, RT.HYPERLINK, is_external=True))
            elif rel.reltype in COPIED_RELTYPES:
                mapped = target_part.relate_to(self._copy_part(rel.target_part), rel.reltype)
        self.rel_map[key] = mapped
        return mapped

    def _copy_part(self, part) -> Part:
        """A part of the annex (and the parts it points to), under a free name in the edition."""
        copied = self.copied_parts.get(id(part))
        if copied is not None:
            return copied
        package = self.composer.part.package
        folder, name = posixpath.split(str(part.partname))
        stem, _dot, extension = name.rpartition(".")
        stem = re.sub(r"\d+$", "", stem) or "part"
        partname = package.next_partname(f"{folder}/{stem}%d.{extension}" if extension else f"{folder}/{stem}%d")
        copied = Part(PackURI(str(partname)), part.content_type, part.blob, package)
        self.copied_parts[id(part)] = copied
        for rel_id, rel in part.rels.items():
            if rel.is_external:
                if rel.reltype == RT.HYPERLINK and rel.target_ref.strip().lower().startswith(SAFE_LINK_SCHEMES):
                    copied.rels.add_relationship(rel.reltype, rel.target_ref, rel_id, is_external=True)
            elif rel.reltype in COPIED_RELTYPES:
                copied.rels.add_relationship(rel.reltype, self._copy_part(rel.target_part), rel_id)
        return copied


def _inside_graphic(node) -> bool:
    """DrawingML inside a drawing keeps its own namespaces (charts, shapes, diagrams)."""
    parent = node.getparent()
    while parent is not None:
        if parent.tag == w("drawing"):
            return True
        parent = parent.getparent()
    return False


def twips(value) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0


def place(sect_pr, element) -> None:
    """Insert `element` into `sect_pr` where the schema wants it (replacing one of the same kind)."""
    existing = sect_pr.find(element.tag)
    if existing is not None:
        sect_pr.replace(existing, element)
        return
    rank = SECTPR_ORDER.index(element.tag)
    for child in sect_pr:
        if child.tag in SECTPR_ORDER and SECTPR_ORDER.index(child.tag) > rank:
            child.addprevious(element)
            return
    sect_pr.append(element)
