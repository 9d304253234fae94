"""The plan of an edition: plain data that `drafting.documents.editions` gathers from the database and
the builder turns into a document, and the rules that order it (chapters, paragraph references).

Nothing here knows the database, the request or WordprocessingML."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from drafting.amendments import rules as amendment_rules
from drafting.core.memo import memoized
from drafting.documents.render.words import document_labels

GROUPINGS = ("objective", "organisation", "workstream")


@dataclass(frozen=True)
class ThemeRef:
    id: int
    kind: str  # "objective" or "workstream"
    label: str
    order: tuple  # how groups of this theme sort


@dataclass
class AmendmentEntry:
    section_id: int | None
    section_name: str
    section_order: int
    paragraph: str
    current_text: str
    proposed_text: str
    rationale: str = ""
    kind: str = "replace"  # "replace", "insert_after", "delete"
    anchored: bool = False  # written against a paragraph of the negotiated text, which it quotes


@dataclass
class ReviewNote:
    author: str
    created_at: datetime
    body: str


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


@dataclass
class AnnexFile:
    filename: str
    data: bytes
    # Filled by the builder's check, once per plan (an edition is built several times to paginate it):
    # the cleaned file, or why it is left out.
    cleaned: bytes | None = None
    refusal: LeftOut | None = None


@dataclass
class PositionEntry:
    """One position as the edition includes it: the content of one exact revision."""

    position_id: int
    revision_number: int
    title: str
    text: str
    language: str
    organisation_short: str
    organisation_full: str
    summary: str = ""
    authors: list[str] = field(default_factory=list)
    approved_on: date | None = None
    approvers: list[str] = field(default_factory=list)
    themes: list[ThemeRef] = field(default_factory=list)  # in the order they were chosen
    amendments: list[AmendmentEntry] = field(default_factory=list)
    review_notes: list[ReviewNote] = field(default_factory=list)
    annexes: list[AnnexFile] = field(default_factory=list)


@dataclass(frozen=True)
class TextLine:
    """A heading or a paragraph of a text revision, in order; `key` identifies it (the paragraph's id)."""

    key: int
    kind: str  # "heading" or "paragraph"
    text: str
    number: str = ""


@dataclass
class Proposal:
    """One network's approved amendment to one paragraph of the text revision."""

    paragraph_key: int
    kind: str  # "replace", "insert_after", "delete"
    text: str
    sponsor: str
    approved_at: datetime | None
    rationale: str = ""
    language: str = "en"  # the position's (of its rationale)


@dataclass
class AmendmentElsewhere:
    """An approved amendment that does not point at a paragraph of the edition's text revision: not
    anchored at all, or anchored to a paragraph of another revision. Listed in an appendix."""

    network: str
    kind: str
    current_text: str
    proposed_text: str
    rationale: str = ""
    language: str = "en"  # the position's (of its rationale)
    revision_name: str = ""  # the other revision it is anchored to; empty: not anchored
    paragraph: str = ""  # that revision's paragraph number, or the reference typed when not anchored


@dataclass(frozen=True)
class JointWording:
    """UCLG's joint proposal for one paragraph of the text revision (the secretariat's), as the table of
    proposals prints it: what it does (`kind`), its wording, how it was built (`choice`) and why."""

    paragraph_key: int
    choice: str  # "as_proposed", "modified", "merged", "unchanged"
    kind: str  # "replace", "insert_after", "delete"
    text: str
    reason: str = ""


@dataclass
class TextWithAmendments:
    """What the "Text with proposed amendments" (and the "Table of proposals") adds to a plan: the
    revision, paragraph by paragraph, the approved proposals on its paragraphs, and those that point
    elsewhere; for the table, UCLG's joint proposals by paragraph."""

    revision_name: str
    revision_date: date
    lines: list[TextLine]
    proposals: list[Proposal]
    elsewhere: list[AmendmentElsewhere] = field(default_factory=list)
    table: bool = False  # the "Table of proposals": one row per amended paragraph
    joint: dict[int, JointWording] = field(default_factory=dict)  # by paragraph key


@dataclass
class JointChange:
    """UCLG's joint proposal for one paragraph of the text revision, as its edition tracks it: what it does
    (`kind`: "replace", "insert_after", "delete"), its wording, how it was built (`choice`), why, the
    networks whose amendments it took up (in whole, modified or merged) and when it was last changed."""

    paragraph_key: int
    choice: str  # "as_proposed", "modified", "merged" ("unchanged" is never tracked)
    kind: str
    text: str
    reason: str = ""
    networks: list[str] = field(default_factory=list)
    changed_at: datetime | None = None


@dataclass
class JointText:
    """What the "UCLG joint proposal" adds to a plan: the revision, paragraph by paragraph, and the joint
    proposals to track on it (at most one per paragraph)."""

    revision_name: str
    revision_date: date
    lines: list[TextLine]
    changes: list[JointChange]
    agreed_only: bool = False  # only the proposals every network concerned agreed to


@dataclass
class EditionPlan:
    title: str
    milestone_name: str
    milestone_start: date
    milestone_end: date
    milestone_place: str
    edition_number: int
    compiled_at: datetime
    compiled_by: str
    positions: list[PositionEntry]
    preface: str = ""
    grouping: str = "objective"
    amendments_annex: bool = True
    review_comments: bool = False
    uploaded_annexes: bool = True
    locale: str = "en"  # the document's language: every generated word, the dates, the default w:lang
    # UN front matter
    symbol: str = ""
    distribution: str = "general"  # or "limited"
    advance_unedited: bool = False
    document_date: date | None = None  # the date on the first page (default: the day it is compiled)
    number_paragraphs: bool = True  # the positions' paragraphs numbered 1, 2, 3... through the document
    pdf_archive: bool = False  # the PDF as PDF/A-2b (for archiving), not only tagged
    # The "Text with proposed amendments" (None: the consolidated document).
    text: TextWithAmendments | None = None
    # The "UCLG joint proposal" (None: another kind).
    joint: JointText | None = None
    # Filled by the builder: uploaded annexes it could not include (LeftOut).
    left_out: list = field(default_factory=list)



# Ordering rules -----------------------------------------------------------------------------

# The rules of amendments have one home, in the positions area: the form applies them as people type,
# the plan as it orders and merges. The same few references recur in thousands of amendments: each is
# read once (both functions are pure, their results immutable).
normalise_reference = memoized(maxsize=4096)(amendment_rules.normalise_reference)
paragraph_sort_key = memoized(maxsize=4096)(amendment_rules.reference_sort_key)


@dataclass
class Group:
    heading: str
    positions: list[PositionEntry]


def group_positions(plan: EditionPlan, labels: dict[str, str] | None = None) -> list[Group]:
    """Chapters of the document. A position with several themes of the grouping's kind goes under the
    first one it lists (the reference order: objective number, then workstream order)."""
    labels = labels or document_labels()
    grouping = plan.grouping if plan.grouping in GROUPINGS else "objective"
    buckets: dict[tuple, Group] = {}
    for entry in plan.positions:
        if grouping == "organisation":
            key = (0, entry.organisation_short.casefold())
            heading = f"{entry.organisation_short} \u2014 {entry.organisation_full}"
        else:
            first = next((theme for theme in entry.themes if theme.kind == grouping), None)
            if first is None:
                key = (1,)
                heading = labels["no_objective"] if grouping == "objective" else labels["no_workstream"]
            else:
                key = (0, *first.order)
                heading = labels[grouping] % {"label": first.label}
        buckets.setdefault(key, Group(heading, [])).positions.append(entry)
    groups = [buckets[key] for key in sorted(buckets)]
    for group in groups:
        group.positions.sort(key=lambda e: (e.organisation_short.casefold(), e.title.casefold(), e.position_id))
    return groups
