"""Benchmark: what the hostile Word files of issue 22 cost each place that reads Word files.

    python bench/word_files.py                    # every case, this checkout
    python bench/word_files.py --root /work/main  # the same cases against another checkout (before/after)
    python bench/word_files.py --case lying --timeout 120

Each case runs in a fresh Python process: the file is built (tests/support/hostile_word_files.py), the
process's peak resident set is reset (/proc/self/clear_refs), then one reader runs: the upload check
(`clean_word_file`, formerly `clean_annex`: what POST /positions/<id>/attachments does before
storing), the revision preview (`read_word_file`, POST /text/new), or the worker's edition build with
the file as a stored annex. The
row gives the answer (accepted, or the refusal), the wall time, the processor time, and the peak
resident set above the resident set at the start. A case past --timeout is killed and reported as such.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

BUILDERS = HERE / "tests" / "support" / "hostile_word_files.py"
CASES = {
    "lying": ("lying_sizes", {}),
    "empty": ("empty_paragraphs", {}),
    "numbered20k": ("numbered_paragraphs", {"count": 20_000, "words": 1}),
    "numbered20k_long": ("numbered_paragraphs", {"count": 20_000}),
    "self_style": ("style_cycle", {"length": 1}),
    "ilvl": ("huge_level", {}),
    "start_1e30": ("huge_start", {"start": 10**30}),
    "start_260m": ("huge_start", {"start": 260_000_000, "fmt": "decimal"}),
    "runs200k": ("many_runs", {"count": 200_001}),
}
READERS = ("upload", "preview", "edition")

CHILD = r"""
import importlib.util, json, re, sys, time
sys.path.insert(0, {root!r})
builder, kwargs, reader = {builder!r}, {kwargs!r}, {reader!r}
spec = importlib.util.spec_from_file_location("hostile_files", {builders!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
data = getattr(module, builder)(**kwargs)
from drafting import create_app
app = create_app({{"DRAFTING_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}})

def status(field):
    return int(re.search(field + r":\s+(\d+)", open("/proc/self/status").read()).group(1))

with app.test_request_context():
    if reader == "upload":
        try:
            from drafting.wordfiles import clean_word_file as check
        except ImportError:
            from drafting.documents.annexes.checks import clean_annex as check
        run = lambda: check("annex.docx", data)
    elif reader == "preview":
        from drafting.negotiated_text.operations import read_word_file
        run = lambda: read_word_file("revision.docx", data)
    else:
        from datetime import date, datetime
        from drafting.documents.render.builder import build_document
        from drafting.documents.plan.data import AnnexFile, EditionPlan, PositionEntry
        entry = PositionEntry(position_id=1, revision_number=1, title="With an annex", text="Cities act.",
                              language="en", organisation_short="CEMR", organisation_full="CEMR",
                              annexes=[AnnexFile("annex.docx", data)])
        plan = EditionPlan(milestone_name="Round 2", milestone_start=date(2018, 3, 12),
                           milestone_end=date(2018, 3, 15), milestone_place="New York", edition_number=1,
                           compiled_at=datetime(2018, 2, 10), compiled_by="Bench", positions=[entry],
                           symbol="UCLG/GCM/1", title="Bench")
        def run():
            build_document(plan)
            return plan.left_out[0].reason if plan.left_out else None
    open("/proc/self/clear_refs", "w").write("5")
    start_rss = status("VmRSS")
    began, began_cpu = time.perf_counter(), time.process_time()
    try:
        outcome = run()
        answer = "accepted" if reader != "edition" or outcome is None else "left out: " + outcome
    except Exception as error:
        answer = type(error).__name__ + ": " + str(error)[:160]
    seconds, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    print(json.dumps({{"answer": answer, "seconds": round(seconds, 2), "cpu": round(cpu, 2),
                      "peak_mb": round((status("VmHWM") - start_rss) / 1024, 1)}}))
"""


def run_case(root: str, case: str, reader: str, timeout: float) -> dict:
    builder, kwargs = CASES[case]
    code = CHILD.format(root=root, builders=str(BUILDERS), builder=builder, kwargs=kwargs, reader=reader)
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired:
        return {"answer": f"killed after {timeout:.0f} s", "seconds": None, "cpu": None, "peak_mb": None}
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        return {"answer": "crashed: " + done.stderr.strip().splitlines()[-1][:160], "seconds": None, "cpu": None,
                "peak_mb": None}
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=str(HERE), help="the checkout whose drafting package is measured")
    parser.add_argument("--case", action="append", choices=sorted(CASES))
    parser.add_argument("--reader", action="append", choices=READERS)
    parser.add_argument("--timeout", type=float, default=90)
    args = parser.parse_args()
    for case in args.case or CASES:
        for reader in args.reader or READERS:
            row = run_case(args.root, case, reader, args.timeout)
            print(f"{case:16} {reader:8} {str(row['seconds']):>7} s {str(row['cpu']):>7} s cpu "
                  f"{str(row['peak_mb']):>8} MB  {row['answer']}", flush=True)


if __name__ == "__main__":
    main()
