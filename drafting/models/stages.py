"""The stages of a position, described once (as Indico's AbstractState): each stage's value as stored,
its label, its badge's CSS class, and the named groups it belongs to. Every rule that asks "is this
stage editable, compilable, counted..." reads a group here; no module keeps its own tuple of stages.

The allowed moves between stages live in drafting.positions.workflow, the one writer of a stage.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# The named groups, and what belonging to one means.
EDITABLE_GROUP = "editable"  # the authors (or the secretariat) may change the text
AWAITING_SUBMISSION_GROUP = "awaiting submission"  # waiting on the authors; submission deadlines apply
AWAITING_REVIEW_GROUP = "awaiting review"  # waiting on the reviewers; review deadlines apply
COMPILABLE_GROUP = "compilable"  # goes into an edition; its text may be shared as "agreed"
COUNTED_GROUP = "counted"  # put forward by a network: counted in the uptake of amendments
SILENT_GROUP = "silent"  # its authors get no notice of what happens to its amendments
FILTERABLE_GROUP = "filterable"  # offered as a filter of the review queue


@dataclass(frozen=True)
class Stage:
    value: str
    label: object  # a lazy string, translated when shown
    groups: frozenset[str]

    @property
    def css_class(self) -> str:
        return f"stage-{self.value}"


def _stage(value: str, label, *groups: str) -> Stage:
    return Stage(value, label, frozenset(groups))


# In the order a position goes through them (lists and exports show them in this order).
DESCRIPTIONS = (
    _stage("draft", _l("Draft"), EDITABLE_GROUP, AWAITING_SUBMISSION_GROUP),
    _stage("submitted", _l("Submitted"), AWAITING_REVIEW_GROUP, COUNTED_GROUP, FILTERABLE_GROUP),
    _stage("in_review", _l("In review"), AWAITING_REVIEW_GROUP, COUNTED_GROUP, FILTERABLE_GROUP),
    _stage("changes_requested", _l("Changes requested"), EDITABLE_GROUP, AWAITING_SUBMISSION_GROUP, COUNTED_GROUP,
           FILTERABLE_GROUP),
    _stage("approved", _l("Approved"), COMPILABLE_GROUP, COUNTED_GROUP, FILTERABLE_GROUP),
    _stage("rejected", _l("Rejected"), FILTERABLE_GROUP),
    _stage("withdrawn", _l("Withdrawn"), SILENT_GROUP),
    _stage("included", _l("Included"), COMPILABLE_GROUP, COUNTED_GROUP, FILTERABLE_GROUP),
)
BY_VALUE = {stage.value: stage for stage in DESCRIPTIONS}


def group(name: str) -> tuple[str, ...]:
    """The values of the stages in group `name`, in the stages' order."""
    found = tuple(stage.value for stage in DESCRIPTIONS if name in stage.groups)
    if not found:
        raise KeyError(f"No stage is in the group {name!r}")
    return found


STAGES = tuple(stage.value for stage in DESCRIPTIONS)
STAGE_LABELS = {stage.value: stage.label for stage in DESCRIPTIONS}
EDITABLE = group(EDITABLE_GROUP)
AWAITING_SUBMISSION = group(AWAITING_SUBMISSION_GROUP)
AWAITING_REVIEW = group(AWAITING_REVIEW_GROUP)
COMPILABLE = group(COMPILABLE_GROUP)
COUNTED = group(COUNTED_GROUP)
SILENT = group(SILENT_GROUP)
FILTERABLE = group(FILTERABLE_GROUP)
