"""Benchmark: compile an edition of N approved positions, next to a bare python-docx baseline.

    python bench/compile_docx.py            # N = 1000
    python bench/compile_docx.py --n 5000
    python bench/compile_docx.py --pdf      # and, on a line of its own, the PDF through unoserver

Each position has 8 paragraphs of about 80 words and 2 proposed amendments. The positions are seeded
into a temporary SQLite database; the edition is compiled through `compile_edition` (query, build,
store, move every position to "included"). The baseline writes the same paragraphs (8 per position,
Markdown marks left as they are) with python-docx's naive `add_paragraph` and saves the file.

Each measurement runs in a fresh Python process, so "peak_mb" is that process's peak resident set size
(resource.getrusage ru_maxrss, which includes the interpreter and the imported libraries). Times are
wall-clock (time.perf_counter) around the compile call or the baseline script only; the compile's CPU
time (time.process_time) is printed beside it, steadier where other work shares the machine.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import tempfile
import time
from pathlib import Path

import harness

WORDS = (
    "local regional governments cities migrants refugees newcomers inclusion services housing health "
    "education employment language courses reception integration participation dialogue mayors networks "
    "municipalities partnership national frameworks funding capacity data evidence rights dignity access "
    "public transport safety cohesion diversity culture community volunteers employers skills recognition "
    "the of and to in for with by on across from their our all every a an"
).split()


def position_texts(n: int, seed: int = 2018) -> list[tuple[str, list[str]]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        paragraphs = [" ".join(rng.choice(WORDS) for _ in range(80)) for _ in range(8)]
        # A little Markdown, as real positions have: bold and italic words.
        paragraphs[0] = "**Summary.** " + paragraphs[0]
        paragraphs[3] = paragraphs[3].replace(" cities ", " *cities* ", 1)
        out.append((f"Position {i + 1}: local governments and migration", paragraphs))
    return out


def seed(database_url: str, n: int) -> None:
    """N approved positions, written directly (the fixture of a benchmark, not the workflow under test)."""
    from sqlalchemy import select

    from drafting.clock import now
    from drafting.extensions import db
    from drafting.models import CompactSection, Milestone, Organisation, Theme, User
    from drafting.reference.loader import load_reference_data

    app = harness.app(database_url)
    with app.app_context():
        db.create_all()
        load_reference_data()
        networks = db.session.scalars(select(Organisation).where(Organisation.contributes_positions)).all()
        secretariat_org = db.session.scalar(select(Organisation).where(Organisation.kind == "secretariat"))
        milestone = db.session.scalar(select(Milestone).where(Milestone.name.contains("Round 2")))
        objectives = db.session.scalars(select(Theme).where(Theme.kind == "objective")).all()
        sections = db.session.scalars(select(CompactSection).order_by(CompactSection.order)).all()

        def user(name, role, org):
            account = User(name=name, email=f"{name.lower().replace(' ', '.')}@example.org", role=role,
                           organisation=org, password_hash="-")  # noqa: S106 (no login: a benchmark account)
            db.session.add(account)
            return account

        authors = [user(f"Author {o.short_name}", "contributor", o) for o in networks]
        reviewer = user("Reviewer One", "reviewer", secretariat_org)
        user("Secretariat One", "secretariat", secretariat_org)
        db.session.flush()
        moment = now()
        for i, (title, paragraphs) in enumerate(position_texts(n)):
            author = authors[i % len(authors)]
            theme = objectives[i % len(objectives)]
            text = "\n\n".join(paragraphs)
            amendments = [
                {"section_id": sections[3].id, "paragraph": f"{17 + i % 23}({'abcde'[i % 5]})",
                 "current_text": "Current wording of the paragraph.",
                 "proposed_text": f"Proposed wording {i % 7} that names local governments.",
                 "rationale": "Cities deliver the services."},
                {"section_id": sections[4].id, "paragraph": str(40 + i % 8),
                 "current_text": "Implementation paragraph.", "proposed_text": "Add local governments.",
                 "rationale": "Multi-level governance."},
            ]
            harness.add_approved_position(author=author, milestone=milestone, theme=theme, reviewer=reviewer,
                                          title=title, text=text, language="en", amendments=amendments,
                                          moment=moment)
            if i % 500 == 499:
                db.session.flush()
        db.session.commit()


def measure_compile(database_url: str) -> dict:
    from sqlalchemy import select

    from drafting.documents.editions import compile_edition
    from drafting.documents.jobs.preparation import prepare_edition
    from drafting.documents.naming import CompileOptions
    from drafting.extensions import db
    from drafting.models import Edition, Milestone, User

    app = harness.app(database_url)
    with app.app_context():
        milestone = db.session.scalar(select(Milestone).where(Milestone.name.contains("Round 2")))
        actor = db.session.scalar(select(User).where(User.role == "secretariat"))
        start, cpu = time.perf_counter(), time.process_time()
        # Compiling records the edition; the worker's job builds the file (here without LibreOffice, so
        # the Word file alone: the PDF is measured apart, --pdf).
        edition = compile_edition(milestone, actor, CompileOptions())
        prepare_edition(edition.id)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        edition = db.session.get(Edition, edition.id)
        assert edition.state == "ready", edition.failure_reason
        return {"seconds": seconds, "cpu": cpu, "size": edition.size, "positions": len(edition.entries)}


def measure_pdf(database_url: str, folder: Path) -> dict:
    """The edition's PDF through unoserver (what the worker does: lay out, number the contents list,
    render), and a plain `soffice --convert-to pdf` of the same final Word file, in the same run."""
    import shutil

    from sqlalchemy import select

    from drafting.documents.jobs import preparation
    from drafting.documents.office import unoserver as office
    from drafting.extensions import db
    from drafting.models import Edition
    from tests.support.office_server import unoserver_command

    command = unoserver_command()
    if command is None:
        raise SystemExit("unoserver is not installed: make .venv-office/.installed")
    with harness.unoserver(command, folder / "uno-profile") as (url, _uno_port):
        app = harness.app(database_url)
        app.config["UNOSERVER_URL"] = url
        app.config["UNOSERVER_TIMEOUT"] = 900
        with app.app_context():
            edition = db.session.scalar(select(Edition).order_by(Edition.id.desc()))
            plan, _taken = preparation._plan(edition)  # noqa: SLF001 (the job's own steps, timed)
            office.to_pdf(harness.tiny_docx())  # LibreOffice started and warm, as in the running worker
            start = time.perf_counter()
            document, pdf = preparation._paginated(plan)  # noqa: SLF001
            pipeline = time.perf_counter() - start
            start = time.perf_counter()
            office.to_pdf(document)
            one = time.perf_counter() - start
    source = folder / "edition.docx"
    source.write_bytes(document)
    soffice = shutil.which("soffice") or "soffice"
    start = time.perf_counter()
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{folder / 'so-profile'}",
                    "--convert-to", "pdf", "--outdir", str(folder), str(source)], capture_output=True, check=True,
                   timeout=900)
    plain = time.perf_counter() - start
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return {"pipeline_s": pipeline, "unoserver_s": one, "soffice_s": plain, "pages": pages}


def measure_baseline(n: int) -> dict:
    import docx

    texts = position_texts(n)
    start = time.perf_counter()
    document = docx.Document()
    for _title, paragraphs in texts:
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "size": len(out.getvalue())}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="number of approved positions (default 1000)")
    parser.add_argument("--pdf", action="store_true",
                        help="also time the edition's PDF: through unoserver next to a plain soffice --convert-to")
    parser.add_argument("--phase", choices=("seed", "compile", "baseline", "pdf"), help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase == "seed":
        seed(args.db, args.n)
        print(json.dumps({"ok": True}))
        return
    if args.phase == "compile":
        result = measure_compile(args.db)
        print(json.dumps({**result, "peak_mb": _peak_mb()}))
        return
    if args.phase == "pdf":
        with tempfile.TemporaryDirectory(prefix="bench-pdf-") as folder:
            print(json.dumps(measure_pdf(args.db, Path(folder))))
        return
    if args.phase == "baseline":
        result = measure_baseline(args.n)
        print(json.dumps({**result, "peak_mb": _peak_mb()}))
        return

    with tempfile.TemporaryDirectory(prefix="bench-docx-") as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        started = time.perf_counter()
        harness.child(__file__, "seed", "--n", str(args.n), "--db", database_url)
        print(f"seeded {args.n} approved positions in {time.perf_counter() - started:.1f} s")
        compiled = harness.child(__file__, "compile", "--db", database_url)
        baseline = harness.child(__file__, "baseline", "--n", str(args.n))
        rendered = harness.child(__file__, "pdf", "--db", database_url) if args.pdf else None
    ratio = compiled["seconds"] / baseline["seconds"]
    # CPU time beside the wall-clock: on a machine shared with other work, it is the steadier figure.
    print(f"compile_edition: {compiled['seconds']:.2f} s (CPU {compiled['cpu']:.2f} s), "
          f"{compiled['size'] / 1e6:.1f} MB file, "
          f"{compiled['positions']} positions, peak RSS {compiled['peak_mb']:.0f} MB")
    print(f"baseline (bare python-docx, add_paragraph): {baseline['seconds']:.2f} s, "
          f"{baseline['size'] / 1e6:.1f} MB file, peak RSS {baseline['peak_mb']:.0f} MB")
    print(f"n={args.n} compile_s={compiled['seconds']:.3f} baseline_s={baseline['seconds']:.3f} "
          f"ratio={ratio:.2f} peak_mb={compiled['peak_mb']:.0f}")
    if rendered:
        # On a line of its own, after the line the targets read.
        print(f"pdf n={args.n} pages={rendered['pages']} worker_pipeline_s={rendered['pipeline_s']:.2f} "
              f"unoserver_convert_s={rendered['unoserver_s']:.2f} soffice_convert_s={rendered['soffice_s']:.2f}")


if __name__ == "__main__":
    main()
