"""The Uptake page as a CSV file: one row per revision, network, objective, paragraph and status,
with the tracker's rules for files that a spreadsheet opens (UTF-8 with BOM, formulas neutralised).

UCLG's joint proposals come first in each revision, as on the page, in columns of their own and rows
of their own, so that each figure is in the file once and a spreadsheet's sums stay right: one row for
the joint proposals on the revision before (the network left empty), then one row per network with
amendments where UCLG proposed. The figures are the page's (`build_uptake`), not computed again here.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from drafting.amendments.uptake import STATUS_LABELS
from drafting.negotiated_text.uptake_queries import RevisionUptake, Uptake
from drafting.tracker.exports import CSV_CONTENT_TYPE, to_csv

__all__ = ["CSV_CONTENT_TYPE", "uptake_csv"]

PARAGRAPH_COLUMNS = (_l("Revision"), _l("Network"), _l("Objective"), _l("Paragraph"), _l("Paragraph now"),
                     _l("Status"), _l("Amendments"))
JOINT_COLUMNS = (_l("Joint proposals proposing a change"), _l("Joint proposals taken up"),
                 _l("Joint proposals partly taken up"), _l("Joint proposals taken up fully or partly (%)"),
                 _l("Joint proposals leaving their paragraph unchanged"))
REACH_COLUMNS = (_l("Its proposals taken up fully or partly (%)"),
                 _l("Amendments on paragraphs with a joint proposal"), _l("Reached the joint proposal"),
                 _l("Reached the joint proposal (%)"), _l("Not decided yet"), _l("Then taken up by this revision"))


def header() -> list[str]:
    return [str(name) for name in PARAGRAPH_COLUMNS + JOINT_COLUMNS + REACH_COLUMNS]


def joint_rows(item: RevisionUptake) -> list[list]:
    """The joint proposals' row and each network's reach, as the page's joint table has them."""
    joint = item.joint
    if joint is None:
        return []
    counts = joint.counts
    leading = [item.revision.name] + [""] * (len(PARAGRAPH_COLUMNS) - 1)
    summary = leading + [counts.total, counts.taken_up, counts.partly, counts.percent if counts.total else "",
                         joint.unchanged] + [""] * len(REACH_COLUMNS)
    own = {organisation.id: counts for organisation, counts in item.networks}
    networks = [
        [item.revision.name, organisation.short_name] + [""] * (len(PARAGRAPH_COLUMNS) - 2 + len(JOINT_COLUMNS))
        + [own[organisation.id].percent, reach.amendments, reach.reached, reach.percent, reach.undecided,
           reach.then_taken_up]
        for organisation, reach in joint.networks
    ]
    return [summary, *networks]


def paragraph_rows(item: RevisionUptake) -> list[list]:
    empty = [""] * (len(JOINT_COLUMNS) + len(REACH_COLUMNS))
    return [
        [item.revision.name, line.organisation.short_name, section, paragraph.number,
         paragraph.successor_number or "", str(STATUS_LABELS[paragraph.status]), paragraph.count, *empty]
        for section, lines in item.objectives
        for line in lines
        for paragraph in line.details
    ]


def rows(uptake: Uptake) -> list[list]:
    return [row for item in uptake.revisions for row in joint_rows(item) + paragraph_rows(item)]


def uptake_csv(uptake: Uptake) -> bytes:
    return to_csv(header(), rows(uptake))
