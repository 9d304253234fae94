"""Load test of the comparison pages and of re-anchoring, each next to a baseline measured in the same run.

    python bench/compare.py                                   # SQLite in a temporary folder
    python bench/compare.py --database-url postgresql://postgres@127.0.0.1:5432/bench   # an empty database
    python bench/compare.py --repeat 5

Builds its data in a fresh database (every table dropped and created): four revisions of the negotiated
text (2,500 paragraphs; the same edited; that one edited again and 6,000 paragraphs added, 8,500 in
all; that one edited again), and two positions whose revisions hold 40,000-character texts: one
edited as a contributor edits (a few words in a fifth of the paragraphs), one rewritten from end to
end (nothing in common but the language). Each is then asked of the app in process (Flask's test
client, so the figures are the work of the request, not of a network), the best of --repeat runs,
in wall-clock seconds and in the processor seconds of the process (which a shared machine's other
work does not inflate):

- /text/compare at 2,500 vs 2,500 and 2,500 vs 8,500 paragraphs; baseline: the reading page of the
  newer revision (`/text/<id>`), which renders the same paragraphs without comparing them;
- /positions/<id>/compare of the two 40,000-character revisions, edited and rewritten; and the
  reviewer's position page after the resubmission (it shows the changes since the last review);
  baseline: the same position page read by its author, which shows no comparison;
- re-anchoring 8,500 vs 8,500 paragraphs (`matching.match_paragraphs`, what publishing a revision and
  carrying a position forward run); baseline: pairing only the paragraphs whose words are the same (a
  dictionary of their texts), the least any matching does.

Last line: machine readable, seconds.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "bench compare password"
SYLLABLES = ("ka ri mo tu le sa ne vi do pa ra lo mi be gu ta so ni fe ze co da lu pe ti ro ma sé "
             "ción ment ge ur al").split()
COMMON = "the of and to in for with by on their all local cities states governments migrants".split()


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def sentence(rng: random.Random, words: list[str], count: int) -> str:
    """Words in a Zipf-like mix: a few very common ones, many rare ones, as in a real text."""
    chosen = [rng.choice(COMMON) if rng.random() < 0.35 else words[int(rng.paretovariate(1.1)) % len(words)]
              for _ in range(count)]
    return " ".join(chosen).capitalize() + "."


def make_text(rng: random.Random, words: list[str], count: int) -> list[str]:
    return [sentence(rng, words, rng.randint(30, 90)) for _ in range(count)]


def edit(rng: random.Random, words: list[str], old: list[str]) -> list[str]:
    """A co-facilitators' revision: a fifth of the paragraphs get a few words changed, 3 % are removed,
    3 % added, 5 % moved elsewhere."""
    new = list(old)
    for i in rng.sample(range(len(new)), len(new) // 5):
        tokens = new[i].split()
        for _ in range(4):
            tokens[rng.randrange(len(tokens))] = rng.choice(words)
        new[i] = " ".join(tokens)
    for i in sorted(rng.sample(range(len(new)), len(new) * 3 // 100), reverse=True):
        del new[i]
    for _ in range(len(old) * 3 // 100):
        new.insert(rng.randrange(len(new) + 1), sentence(rng, words, 60))
    moved = sorted(rng.sample(range(len(new)), len(new) // 20), reverse=True)
    pieces = [new.pop(i) for i in moved]
    for piece in pieces:
        new.insert(rng.randrange(len(new) + 1), piece)
    return new


def grow(rng: random.Random, words: list[str], old: list[str], added: int) -> list[str]:
    new = list(old)
    for _ in range(added):
        new.insert(rng.randrange(len(new) + 1), sentence(rng, words, rng.randint(30, 90)))
    return new


def position_text(rng: random.Random, words: list[str], characters: int) -> str:
    paragraphs, size = [], 0
    while size < characters:
        paragraph = sentence(rng, words, rng.randint(40, 120))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:characters]


def best_of(repeat: int, action) -> tuple[float, float]:
    """Wall-clock and processor seconds of the fastest of `repeat` runs (on a shared machine the wall
    clock also counts the time other processes held the processor; the processor time does not)."""
    runs = []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        runs.append((time.perf_counter() - started, time.process_time() - started_cpu))
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="", help="an empty database (default: SQLite in a temporary folder)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--characters", type=int, default=40_000)
    args = parser.parse_args()
    database_url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-compare-')}/bench.db"
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]

    from sqlalchemy import select

    from drafting import create_app
    from drafting.amendments.matching import match_paragraphs, words
    from drafting.extensions import db
    from drafting.models import Milestone, Organisation, Position, StageEvent, TextParagraph, TextRevision, Theme, User
    from drafting.positions.operations import PositionContent, create_position, save_position
    from drafting.positions.workflow import transition
    from drafting.reference.loader import load_reference_data

    rng = random.Random(22)
    vocabulary_words = vocabulary(rng)
    zero = make_text(rng, vocabulary_words, 2500)
    rev_1 = edit(rng, vocabulary_words, zero)
    rev_2 = grow(rng, vocabulary_words, edit(rng, vocabulary_words, rev_1), 8500 - len(rev_1))
    rev_3 = edit(rng, vocabulary_words, rev_2)

    app = create_app({"DRAFTING_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "TASK_QUEUE_URL": "memory://", "DRAFTING_TODAY": "2018-03-20", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "PASSWORD_HASH_METHOD": "scrypt:1024:8:1", "SERVER_NAME": None})
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_reference_data()
        cemr = db.session.scalar(select(Organisation).where(Organisation.short_name == "CEMR"))
        uclg = db.session.scalar(select(Organisation).where(Organisation.short_name == "UCLG"))
        secretariat = User(name="Bench secretariat", email="secretariat@bench.example.org", role="secretariat",
                           organisation=uclg)
        author = User(name="Bench author", email="author@bench.example.org", role="contributor", organisation=cemr)
        reviewer = User(name="Bench reviewer", email="reviewer@bench.example.org", role="reviewer", organisation=cemr)
        for user in (secretariat, author, reviewer):
            user.set_password(PASSWORD)
        db.session.add_all([secretariat, author, reviewer])
        revisions = []
        for day, (name, texts) in enumerate([("Zero draft", zero), ("Rev 1", rev_1), ("Rev 2", rev_2),
                                             ("Rev 3", rev_3)], start=1):
            revision = TextRevision(name=name, issued_on=date(2018, 2, day), published_by=secretariat,
                                    reanchored_at=datetime(2018, 2, day, 12, 0),
                                    paragraphs=[TextParagraph(order=i + 1, kind="paragraph", number=str(i + 1),
                                                              text=text) for i, text in enumerate(texts)])
            db.session.add(revision)
            revisions.append(revision)
        db.session.commit()
        revision_ids = [r.id for r in revisions]

        milestone = db.session.scalar(select(Milestone).where(Milestone.name.contains("Round 2")))
        theme_ids = list(db.session.scalars(select(Theme.id).limit(2)))
        positions = {}
        for label in ("edited", "rewritten"):
            first = position_text(rng, vocabulary_words, args.characters)
            if label == "edited":
                paragraphs = first.split("\n\n")
                paragraphs = edit(rng, vocabulary_words, paragraphs)
                second = "\n\n".join(paragraphs)[:args.characters]
            else:
                second = position_text(rng, vocabulary_words, args.characters)
            position = create_position(author, PositionContent(title=f"Bench {label}", milestone_id=milestone.id,
                                                               text=first, summary="Bench.", theme_ids=theme_ids))
            position.extended_until = date(2018, 12, 31)
            transition(position, "submit", author)
            transition(position, "start_review", reviewer)
            transition(position, "request_changes", reviewer, comment="Shorter, please.")
            save_position(position, author, PositionContent(title=f"Bench {label}", milestone_id=milestone.id,
                                                            text=second, summary="Bench.", theme_ids=theme_ids),
                          position.revision_number)
            transition(position, "submit", author)
            positions[label] = position.id
        assert db.session.scalar(select(StageEvent.id).limit(1)) is not None
        assert all(len(db.session.get(Position, i).revisions[-1].text) > args.characters * 0.95
                   for i in positions.values())
        db.session.remove()

    client = app.test_client()

    def log_in(email: str) -> None:
        client.post("/logout")
        response = client.post("/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 303, response.status_code

    def get(url: str, marker: str = "") -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if marker:
            assert marker in response.get_data(as_text=True), (url, marker)

    zero_id, rev_1_id, rev_2_id, rev_3_id = revision_ids
    rows = []
    log_in("secretariat@bench.example.org")
    get(f"/text/{rev_1_id}")  # templates compiled before the first measure
    rows.append(("text compare 2,500 vs 2,500", best_of(args.repeat, lambda: get(
        f"/text/compare?from={zero_id}&to={rev_1_id}", "edited")),
        "reading page, 2,500", best_of(args.repeat, lambda: get(f"/text/{rev_1_id}"))))
    rows.append(("text compare 2,500 vs 8,500", best_of(args.repeat, lambda: get(
        f"/text/compare?from={rev_1_id}&to={rev_2_id}", "Added")),
        "reading page, 8,500", best_of(args.repeat, lambda: get(f"/text/{rev_2_id}"))))
    for label, position_id in positions.items():
        def page(position_id=position_id) -> None:
            get(f"/positions/{position_id}", "<del>")

        def compared(position_id=position_id) -> None:
            get(f"/positions/{position_id}/compare?old=1&new=2", "<del>")

        log_in("author@bench.example.org")
        author_page = best_of(args.repeat, lambda position_id=position_id: get(f"/positions/{position_id}"))
        rows.append((f"position compare, 40,000 characters {label}", best_of(args.repeat, compared),
                     "the author's position page", author_page))
        log_in("reviewer@bench.example.org")
        rows.append((f"reviewer's position page, {label}", best_of(args.repeat, page),
                     "the author's position page", author_page))

    def match() -> None:
        words.cache_clear()
        match_paragraphs(rev_2, rev_3)

    def exact_only() -> None:
        waiting = {}
        for j, text in enumerate(rev_3):
            waiting.setdefault(" ".join(text.casefold().split()), []).append(j)
        {i: waiting.get(" ".join(text.casefold().split())) for i, text in enumerate(rev_2)}

    rows.append(("re-anchoring 8,500 vs 8,500", best_of(args.repeat, match), "exact texts only",
                 best_of(args.repeat, exact_only)))

    backend = database_url.split(":")[0].split("+")[0]
    print(f"on {backend}, best of {args.repeat}:")
    width = max(len(row[0]) for row in rows)
    for label, (seconds, cpu), baseline_label, (baseline, baseline_cpu) in rows:
        print(f"  {label:<{width}}  {seconds:7.3f} s ({cpu:.3f} s CPU)   "
              f"(baseline, {baseline_label}: {baseline:.3f} s ({baseline_cpu:.3f} s CPU))")
    keys = ("text_2500", "text_2500_8500", "position_edited", "reviewer_edited", "position_rewritten",
            "reviewer_rewritten", "reanchor_8500")
    print(" ".join(f"{key}_s={row[1][0]:.3f} {key}_cpu_s={row[1][1]:.3f}" for key, row in zip(keys, rows, strict=True)))


if __name__ == "__main__":
    main()
