"""The Word document of one edition, built from plain data (`EditionPlan`): the consolidated document,
or, when the plan carries a text revision (`plan.text`), the text with proposed amendments
(`tracked_text`), the table of proposals (`table_of_proposals`, when `plan.text.table`), or, with
`plan.joint`, the text with UCLG's joint proposals (`joint_proposal`).

Nothing here knows the database or the request: `drafting.documents.editions` gathers the plan,
`build_document` turns it into .docx bytes. The styles come from `template.docx` (see make_template.py).
The parts: `plan` (the data and its order), `words` (the document's own words, dates, in its language),
`wordml` (the writer), `front_matter` (first page, contents list, header and footer), `chapters`
(positions and the edition's own annexes), `annex_files` (uploaded Word annexes) and `packaging`
(settings, properties, the zip).

Page numbers of the contents list: LibreOffice lays out a build of the plan whose entries carry a
placeholder number as wide as the real ones (`contents_pages=PLACEHOLDER_PAGE`), updates the list from
its layout and exports the PDF; the page of each of its `contents_entries` is then written over the
placeholders of that same file (`number_contents`), which is what a build with `contents_pages=[...]`
(one per entry) gives. An entry's line can only get shorter, never wrap anew, so no page moves.
`contents_pages=None` is the final file when LibreOffice is not there: a clean list without numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import docx
from flask_babel import force_locale
from flask_babel import gettext as _

from drafting.documents.annexes import composer as annex_files
from drafting.documents.plan.data import EditionPlan, group_positions
from drafting.documents.render import chapters, front_matter, joint_proposal, packaging, table_of_proposals
from drafting.documents.render import text_with_amendments as tracked_text
from drafting.documents.render.front_matter import (
    PLACEHOLDER_PAGE,
    ContentsEntry,
    contents_entries,
    number_contents,
)
from drafting.documents.render.template import TEMPLATE_PATH
from drafting.documents.render.wordml import Writer
from drafting.documents.render.words import DOCUMENT_LANGUAGES, typeset

__all__ = ["PLACEHOLDER_PAGE", "ContentsEntry", "build_document", "contents_entries", "number_contents"]


def build_document(plan: EditionPlan, *, contents_pages: Sequence[int] | int | None = None,
                   template: Path = TEMPLATE_PATH) -> bytes:
    """The edition as .docx bytes, every generated word in `plan.locale` whatever the interface
    language of the moment. `contents_pages`: the page of each contents entry, in order, or one number
    for every entry (`PLACEHOLDER_PAGE`)."""
    if plan.locale not in DOCUMENT_LANGUAGES:
        plan.locale = "en"
    with force_locale(plan.locale):
        if plan.text is not None and plan.text.table:  # the "Table of proposals"
            return table_of_proposals.build_table_of_proposals(plan, template)
        if plan.text is not None:  # the "Text with proposed amendments": no contents list to number
            return tracked_text.build_text_with_amendments(plan, template)
        if plan.joint is not None:  # the "UCLG joint proposal": neither
            return joint_proposal.build_joint_proposal(plan, template)
        return _build(plan, contents_pages, template)


def _build(plan: EditionPlan, contents_pages: Sequence[int] | int | None, template: Path) -> bytes:
    document = docx.Document(str(template))
    writer = Writer(document, plan.locale)
    front_matter.header_and_footer(document, writer, plan)
    front_matter.cover(writer, plan)
    writer.text_paragraph(typeset(_("Contents"), plan.locale), "TOC Heading")
    if contents_pages is not None:
        front_matter.contents_page_label(writer, plan.locale)
    front = writer.take()  # the table of contents goes after this, once every heading is known
    body: list[str] = []
    if plan.preface.strip():
        writer.heading(1, typeset(_("Preface"), plan.locale))
        writer.markdown(plan.preface, plan.locale, top_heading=3)
    for group in group_positions(plan, writer.labels):
        writer.heading(1, group.heading)
        for entry in group.positions:
            comment_ids = chapters.review_comments(document, entry, plan) if plan.review_comments else ()
            writer.heading(2, entry.title, entry.language, comment_ids)
            chapters.position_body(writer, entry, plan)
        body.append(writer.take())
    if plan.amendments_annex:
        chapters.amendments_annex(writer, plan)
    chapters.contributors_annex(writer, plan)
    body.append(writer.take())
    packaging.settings(document, plan)
    annexed = [e for group in group_positions(plan, writer.labels) for e in group.positions if e.annexes] \
        if plan.uploaded_annexes else []
    if not annexed:
        # The body is spliced into document.xml as text: no tree of a large edition is ever built.
        return packaging.save(document, plan, [front, front_matter.table_of_contents(writer, contents_pages), *body,
                                               front_matter.closing_rule(writer)])
    # Annexes are composed on the tree: the body goes into it, then each annex as its own section.
    toc_heading = writer.insert(front)[-1]
    writer.insert("".join(body))
    del body
    plan.left_out = annex_files.append_uploaded_annexes(document, writer, annexed)
    writer.insert(front_matter.table_of_contents(writer, contents_pages), before=toc_heading.getnext())
    writer.insert(front_matter.closing_rule(writer))
    return packaging.save(document, plan)
