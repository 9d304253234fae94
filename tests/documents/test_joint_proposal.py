"""The "UCLG joint proposal" edition: the revision with only UCLG's joint proposals as tracked changes,
authored "UCLG", each commented with the networks behind it and the reason (EN/FR/ES); compiled from the
database like the other kinds (the form, the worker, numbered, the file name), Accept All giving exactly
the joint proposals' text and Reject All exactly the revision: on the demo with a joint proposal on every
amended paragraph and on 200 generated sets by the rules of the format, and through LibreOffice."""

from __future__ import annotations

import json
import subprocess
from collections import Counter

import pytest
from sqlalchemy import select

from drafting.documents.naming import CompileOptions
from drafting.documents.office.unoserver import without_comments
from drafting.documents.plan.data import JointChange, TextLine
from drafting.documents.plan.gathering import joint_changes, plan_joint_proposal
from drafting.documents.render.joint_proposal import build_joint_file
from drafting.extensions import db
from drafting.models import Edition, Organisation, TextRevision, User
from tests.support.docx_structure import assert_sound_docx
from tests.support.joint_rows import (
    REVISION_DATE,
    answer,
    generated_joint,
    joined_joint,
    joint_expected_texts,
    joint_on_every_amended_paragraph,
)
from tests.support.office_server import ROOT
from tests.support.tracked_changes import settled_paragraphs, text_region

from ..conftest import BACKENDS, base_config, milestone
from .conftest import assert_closing_rule, compile_ready, w, xml_of

KIND = "joint_proposal"
GENERATED = 200
PER_DOCUMENT = 25


def demo_joint(language: str = "en", **options):
    """The demo, a joint proposal on each amended paragraph of its zero draft, and the edition compiled."""
    from drafting.demo import load_demo

    load_demo()
    zero = db.session.scalar(select(TextRevision).where(TextRevision.name == "Zero draft"))
    secretariat = db.session.scalar(select(User).where(User.role == "secretariat"))
    proposals = joint_on_every_amended_paragraph(zero, secretariat)
    edition = compile_ready(milestone("Round 1"), secretariat,
                            CompileOptions(kind=KIND, text_revision_id=zero.id, language=language, **options))
    assert edition.state == "ready", edition.failure_reason
    return edition, zero, proposals, secretariat


def authors(data: bytes) -> Counter:
    root = xml_of(data)
    return Counter(element.get(w("author")) for element in root.iter(w("ins"), w("del")))


def comments(data: bytes) -> list[str]:
    root = xml_of(data, "word/comments.xml")
    return ["\n".join("".join(p.itertext(w("t"))) for p in comment.iter(w("p"))) for comment in root.iter(w("comment"))]


def assert_settles(data: bytes, lines, changes, accepted=None, rejected=None) -> None:
    revision, proposed = joint_expected_texts(lines, changes)
    accepted = settled_paragraphs(data, accept=True) if accepted is None else accepted
    rejected = settled_paragraphs(data, accept=False) if rejected is None else rejected
    assert text_region(rejected) == revision
    assert text_region(accepted) == proposed


# Compiled from the database ---------------------------------------------------------------------------

def test_only_the_joint_proposals_appear_authored_uclg_with_networks_and_reason(app):
    edition, zero, proposals, _secretariat = demo_joint()
    assert edition.kind == KIND and edition.filename.endswith(f"-edition-{edition.number}-uclg-joint-proposal.docx")
    assert edition.title == "Zero draft with UCLG’s joint proposals"
    assert_sound_docx(edition.data)
    assert_closing_rule(edition.data)
    changing = [p for p in proposals if p.choice != "unchanged"]
    assert changing and len(changing) < len(proposals)  # some leave their paragraph as it is
    assert set(authors(edition.data)) == {"UCLG"}  # no network is an author
    notes = comments(edition.data)
    assert len(notes) == len(changing)
    for proposal, note in zip(changing, notes, strict=True):
        taken = sorted({o.amendment.position.organisation.short_name for o in proposal.outcomes
                        if o.outcome in ("taken", "modified", "merged")}, key=str.casefold)
        assert note.splitlines()[0] == f"Proposed by UCLG on the basis of the amendments of {', '.join(taken)}."
        assert f"Reason: {proposal.reason}" in note
    # Nothing of what was not taken: a network's wording left aside is nowhere in the document.
    plan, _taken = plan_joint_proposal(edition)
    assert_settles(edition.data, plan.joint.lines, plan.joint.changes)
    root = xml_of(edition.data)
    inserted = " ".join("".join(e.itertext(w("t"))) for e in root.iter(w("ins")))
    for proposal in proposals:
        for outcome in proposal.outcomes:
            wording = outcome.amendment.proposed_text
            if outcome.outcome == "not_taken" and wording and wording not in (p.text for p in proposals):
                assert wording not in inserted


@pytest.mark.parametrize("language,heading,reason", [
    ("fr", "Proposé par CGLU sur la base des amendements de ", "Motif\u00a0: "),
    ("es", "Propuesto por CGLU sobre la base de las enmiendas de ", "Motivo: "),
])
def test_comments_are_in_the_documents_language(app, language, heading, reason):
    edition, _zero, proposals, _secretariat = demo_joint(language)
    notes = comments(edition.data)
    assert notes and all(note.startswith(heading) for note in notes)
    assert all(reason in note for note in notes)


def test_only_the_proposals_agreed_by_every_network_concerned(app):
    from drafting.demo import load_demo

    load_demo()
    zero = db.session.scalar(select(TextRevision).where(TextRevision.name == "Zero draft"))
    secretariat = db.session.scalar(select(User).where(User.role == "secretariat"))
    changing = [p for p in joint_on_every_amended_paragraph(zero, secretariat) if p.choice != "unchanged"]
    agreed, disputed, awaiting = changing[0], changing[1], changing[2]
    for proposal, given in ((agreed, "agree"), (disputed, "disagree")):
        # Every network with an amendment on the paragraph (each has an outcome here) answers.
        for organisation_id in sorted({o.amendment.position.organisation_id for o in proposal.outcomes}):
            answer(proposal, db.session.get(Organisation, organisation_id), given, secretariat)
    # An answer from an earlier round does not count.
    earlier = next(iter({o.amendment.position.organisation_id for o in awaiting.outcomes}))
    awaiting.round = 2
    answer(awaiting, db.session.get(Organisation, earlier), "agree", secretariat).round = 1
    db.session.commit()

    every = {change.paragraph_key for change in joint_changes(zero.id)}
    assert {agreed.paragraph_id, disputed.paragraph_id, awaiting.paragraph_id} <= every
    assert {change.paragraph_key for change in joint_changes(zero.id, agreed_only=True)} == {agreed.paragraph_id}

    edition = compile_ready(milestone("Round 1"), secretariat,
                            CompileOptions(kind=KIND, text_revision_id=zero.id, joint_agreed_only=True))
    assert edition.options["joint_agreed_only"] is True
    assert len(comments(edition.data)) == 1
    assert "Only the proposals that every network concerned agreed to are shown." in "".join(
        xml_of(edition.data).itertext(w("t")))


def test_gathering_the_joint_proposals_takes_a_fixed_number_of_statements(app):
    from drafting.demo import load_demo
    from tests.support.query_budget import counting_statements

    load_demo()
    zero = db.session.scalar(select(TextRevision).where(TextRevision.name == "Zero draft"))
    secretariat = db.session.scalar(select(User).where(User.role == "secretariat"))
    changing = len([p for p in joint_on_every_amended_paragraph(zero, secretariat) if p.choice != "unchanged"])
    zero_id = zero.id
    db.session.expire_all()
    with counting_statements() as statements:
        every = joint_changes(zero_id)
    assert len(every) == changing and len(statements) == 2  # the proposals, the networks behind them
    with counting_statements() as statements:
        agreed = joint_changes(zero_id, agreed_only=True)
    assert agreed == [] and len(statements) == 4  # and the networks concerned, their answers


def test_compiled_from_the_form_numbered_and_listed_with_its_kind(app, client, login_as, make_position):
    from drafting.demo import load_demo

    load_demo()
    zero = db.session.scalar(select(TextRevision).where(TextRevision.name == "Zero draft"))
    secretariat = db.session.scalar(select(User).where(User.role == "secretariat"))
    joint_on_every_amended_paragraph(zero, secretariat)
    login_as("secretariat")
    round_1 = milestone("Round 1").id
    page = client.get(f"/milestones/{round_1}/compile").get_data(as_text=True)
    assert 'value="joint_proposal"' in page and "UCLG joint proposal" in page
    assert "Only the joint proposals every network concerned agreed to" in page
    before = db.session.scalar(select(Edition.number).where(Edition.milestone_id == round_1)
                               .order_by(Edition.number.desc()).limit(1)) or 0
    response = client.post(f"/milestones/{round_1}/compile", data={
        "kind": KIND, "text_revision": str(zero.id), "title": "Zero draft: UCLG", "grouping": "objective",
        "language": "en"})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]
    edition = db.session.scalar(select(Edition).order_by(Edition.id.desc()).limit(1))
    assert (edition.kind, edition.number, edition.text_revision_id) == (KIND, before + 1, zero.id)
    listing = client.get(f"/milestones/{round_1}/editions").get_data(as_text=True)
    assert "UCLG joint proposal" in listing and "Every joint proposal recorded" in listing


def test_a_revision_is_required(app):
    from drafting.demo import load_demo
    from drafting.documents.editions import CompileError, compile_edition

    load_demo()
    secretariat = db.session.scalar(select(User).where(User.role == "secretariat"))
    with pytest.raises(CompileError):
        compile_edition(milestone("Round 1"), secretariat, CompileOptions(kind=KIND))


# Plain data: 200 generated sets ----------------------------------------------------------------------

@pytest.fixture
def backend():
    """The files do not depend on the database."""
    return "sqlite"


def test_the_generated_sets_cover_every_kind_of_change():
    kinds = set().union(*(generated_joint(seed).kinds for seed in range(GENERATED)))
    assert kinds == {"replace", "delete", "insert_after", "unchanged"}


@pytest.mark.usefixtures("app")
def test_accept_all_gives_the_joint_text_and_reject_all_the_revision_on_generated_sets():
    for seed in range(GENERATED):
        generated = generated_joint(seed)
        data = build_joint_file(generated.lines, generated.changes, revision_name="Zero draft",
                                revision_date=REVISION_DATE)
        assert set(authors(data)) <= {"UCLG"}, seed
        assert_settles(data, generated.lines, generated.changes)


@pytest.mark.usefixtures("app")
def test_the_secretariats_own_wording_names_no_network():
    lines = [TextLine(1, "heading", "Objective 1"), TextLine(2, "paragraph", "We commit to data.", "16")]
    data = build_joint_file(lines, [JointChange(2, "modified", "replace", "We commit to local data.", "", [])])
    assert comments(data) == ["Proposed by UCLG."]


# Through LibreOffice -------------------------------------------------------------------------------------

@pytest.mark.office
class TestThroughLibreOffice:
    @pytest.fixture
    def app_config(self, backend, unoserver_config):
        return base_config(BACKENDS[backend], **unoserver_config, UNOSERVER_TIMEOUT=240)

    def test_the_edition_gets_its_pdf_and_libreoffice_accepts_and_rejects_it(self, app, office_server, tmp_path):
        edition, _zero, _proposals, _secretariat = demo_joint()
        assert edition.pdf_data.startswith(b"%PDF")
        plan, _taken = plan_joint_proposal(edition)
        sets = [generated_joint(seed) for seed in range(GENERATED)]
        cases = [("demo", edition.data, plan.joint.lines, plan.joint.changes)]
        for start in range(0, GENERATED, PER_DOCUMENT):
            joined = joined_joint(sets[start:start + PER_DOCUMENT])
            cases.append((f"seeds {start}", build_joint_file(joined.lines, joined.changes, revision_name="Zero draft",
                                                            revision_date=REVISION_DATE),
                          joined.lines, joined.changes))
        paths = []
        for index, (_name, data, _lines, _changes) in enumerate(cases):
            path = tmp_path / f"case-{index}.docx"
            path.write_bytes(without_comments(data))  # see office.without_comments
            paths.append(str(path))
        run = subprocess.run([str(ROOT / ".venv-office" / "bin" / "python"),
                              str(ROOT / "tests" / "support" / "uno_accept_reject.py"),
                              str(office_server.uno_port), "Heading 2", *paths],
                             capture_output=True, text=True, timeout=240)
        assert run.returncode == 0, run.stderr[-2000:]
        results = json.loads(run.stdout)
        for path, (name, _data, lines, changes) in zip(paths, cases, strict=True):
            settled = results[path]
            revision, proposed = joint_expected_texts(lines, changes)
            assert text_region(settled["reject"]["paragraphs"]) == revision, name
            assert text_region(settled["accept"]["paragraphs"]) == proposed, name
            headings = [line.text for line in lines if line.kind == "heading"]
            assert settled["accept"]["headings"] == settled["reject"]["headings"] == headings, name
