"""The chapters: each position's section (attribution, text, its amendments), the annex compiling the
amendments, the contributors annex, and review notes as Word comments."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

from drafting.amendments.rules import proposed_change, same_proposal_key
from drafting.core.dates import long_date
from drafting.documents.plan.data import (
    AmendmentEntry,
    EditionPlan,
    PositionEntry,
    ThemeRef,
    normalise_reference,
    paragraph_sort_key,
)
from drafting.documents.render.wordml import Writer, w
from drafting.documents.render.words import document_labels, typeset
from drafting.text import collapse_whitespace, xml_safe


def _attribution(entry: PositionEntry, plan: EditionPlan, labels: dict[str, str], dates: dict) -> str:
    parts = [f"{entry.organisation_full} ({entry.organisation_short})"]
    if entry.authors:
        parts.append(labels["authors"] % {"names": ", ".join(entry.authors)})
    parts.append(labels["language"] % {"language": labels.get(f"lang_{entry.language}", entry.language)})
    if entry.approved_on:
        if entry.approved_on not in dates:
            dates[entry.approved_on] = long_date(entry.approved_on, plan.locale)
        approved = dates[entry.approved_on]
        if entry.approvers:
            parts.append(labels["approved_by"] % {"date": approved, "names": ", ".join(entry.approvers)})
        else:
            parts.append(labels["approved"] % {"date": approved})
    return " \u00b7 ".join(parts)


# The compact was negotiated in English: its quoted and proposed text is set as English, left to right,
# whatever the language of the position that quotes it; the rationale is the position's own words.
COMPACT_LANGUAGE = "en"
_SPACES = re.compile(r"[ \t\u00a0]{2,}")


def _compact_text(text: str) -> str:
    """Quoted or proposed compact text as printed: runs of spaces typed by accident become one."""
    return _SPACES.sub(" ", (text or "").strip())


def _section_label(amendment: AmendmentEntry, labels: dict[str, str]) -> str:
    paragraph = normalise_reference(amendment.paragraph)
    if not paragraph:  # stored before references were required: no dangling "paragraph "
        return amendment.section_name or "\u2014"
    if amendment.section_name:
        return labels["section_paragraph"] % {"section": amendment.section_name, "paragraph": paragraph}
    return labels["paragraph_only"] % {"paragraph": paragraph}


def _amendment_order(amendment: AmendmentEntry) -> tuple:
    return amendment.section_order, amendment.section_name, paragraph_sort_key(amendment.paragraph)


def position_body(writer: Writer, entry: PositionEntry, plan: EditionPlan) -> None:
    labels = writer.labels
    writer.text_paragraph(_attribution(entry, plan, labels, writer.dates), "Attribution")
    if entry.summary.strip():
        writer.text_paragraph(entry.summary, "Position Summary", entry.language)
    writer.markdown(entry.text, entry.language, numbered=plan.number_paragraphs)
    if entry.amendments:
        writer.heading(3, labels["proposed_amendments"])
        widths = [1800, 2500, 2500, 2200]
        tbl = writer.table([labels["paragraph"], labels["current_text"], labels["proposed_text"],
                            labels["rationale"]], widths)
        for amendment in sorted(entry.amendments, key=_amendment_order):
            cells = writer.table_row(tbl, widths)
            writer.cell_text(cells[0], _section_label(amendment, labels))
            writer.cell_text(cells[1], _compact_text(amendment.current_text), COMPACT_LANGUAGE)
            if amendment.anchored:
                # Quoted from the text revision: the proposal is printed as a change to that text.
                writer.cell_text(cells[0], labels[f"kind_{amendment.kind}"], style="Proposers")
                writer.change_paragraph(cells[2], proposed_change(
                    amendment.kind, _compact_text(amendment.current_text), _compact_text(amendment.proposed_text)),
                    COMPACT_LANGUAGE)
            else:
                writer.cell_text(cells[2], _compact_text(amendment.proposed_text), COMPACT_LANGUAGE)
            writer.cell_text(cells[3], amendment.rationale, entry.language)


@dataclass
class _Rationale:
    network: str
    text: str
    language: str


@dataclass
class _Proposal:
    text: str  # the first proposal's wording, whitespace collapsed
    kind: str = "replace"
    current: str = ""  # for an anchored proposal, the paragraph's text it changes; else ""
    networks: list[str] = field(default_factory=list)
    rationales: list[_Rationale] = field(default_factory=list)


@dataclass
class _ParagraphRow:
    label: str
    current_texts: list[str] = field(default_factory=list)
    proposals: dict[str, _Proposal] = field(default_factory=dict)


def compile_amendments(plan: EditionPlan, labels: dict[str, str] | None = None) -> list[_ParagraphRow]:
    """One row per (section, paragraph reference), in compact order. Proposals that differ only in
    whitespace are one entry listing every network that made it, printed as the first one was typed
    (whitespace collapsed); case and punctuation make different proposals. Each network's rationale
    stays with its proposal, in the network's language."""
    labels = labels or document_labels()
    rows: dict[tuple, _ParagraphRow] = {}
    for entry in plan.positions:
        for amendment in entry.amendments:
            key = (amendment.section_order, amendment.section_name, normalise_reference(amendment.paragraph))
            row = rows.get(key)
            if row is None:
                row = rows[key] = _ParagraphRow(_section_label(amendment, labels))
            current = collapse_whitespace(amendment.current_text)
            if current and current not in row.current_texts:
                row.current_texts.append(current)
            wording = collapse_whitespace(amendment.proposed_text)
            proposal = row.proposals.setdefault(
                same_proposal_key(wording) if amendment.kind == "replace" else f"{amendment.kind}\n{wording}",
                _Proposal(wording, amendment.kind, current if amendment.anchored else ""))
            if entry.organisation_short not in proposal.networks:
                proposal.networks.append(entry.organisation_short)
            rationale = (amendment.rationale or "").strip()
            if rationale and all((r.network, r.text) != (entry.organisation_short, rationale)
                                 for r in proposal.rationales):
                proposal.rationales.append(_Rationale(entry.organisation_short, rationale, entry.language))
    ordered = sorted(rows, key=lambda k: (k[0], k[1], paragraph_sort_key(k[2])))
    return [rows[key] for key in ordered]


def amendments_annex(writer: Writer, plan: EditionPlan) -> None:
    writer.heading(1, typeset(_("Annex: Compilation of proposed amendments"), plan.locale))
    labels = writer.labels
    rows = compile_amendments(plan, labels)
    if not rows:
        writer.text_paragraph(_("No position of this edition proposes an amendment."), None)
        return
    widths = [1700, 2600, 2700, 2000]
    tbl = writer.table([labels["paragraph"], labels["current_text"], labels["proposals"], labels["rationale"]],
                       widths)
    for row in rows:
        # One sub-row per proposal; the paragraph and its current text span them all.
        proposals = list(row.proposals.values())
        for index, proposal in enumerate(proposals):
            merged = () if len(proposals) == 1 else ("restart", "restart") if index == 0 else ("continue",) * 2
            cells = tbl.row(merged=merged)
            if index == 0:
                writer.cell_text(cells[0], row.label)
                for text in row.current_texts or [""]:
                    writer.cell_text(cells[1], text, COMPACT_LANGUAGE)
            if proposal.current:
                writer.cell_text(cells[2], labels[f"kind_{proposal.kind}"], style="Proposers")
                writer.change_paragraph(cells[2], proposed_change(proposal.kind, proposal.current, proposal.text),
                                        COMPACT_LANGUAGE)
            else:
                writer.cell_text(cells[2], proposal.text, COMPACT_LANGUAGE)
            writer.text_paragraph(labels["proposed_by"] % {"networks": ", ".join(proposal.networks)},
                                  "Proposers", parent=cells[2])
            several = len(proposal.networks) > 1
            for rationale in proposal.rationales:
                text = f"{rationale.network}: {rationale.text}" if several else rationale.text
                writer.cell_text(cells[3], text, rationale.language)


def contributors_annex(writer: Writer, plan: EditionPlan) -> None:
    writer.heading(1, typeset(_("Annex: Contributors"), plan.locale))
    per_org: dict[str, list] = {}
    for entry in plan.positions:
        org = per_org.setdefault(entry.organisation_short, [entry.organisation_full, [], 0])
        org[2] += 1
        for author in entry.authors:
            if author not in org[1]:
                org[1].append(author)
    writer.text_paragraph(_("%(positions)s from %(organisations)s.",
                            positions=ngettext("%(num)d position", "%(num)d positions", len(plan.positions)),
                            organisations=ngettext("%(num)d organisation", "%(num)d organisations",
                                                   len(per_org))), None)
    widths = [3000, 4500, 1500]
    tbl = writer.table([_("Organisation"), _("Authors"), _("Positions")], widths)
    for short in sorted(per_org, key=str.casefold):
        full, authors, count = per_org[short]
        cells = writer.table_row(tbl, widths)
        writer.cell_text(cells[0], f"{full} ({short})")
        writer.cell_text(cells[1], ", ".join(authors))
        writer.cell_text(cells[2], str(count))

    theme_counts: Counter = Counter()
    themes: dict[int, ThemeRef] = {}
    for entry in plan.positions:
        for theme in entry.themes:
            themes[theme.id] = theme
            theme_counts[theme.id] += 1
    if theme_counts:
        writer.heading(3, _("Positions per theme"))
        widths = [7500, 1500]
        tbl = writer.table([_("Theme"), _("Positions")], widths)
        for theme in sorted(themes.values(), key=lambda t: (t.kind != "objective", t.order)):
            cells = writer.table_row(tbl, widths)
            label = writer.labels["objective" if theme.kind == "objective" else "workstream"] % {"label": theme.label}
            writer.cell_text(cells[0], label)
            writer.cell_text(cells[1], str(theme_counts[theme.id]))


def review_comments(document, entry: PositionEntry, plan: EditionPlan) -> list[int]:
    """Shared review comments into the comments part; their ids anchor them on the position's heading."""
    ids = []
    for note in entry.review_notes:
        initials = "".join(part[:1] for part in note.author.split()[:3]).upper() or "R"
        comment = document.comments.add_comment(text=xml_safe(note.body), author=xml_safe(note.author),
                                                initials=xml_safe(initials))
        # Dated when the reviewer wrote it (python-docx would stamp the moment of compiling).
        comment._comment_elm.set(w("date"), note.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"))
        ids.append(comment.comment_id)
    return ids
