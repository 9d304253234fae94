"""The front matter: the UN-style first page, the contents list, the running header and footer.

The contents list is written with its page numbers already in it (dot leaders, numbers at the right
margin), so it reads the same in Word, LibreOffice and the PDF without any "update fields" prompt. The
numbers come from LibreOffice's layout of a build with placeholders (`contents_pages`, see
`drafting.documents.render.builder.build_document`), written over them by `number_contents`;
`contents_entries` lists the entries of a built file in order.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from lxml import etree

from drafting.core.dates import date_range, long_date
from drafting.documents.plan.data import EditionPlan
from drafting.documents.render.chapters import COMPACT_LANGUAGE
from drafting.documents.render.template import CLOSING_RULE_WIDTH, TEXT_WIDTH
from drafting.documents.render.wordml import PPR, PSTYLE, VAL, W_NS, Writer, w
from drafting.documents.render.words import language_name, typeset
from drafting.i18n import LANGUAGE_TAGS
from drafting.text import collapse_whitespace, xml_safe

# What fits on one line of the running header (9 pt Times New Roman across 16.6 cm, a portrait A4 page's
# text), in units of an average lower-case letter; capitals and digits count wider. Beyond it the short
# title is cut at a word. A wider section (a landscape page) holds proportionally more.
HEADER_BUDGET = 95
HEADER_BUDGET_WIDTH = TEXT_WIDTH  # twips: a portrait A4 page's text

# The number every contents entry carries in the build LibreOffice lays out: as wide as an edition's page
# numbers, so that writing the real ones makes no line longer.
PLACEHOLDER_PAGE = 999
ELLIPSIS = "\u2026"


@dataclass(frozen=True)
class ContentsEntry:
    level: int  # 1 (chapter, annex) or 2 (position)
    text: str
    bookmark: str  # the heading's bookmark, the entry's link target


# The first page ---------------------------------------------------------------------------------

def distribution_line(plan: EditionPlan) -> str:
    return typeset(_("Distr.: Limited") if plan.distribution == "limited" else _("Distr.: General"), plan.locale)


def original_languages(plan: EditionPlan) -> str:
    """UN form: "Original: English" with the one language the text was written in; a compilation of texts
    written in several lists them as UN documents do, by name in alphabetical order, with slashes
    ("Original: English/French/Spanish"). A text with proposed amendments is the compact's text and
    proposals to it (so is UCLG's joint proposal): its original is the compact's language, whatever the
    language of the positions."""
    if plan.text is not None or plan.joint is not None:
        used = {COMPACT_LANGUAGE}
    else:
        used = {entry.language for entry in plan.positions} or {plan.locale}
    names = sorted((language_name(code, plan.locale) for code in LANGUAGE_TAGS if code in used),
                   key=lambda name: unicodedata.normalize("NFKD", name).casefold())
    return typeset(_("Original: %(languages)s", languages="/".join(names)), plan.locale)


_ORDINAL = re.compile(r"\b(1)(er)\b")


def _with_ordinals(writer: Writer, text: str, style: str) -> None:
    """A line of the cover where a French "1er" prints its "er" raised, as the French UN documents do."""
    if writer.language != "fr" or not _ORDINAL.search(text):
        writer.text_paragraph(text, style)
        return
    runs, start = "", 0
    for match in _ORDINAL.finditer(text):
        runs += writer.run_xml(text[start:match.end(1)])
        runs += f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>{match.group(2)}</w:t></w:r>'
        start = match.end()
    if text[start:]:
        runs += writer.run_xml(text[start:])
    writer.paragraph(style, runs=runs)


def cover(writer: Writer, plan: EditionPlan) -> None:
    """As UN documents: symbol and distribution at the top right, the date and the original languages,
    then the session (milestone, place, dates), and the title. The cover has no running header."""
    writer.text_paragraph(plan.symbol, "Cover Symbol")
    writer.text_paragraph(distribution_line(plan), "Cover Distribution")
    _with_ordinals(writer, long_date(plan.document_date or plan.compiled_at, plan.locale), "Cover Distribution")
    writer.text_paragraph(original_languages(plan), "Cover Distribution")
    if plan.advance_unedited:
        writer.text_paragraph(typeset(_("Advance unedited version"), plan.locale), "Cover Notice")
    writer.text_paragraph(plan.milestone_name, "Cover Session")
    when_where = date_range(plan.milestone_start, plan.milestone_end, plan.locale)
    if plan.milestone_place:
        when_where = f"{plan.milestone_place}, {when_where}"
    _with_ordinals(writer, when_where, "Cover Line")
    writer.text_paragraph(plan.title, "Cover Title")
    writer.text_paragraph(typeset(_("Compiled by the UCLG World Secretariat"), plan.locale), "Cover Line")
    writer.text_paragraph(typeset(_("Edition %(number)s", number=plan.edition_number), plan.locale), "Cover Line")
    writer.page_break()


# Running header and footer ----------------------------------------------------------------------

def _width(text: str) -> float:
    return sum(1.6 if char.isupper() or char.isdigit() or ord(char) > 0x2E80 else 1.0 for char in text)


def header_budget(width: int | None = None) -> float:
    """What fits on the header's line of a section `width` twips wide (None: a portrait page)."""
    return HEADER_BUDGET * (width / HEADER_BUDGET_WIDTH if width else 1)


def short_title(title: str, symbol: str, width: int | None = None) -> str:
    """The title as far as it fits on the header's one line beside the symbol, cut at a word, in a
    section `width` twips wide (None: a portrait page)."""
    budget = header_budget(width) - _width(symbol) - 4  # the gap between them
    title = collapse_whitespace(xml_safe(title))
    if _width(title) <= budget:
        return title
    kept = ""
    for word in title.split(" "):
        candidate = f"{kept} {word}".strip()
        if _width(candidate) + 1 > budget:
            break
        kept = candidate
    if not kept:  # one very long word
        kept = title
        while kept and _width(kept) + 1 > budget:
            kept = kept[:-1]
    return kept.rstrip(" ,;:\u2013-") + ELLIPSIS


def _only_paragraph(header_or_footer, style_id: str | None):
    """The part's single paragraph, emptied, with one pPr carrying `style_id` (or none)."""
    paragraphs = header_or_footer.paragraphs
    p = paragraphs[0]._p
    for extra in paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for child in list(p):
        p.remove(child)
    if style_id:
        etree.SubElement(etree.SubElement(p, PPR), PSTYLE).set(VAL, style_id)
    return p


def text_width(sect_pr) -> int:
    """Twips between the margins of a section's page, where its right-aligned tabs stop."""
    size, margins = sect_pr.find(w("pgSz")), sect_pr.find(w("pgMar"))

    def twips(element, name: str) -> int:
        value = element.get(w(name)) if element is not None else None
        return int(float(value)) if value else 0

    return twips(size, "w") - twips(margins, "left") - twips(margins, "right") - twips(margins, "gutter")


def set_header_tab(header, width: int) -> None:
    """The running header's right-aligned tab at `width`: the short title ends at the right margin of
    the section whose header it is (a landscape page has a wider text than a portrait one)."""
    for p in header.iter(w("p")):
        ppr = p.find(PPR)
        if ppr is None:
            ppr = etree.Element(PPR)
            p.insert(0, ppr)
        for tabs in ppr.findall(w("tabs")):
            ppr.remove(tabs)
        tabs = etree.Element(w("tabs"))
        tab = etree.SubElement(tabs, w("tab"))
        tab.set(VAL, "right")
        tab.set(w("pos"), str(width))
        # Schema order: pStyle, keepNext ... pBdr, shd, tabs, ...
        before = [child for child in ppr if child.tag in (PSTYLE, w("keepNext"), w("keepLines"),
                                                          w("pageBreakBefore"), w("framePr"), w("widowControl"),
                                                          w("numPr"), w("suppressLineNumbers"), w("pBdr"),
                                                          w("shd"))]
        if before:
            before[-1].addnext(tabs)
        else:
            ppr.insert(0, tabs)


def fit_running_header(header, width: int, writer: Writer) -> None:
    """`header`, a copy of the edition's running header, for a section `width` twips wide (a landscape
    page): its right tab at that width, and the title shortened to what fits there, not to what fits
    on a portrait page."""
    set_header_tab(header, width)
    if writer.running_title is None:
        return
    symbol, title = writer.running_title
    texts = list(header.iter(w("t")))
    if len(texts) >= 2:  # the symbol, then (after the tab) the title
        texts[-1].text = short_title(title, symbol, width)


def header_and_footer(document, writer: Writer, plan: EditionPlan) -> None:
    section = document.sections[0]
    section.different_first_page_header_footer = True
    # The cover's own (empty) header and footer, written out: no viewer falls back to the running ones.
    section.first_page_header.is_linked_to_previous = False
    section.first_page_footer.is_linked_to_previous = False
    _only_paragraph(section.first_page_header, None)
    _only_paragraph(section.first_page_footer, None)

    header_p = _only_paragraph(section.header, writer.style("Header"))
    writer.lxml_run(header_p, plan.symbol)
    etree.SubElement(etree.SubElement(header_p, w("r")), w("tab"))
    width = text_width(section._sectPr)
    writer.lxml_run(header_p, short_title(plan.title, plan.symbol, width))
    set_header_tab(header_p, width)
    writer.running_title = (plan.symbol, plan.title)

    footer_p = _only_paragraph(section.footer, writer.style("Footer"))
    etree.SubElement(footer_p.find(PPR), w("jc")).set(VAL, "center")
    # "Page X of Y" with X and Y as fields, in whatever order the translation puts them.
    pattern = _("Page %(page)s of %(pages)s", page="\x00PAGE\x00", pages="\x00NUMPAGES\x00")
    for index, piece in enumerate(pattern.split("\x00")):
        if index % 2:
            writer.field(footer_p, piece, "1")
        elif piece:
            writer.lxml_run(footer_p, piece)


# The end of the text ----------------------------------------------------------------------------

def closing_rule(writer: Writer) -> str:
    """The short centred rule that closes a UN document's text, on its last page (a paragraph with no
    text: its style draws the line). On a page of another width (a landscape table, an annex's landscape
    section last) it is as short, its indents set to centre it there."""
    width = text_width(writer.sect_pr)
    indent = "" if width == TEXT_WIDTH else \
        f'<w:ind w:left="{(width - CLOSING_RULE_WIDTH) // 2}" w:right="{(width - CLOSING_RULE_WIDTH) // 2}"/>'
    writer.paragraph("Closing Rule", extra=indent)
    return writer.take()


def contents_page_label(writer: Writer, locale: str) -> None:
    """"Page", at the right margin above the contents list's page numbers (UN documents)."""
    writer.text_paragraph(typeset(_("Page"), locale), "Contents Page Label")


# Contents list ----------------------------------------------------------------------------------

def table_of_contents(writer: Writer, pages: Sequence[int] | int | None = None) -> str:
    """The contents list: a TOC field (Word can still refresh it on request) whose result is already
    complete: each entry links to its heading's bookmark, then a dot leader and the page number at
    the right margin (from `pages`, one per entry in order, or one number for all; None: no numbers)."""
    entries = writer.headings or [(1, "", "", writer.language)]
    if isinstance(pages, int):
        pages = [pages] * len(writer.headings) if writer.headings else None
    if pages is not None and len(pages) != len(writer.headings):
        raise ValueError(f"{len(pages)} page numbers for {len(writer.headings)} contents entries")
    last = len(entries) - 1
    for index, (level, text, bookmark, language) in enumerate(entries):
        runs = ""
        if index == 0:
            runs = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                    '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
                    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        entry = writer.run_xml(text, language, safe=True)
        if pages is not None:
            entry += _page_number(pages[index])
        if bookmark:
            entry = f'<w:hyperlink w:anchor="{bookmark}" w:history="1">{entry}</w:hyperlink>'
        runs += entry
        if index == last:
            runs += '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        writer.paragraph(f"TOC {level}", runs=runs)  # left to right whatever the entry's script
    return writer.take()


def _page_number(page: int) -> str:
    """An entry's ending: the tab to the dot leader and the page number at the right margin."""
    return f"<w:r><w:tab/></w:r><w:r><w:t>{int(page)}</w:t></w:r>"


def number_contents(data: bytes, pages: Sequence[int]) -> bytes:
    """A built file whose contents list carries `PLACEHOLDER_PAGE` in every entry, with `pages` written in
    instead (one per entry, in order), every other byte of its text as it was: the file LibreOffice laid
    out, numbered from that layout, instead of a second build. ValueError when the list does not hold
    exactly one placeholder per page given."""
    placeholder = _page_number(PLACEHOLDER_PAGE).encode()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        body = source.read("word/document.xml")
        start = body.find(b" TOC \\o ")
        end = body.find(b'w:fldCharType="end"', start) if start >= 0 else -1
        parts = body[start:end].split(placeholder) if end >= 0 else []
        if len(parts) != len(pages) + 1:
            raise ValueError(f"{len(pages)} page numbers for {len(parts) - 1} numbered contents entries")
        numbered = b"".join(part + _page_number(page).encode() for part, page in zip(parts, pages, strict=False))
        body = body[:start] + numbered + parts[-1] + body[end:]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            for item in source.infolist():
                target.writestr(item, body if item.filename == "word/document.xml" else source.read(item),
                                compress_type=item.compress_type, compresslevel=1)
    return out.getvalue()


def contents_entries(data: bytes) -> list[ContentsEntry]:
    """The contents list of a built edition, in order: what `contents_pages` must number."""
    found: list[ContentsEntry] = []
    levels = {"TOC1": 1, "TOC2": 2}
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("word/document.xml") as stream:
        for _event, p in etree.iterparse(stream, tag=f"{{{W_NS}}}p"):
            style = p.find(f"{PPR}/{PSTYLE}")
            level = levels.get(style.get(VAL)) if style is not None else None
            if level is None:
                if found:  # the list is one run of paragraphs: past it, stop reading
                    break
                p.clear()
                continue
            link = p.find(w("hyperlink"))
            text_of = link if link is not None else p
            text = ""
            for node in text_of.iter(w("t"), w("tab")):
                if node.tag == w("tab"):
                    break
                text += node.text or ""
            found.append(ContentsEntry(level, text, link.get(w("anchor"), "") if link is not None else ""))
            p.clear()
    return found
