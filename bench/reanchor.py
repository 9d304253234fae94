"""Benchmark: follow 5,000 amendments into a new revision of the text, and write the text with proposed
amendments as Word tracked changes.

    python bench/reanchor.py                      # 250 paragraphs, 5,000 amendments
    python bench/reanchor.py --paragraphs 250 --amendments 5000
    python bench/reanchor.py --database-url postgresql://postgres@127.0.0.1:5432/bench   # an empty database

The text has 250 paragraphs of about 60 words. The new revision edits 20 % of the paragraphs (a few
words changed), renumbers 5 % (moves them elsewhere), and the amendments (spread over the paragraphs)
replace a few words each. Measured in the same run:

- reanchor: the whole step the worker runs when the new revision is published
  (`following.follow_amendments`), on a database (SQLite in a temporary folder, or --database-url):
  read both revisions and every position's amendments, match every paragraph to its successor by its
  words, one status per amendment, write the 5,000 status rows, queue one message per position to
  each of its network's contributors, commit. The amendments stand in 500 approved positions of the
  four networks. Baselines in the same run: the same matching and statuses in memory only (no
  database), and looking each amendment's paragraph up by its number in the new revision (what a
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
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drafting.amendments.matching import match_paragraphs, words  # noqa: E402
from drafting.amendments.uptake import assess  # noqa: E402
from drafting.documents.plan.data import EditionPlan, Proposal, TextLine, TextWithAmendments  # noqa: E402
from drafting.documents.render.builder import build_document  # noqa: E402

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


PER_POSITION = 10


def reanchor_in_database(database_url: str, old, new, amendments) -> tuple[float, dict[str, int], int, float]:
    """Both revisions and the positions in a fresh database; then the timed step, as the worker runs it.
    Returns its seconds, the statuses written, the messages queued, and the seconds the zero draft's
    reading page spends counting each network's amendments beside its paragraphs."""
    from sqlalchemy import func, select

    from drafting import create_app
    from drafting.extensions import db
    from drafting.models import AmendmentStatus, Milestone, Organisation, OutboxMessage, Position, Revision, User
    from drafting.models import TextParagraph as Paragraph
    from drafting.models import TextRevision as TextRev
    from drafting.negotiated_text.following import follow_amendments
    from drafting.reference.loader import load_reference_data

    app = create_app({"DRAFTING_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "TASK_QUEUE_URL": "memory://", "DRAFTING_TODAY": "2018-03-20",
                      "PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_reference_data()
        networks = db.session.scalars(select(Organisation).where(Organisation.contributes_positions.is_(True))
                                      .order_by(Organisation.id)).all()
        milestone = db.session.scalar(select(Milestone).where(Milestone.name.contains("Round 2")))
        publisher = User(name="Bench secretariat", email="secretariat@bench.example.org", role="secretariat",
                         organisation=db.session.scalar(select(Organisation).where(Organisation.short_name == "UCLG")))
        authors = [User(name=f"Bench {n.short_name}", email=f"author{i}@bench.example.org", role="contributor",
                        organisation=n) for i, n in enumerate(networks)]
        for user in (publisher, *authors):
            user.set_password("bench password 123")
        zero = TextRev(name="Zero draft", issued_on=date(2018, 2, 5), published_by=publisher,
                       paragraphs=[Paragraph(order=i + 1, kind="paragraph", number=str(i + 1), text=text)
                                   for i, text in enumerate(old)])
        db.session.add_all([publisher, *authors, zero])
        db.session.flush()
        ids = [p.id for p in zero.paragraphs]
        moment = datetime(2018, 3, 1, 9, 0)
        for start in range(0, len(amendments), PER_POSITION):
            author = authors[start // PER_POSITION % len(authors)]
            position = Position(
                organisation=author.organisation, milestone=milestone, stage="approved", language="en",
                title=f"Bench position {start // PER_POSITION}", created_by=author, created_at=moment,
                updated_at=moment, stage_changed_at=moment, submitted_at=moment, approved_at=moment,
                amendments=[{"key": f"a{n}", "paragraph_id": ids[index], "kind": "replace", "section_id": None,
                             "paragraph": str(index + 1), "current_text": old[index], "proposed_text": proposed,
                             "rationale": "Cities deliver."}
                            for n, (index, proposed) in enumerate(amendments[start:start + PER_POSITION])])
            position.revisions.append(Revision(number=1, author=author, title=position.title, language="en",
                                               created_at=moment, amendments=position.amendments))
            db.session.add(position)
        rev_1 = TextRev(name="Rev 1", issued_on=date(2018, 2, 26), published_by=publisher,
                        reanchor_count=len(amendments),
                        paragraphs=[Paragraph(order=i + 1, kind="paragraph", number=str(i + 1), text=text)
                                    for i, text in enumerate(new)])
        db.session.add(rev_1)
        db.session.commit()
        revision_id, zero_id = rev_1.id, zero.id
        db.session.remove()

        started = time.perf_counter()
        written = follow_amendments(revision_id)
        seconds = time.perf_counter() - started
        assert written == len(amendments), written
        statuses = dict(db.session.execute(select(AmendmentStatus.status, func.count())
                                           .group_by(AmendmentStatus.status)).all())
        messages = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        from drafting.negotiated_text.uptake_queries import proposals_per_paragraph

        started = time.perf_counter()
        proposals_per_paragraph(db.session.get(TextRev, zero_id))
        reading_s = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    return seconds, statuses, messages, reading_s


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=250)
    parser.add_argument("--amendments", type=int, default=5000)
    parser.add_argument("--database-url", default="", help="an empty database (default: SQLite in a temporary folder)")
    args = parser.parse_args()
    rng = random.Random(7)
    old = make_text(rng, args.paragraphs)
    new = new_revision(rng, old)
    amendments = make_amendments(rng, old, args.amendments)

    database_url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-reanchor-')}/bench.db"
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    words.cache_clear()  # each measure starts without the other's cached words
    reanchor_s, statuses, messages, reading_s = reanchor_in_database(database_url, old, new, amendments)

    words.cache_clear()
    started = time.perf_counter()
    in_memory = reanchor(old, new, amendments)
    in_memory_s = time.perf_counter() - started
    assert in_memory == statuses, (in_memory, statuses)
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

    print(f"statuses: {dict(sorted(statuses.items()))}, messages queued: {messages}")
    backend = database_url.split(":")[0].split("+")[0]
    print(f"reanchor: {reanchor_s:.3f} s on {backend}, the worker's whole step (baselines: "
          f"matching and statuses in memory {in_memory_s:.3f} s; lookup by number only: {baseline_reanchor_s:.4f} s)")
    print(f"reading page: {reading_s:.3f} s to count the {len(amendments)} amendments beside the zero draft's "
          f"paragraphs (read from the positions' stored amendments)")
    print(f"tracked:  {tracked_s:.3f} s, {len(data) / 1e6:.1f} MB "
          f"(baseline, python-docx writing the plain {len(lines)} paragraphs: {baseline_tracked_s:.3f} s)")
    print(f"paragraphs={args.paragraphs} amendments={args.amendments} reanchor_s={reanchor_s:.3f} "
          f"tracked_s={tracked_s:.3f}")


if __name__ == "__main__":
    main()
