"""Uploaded Word annexes appended after the edition's own annexes, each as its own section.

Our own composer, not docxcompose: importing docxcompose rewrites a namespace prefix of python-docx for
the whole process (every later `docProps/core.xml` was damaged), and it gave the whole edition the page
of the first annex's first section. Here an annex takes the edition's look and can change nothing
outside its own section:
- its sections take the edition's A4 page, margins, header and footer; a landscape section stays
  landscape (A4 turned), with a copy of the running header whose tab stops at its wider text;
  page numbering continues;
- its styles map by name onto the edition's (its headings two levels down, below the annex's own
  heading); styles the edition lacks are copied, renamed if their id is taken;
- its lists get numbering definitions of their own (new ids, a new list identity), so two annexes
  never share or continue each other's numbers, even through a list style;
- pictures, charts and diagrams are copied with their parts; web and mail links stay; anything else
  that points outside, and the annex's own headers, footers and comments, are left behind;
- its footnotes stay Word footnotes, in the edition's footnotes part after the edition's own (new
  ids; Word and LibreOffice number them on in document order); endnotes become numbered notes at
  the end of the annex;
- markup of Word versions the edition does not declare (w15, w16...) is dropped, keeping the
  fallback Word itself would use.

This module composes (sections, headings, notes, what is left out and why); how one annex's styles,
lists, relationships and ids map onto the edition's is `annex_mapping.py`.
"""

from __future__ import annotations

import io
from copy import deepcopy

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.parts.hdrftr import HeaderPart
from flask_babel import force_locale
from flask_babel import gettext as _
from lxml import etree

from drafting.documents.annexes.checks import strip_comments
from drafting.documents.annexes.mapping import (
    MC_NS,
    VAL,
    WP_NS,
    XML_NS,
    AnnexMapping,
    place,
    twips,
)
from drafting.documents.plan.data import AnnexFile, LeftOut, PositionEntry
from drafting.documents.render.front_matter import fit_running_header, text_width
from drafting.documents.render.wordml import R_NS, W_NS, Writer, w
from drafting.documents.render.words import typeset
from drafting.i18n import LOCALE_NAMES
from drafting.wordfiles import WordFileRefused, clean_word_file


def _damaged() -> str:
    return _("This Word document is damaged and cannot be opened.")


def _refusal(annex: AnnexFile) -> str:
    """Why the check made when building refuses `annex`, in the current language."""
    try:
        cleaned = clean_word_file(annex.filename, annex.data).data
    except WordFileRefused as refusal:
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


_AFTER_CANT_SPLIT = {w(tag) for tag in ("trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden", "ins", "del",
                                        "trPrChange")}


def _rows_never_split(element) -> None:
    """An annex's table rows stay whole on one page, as the edition's own: a row split by a page break
    leaves an empty fragment of it at the top of the next page."""
    for row in element.iter(w("tr")):
        properties = row.find(w("trPr"))
        if properties is None:
            properties = etree.Element(w("trPr"))
            exceptions = row.find(w("tblPrEx"))
            row.insert(0 if exceptions is None else row.index(exceptions) + 1, properties)
        if properties.find(w("cantSplit")) is not None:
            continue
        cant_split = etree.Element(w("cantSplit"))
        later = next((child for child in properties if child.tag in _AFTER_CANT_SPLIT), None)
        if later is None:
            properties.append(cant_split)
        else:
            later.addprevious(cant_split)


def annex_heading(entry: PositionEntry, annex: AnnexFile) -> str:
    """The position and the file's title (its name without the extension)."""
    stem, dot, _extension = annex.filename.rpartition(".")
    return _("“%(title)s” (%(organisation)s): %(filename)s", title=entry.title,
             organisation=entry.organisation_short, filename=stem if dot and stem else annex.filename)


def _opened(entry: PositionEntry, annex: AnnexFile):
    """The annex as a document to compose, or None (its `refusal` says why). The annex was cleaned at
    upload; it is cleaned again, as one stored before that rule was, once per plan."""
    if annex.cleaned is None and annex.refusal is None:
        reason = ""
        try:
            annex.cleaned = clean_word_file(annex.filename, annex.data).data
        except WordFileRefused as refusal:
            reason = str(refusal)
        if reason:  # outside the handler: its traceback holds what was read, until the handler ends
            annex.refusal = _left_out(entry, annex, reason)
    if annex.refusal is not None:
        return None
    try:
        return docx.Document(io.BytesIO(annex.cleaned))
    except Exception:  # python-docx raises many kinds of errors for broken packages
        annex.cleaned, annex.refusal = None, _left_out(entry, annex, _damaged())
        return None


def append_uploaded_annexes(document, writer: Writer, annexed: list[PositionEntry]) -> list[LeftOut]:
    """Append every annex of `annexed` after the edition's body; returns those left out."""
    composer = AnnexComposer(document, writer)
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


class AnnexComposer:
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
        self.edition_width = text_width(self.edition_sect_pr)
        self.headers: dict[tuple[str, int], str] = {}  # (the edition's header, a text width): its copy's rId
        self.footnotes = None  # the edition's footnotes part, once an annex brings a footnote
        self.next_footnote = 1

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
                                          twips(size.get(w("w"))) > twips(size.get(w("h"))) > 0)
        if landscape:
            page = sect_pr.find(w("pgSz"))
            width, height = page.get(w("w")), page.get(w("h"))
            if twips(width) < twips(height):
                page.set(w("w"), height)
                page.set(w("h"), width)
            page.set(w("orient"), "landscape")
            self._running_header(sect_pr)
        kind = source_sect_pr.find(w("type"))
        if kind is not None and kind.get(VAL) in ("nextPage", "continuous", "oddPage", "evenPage", "nextColumn"):
            place(sect_pr, deepcopy(kind))
        columns = source_sect_pr.find(w("cols"))
        if columns is not None and columns.find(w("col")) is None:  # equal columns carry no page widths
            place(sect_pr, deepcopy(columns))
        if source_sect_pr.find(w("bidi")) is not None:
            place(sect_pr, etree.Element(w("bidi")))
        return sect_pr

    def _running_header(self, sect_pr) -> None:
        """The section's running header with its right tab at the section's own text width: a copy of
        the edition's, one per width (every landscape section of every annex shares one)."""
        width = text_width(sect_pr)
        if width == self.edition_width:
            return
        for reference in sect_pr.findall(w("headerReference")):
            rel_id = reference.get(f"{{{R_NS}}}id")
            key = (rel_id, width)
            if key not in self.headers:
                header = HeaderPart.new(self.part.package)
                header._element = deepcopy(self.part.related_parts[rel_id].element)
                fit_running_header(header.element, width, self.writer)
                self.headers[key] = self.part.relate_to(header, RT.HEADER)
            reference.set(f"{{{R_NS}}}id", self.headers[key])

    # Footnotes ---------------------------------------------------------------------------------

    def footnotes_part(self):
        """The edition's footnotes part, made (with Word's separator and continuation separator) when
        the first annex footnote comes; its further ids follow the edition's own footnotes."""
        if self.footnotes is None:
            for rel in self.part.rels.values():
                if rel.reltype == RT.FOOTNOTES and not rel.is_external:
                    part = rel.target_part
                    if not isinstance(part, XmlPart):  # python-docx reads a footnotes part as bytes
                        read = part
                        part = XmlPart.load(read.partname, read.content_type, read.blob, read.package)
                        for rel_id, link in read.rels.items():
                            part.rels.add_relationship(link.reltype, link.target_ref if link.is_external
                                                       else link.target_part, rel_id, link.is_external)
                        rel._target = part
                    self.footnotes = part
                    break
            else:
                element = etree.fromstring(
                    f'<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
                    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
                    'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
                    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
                    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
                    "</w:footnote></w:footnotes>")
                self.footnotes = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, element,
                                         self.part.package)
                self.part.relate_to(self.footnotes, RT.FOOTNOTES)
                _declare_separators(self.document.settings.element)
            self.next_footnote = 1 + max((int(n.get(w("id"))) for n in self.footnotes.element.iter(w("footnote"))
                                          if (n.get(w("id")) or "").lstrip("-").isdigit()), default=0)
        return self.footnotes

    def add_footnote(self, note) -> str:
        """`note` (an annex's w:footnote, already adapted) joins the edition's footnotes: its new id."""
        part = self.footnotes_part()
        note_id = str(max(self.next_footnote, 1))
        self.next_footnote = int(note_id) + 1
        note.set(w("id"), note_id)
        for name in ("type",):
            note.attrib.pop(w(name), None)
        part.element.append(note)
        return note_id

    # One annex ---------------------------------------------------------------------------------

    def append(self, source, last: bool) -> None:
        self.annex_count += 1
        annex = AnnexMapping(self, source)
        notes: list[list[str]] = []
        source_body = source.element.body
        final = source_body.find(w("sectPr"))
        for element in source_body:
            if element.tag == w("sectPr"):
                continue
            copied = deepcopy(element)
            self.final_sect_pr.addprevious(copied)
            annex.adapt(copied, notes)
            _rows_never_split(copied)
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


_AFTER_FOOTNOTE_PR = {w(tag) for tag in ("endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
                                         "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                                         "doNotAutoCompressPictures", "forceUpgrade", "captions",
                                         "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
                                         "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")}


def _declare_separators(settings) -> None:
    """Word names the separator footnotes in the settings (w:footnotePr), where the schema puts it."""
    if settings.find(w("footnotePr")) is not None:
        return
    declared = etree.Element(w("footnotePr"))
    for note_id in ("-1", "0"):
        etree.SubElement(declared, w("footnote")).set(w("id"), note_id)
    later = next((child for child in settings if child.tag in _AFTER_FOOTNOTE_PR), None)
    if later is None:
        settings.append(declared)
    else:
        later.addprevious(declared)
