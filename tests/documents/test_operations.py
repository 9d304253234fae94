"""Compiling and preparing editions: what goes in, what is stored, and that a failure stores nothing."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import func, select

from drafting.documents.editions import CompileError, compile_edition
from drafting.documents.jobs import preparation
from drafting.documents.naming import CompileOptions
from drafting.documents.render import builder
from drafting.documents.uploads import attach_annex
from drafting.extensions import db
from drafting.models import Comment, Edition, Position, StageEvent
from drafting.positions.queries import editions_including
from drafting.positions.workflow import WorkflowError

from ..conftest import milestone
from .conftest import body_text, compile_ready, headings, open_docx, prepared, w, word_file, words, xml_of

ARABIC = "السلطات المحلية **تقدم** الخدمات للمهاجرين.\n\n- السكن\n- الصحة"


@pytest.fixture
def secretariat(make_user):
    return make_user("secretariat", name="Sam Secretariat")


def test_compile_stores_an_edition_with_exact_revisions_and_includes_positions(
        app, make_position, secretariat, section):
    amendment = {"section_id": section(4).id, "paragraph": "31(c)", "current_text": "States shall provide.",
                 "proposed_text": "States and local governments shall provide.", "rationale": "Cities deliver."}
    first = make_position("approved", org="CEMR", title="Housing", text="Cities **house** newcomers.",
                          amendments=[amendment])
    second = make_position("approved", org="UCLG-MEWA", title="الصحة", language="ar", text=ARABIC,
                           amendments=[dict(amendment)])
    draft = make_position("draft", org="Metropolis", title="Not yet")
    round_2 = milestone("Round 2")

    recorded = compile_edition(round_2, secretariat, CompileOptions(preface="Thanks to **all**."))

    # Compiling records the edition and returns: the files and the "included" stage come with the worker.
    assert recorded.state == "preparing" and recorded.data is None and recorded.pdf_data is None
    assert first.stage == "approved" and second.stage == "approved"
    assert editions_including([first.id])[first.id] == []
    edition = prepared(recorded)

    assert edition.state == "ready" and edition.prepared_at is not None
    assert edition.number == 1 and edition.milestone_id == round_2.id
    assert edition.sha256 == hashlib.sha256(edition.data).hexdigest() and edition.size == len(edition.data)
    assert edition.filename == "intergovernmental-negotiations-round-2-edition-1.docx"
    assert {(e.position_id, e.revision_number) for e in edition.entries} == {
        (first.id, first.revision_number), (second.id, second.revision_number)}
    assert first.stage == "included" and second.stage == "included" and draft.stage == "draft"
    event = db.session.scalar(select(StageEvent).where(StageEvent.position_id == first.id,
                                                       StageEvent.action == "include"))
    assert event.comment == "Edition 1" and event.actor_id == secretariat.id

    document = open_docx(edition.data)
    assert headings(document, 2) == ["Housing", "الصحة"]
    text = body_text(document)
    for position in (first, second):
        for word in words(position.text):
            assert word in text
    assert "**" not in text and "Not yet" not in text
    annex = [t for t in document.tables if [c.text for c in t.rows[0].cells][2:3] == ["Proposals"]][0]
    merged = [r for r in annex.rows if "31(c)" in r.cells[0].text]
    assert len(merged) == 1 and "Proposed by CEMR, UCLG-MEWA" in merged[0].cells[2].text


def test_a_second_edition_includes_the_earlier_ones_and_numbers_on(app, make_position, secretariat):
    first = make_position("approved", org="CEMR", title="First")
    compile_ready(milestone("Round 2"), secretariat, CompileOptions())
    later = make_position("approved", org="Metropolis", title="Later")
    other = make_position("approved", org="CEMR", milestone_name="Round 3", title="Other milestone")

    edition = compile_ready(milestone("Round 2"), secretariat, CompileOptions(grouping="organisation"))

    assert edition.number == 2
    assert {e.position_id for e in edition.entries} == {first.id, later.id}
    assert other.stage == "approved"
    assert headings(open_docx(edition.data), 2) == ["First", "Later"]
    included = editions_including([first.id, later.id, other.id])
    assert [(m.name, n) for m, n in included[first.id]] == [("Intergovernmental negotiations – Round 2", 1),
                                                             ("Intergovernmental negotiations – Round 2", 2)]
    assert [n for _m, n in included[later.id]] == [2]
    assert included[other.id] == []


def test_nothing_approved_gives_a_clear_error_and_no_edition(app, make_position, secretariat):
    make_position("in_review", org="CEMR")
    with pytest.raises(CompileError, match="nothing to compile"):
        compile_ready(milestone("Round 2"), secretariat, CompileOptions())
    assert db.session.scalar(select(func.count()).select_from(Edition)) == 0


def test_a_failing_build_fails_the_edition_and_leaves_positions_approved(app, make_position, secretariat,
                                                                          monkeypatch):
    position = make_position("approved", org="CEMR")

    def broken(plan, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(builder, "build_document", broken)
    edition = compile_ready(milestone("Round 2"), secretariat, CompileOptions())
    assert edition.state == "failed" and edition.failure_reason == "build"
    assert edition.data is None and edition.sha256 is None and edition.pdf_data is None
    assert db.session.get(Position, position.id).stage == "approved"


def test_a_position_moved_while_preparing_fails_the_edition_and_writes_no_file(app, make_position, secretariat,
                                                                              monkeypatch):
    position = make_position("approved", org="CEMR")

    def moved(*args, **kwargs):
        raise WorkflowError("Someone else changed one of these positions in the meantime.")

    monkeypatch.setattr(preparation, "transition_many", moved)
    edition = compile_ready(milestone("Round 2"), secretariat, CompileOptions())
    assert edition.state == "failed" and edition.failure_reason == "moved"
    assert edition.data is None and edition.pdf_data is None
    assert db.session.get(Position, position.id).stage == "approved"


def test_later_revisions_do_not_change_an_edition(app, make_position, secretariat):
    position = make_position("approved", org="CEMR", text="Original words.")
    edition = compile_ready(milestone("Round 2"), secretariat, CompileOptions())
    stored = bytes(edition.data)
    position.text = "Changed words."  # as a later carry-forward or fix would
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Edition, edition.id).data == stored


def test_review_comments_and_uploaded_annexes(app, make_position, make_user, secretariat):
    position = make_position("approved", org="CEMR", title="With extras")
    reviewer = make_user("reviewer", "CEMR", name="Rita Reviewer")
    db.session.add_all([
        Comment(position=position, author=reviewer, body="Shared remark for the authors.", visibility="shared",
                revision_number=1),
        Comment(position=position, author=reviewer, body="Internal remark.", visibility="internal",
                revision_number=1),
    ])
    db.session.commit()
    attach_annex(position, position.created_by, "budget.docx",
                 word_file("Annex table of costs.", comment="Check these numbers"))

    edition = compile_ready(milestone("Round 2"), secretariat,
                              CompileOptions(review_comments=True, uploaded_annexes=True))
    document = open_docx(edition.data)
    comments = [c.text for c in document.comments]
    assert any("Shared remark for the authors." in c for c in comments)
    assert not any("Internal remark" in c or "Check these numbers" in c for c in comments)
    assert "“With extras” (CEMR): budget" in headings(document, 2)  # the file's title, without ".docx"
    text = body_text(document)
    assert text.index("Annex table of costs.") > text.index("(CEMR): budget")


@pytest.mark.slow  # seeds hundreds of positions
def test_a_large_generated_set_compiles_and_reopens(app, make_user, secretariat, section):
    """200 approved positions of four networks, each 8 paragraphs and 2 amendments."""
    from tests.support.seed import seed_approved_positions

    positions = seed_approved_positions(200, milestone("Round 2"), section)
    edition = compile_ready(milestone("Round 2"), secretariat, CompileOptions())
    document = open_docx(edition.data)
    assert len(edition.entries) == 200
    assert len(headings(document, 2)) == 200
    text = body_text(document)
    for position in positions[::37]:
        assert all(word in text for word in words(re.sub(r"[*_]", "", position.text)))


def test_a_position_moved_since_the_compile_page_opened_is_a_message_not_an_error_page(client, make_position,
                                                                                     secretariat):
    """The edition holds what the page showed: a position reopened meanwhile stops the compile with a
    message, keeps what was typed, and the page (now listing the current positions) compiles next time."""
    import re as regex

    from drafting.positions.workflow import transition
    from tests.conftest import login

    kept = make_position("approved", org="CEMR", title="Kept")
    reopened = make_position("approved", org="Metropolis", title="Reopened")
    login(client, secretariat)
    url = f"/milestones/{kept.milestone_id}/compile"

    def seen(page):
        return regex.search(r'name="positions_seen" type="hidden" value="([0-9a-f]+)"', page).group(1)

    shown = seen(client.get(url).get_data(as_text=True))
    transition(reopened, "reopen", secretariat, comment="A figure is wrong.")
    form = {"title": "Kept title", "grouping": "objective", "preface": "My preface.", "positions_seen": shown}
    response = client.post(url, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Someone changed the positions to compile since this page was opened" in page
    assert "My preface." in page and "Kept title" in page
    assert db.session.scalar(select(func.count()).select_from(Edition)) == 0

    response = client.post(url, data={**form, "positions_seen": seen(page)})
    assert response.status_code == 302
    edition = db.session.scalar(select(Edition))
    assert [entry.position_id for entry in edition.entries] == [kept.id]


def test_word_comments_come_from_the_compiled_revision_only_with_their_own_date(app, make_position, make_user,
                                                                                secretariat):
    from datetime import datetime

    from drafting.models import Revision

    position = make_position("approved", org="CEMR", title="Revised")
    db.session.add(Revision(position=position, number=2, author_id=position.created_by_id, title="Revised",
                            text="Second text.", language="en", theme_ids=[], amendments=[]))
    position.revision_number = 2
    reviewer = make_user("reviewer", "CEMR", name="Rita Reviewer")
    db.session.add_all([
        Comment(position=position, author=reviewer, body="On the first draft.", visibility="shared",
                revision_number=1, created_at=datetime(2018, 1, 5, 10, 0)),
        Comment(position=position, author=reviewer, body="On the revision.", visibility="shared",
                revision_number=2, created_at=datetime(2018, 2, 1, 14, 30)),
    ])
    db.session.commit()
    edition = compile_ready(milestone("Round 2"), secretariat, CompileOptions(review_comments=True))
    comments = xml_of(edition.data, "word/comments.xml").findall(w("comment"))
    assert ["".join(c.itertext(w("t"))) for c in comments] == ["On the revision."]
    assert comments[0].get(w("date")) == "2018-02-01T14:30:00Z"
