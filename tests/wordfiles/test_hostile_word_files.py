"""Every hostile Word file of issue 22, sent to every place that reads Word files: a position's annex
upload, the revision preview and publish at /text/new, and the worker building an edition from a
stored annex (one stored before the budgets, as an old database holds). Each answer is a clear
refusal naming what was too large, or a bounded success; each takes a few seconds of processor time at
most and grows the process by less than 100 MB (measured from the process, tests/support/measure.py).

The files are built by tests/support/hostile_word_files.py."""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from drafting.documents.editions import compile_edition
from drafting.documents.naming import CompileOptions
from drafting.extensions import db
from drafting.models import Attachment, Edition, TextParagraph, TextRevision
from tests.conftest import milestone
from tests.support import hostile_word_files as hostile_files
from tests.support import measure
from tests.support.worker import run_queued_jobs

pytestmark = pytest.mark.skipif(not measure.available(), reason="needs /proc/self/clear_refs (Linux)")

SECONDS = 5.0  # generous: every refusal here takes milliseconds, the largest accepted file about one second
WORKER_SECONDS = 15.0  # a background job: building the edition around the largest accepted annex
MEGABYTES = 100.0


@dataclass(frozen=True)
class Case:
    build: object
    refusal: str | None  # None: accepted everywhere
    revision_refusal: str | None = None  # where a revision's budget differs (500,000 characters)


def _many(count: int):
    return lambda: hostile_files.numbered_paragraphs(count, words=1)


CASES = {
    "zip lying about its sizes": Case(hostile_files.lying_sizes, "damaged"),
    "95 MB of empty paragraphs in 180 KB": Case(hostile_files.empty_paragraphs, "more than 50 MB"),
    "40 MB of empty paragraphs, sizes within 50 MB": Case(lambda: hostile_files.empty_paragraphs(40),
                                                          "more than 20,000 paragraphs"),
    "style based on itself": Case(lambda: hostile_files.style_cycle(1), "“Loop0” is based on itself"),
    "styles based on each other in a circle of three": Case(lambda: hostile_files.style_cycle(3), "is based on itself"),
    "styles based on each other 100 deep": Case(lambda: hostile_files.style_chain(100), "more than 30 deep"),
    "list linked to a list style linked back": Case(hostile_files.numbering_link_cycle, "is based on itself"),
    "list level 100,000,000": Case(hostile_files.huge_level, "list level beyond the 9 levels"),
    "lettered list starting at 10^30": Case(lambda: hostile_files.huge_start(10**30),
                                            "starts at a number larger than 32,767"),
    "list starting at 260,000,000": Case(lambda: hostile_files.huge_start(260_000_000, "decimal"),
                                         "starts at a number larger than 32,767"),
    "list restarted at 260,000,000": Case(lambda: hostile_files.huge_start(260_000_000, override=True),
                                          "starts at a number larger than 32,767"),
    "lettered list starting at 2,000 (77 letters)": Case(lambda: hostile_files.huge_start(2_000), None,
                                                         "longer than 20 characters"),
    "tables nested 300 deep": Case(lambda: hostile_files.nested_tables(300), "nested more than 8 deep"),
    "tables nested 5 deep": Case(lambda: hostile_files.nested_tables(5), None),
    "4,001 styles": Case(lambda: hostile_files.many_styles(4_001), "more than 4,000 styles"),
    "200,001 runs": Case(lambda: hostile_files.many_runs(200_001), "more than 200,000 runs"),
    "600,000 characters": Case(lambda: hostile_files.long_text(600_000), None, "more than 500,000 characters"),
    "2,000,001 characters": Case(lambda: hostile_files.long_text(2_000_001), "more than 2,000,000 characters",
                                 "more than 500,000 characters"),
    "20,000 paragraphs": Case(_many(20_000), None),
    "20,001 paragraphs": Case(_many(20_001), "more than 20,000 paragraphs"),
}


@pytest.fixture(scope="module")
def built():
    """Each case's file, built once for the module (the largest takes a second)."""
    files: dict[str, bytes] = {}

    def get(name: str) -> bytes:
        if name not in files:
            files[name] = CASES[name].build()
        return files[name]

    return get


def _bounded(cost, seconds: float = SECONDS) -> None:
    assert cost.seconds < seconds, f"took {cost.seconds:.1f} s of processor time ({cost.wall_seconds:.1f} s)"
    assert cost.peak_megabytes < MEGABYTES, f"grew the process by {cost.peak_megabytes:.0f} MB"


def _error_beside(page: str, field: str) -> str:
    match = re.search(rf'id="{field}-error"[^>]*>(.*?)</', page, re.DOTALL)
    assert match, f"no error beside {field}"
    return html.unescape(match.group(1))


@pytest.mark.parametrize("name", CASES)
def test_an_annex_upload_answers_within_its_budget(client, login_as, make_position, built, name):
    case, data = CASES[name], built(name)
    position = make_position("draft", org="CEMR")
    login_as("contributor", org="CEMR")
    with measure.measured() as cost:
        response = client.post(f"/positions/{position.id}/attachments",
                               data={"file": (io.BytesIO(data), "annex.docx")}, content_type="multipart/form-data")
    _bounded(cost)
    stored = db.session.scalar(select(func.count()).select_from(Attachment))
    if case.refusal:
        assert response.status_code == 400
        page = html.unescape(response.get_data(as_text=True))
        assert case.refusal in page and 'class="error"' in page
        assert stored == 0
    else:
        assert response.status_code in (302, 303)
        assert stored == 1


def _revision_form(data: bytes, **buttons) -> dict:
    return {"name": "Hostile draft", "issued_on": "2018-02-05", "milestone": "0", "text": "",
            "word_file": (io.BytesIO(data), "draft.docx"), **buttons}


@pytest.mark.parametrize("name", CASES)
def test_a_revision_preview_and_publish_answer_within_their_budget(client, login_as, built, name):
    case, data = CASES[name], built(name)
    refusal = case.revision_refusal or case.refusal
    login_as("secretariat")
    with measure.measured() as cost:
        preview = client.post("/text/new", data=_revision_form(data, preview="1"), content_type="multipart/form-data")
    _bounded(cost)
    page = preview.get_data(as_text=True)
    if refusal:
        assert preview.status_code == 422
        assert refusal in _error_beside(page, "word_file")
        assert 'value="Hostile draft"' in page  # the rest of the form is kept
        # "Publish" with the file (no preview carried) reads it the same way.
        published = client.post("/text/new", data=_revision_form(data, publish="1"),
                                content_type="multipart/form-data")
        assert published.status_code == 422 and refusal in _error_beside(published.get_data(as_text=True),
                                                                          "word_file")
        assert db.session.scalar(select(func.count()).select_from(TextRevision)) == 0
        return
    if preview.status_code == 422:  # accepted, but nothing numbered in it: said beside the field
        assert "No numbered paragraph" in _error_beside(page, "word_file")
        return
    assert preview.status_code == 200
    structure = html.unescape(re.search(r'<textarea name="structure" hidden>(.*?)</textarea>', page,
                                        re.DOTALL).group(1))
    with measure.measured() as cost:
        published = client.post("/text/new", data={"name": "Hostile draft", "issued_on": "2018-02-05",
                                                   "milestone": "0", "structure": structure, "publish": "1",
                                                   "source_filename": "draft.docx"})
    _bounded(cost)
    assert published.status_code == 302
    stored = db.session.scalars(select(TextParagraph).order_by(TextParagraph.order)).all()
    previewed = [line for line in structure.split("\n\n") if line.strip()]
    assert len(stored) == len(previewed)


@pytest.mark.parametrize("name", CASES)
def test_the_worker_building_an_edition_answers_within_the_budget_of_a_stored_annex(
        app, make_user, make_position, built, name):
    case, data = CASES[name], built(name)
    position = make_position("approved", org="CEMR", title="Housing first")
    db.session.add(Attachment(position=position, filename="stored.docx", size=len(data), sha256="0" * 64,
                              data=data, uploaded_by=position.created_by))
    db.session.commit()  # stored before the budgets, as an older database may hold it
    edition = compile_edition(milestone("Round 2"), make_user("secretariat"), CompileOptions(title="Round 2"))
    with measure.measured() as cost:
        run_queued_jobs(app)
    _bounded(cost, WORKER_SECONDS)
    db.session.expire_all()
    edition = db.session.get(Edition, edition.id)
    assert edition.state == "ready", edition.failure_reason
    if case.refusal:
        [left_out] = edition.annexes_left_out
        assert left_out["filename"] == "stored.docx" and case.refusal in left_out["reasons"]["en"]
        assert "?" not in left_out["reasons"]["fr"] and left_out["reasons"]["fr"] != left_out["reasons"]["en"]
    else:
        assert edition.annexes_left_out == []
