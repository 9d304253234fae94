"""Benchmark: follow 5,000 amendments into a new revision of the text, and write the text with proposed
amendments as Word tracked changes.

    python bench/reanchor.py                      # 250 paragraphs, 5,000 amendments
    python bench/reanchor.py --paragraphs 250 --amendments 5000

The text has 250 paragraphs of about 60 words. The new revision edits 20 % of the paragraphs (a few
words changed), renumbers 5 % (moves them elsewhere), and the amendments (spread over the paragraphs)
replace a few words each. Measured in the same run:

- reanchor: match every paragraph to its successor by its words, then one status per amendment;
  baseline: looking each amendment's paragraph up by its number in the new revision (what a
  number-only anchor does, and gets wrong when paragraphs are renumbered);
- tracked: the edition "Text with proposed amendments" as the worker builds it (`builder.build_document`
  of a plan carrying the text: first page, running header, every approved amendment a tracked change);
  baseline: python-docx writing the same 250 paragraphs plainly with `add_paragraph`.

Last line: paragraphs=… amendments=… reanchor_s=… tracked_s=… (machine readable).
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drafting.documents.builder import build_document  # noqa: E402
from drafting.documents.plan import EditionPlan, Proposal, TextLine, TextWithAmendments  # noqa: E402
from drafting.negotiated_text.matching import match_paragraphs  # noqa: E402
from drafting.negotiated_text.uptake import assess  # noqa: E402

WORDS = ("states local regional governments cities migrants integration services housing health education "
         "employment data evidence rights dignity access cooperation return reception labour mobility "
         "skills recognition partnership national frameworks funding capacity the of and to in for with by "
         "on across from their all every a commit ensure promote strengthen develop").split()
NETWORKS = ("CEMR", "Metropolis", "UCLG-MEWA", "UCLG Africa")


def make_text(rng: random.Random, count: int) -> list[str]:
    return [f"Paragraph {i} " + " ".join(rng.choice(WORDS) for _ in range(60)) + "." for i in range(count)]


def new_revision(rng: random.Random, old: list[str]) -> list[str]:
    new = list(old)
    for i in rng.sample(range(len(old)), len(old) // 5):  # 20 % edited
        words = new[i].split()
        for _ in range(4):
            words[rng.randrange(2, len(words))] = rng.choice(WORDS)
        new[i] = " ".join(words)
    moved = rng.sample(range(len(new)), max(1, len(new) // 20))  # 5 % renumbered: moved elsewhere
    pieces = [new[i] for i in moved]
    new = [text for i, text in enumerate(new) if i not in set(moved)]
    for text in pieces:
        new.insert(rng.randrange(len(new)), text)
    return new


def make_amendments(rng: random.Random, old: list[str], count: int) -> list[tuple[int, str]]:
    amendments = []
    for _ in range(count):
        index = rng.randrange(len(old))
        words = old[index].split()
        at = rng.randrange(2, len(words) - 3)
        words[at:at + 2] = [rng.choice(WORDS) for _ in range(3)]
        amendments.append((index, " ".join(words)))
    return amendments


def reanchor(old, new, amendments) -> dict[str, int]:
    matches = {m.old: m.new for m in match_paragraphs(old, new) if m.old is not None}
    statuses: dict[str, int] = {}
    for index, proposed in amendments:
        successor = matches.get(index)
        status = assess("replace", old[index], proposed, new[successor] if successor is not None else None, new)
        statuses[status] = statuses.get(status, 0) + 1
    return statuses


def by_number(old, new, amendments) -> int:
    numbered = dict(enumerate(new))
    return sum(1 for index, _ in amendments if numbered.get(index) == old[index])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=250)
    parser.add_argument("--amendments", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(7)
    old = make_text(rng, args.paragraphs)
    new = new_revision(rng, old)
    amendments = make_amendments(rng, old, args.amendments)

    started = time.perf_counter()
    statuses = reanchor(old, new, amendments)
    reanchor_s = time.perf_counter() - started
    started = time.perf_counter()
    by_number(old, new, amendments)
    baseline_reanchor_s = time.perf_counter() - started

    lines = [TextLine(i, "paragraph", text, str(i + 1)) for i, text in enumerate(old)]
    approved = datetime(2018, 3, 2, 10, 0)
    proposals = [Proposal(index, "replace", text, NETWORKS[n % 4], approved, "Because cities deliver.")
                 for n, (index, text) in enumerate(amendments)]
    plan = EditionPlan(title="Zero draft with proposed amendments", milestone_name="Round 2",
                       milestone_start=date(2018, 3, 12), milestone_end=date(2018, 3, 15), milestone_place="New York",
                       edition_number=1, compiled_at=approved, compiled_by="Secretariat", positions=[],
                       symbol="UCLG/GCM/2018/R2/1",
                       text=TextWithAmendments("Zero draft", date(2018, 2, 5), lines, proposals))
    started = time.perf_counter()
    data = build_document(plan)
    tracked_s = time.perf_counter() - started

    import docx

    started = time.perf_counter()
    document = docx.Document()
    for line in lines:
        document.add_paragraph(f"{line.number}. {line.text}")
    document.save(io.BytesIO())
    baseline_tracked_s = time.perf_counter() - started

    print(f"statuses: {dict(sorted(statuses.items()))}")
    print(f"reanchor: {reanchor_s:.3f} s (baseline, lookup by number only: {baseline_reanchor_s:.4f} s)")
    print(f"tracked:  {tracked_s:.3f} s, {len(data) / 1e6:.1f} MB "
          f"(baseline, python-docx writing the plain {len(lines)} paragraphs: {baseline_tracked_s:.3f} s)")
    print(f"paragraphs={args.paragraphs} amendments={args.amendments} reanchor_s={reanchor_s:.3f} "
          f"tracked_s={tracked_s:.3f}")


if __name__ == "__main__":
    main()
