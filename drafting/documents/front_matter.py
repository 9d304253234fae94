"""The front matter: the cover, the contents list, the running header and footer."""

from __future__ import annotations

from flask_babel import gettext as _
from lxml import etree

from drafting.documents.plan import EditionPlan
from drafting.documents.wordml import PPR, PSTYLE, VAL, Writer, w
from drafting.documents.words import date_range, long_date


def header_and_footer(document, writer: Writer, plan: EditionPlan) -> None:
    section = document.sections[0]
    section.different_first_page_header_footer = True  # the cover page has neither
    header_p = section.header.paragraphs[0]._p
    ppr = etree.SubElement(header_p, PPR)
    etree.SubElement(ppr, PSTYLE).set(VAL, writer.style("Header"))
    writer.lxml_run(header_p, plan.title)

    footer_p = section.footer.paragraphs[0]._p
    ppr = etree.SubElement(footer_p, PPR)
    etree.SubElement(ppr, PSTYLE).set(VAL, writer.style("Footer"))
    etree.SubElement(ppr, w("jc")).set(VAL, "center")
    # "Page X of Y" with X and Y as fields, in whatever order the translation puts them.
    pattern = _("Page %(page)s of %(pages)s", page="\x00PAGE\x00", pages="\x00NUMPAGES\x00")
    for index, piece in enumerate(pattern.split("\x00")):
        if index % 2:
            writer.field(footer_p, piece, "1")
        elif piece:
            writer.lxml_run(footer_p, piece)


def cover(writer: Writer, plan: EditionPlan) -> None:
    writer.text_paragraph(plan.title, "Cover Title")
    writer.text_paragraph(plan.milestone_name, "Cover Line", bold=True)
    when_where = date_range(plan.milestone_start, plan.milestone_end, plan.locale)
    when_where += f", {plan.milestone_place}" if plan.milestone_place else ""
    writer.text_paragraph(when_where, "Cover Line")
    writer.text_paragraph(_("Compiled by the UCLG World Secretariat"), "Cover Line")
    writer.text_paragraph(_("Edition %(number)s of %(date)s", number=plan.edition_number,
                            date=long_date(plan.compiled_at, plan.locale)), "Cover Line")
    writer.page_break()


def table_of_contents(writer: Writer) -> str:
    """A real TOC field whose cached result already lists the headings, so any viewer shows them
    before Word updates the field (and adds the page numbers). Heading 1 starts a new page."""
    entries = writer.headings or [(1, "", "", "en")]
    last = len(entries) - 1
    for index, (level, text, bookmark, language) in enumerate(entries):
        runs = ""
        if index == 0:
            runs = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                    '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
                    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        entry = writer.run_xml(text, language, safe=True)
        if bookmark:
            entry = f'<w:hyperlink w:anchor="{bookmark}" w:history="1">{entry}</w:hyperlink>'
        runs += entry
        if index == last:
            runs += '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        writer.paragraph(f"TOC {level}", runs=runs)  # left to right whatever the entry's script
    return writer.take()
