"""The editions page follows an edition from "Preparing" to "Ready" by itself: nobody reloads it, and the
change is announced in its status region (for screen readers)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from drafting.clock import now
from drafting.documents.jobs.preparation import prepare_edition
from drafting.documents.naming import CompileOptions, edition_filename
from drafting.documents.queries import next_edition_number
from drafting.extensions import db
from drafting.models import Edition, Milestone, User

pytestmark = pytest.mark.browser


def _preparing_edition(app) -> tuple[int, int, int]:
    """An edition recorded as compiled and not handed to the worker yet: it stays "Preparing" until the
    test prepares it. Zero draft's, with no position (no other test's positions move)."""
    with app.app_context():
        milestone = db.session.scalar(select(Milestone).where(Milestone.name.contains("Zero draft")))
        actor = db.session.scalar(select(User).where(User.role == "secretariat").order_by(User.id).limit(1))
        number = next_edition_number(milestone)
        moment = now()
        edition = Edition(milestone=milestone, number=number, title="States", symbol=f"UCLG/TEST/STATES/{number}",
                          compiled_by=actor, compiled_at=moment, options=CompileOptions().as_dict(),
                          filename=edition_filename(milestone, number), state="preparing", queued_at=moment)
        db.session.add(edition)
        db.session.commit()
        found = edition.id, milestone.id, number
        db.session.remove()
    return found


def test_the_editions_page_shows_ready_without_a_reload(page, live_server, log_in):
    edition_id, milestone_id, number = _preparing_edition(live_server)
    log_in(page, "secretariat", "UCLG")
    page.goto(f"/milestones/{milestone_id}/editions")
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=str(number), exact=True))
    expect(row.get_by_text("Preparing", exact=True)).to_be_visible()
    page.evaluate("() => { window.notReloaded = true; }")

    with live_server.app_context():
        assert prepare_edition(edition_id) == "ready"
        db.session.remove()

    expect(row.get_by_text("Ready", exact=True)).to_be_visible(timeout=20_000)
    expect(row.get_by_role("link", name="Download")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text=f"Edition {number}: Ready")).to_have_count(1)
    assert page.evaluate("() => window.notReloaded === true")
