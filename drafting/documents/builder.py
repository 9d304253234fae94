"""The consolidated Word document of one edition, built from plain data (`EditionPlan`).

Nothing here knows the database or the request: `drafting.documents.operations` gathers the plan,
`build_document` turns it into .docx bytes. The styles come from `template.docx` (see make_template.py).
The parts: `plan` (the data and its order), `wordml` (the writer), `front_matter` (cover, contents,
header and footer), `chapters` (positions and the edition's own annexes), `annex_files` (uploaded
Word annexes) and `packaging` (settings, properties, the zip).
"""

from __future__ import annotations

from pathlib import Path

import docx
from flask_babel import gettext as _

from drafting.documents import annex_files, chapters, front_matter, packaging
from drafting.documents.make_template import TEMPLATE_PATH
from drafting.documents.plan import EditionPlan, group_positions
from drafting.documents.wordml import Writer
from drafting.i18n import LANGUAGE_TAGS


def build_document(plan: EditionPlan, template: Path = TEMPLATE_PATH) -> bytes:
    document = docx.Document(str(template))
    writer = Writer(document)
    front_matter.header_and_footer(document, writer, plan)
    front_matter.cover(writer, plan)
    writer.text_paragraph(_("Contents"), "TOC Heading")
    front = writer.take()  # the table of contents goes after this, once every heading is known
    body: list[str] = []
    if plan.preface.strip():
        writer.heading(1, _("Preface"))
        writer.markdown(plan.preface, plan.locale if plan.locale in LANGUAGE_TAGS else "en")
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
    packaging.settings(document)
    packaging.core_properties(document, plan)
    annexed = [e for group in group_positions(plan, writer.labels) for e in group.positions if e.annexes] \
        if plan.uploaded_annexes else []
    if not annexed:
        # The body is spliced into document.xml as text: no tree of a large edition is ever built.
        return packaging.save(document, [front, front_matter.table_of_contents(writer), *body])
    # docxcompose works on the tree: the body goes into it, then each annex after its heading.
    toc_heading = writer.insert(front)[-1]
    writer.insert("".join(body))
    del body
    annex_files.append_uploaded_annexes(document, writer, annexed)
    writer.insert(front_matter.table_of_contents(writer), before=toc_heading.getnext())
    return packaging.save(document)
