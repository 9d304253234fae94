"""Uploaded Word annexes appended after the edition's own annexes, each as its own section.

Our own composer, not docxcompose: importing docxcompose rewrites a namespace prefix of python-docx for
the whole process (every later `docProps/core.xml` was damaged), and it gave the whole edition the page
of the first annex's first section. Here an annex takes the edition's look and can change nothing
outside its own section:

- its sections take the edition's A4 page, margins, header and footer; a landscape section stays
  landscape (A4 turned); page numbering continues;
- its styles map by name onto the edition's (its headings two levels down, below the annex's own
  heading); styles the edition lacks are copied, renamed if their id is taken;
- its lists get numbering definitions of their own (new ids, a new list identity), so two annexes
  never share or continue each other's numbers, even through a list style;
- pictures, charts and diagrams are copied with their parts; web and mail links stay; anything else
  that points outside, and the annex's own headers, footers and comments, are left behind;
- footnotes and endnotes become numbered notes at the end of the annex;
- markup of Word versions the edition does not declare (w15, w16...) is dropped, keeping the
  fallback Word itself would use.
"""

from __future__ import annotations

import io
import posixpath
import re
from copy import deepcopy
from dataclasses import dataclass

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from flask_babel import force_locale
from flask_babel import gettext as _
from lxml import etree

from drafting.documents.annexes import SAFE_LINK_SCHEMES, AnnexRefused, clean_annex, parse_part, strip_comments
from drafting.documents.plan import AnnexFile, PositionEntry
from drafting.documents.wordml import R_NS, W_NS, Writer, w
from drafting.documents.words import typeset
from drafting.i18n import LOCALE_NAMES

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
XML_NS = "http://www.w3.org/XML/1998/namespace"
VAL = w("val")

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
_HEADING = re.compile(r"heading ([1-9])")


@dataclass
class LeftOut:
    """An annex the edition could not include, and why: `reason` in the document's language, `reasons`
    in each interface language (the edition records them for its page, read in any language)."""

    position_id: int
    position_title: str
    organisation: str
    language: str
    filename: str
    reason: str
    reasons: dict[str, str]

    def as_record(self) -> dict:
        return {"position_id": self.position_id, "title": self.position_title, "organisation": self.organisation,
                "language": self.language, "filename": self.filename, "reasons": self.reasons}


def _damaged() -> str:
    return _("This Word document is damaged and cannot be opened.")


def _refusal(annex: AnnexFile) -> str:
    """Why the check made when building refuses `annex`, in the current language."""
    try:
        cleaned = clean_annex(annex.filename, annex.data).data
    except AnnexRefused as refusal:
        return str(refusal)
    try:
        docx.Document(io.BytesIO(cleaned))
    except Exception:  # python-docx raises many kinds of errors for broken packages
        return _damaged()
    return ""


def _left_out(entry: PositionEntry, annex: AnnexFile, reason: str) -> LeftOut:
    reasons = {}
    for locale in LOCALE_NAMES:  # only for a refused file: checked again once per language
        with force_locale(locale):
            reasons[locale] = _refusal(annex) or reason
    return LeftOut(entry.position_id, entry.title, entry.organisation_short, entry.language, annex.filename,
                   reason, reasons)


def annex_heading(entry: PositionEntry, annex: AnnexFile) -> str:
    """The position and the file's title (its name without the extension)."""
    stem, dot, _extension = annex.filename.rpartition(".")
    return _("“%(title)s” (%(organisation)s): %(filename)s", title=entry.title,
             organisation=entry.organisation_short, filename=stem if dot and stem else annex.filename)


def _opened(entry: PositionEntry, annex: AnnexFile):
    """The annex as a document to compose, or None (its `refusal` says why). The annex was cleaned at
    upload; it is cleaned again, as one stored before that rule was, once per plan."""
    if annex.cleaned is None and annex.refusal is None:
        try:
            annex.cleaned = clean_annex(annex.filename, annex.data).data
        except AnnexRefused as refusal:
            annex.refusal = _left_out(entry, annex, str(refusal))
    if annex.refusal is not None:
        return None
    try:
        return docx.Document(io.BytesIO(annex.cleaned))
    except Exception:  # python-docx raises many kinds of errors for broken packages
        annex.cleaned, annex.refusal = None, _left_out(entry, annex, _damaged())
        return None


def append_uploaded_annexes(document, writer: Writer, annexed: list[PositionEntry]) -> list[LeftOut]:
    """Append every annex of `annexed` after the edition's body; returns those left out."""
    composer = _Composer(document, writer)
    left_out: list[LeftOut] = []
    opened = []
    for entry in annexed:
        for annex in entry.annexes:
            source = _opened(entry, annex)
            if source is None:
                left_out.append(annex.refusal)
                continue
            strip_comments(source)
            opened.append((entry, annex, source))
    if not opened:
        return left_out
    composer.close_main_section()
    writer.heading(1, typeset(_("Annex: Documents attached to positions"), writer.language))
    for index, (entry, annex, source) in enumerate(opened):
        writer.heading(2, typeset(annex_heading(entry, annex), writer.language))
        writer.insert(writer.take())
        composer.append(source, last=index == len(opened) - 1)
    return left_out


class _Composer:
    def __init__(self, document, writer: Writer):
        self.document = document
        self.writer = writer
        self.part = document.part
        self.body = document.element.body
        self.final_sect_pr = self.body.find(w("sectPr"))
        self.edition_sect_pr = deepcopy(self.final_sect_pr)  # the edition's page, before any annex
        self.numbering = document.part.numbering_part.element
        self.styles = document.styles.element
        self.style_ids = {s.get(w("styleId")) for s in self.styles.iter(w("style"))}
        self.style_by_name = {}
        for style in self.styles.iter(w("style")):
            name = style.find(w("name"))
            if name is not None:
                self.style_by_name[(style.get(w("type")), name.get(VAL, "").lower())] = style.get(w("styleId"))
        self.declared = set(document.element.nsmap.values()) | {XML_NS, MC_NS}
        self.next_bookmark = 1_000_000
        self.next_docpr = 1 + max((int(e.get("id")) for e in self.body.iter(f"{{{WP_NS}}}docPr")
                                   if (e.get("id") or "").isdigit()), default=0)
        self.next_num = 1 + max((int(n.get(w("numId"))) for n in self.numbering.iter(w("num"))), default=0)
        self.next_abstract = 1 + max((int(a.get(w("abstractNumId"))) for a in self.numbering.iter(w("abstractNum"))),
                                     default=0)
        self.annex_count = 0

    # Sections ----------------------------------------------------------------------------------

    def close_main_section(self) -> None:
        """The edition's own content (cover included) ends its section here, with its page as it is."""
        self._end_section_with(deepcopy(self.edition_sect_pr))

    def _end_section_with(self, sect_pr) -> None:
        last = self.final_sect_pr.getprevious()
        if last is None or last.tag != w("p") or last.find(f"{w('pPr')}/{w('sectPr')}") is not None:
            last = etree.SubElement(self.body, w("p"))
            self.final_sect_pr.addprevious(last)
        ppr = last.find(w("pPr"))
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            last.insert(0, ppr)
        change = ppr.find(w("pPrChange"))
        if change is not None:
            change.addprevious(sect_pr)
        else:
            ppr.append(sect_pr)

    def annex_section(self, source_sect_pr):
        """The edition's page for a section of an annex: A4, the edition's margins, header and footer
        (never the cover's first-page ones), turned when the annex's section is landscape."""
        sect_pr = deepcopy(self.edition_sect_pr)
        for child in list(sect_pr):
            if child.tag in (w("titlePg"), w("type"), w("cols"), w("bidi"), w("sectPrChange")) or (
                    child.tag in (w("headerReference"), w("footerReference")) and child.get(w("type")) == "first"):
                sect_pr.remove(child)
        for name in ("rsidR", "rsidRPr", "rsidDel", "rsidSect"):
            sect_pr.attrib.pop(w(name), None)
        if source_sect_pr is None:
            return sect_pr
        size = source_sect_pr.find(w("pgSz"))
        landscape = size is not None and (size.get(w("orient")) == "landscape" or
                                          _twips(size.get(w("w"))) > _twips(size.get(w("h"))) > 0)
        if landscape:
            page = sect_pr.find(w("pgSz"))
            width, height = page.get(w("w")), page.get(w("h"))
            if _twips(width) < _twips(height):
                page.set(w("w"), height)
                page.set(w("h"), width)
            page.set(w("orient"), "landscape")
        kind = source_sect_pr.find(w("type"))
        if kind is not None and kind.get(VAL) in ("nextPage", "continuous", "oddPage", "evenPage", "nextColumn"):
            _place(sect_pr, deepcopy(kind))
        columns = source_sect_pr.find(w("cols"))
        if columns is not None and columns.find(w("col")) is None:  # equal columns carry no page widths
            _place(sect_pr, deepcopy(columns))
        if source_sect_pr.find(w("bidi")) is not None:
            _place(sect_pr, etree.Element(w("bidi")))
        return sect_pr

    # One annex ---------------------------------------------------------------------------------

    def append(self, source, last: bool) -> None:
        self.annex_count += 1
        annex = _Annex(self, source)
        notes: list[list[str]] = []
        source_body = source.element.body
        final = source_body.find(w("sectPr"))
        for element in source_body:
            if element.tag == w("sectPr"):
                continue
            copied = deepcopy(element)
            self.final_sect_pr.addprevious(copied)
            annex.adapt(copied, notes)
        for number, lines in enumerate(notes, start=1):
            paragraph = etree.Element(w("p"))
            self.final_sect_pr.addprevious(paragraph)
            run = etree.SubElement(paragraph, w("r"))
            text = etree.SubElement(run, w("t"))
            text.text = f"{number}. " + " ".join(lines)
            text.set(f"{{{XML_NS}}}space", "preserve")
        section = self.annex_section(final)
        if last:
            # The body's final sectPr becomes the last annex's section; the edition's own page was
            # closed with its content (close_main_section).
            self.final_sect_pr.attrib.clear()
            for child in list(self.final_sect_pr):
                self.final_sect_pr.remove(child)
            for name, value in section.attrib.items():
                self.final_sect_pr.set(name, value)
            for child in section:
                self.final_sect_pr.append(child)
        else:
            self._end_section_with(section)


class _Annex:
    """The mappings of one annex onto the edition: styles, numbering, relationships, ids."""

    def __init__(self, composer: _Composer, source):
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
        self.rel_map: dict[str, str | None] = {}
        self.copied_parts: dict[int, Part] = {}
        self.bookmarks: dict[str, str] = {}
        self.footnotes = self._notes(RT.FOOTNOTES, "footnote")
        self.endnotes = self._notes(RT.ENDNOTES, "endnote")

    def _notes(self, reltype: str, tag: str) -> dict[str, list[str]]:
        for rel in self.source.part.rels.values():
            if rel.reltype == reltype and not rel.is_external:
                try:
                    root = parse_part(rel.target_part.blob)
                except AnnexRefused:
                    return {}
                return {note.get(w("id")): ["".join(p.itertext(w("t"))) for p in note.iter(w("p"))]
                        for note in root.iter(w(tag))}
        return {}

    # Everything an element of the annex's body needs

    def adapt(self, element, notes: list[list[str]]) -> None:
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
            elif tag in (w("footnoteReference"), w("endnoteReference")):
                lines = (self.footnotes if tag == w("footnoteReference") else self.endnotes).get(node.get(w("id")))
                notes.append(lines or [""])
                mark = etree.Element(w("t"))
                mark.text = str(len(notes))
                node.getparent().replace(node, mark)
                run_properties = mark.getparent().find(w("rPr"))
                if run_properties is None:
                    run_properties = etree.Element(w("rPr"))
                    mark.getparent().insert(0, run_properties)
                if run_properties.find(w("vertAlign")) is None:
                    etree.SubElement(run_properties, w("vertAlign")).set(VAL, "superscript")
            elif tag in (w("dataBinding"), w("footnoteRef"), w("endnoteRef")):
                node.getparent().remove(node)
            self._map_relationships(node)

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
        heading = _HEADING.fullmatch(name.lower())
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

    def _map_relationships(self, node) -> None:
        for name, value in list(node.attrib.items()):
            if not name.startswith(f"{{{R_NS}}}"):
                continue
            mapped = self.map_relationship(value)
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

    def map_relationship(self, rel_id: str) -> str | None:
        if rel_id in self.rel_map:
            return self.rel_map[rel_id]
        rel = self.source.part.rels.get(rel_id)
        mapped = None
        if rel is not None:
            if rel.is_external:
                if rel.reltype == RT.HYPERLINK and rel.target_ref.strip().lower().startswith(SAFE_LINK_SCHEMES):
                    mapped = self.composer.writer.link_id(rel.target_ref)
            elif rel.reltype in COPIED_RELTYPES:
                mapped = self.composer.part.relate_to(self._copy_part(rel.target_part), rel.reltype)
        self.rel_map[rel_id] = mapped
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


def _twips(value) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0


def _place(sect_pr, element) -> None:
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
