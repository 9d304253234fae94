"""Accept All gives the proposed text and Reject All the revision, paragraph by paragraph, numbers, tabs and
paragraph marks included: on the demo's "Text with proposed amendments" and on 200 generated texts with
proposals of every kind, by the rules of the format (tests/support/tracked_changes.py) and through
LibreOffice itself (Accept All / Reject All dispatched over UNO)."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from drafting.documents.naming import CompileOptions
from drafting.documents.office.unoserver import without_comments
from drafting.documents.plan.data import TextWithAmendments
from drafting.documents.plan.gathering import plan_text_with_amendments
from drafting.documents.render.builder import build_document
from drafting.extensions import db
from drafting.models import TextRevision, User
from tests.support.office_server import ROOT
from tests.support.tracked_changes import (
    KINDS,
    expected_texts,
    generated_text,
    joined_texts,
    settled_paragraphs,
    text_region,
)

from ..conftest import milestone
from .conftest import compile_ready, plan_of

GENERATED = 200
PER_DOCUMENT = 25  # generated texts joined into one document for LibreOffice


@pytest.fixture
def backend():
    """The files do not depend on the database."""
    return "sqlite"


@dataclass
class Case:
    name: str
    text: TextWithAmendments
    data: bytes


def built(name: str, text: TextWithAmendments) -> Case:
    plan = plan_of(title=name, locale="en", preface="")
    plan.text = text
    return Case(name, text, build_document(plan))


def demo_edition() -> Case:
    """The demo's positions on the zero draft, compiled as a "Text with proposed amendments"."""
    from drafting.demo import load_demo

    load_demo()
    zero_draft = db.session.scalar(select(TextRevision).where(TextRevision.name == "Zero draft"))
    secretariat = db.session.scalar(select(User).where(User.role == "secretariat"))
    edition = compile_ready(milestone("Round 1"), secretariat,
                            CompileOptions(kind="text_with_amendments", text_revision_id=zero_draft.id))
    assert edition.state == "ready", edition.failure_reason
    plan, _taken = plan_text_with_amendments(edition)
    assert plan.text.proposals  # the demo's approved positions propose changes to it
    return Case("demo", plan.text, edition.data)


def assert_settles(case: Case, accepted: list[str], rejected: list[str]) -> None:
    revision, proposed = expected_texts(case.text)
    assert text_region(rejected) == revision, f"{case.name}: Reject All"
    assert text_region(accepted) == proposed, f"{case.name}: Accept All"


def test_the_generated_texts_cover_every_kind_of_amendment():
    kinds = set().union(*(generated_text(seed).kinds for seed in range(GENERATED)))
    assert kinds == set(KINDS)


@pytest.mark.usefixtures("app")
def test_accept_all_gives_the_proposed_text_and_reject_all_the_revision():
    cases = [demo_edition()] + [built(f"seed {seed}", generated_text(seed).text) for seed in range(GENERATED)]
    for case in cases:
        assert_settles(case, settled_paragraphs(case.data, accept=True), settled_paragraphs(case.data, accept=False))


@pytest.mark.office
def test_libreoffice_accepts_and_rejects_all_changes_to_the_same_texts(app, office_server, tmp_path):
    generated = [generated_text(seed).text for seed in range(GENERATED)]
    cases = [demo_edition()] + [built(f"seeds {start}-{start + PER_DOCUMENT - 1}",
                                      joined_texts(generated[start:start + PER_DOCUMENT]))
                                for start in range(0, GENERATED, PER_DOCUMENT)]
    paths = {}
    for index, case in enumerate(cases):
        # LibreOffice as a server crashes on comment anchors (see office.without_comments); the tracked
        # changes are the same without them.
        paths[case.name] = tmp_path / f"case-{index}.docx"
        paths[case.name].write_bytes(without_comments(case.data))
    office_python = ROOT / ".venv-office" / "bin" / "python"
    script = ROOT / "tests" / "support" / "uno_accept_reject.py"
    run = subprocess.run([str(office_python), str(script), str(office_server.uno_port), "Heading 2",
                          *(str(path) for path in paths.values())], capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-2000:]
    results = json.loads(run.stdout)
    for case in cases:
        settled = results[str(paths[case.name])]
        assert_settles(case, settled["accept"]["paragraphs"], settled["reject"]["paragraphs"])
        # Headings stay headings: a paragraph joined to one does not take its style away.
        headings = [line.text for line in case.text.lines if line.kind == "heading"]
        assert settled["accept"]["headings"] == settled["reject"]["headings"] == headings
