"""Benchmark: an edition's preparation with its PDF, next to one plain LibreOffice conversion of its file.

    python bench/pdf.py              # 300 positions
    python bench/pdf.py --n 1000
    python bench/pdf.py --repeat 3   # the median of three of each, alternated

Demo-like editions: the positions of the demo are seeded, then generated approved positions for Round 2 up
to N in all, in English, French, Spanish and, one in ten, Arabic (8 paragraphs of about 80 words, two
proposed amendments each), in a temporary SQLite database. The edition is compiled, then prepared as the
worker does (`prepare_edition`: the Word file, LibreOffice's layout with the contents list and the PDF, the
numbered Word file, the stored files) through a unoserver started for the run and warmed on a tiny file,
over its UNO port as the worker does (`--xml-rpc`: through unoserver's own update of the contents list).

The baseline, in the same run: a plain `soffice --headless --convert-to pdf` of the same final Word file
with the same `writer_pdf_Export` options as the application's export (a tagged PDF with its outline and
title, as `drafting.documents.office.unoserver.pdf_options` gives them; before, the baseline was soffice's
default untagged export, a little cheaper, so the ratio was not like for like), with a user installation
profile of its own (made beforehand by a tiny conversion, so that making it is
not timed), one process for the file as a person would run it. Wall-clock times (time.perf_counter);
beside them the CPU seconds LibreOffice spent (its soffice.bin under unoserver, the soffice processes of
the plain conversion), steadier where other work shares the machine. The last line is what to compare:
`n=… pages=… prepare_s=… soffice_s=… ratio=…` (ratio = prepare_s / soffice_s).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import harness

WORDS = {
    "en": ("local regional governments cities migrants refugees newcomers inclusion services housing health "
           "education employment language reception integration participation dialogue mayors networks the of "
           "and to in for with by on across from their our all every").split(),
    "fr": ("les collectivités locales villes migrants réfugiés inclusion services logement santé éducation "
           "emploi accueil intégration participation dialogue maires réseaux et de la le des pour avec dans "
           "leurs chaque").split(),
    "es": ("los gobiernos locales ciudades migrantes refugiados inclusión servicios vivienda salud educación "
           "empleo acogida integración participación diálogo alcaldes redes y de la el para con en sus cada").split(),
    "ar": ("الحكومات المحلية المدن المهاجرين اللاجئين الإدماج الخدمات السكن الصحة التعليم العمل الاستقبال "
           "المشاركة الحوار رؤساء البلديات الشبكات في من إلى مع على كل").split(),
}


def _language(i: int) -> str:
    return "ar" if i % 10 == 9 else ("en", "fr", "es")[i % 3]


def seed(database_url: str, n: int) -> None:
    """The demo, then generated approved positions of Round 2 up to N (a benchmark's fixture, written
    directly rather than through the workflow under test)."""
    from sqlalchemy import func, select

    from drafting.clock import now
    from drafting.demo import load_demo
    from drafting.extensions import db
    from drafting.models import CompactSection, Milestone, Organisation, Position, Theme, User
    from drafting.reference.loader import load_reference_data

    app = harness.app(database_url)
    with app.app_context():
        db.create_all()
        load_reference_data()
        load_demo()
        milestone = db.session.scalar(select(Milestone).where(Milestone.name.contains("Round 2")))
        present = db.session.scalar(select(func.count()).select_from(Position)
                                    .where(Position.milestone_id == milestone.id, Position.stage == "approved"))
        networks = db.session.scalars(select(Organisation).where(Organisation.contributes_positions)
                                      .order_by(Organisation.id)).all()
        objectives = db.session.scalars(select(Theme).where(Theme.kind == "objective")).all()
        sections = db.session.scalars(select(CompactSection).order_by(CompactSection.order)).all()
        reviewer = db.session.scalar(select(User).where(User.role == "reviewer"))
        authors = []
        for org in networks:
            author = User(name=f"Bench author {org.short_name}", email=f"bench.{org.id}@example.org",
                          role="contributor", organisation=org,
                          password_hash="-")  # noqa: S106 (no login: a benchmark account)
            db.session.add(author)
            authors.append(author)
        db.session.flush()
        rng, moment = random.Random(2018), now()
        for i in range(max(0, n - present)):
            language, author = _language(i), authors[i % len(authors)]
            words = WORDS[language]
            paragraphs = [" ".join(rng.choice(words) for _ in range(80)) + "." for _ in range(8)]
            paragraphs[0] = f"**{words[0]} {words[1]}.** " + paragraphs[0]
            text, title = "\n\n".join(paragraphs), f"{i + 1}. " + " ".join(rng.sample(words, 5))
            amendments = [
                {"section_id": sections[3].id, "paragraph": f"{17 + i % 23}({'abcde'[i % 5]})",
                 "current_text": "Current wording of the paragraph.", "proposed_text": " ".join(words[:9]),
                 "rationale": " ".join(words[3:9])},
                {"section_id": sections[4].id, "paragraph": str(40 + i % 8), "current_text": "Implementation.",
                 "proposed_text": " ".join(words[:5]), "rationale": " ".join(words[5:9])},
            ]
            harness.add_approved_position(author=author, milestone=milestone, theme=objectives[i % len(objectives)],
                                          reviewer=reviewer, title=title, text=text, language=language,
                                          amendments=amendments, moment=moment)
            if i % 500 == 499:
                db.session.flush()
        db.session.commit()


def _office_cpu(profile: Path) -> float:
    """CPU seconds used so far by the soffice.bin that runs with `profile` (the unoserver's LibreOffice)."""
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            if b"soffice.bin" in command and str(profile).encode() in command:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                return (int(fields[11]) + int(fields[12])) / ticks
        except OSError:
            continue
    return float("nan")


def plain_filter() -> str:
    """`--convert-to`'s argument: the PDF export filter with the application's options (JSON form)."""
    from drafting.documents.office.unoserver import PDF_FILTER, pdf_options

    options = {}
    for name, value in (option.split("=", 1) for option in pdf_options()):
        kind = "boolean" if value in ("true", "false") else "long" if value.isdecimal() else "string"
        options[name] = {"type": kind, "value": value}
    return f"pdf:{PDF_FILTER}:{json.dumps(options, separators=(',', ':'))}"


def _plain_conversion(source: Path, folder: Path) -> tuple[float, float]:
    """One plain `soffice --headless --convert-to pdf` of `source`, with the application's export options:
    its wall-clock and CPU seconds."""
    soffice = shutil.which("soffice") or "soffice"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    profile = f"-env:UserInstallation=file://{folder / 'so-profile'}"
    subprocess.run([soffice, "--headless", "--norestore", profile, "--convert-to", plain_filter(), "--outdir",
                    str(folder / "plain"), str(source)], capture_output=True, check=True, timeout=1800)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(database_url: str, folder: Path, repeat: int, xml_rpc: bool) -> dict:
    from pypdf import PdfReader
    from sqlalchemy import select

    from drafting.documents.editions import compile_edition
    from drafting.documents.jobs.preparation import prepare_edition
    from drafting.documents.naming import CompileOptions
    from drafting.documents.office import unoserver as office
    from drafting.extensions import db
    from drafting.models import Edition, Milestone, User
    from tests.support.office_server import unoserver_command

    command = unoserver_command()
    if command is None or shutil.which("soffice") is None:
        raise SystemExit("LibreOffice or unoserver is not installed: make system-packages .venv-office/.installed")
    profile = folder / "uno-profile"
    prepared, plain = [], []
    with harness.unoserver(command, profile) as (url, uno_port):
        app = harness.app(database_url, UNOSERVER_URL=url, UNOSERVER_UNO_PORT=0 if xml_rpc else uno_port,
                          OFFICE_PYTHON=str(Path(command).parent / "python"), UNOSERVER_TIMEOUT=1800)
        with app.app_context():
            office.to_pdf(harness.tiny_docx())  # LibreOffice started and warm, as in the running worker
            tiny = folder / "tiny.docx"
            tiny.write_bytes(harness.tiny_docx())
            _plain_conversion(tiny, folder)  # the plain conversion's profile made, not timed
            milestone = db.session.scalar(select(Milestone).where(Milestone.name.contains("Round 2")))
            actor = db.session.scalar(select(User).where(User.role == "secretariat"))
            # Every edition recorded first: preparing one includes its positions, which leaves none approved.
            editions = [compile_edition(milestone, actor, CompileOptions(title=f"Bench edition {k + 1}")).id
                        for k in range(repeat)]
            db.session.commit()
            for edition_id in editions:
                office_cpu, cpu = _office_cpu(profile), time.process_time()
                start = time.perf_counter()
                state = prepare_edition(edition_id)
                seconds = time.perf_counter() - start
                cpu, office_cpu = time.process_time() - cpu, _office_cpu(profile) - office_cpu
                edition = db.session.get(Edition, edition_id)
                assert state == "ready", edition.failure_reason
                prepared.append({"seconds": seconds, "cpu": cpu, "office_cpu": office_cpu})
                source = folder / "edition.docx"
                source.write_bytes(edition.data)
                seconds, cpu = _plain_conversion(source, folder)
                plain.append({"seconds": seconds, "cpu": cpu})
            pages = len(PdfReader(io.BytesIO(edition.pdf_data)).pages)
            plain_pages = len(PdfReader(folder / "plain" / "edition.pdf").pages)
            positions = len(edition.entries)

    def median(rows, key):
        return statistics.median(row[key] for row in rows)

    return {"positions": positions, "pages": pages, "plain_pages": plain_pages,
            "prepare_s": median(prepared, "seconds"), "prepare_cpu": median(prepared, "cpu"),
            "prepare_office_cpu": median(prepared, "office_cpu"),
            "soffice_s": median(plain, "seconds"), "soffice_cpu": median(plain, "cpu"),
            "runs": {"prepare_s": [round(row["seconds"], 2) for row in prepared],
                     "soffice_s": [round(row["seconds"], 2) for row in plain]}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="positions in the edition (default 300)")
    parser.add_argument("--repeat", type=int, default=1, help="preparations and plain conversions, alternated; "
                                                              "the median of each is printed (default 1)")
    parser.add_argument("--xml-rpc", action="store_true", help="LibreOffice through unoserver's XML-RPC alone "
                                                                   "(its own update of the contents list)")
    parser.add_argument("--phase", choices=("seed", "measure"), help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase == "seed":
        seed(args.db, args.n)
        print(json.dumps({"ok": True}))
        return
    if args.phase == "measure":
        print(json.dumps(measure(args.db, Path(args.folder), args.repeat, args.xml_rpc)))
        return

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        started = time.perf_counter()
        harness.child(__file__, "seed", "--n", str(args.n), "--db", database_url)
        print(f"seeded the demo and approved positions up to {args.n} in {time.perf_counter() - started:.1f} s")
        result = harness.child(__file__, "measure", "--db", database_url, "--folder", tmp,
                               "--repeat", str(args.repeat), *(("--xml-rpc",) if args.xml_rpc else ()))
    ratio = result["prepare_s"] / result["soffice_s"]
    channel = "unoserver's XML-RPC" if args.xml_rpc else "UNO port"
    print(f"preparation (prepare_edition, unoserver warm, through its {channel}): {result['prepare_s']:.2f} s, "
          f"{result['positions']} positions, {result['pages']} pages; CPU {result['prepare_cpu']:.2f} s in Python, "
          f"{result['prepare_office_cpu']:.2f} s in LibreOffice")
    print(f"baseline (plain soffice --headless --convert-to pdf of the same Word file, the same export options: "
          f"tagged, outline, title; like for like): {result['soffice_s']:.2f} s, "
          f"{result['plain_pages']} pages; CPU {result['soffice_cpu']:.2f} s")
    print(f"LibreOffice CPU ratio (steadier where other work shares the machine): "
          f"{result['prepare_office_cpu'] / result['soffice_cpu']:.2f}")
    if args.repeat > 1:
        print(f"runs: {result['runs']}")
    print(f"n={args.n} pages={result['pages']} prepare_s={result['prepare_s']:.2f} "
          f"soffice_s={result['soffice_s']:.2f} ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
