"""Benchmark: the editions of UCLG's joint proposal on a revision of 250 paragraphs with 5,000
amendments from the four networks and a joint proposal on every amended paragraph.

    python bench/joint.py                                  # 250 paragraphs, 5,000 amendments
    python bench/joint.py --paragraphs 250 --amendments 5000 --repeat 3

The text has paragraphs of about 60 words; the amendments (90 % rewordings of a few words, 7 % new
paragraphs after one, 3 % deletions) are spread over the paragraphs and the networks; each amended
paragraph has a joint proposal (the first network's wording with a few words of its own, or no change
on one paragraph in ten). Everything is plain plan data, as `drafting.documents.plan.gathering` hands it
to the builder (no database): what is timed is the Word file the worker builds.

Measured in the same run, each the median of --repeat builds (wall clock, time.perf_counter, with the
CPU time, time.process_time, beside it):

- table: the "Table of proposals" (`builder.build_document` of the plan with `text.table`): first page,
  one landscape table row per amended paragraph, every network's proposal and the joint proposal with
  their word-level differences marked;
- baseline: the "Text with proposed amendments" of the same plan (every amendment a tracked change);
- joint: the "UCLG joint proposal" edition of the same data (`build_joint_edition`: the revision with only
  the joint proposals as tracked changes, authored "UCLG");
- accept/reject: Accept All and Reject All of that file compared paragraph by paragraph with the joint
  proposals' text and the revision (`check_accept_reject`, the suite's script check).

Last line (machine readable): paragraphs=… amendments=… table_s=… joint_s=… accept_reject_ok=…
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
import zipfile
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drafting.documents.plan.data import (  # noqa: E402
    EditionPlan,
    JointChange,
    JointWording,
    Proposal,
    TextLine,
    TextWithAmendments,
)
from drafting.documents.render.builder import build_document  # noqa: E402
from drafting.documents.render.joint_proposal import build_joint_file  # noqa: E402
from tests.support.joint_rows import joint_expected_texts  # noqa: E402
from tests.support.tracked_changes import settled_paragraphs, text_region  # noqa: E402

WORDS = ("states local regional governments cities migrants integration services housing health education "
         "employment data evidence rights dignity access cooperation return reception labour mobility "
         "skills recognition partnership national frameworks funding capacity the of and to in for with by "
         "on across from their all every a commit ensure promote strengthen develop").split()
NETWORKS = ("CEMR", "Metropolis", "UCLG-MEWA", "UCLG Africa")
APPROVED = datetime(2018, 3, 2, 10, 0)


def make_text(rng: random.Random, count: int) -> list[TextLine]:
    """The revision: a heading every 25 paragraphs, numbered paragraphs of about 60 words."""
    lines, key = [], 0
    for i in range(count):
        if i % 25 == 0:
            key += 1
            lines.append(TextLine(key, "heading", f"Objective {i // 25 + 1}: collect and use data"))
        key += 1
        lines.append(TextLine(key, "paragraph", f"We commit to {i} " + " ".join(rng.choice(WORDS) for _ in range(60))
                              + ".", str(i + 1)))
    return lines


def reworded(rng: random.Random, text: str) -> str:
    words = text.split()
    at = rng.randrange(2, len(words) - 3)
    words[at:at + 2] = [rng.choice(WORDS) for _ in range(3)]
    return " ".join(words)


def make_proposals(rng: random.Random, lines: list[TextLine], count: int) -> list[Proposal]:
    paragraphs = [line for line in lines if line.kind == "paragraph"]
    proposals = []
    for n in range(count):
        line = rng.choice(paragraphs)
        roll = rng.random()
        if roll < 0.03:
            kind, text = "delete", ""
        elif roll < 0.10:
            kind, text = "insert_after", "Local and regional governments " + " ".join(
                rng.choice(WORDS) for _ in range(30)) + "."
        else:
            kind, text = "replace", reworded(rng, line.text)
        proposals.append(Proposal(line.key, kind, text, NETWORKS[n % len(NETWORKS)], APPROVED,
                                  "Because cities deliver."))
    return proposals


def make_joint(rng: random.Random, lines: list[TextLine], proposals: list[Proposal]) -> dict[int, JointWording]:
    """A joint proposal on every amended paragraph: the first network's wording, reworded a little."""
    texts = {line.key: line.text for line in lines}
    first: dict[int, Proposal] = {}
    for proposal in proposals:
        first.setdefault(proposal.paragraph_key, proposal)
    joint = {}
    for key, proposal in first.items():
        if rng.random() < 0.1:
            joint[key] = JointWording(key, "unchanged", "replace", texts[key], "The networks disagree.")
        elif proposal.kind == "delete":
            joint[key] = JointWording(key, "as_proposed", "delete", "", "Redundant.")
        else:
            joint[key] = JointWording(key, "modified", proposal.kind, reworded(rng, proposal.text),
                                      "Closest to the networks' shared wording.")
    return joint


def make_plan(lines, proposals, joint, table: bool) -> EditionPlan:
    text = TextWithAmendments("Zero draft", date(2018, 2, 5), lines, proposals, table=table,
                              joint=joint if table else {})
    return EditionPlan(title="Zero draft: table of proposals" if table else "Zero draft with proposed amendments",
                       milestone_name="Round 2", milestone_start=date(2018, 3, 12), milestone_end=date(2018, 3, 15),
                       milestone_place="New York", edition_number=1, compiled_at=APPROVED, compiled_by="Secretariat",
                       positions=[], symbol="UCLG/GCM/2018/R2/1", text=text)


def timed(build, repeat: int) -> tuple[float, float, bytes]:
    """The median wall-clock and CPU times of `repeat` builds, and the last file built."""
    times, cpu_times, data = [], [], b""
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        data = build()
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu)
    return statistics.median(times), statistics.median(cpu_times), data


# The "UCLG joint proposal" edition of the same data, and its Accept All / Reject All check. --------------

def joint_changes(proposals, joint) -> list[JointChange]:
    """The joint proposals as that edition tracks them, each naming the networks that amended its paragraph."""
    networks: dict[int, list[str]] = {}
    for proposal in proposals:
        names = networks.setdefault(proposal.paragraph_key, [])
        if proposal.sponsor not in names:
            names.append(proposal.sponsor)
    return [JointChange(**asdict(wording), networks=networks.get(key, []), changed_at=APPROVED)
            for key, wording in joint.items()]


def build_joint_edition(lines, changes) -> bytes:
    """The "UCLG joint proposal" edition's Word file: the revision with only the joint proposals as tracked
    changes, authored "UCLG"."""
    return build_joint_file(lines, changes, revision_name="Zero draft", revision_date=date(2018, 2, 5))


def check_accept_reject(data: bytes, lines, changes) -> bool:
    """Accept All gives exactly the joint proposals' text and Reject All exactly the revision, paragraph by
    paragraph (the suite's script check, tests/support/tracked_changes.py; LibreOffice's is in the suite)."""
    revision, proposed = joint_expected_texts(lines, changes)
    return (text_region(settled_paragraphs(data, accept=False)) == revision
            and text_region(settled_paragraphs(data, accept=True)) == proposed)


def table_rows(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").count(b"<w:tr>")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=250)
    parser.add_argument("--amendments", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(20)
    lines = make_text(rng, args.paragraphs)
    proposals = make_proposals(rng, lines, args.amendments)
    joint = make_joint(rng, lines, proposals)

    from drafting import create_app  # lazy: the app only gives the builder its locale (Flask-Babel)

    app = create_app({"DRAFTING_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        table_s, table_cpu, table = timed(
            lambda: build_document(make_plan(lines, proposals, joint, table=True)), args.repeat)
        tracked_s, tracked_cpu, tracked = timed(
            lambda: build_document(make_plan(lines, proposals, joint, table=False)), args.repeat)
        changes = joint_changes(proposals, joint)
        joint_s, joint_cpu, joint_data = timed(lambda: build_joint_edition(lines, changes), args.repeat)
        accept_reject = check_accept_reject(joint_data, lines, changes)

    amended = len(joint)
    rows = table_rows(table) - 1  # the header row
    assert rows == amended, (rows, amended)
    print(f"data: {args.paragraphs} paragraphs, {len(proposals)} amendments from {len(NETWORKS)} networks, "
          f"{amended} amended paragraphs, each with a joint proposal")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; medians of {args.repeat} builds, "
          "wall clock (CPU time beside it, steadier on a busy machine)")
    print(f"table:    {table_s:.3f} s (CPU {table_cpu:.3f} s), {len(table) / 1e6:.2f} MB, {rows} rows")
    print(f"baseline: {tracked_s:.3f} s (CPU {tracked_cpu:.3f} s), {len(tracked) / 1e6:.2f} MB, the text with "
          "proposed amendments of the same data")
    print(f"joint:    {joint_s:.3f} s (CPU {joint_cpu:.3f} s), {len(joint_data) / 1e6:.2f} MB, "
          f"{sum(1 for change in changes if change.choice != 'unchanged')} tracked joint proposals")
    print(f"paragraphs={args.paragraphs} amendments={len(proposals)} table_s={table_s:.3f} joint_s={joint_s:.3f} "
          f"accept_reject_ok={str(accept_reject).lower()}")


if __name__ == "__main__":
    main()
