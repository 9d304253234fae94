"""The Uptake page with UCLG's joint proposals, read at a phone's width and a desktop's: the joint
figures as cards on the phone, nothing scrolls sideways, no text under 12 px. Served by a server of its
own (the demo data, then a Rev 1 that follows the zero draft and joint proposals on its amended
paragraphs), so that the shared live server's data stays as the other browser tests expect it.

`JOINT_SCREENSHOTS=folder` keeps the screenshots (uptake-390.png, uptake-1280.png, and the joint table
alone, uptake-joint-390.png ...) to look at."""

from __future__ import annotations

import os
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from drafting import create_app
from drafting.extensions import db
from drafting.models import Amendment, TextParagraph, TextRevision, User
from drafting.negotiated_text import following
from drafting.negotiated_text.operations import publish_revision
from tests.support.joint import joint_proposal

from .conftest import _free_port

pytestmark = pytest.mark.browser

OUTCOMES = ("taken", "modified", "merged", "not_taken")


def _structure(paragraphs, rewritten: dict[int, str]) -> str:
    lines = []
    for paragraph in paragraphs:
        text = rewritten.get(paragraph.id, paragraph.text)
        if paragraph.kind == "heading":
            lines.append(f"# {text}")
        elif "(" in paragraph.number:
            lines.append(f"({paragraph.number.split('(', 1)[1]} {text}")
        else:
            lines.append(f"{paragraph.number}. {text}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def joint_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("joint-live")
    app = create_app({"DRAFTING_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.db'}",
                      "DRAFTING_TODAY": "2018-02-10", "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
                      "TASK_QUEUE_URL": "memory://", "RATELIMIT_ENABLED": False})
    with app.app_context():
        from drafting.demo import load_demo
        from drafting.reference.loader import load_reference_data

        db.create_all()
        load_reference_data()
        accounts = load_demo()
        secretariat = db.session.scalar(select(User).where(User.role == "secretariat"))
        zero = db.session.scalar(select(TextRevision).order_by(TextRevision.id))
        paragraphs = db.session.scalars(select(TextParagraph).where(TextParagraph.revision_id == zero.id)
                                        .order_by(TextParagraph.order)).all()
        amendments = db.session.scalars(select(Amendment).where(Amendment.paragraph_id.is_not(None))
                                        .order_by(Amendment.id)).all()
        amended = sorted({a.paragraph_id for a in amendments})
        by_id = {p.id: p for p in paragraphs}
        joint_texts = {pid: by_id[pid].text.rstrip(".;") + ", with local and regional governments."
                       for pid in amended}
        # Rev 1 takes up the joint proposal on every other amended paragraph.
        rewritten = {pid: joint_texts[pid] for index, pid in enumerate(amended) if index % 2 == 0}
        rev_1 = publish_revision(name="Rev 1", issued_on=date(2018, 3, 5), milestone=None,
                                 structure=_structure(paragraphs, rewritten), source_filename="", by=secretariat)
        db.session.commit()
        for index, pid in enumerate(amended):
            outcomes = {a.id: OUTCOMES[(index + n) % len(OUTCOMES)]
                        for n, a in enumerate(x for x in amendments if x.paragraph_id == pid)}
            joint_proposal(by_id[pid], joint_texts[pid], secretariat, choice="merged", outcomes=outcomes,
                           reason="Closest to the networks' wording.", commit=False)
        db.session.commit()
        following.follow_amendments(rev_1.id)
        db.session.remove()
    port = _free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", {(role, org): (email, password) for email, role, org, password in accounts}
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_joint_uptake_reads_at_a_phones_and_a_desktops_width(browser, joint_server, width):
    url, accounts = joint_server
    context = browser.new_context(base_url=url, locale="en-GB", viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        email, password = accounts[("secretariat", "UCLG")]
        page.goto("/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        page.goto("/text/uptake")
        heading = page.get_by_role("heading", name="UCLG's joint proposal")
        heading.scroll_into_view_if_needed()
        assert heading.is_visible()
        table = page.locator("table.uptake-joint")
        assert table.locator("tbody tr").count() >= 1
        # Cards on the phone: one block per network, each cell labelled; a table row on the desktop.
        row_display = table.locator("tbody tr").first.evaluate("row => getComputedStyle(row).display")
        assert row_display == ("table-row" if width == 1280 else "flex")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        sizes = page.eval_on_selector_all(
            "table.uptake-joint td", "cells => cells.flatMap(c => [getComputedStyle(c).fontSize, "
            "getComputedStyle(c, '::before').fontSize]).map(parseFloat)")
        assert sizes and min(sizes) >= 12
        folder = os.environ.get("JOINT_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            heading.scroll_into_view_if_needed()
            page.screenshot(path=str(Path(folder) / f"uptake-{width}.png"), full_page=True)
            table.screenshot(path=str(Path(folder) / f"uptake-joint-{width}.png"))
    finally:
        context.close()
