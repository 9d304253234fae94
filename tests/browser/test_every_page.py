"""Every page of every role, on a phone (390×844) and a desktop (1280×800): no page-level horizontal
scrolling, and no axe-core violation of the WCAG 2.1 A/AA rules.

The pages come from the application's URL map: every GET route must have an entry in PAGES (with
real ids from the demo data and the roles that may see it) or be listed in NOT_PAGES (files, not
pages). A route added without an entry fails `test_every_get_route_is_walked`, so new pages are
covered as soon as they exist.

One browser, one context per role and viewport (logged in once), pages visited one after another:
the failures of a role and viewport are collected and reported together.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import docx
import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from drafting.documents.uploads import attach_annex
from drafting.extensions import db
from drafting.models import CompactSection, Edition, Milestone, Organisation, OutboxMessage, Position, Theme, User

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
# The demo accounts that walk the pages: a contributor, a reviewer and the secretariat.
ROLES = {"contributor": ("contributor", "CEMR"), "reviewer": ("reviewer", "Metropolis"),
         "secretariat": ("secretariat", "UCLG")}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Routes that answer with a file, with data for a page's script, or only redirect: no page to look at.
NOT_PAGES = {
    "static", "negotiated_text.uptake_csv", "tracker.counts_csv", "tracker.positions_csv", "tracker.workbook",
    "documents.download_attachment", "documents.download_edition", "documents.download_edition_pdf",
    "documents.edition_states",  # JSON for editions.js; the cells it carries are the editions page's own
    "negotiated_text.following_state",  # JSON for following.js; its notice is the revision page's own
}

CONTRIBUTOR, REVIEWER, SECRETARIAT = "contributor", "reviewer", "secretariat"
EVERYONE = (CONTRIBUTOR, REVIEWER, SECRETARIAT)
STAFF = (REVIEWER, SECRETARIAT)


@dataclass(frozen=True)
class Ids:
    """Real ids from the demo data."""

    cemr_draft: int          # CEMR, English, draft, with an amendment (its authors may edit it)
    cemr_included: int       # CEMR, English, included, two amendments, several revisions
    arabic_approved: int     # UCLG-MEWA, Arabic (right to left), approved
    spanish_changes: int     # Metropolis, Spanish, changes requested
    zero_draft: int          # milestone with an edition
    round_2: int             # milestone open for submissions
    message: int             # an outbox message
    user: int                # a contributor's account
    text_revision: int       # a revision of the negotiated text (two exist, to compare)
    notifications: dict      # walking role -> a message addressed to that account
    objective: int           # objective 15, with its names in three languages
    workstream: int
    section: int             # a section of the compact, with notes
    organisation: int        # CEMR, which writes positions, with its region in three languages


def _walkers(accounts) -> dict[str, tuple[str, str]]:
    return {role: accounts[key] for role, key in ROLES.items()}


def _text_revisions(publisher: User) -> int:
    """Two revisions of the negotiated text of their own, so that "compare" and "Uptake" have something to
    show. Dated before the demo's zero draft, which stays the revision that the rounds' positions amend."""
    from drafting.models import TextParagraph, TextRevision

    def walk_revision() -> int | None:
        return db.session.scalar(select(TextRevision.id).where(TextRevision.name == "Zero draft (walk)"))

    if walk_revision():
        return walk_revision()
    for name, day, words in (("Zero draft (walk)", 5, "basic services"),
                             ("Zero draft plus (walk)", 26, "basic services, with local authorities")):
        db.session.add(TextRevision(name=name, issued_on=date(2017, 12, day), published_by=publisher, paragraphs=[
            TextParagraph(order=1, kind="heading", text="Objectives and commitments"),
            TextParagraph(order=2, kind="paragraph", number="31", section="Objectives and commitments",
                          text=f"We commit to ensure that all migrants can safely access {words}."),
        ]))
    db.session.commit()
    return walk_revision()


def _followed_amendment(position_id: int, text_revision: int) -> None:
    """An amendment anchored to a paragraph of `text_revision`, taken up by the revision issued the day after,
    so that the position page shows its status and Uptake draws its chart."""
    from datetime import timedelta

    from drafting.models import TextParagraph, TextRevision
    from drafting.negotiated_text.following import follow_amendments

    if db.session.scalar(select(TextRevision.id).where(TextRevision.name == "Rev 1 (walk)")):
        return
    first = db.session.get(TextRevision, text_revision)
    paragraph = next(p for p in first.paragraphs if p.kind == "paragraph")
    proposed = paragraph.text.rstrip(".") + ", with local and regional governments."
    position = db.session.get(Position, position_id)
    position.amendments = [*position.amendments, {
        "key": "walk", "paragraph_id": paragraph.id, "kind": "replace", "section_id": None,
        "paragraph": paragraph.number, "current_text": paragraph.text, "rationale": "Cities deliver them.",
        "proposed_text": proposed}]
    later = TextRevision(name="Rev 1 (walk)", issued_on=first.issued_on + timedelta(days=1),
                         published_by=first.published_by, paragraphs=[
                             TextParagraph(order=p.order, kind=p.kind, number=p.number, section=p.section,
                                           text=proposed if p.id == paragraph.id else p.text)
                             for p in first.paragraphs])
    db.session.add(later)
    db.session.commit()
    follow_amendments(later.id)


def _notification(email: str) -> int:
    """A message addressed to this account, which only it may read under Notifications."""
    user = db.session.scalar(select(User).where(User.email == email))
    found = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.recipient_id == user.id).limit(1))
    if found:
        return found
    message = OutboxMessage(kind="comment", recipient=user.email, recipient_id=user.id,
                            subject="A comment on your position", body="Please name the paragraph.")
    db.session.add(message)
    db.session.commit()
    return message.id


def _ids(app, accounts) -> Ids:
    with app.app_context():
        def position(title_part: str) -> int:
            return db.session.scalar(select(Position.id).where(Position.title.contains(title_part)))

        def milestone(name_part: str) -> int:
            return db.session.scalar(select(Milestone.id).where(Milestone.name.contains(name_part)))

        edition_milestone = db.session.scalar(select(Edition.milestone_id).limit(1))
        draft = db.session.get(Position, position("Follow-up and review with local governments"))
        if not draft.attachments:
            # A Word annex, so that its "Remove" button is on the pages checked.
            buffer = io.BytesIO()
            docx.Document().save(buffer)
            attach_annex(draft, draft.created_by, "annex-walk.docx", buffer.getvalue())
            db.session.commit()
        text_revision = _text_revisions(draft.created_by)
        _followed_amendment(position("Cities as partners in implementing the compact"), text_revision)
        notifications = {role: _notification(email) for role, (email, _password) in _walkers(accounts).items()}
        ids = Ids(
            cemr_draft=position("Follow-up and review with local governments"),
            cemr_included=position("Cities as partners in implementing the compact"),
            arabic_approved=position("بيانات محلية"),
            spanish_changes=position("Vivienda digna"),
            zero_draft=edition_milestone or milestone("Zero draft"),
            round_2=milestone("Round 2"),
            message=db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id).limit(1)),
            user=db.session.scalar(select(User.id).where(User.role == "contributor").order_by(User.id).limit(1)),
            text_revision=text_revision, notifications=notifications,
            objective=db.session.scalar(select(Theme.id).where(Theme.number == 15)),
            workstream=db.session.scalar(select(Theme.id).where(Theme.kind == "workstream").limit(1)),
            section=db.session.scalar(select(CompactSection.id).where(CompactSection.order == 4)),
            organisation=db.session.scalar(select(Organisation.id).where(Organisation.short_name == "CEMR")),
        )
        db.session.remove()
    assert all(value is not None for value in vars(ids).values()), ids
    return ids


Url = Callable[[Ids], str]

# endpoint -> [(url, roles that may see it), ...]
PAGES: dict[str, list[tuple[Url, tuple[str, ...]]]] = {
    "accounts.login": [(lambda i: "/login", ("anonymous",))],
    "accounts.home": [(lambda i: "/", EVERYONE)],
    "accounts.account": [(lambda i: "/account", EVERYONE)],
    "accounts.users": [(lambda i: "/users", (SECRETARIAT,))],
    "accounts.new_user": [(lambda i: "/users/new", (SECRETARIAT,))],
    "accounts.edit_user": [(lambda i: f"/users/{i.user}/edit", (SECRETARIAT,))],
    "reference.organisations": [(lambda i: "/organisations", EVERYONE)],
    "reference.edit_organisation": [(lambda i: f"/organisations/{i.organisation}/edit", (SECRETARIAT,))],
    "reference.themes": [(lambda i: "/themes", EVERYONE)],
    "reference.edit_theme": [(lambda i: f"/themes/{i.objective}/edit", (SECRETARIAT,)),
                             (lambda i: f"/themes/{i.workstream}/edit", (SECRETARIAT,))],
    "reference.edit_section": [(lambda i: f"/sections/{i.section}/edit", (SECRETARIAT,))],
    "milestones.index": [(lambda i: "/milestones", EVERYONE)],
    "milestones.show": [(lambda i: f"/milestones/{i.round_2}", EVERYONE)],
    "milestones.edit": [(lambda i: f"/milestones/{i.round_2}/edit", (SECRETARIAT,))],
    "positions.index": [(lambda i: "/positions", EVERYONE)],
    "positions.new": [(lambda i: "/positions/new", (CONTRIBUTOR,))],
    "positions.show": [
        (lambda i: f"/positions/{i.cemr_draft}", (CONTRIBUTOR, SECRETARIAT)),
        (lambda i: f"/positions/{i.cemr_included}", EVERYONE),
        (lambda i: f"/positions/{i.arabic_approved}", STAFF),
        (lambda i: f"/positions/{i.spanish_changes}", STAFF),
    ],
    "positions.confirm_withdraw": [(lambda i: f"/positions/{i.cemr_draft}/withdraw", (CONTRIBUTOR,))],
    "positions.edit": [(lambda i: f"/positions/{i.cemr_draft}/edit", (CONTRIBUTOR,))],
    "positions.history": [
        (lambda i: f"/positions/{i.cemr_included}/history", EVERYONE),
        (lambda i: f"/positions/{i.arabic_approved}/history", STAFF),
    ],
    "positions.compare_revisions": [
        (lambda i: f"/positions/{i.cemr_included}/compare?old=1&new=2", EVERYONE),
        (lambda i: f"/positions/{i.arabic_approved}/compare?old=1&new=2", STAFF),
    ],
    "documents.attachments": [(lambda i: f"/positions/{i.cemr_draft}/attachments", (CONTRIBUTOR,))],
    "documents.compile": [(lambda i: f"/milestones/{i.zero_draft}/compile", (SECRETARIAT,))],
    "documents.editions": [(lambda i: f"/milestones/{i.zero_draft}/editions", (SECRETARIAT,))],
    "review.queue": [(lambda i: "/review", STAFF)],
    "tracker.index": [(lambda i: "/tracker", (SECRETARIAT,))],
    "tracker.search": [(lambda i: "/search?q=cities", EVERYONE),
                       (lambda i: "/search?q=%D8%A7%D9%84%D9%85%D8%AF%D9%86", EVERYONE)],
    "notifications.outbox": [(lambda i: "/outbox", (SECRETARIAT,))],
    "notifications.message": [(lambda i: f"/outbox/{i.message}", (SECRETARIAT,))],
    "notifications.notifications": [(lambda i: "/notifications", EVERYONE)],
    "notifications.notification": [(lambda i, role=role: f"/notifications/{i.notifications[role]}", (role,))
                                   for role in EVERYONE],
    "negotiated_text.index": [(lambda i: "/text", EVERYONE)],
    "negotiated_text.show": [(lambda i: f"/text/{i.text_revision}", EVERYONE)],
    "negotiated_text.compare": [(lambda i: "/text/compare", EVERYONE)],
    "negotiated_text.new": [(lambda i: "/text/new", (SECRETARIAT,))],
    "negotiated_text.uptake": [(lambda i: "/text/uptake", (CONTRIBUTOR, SECRETARIAT))],
}

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations", "incomplete"]}
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def test_every_get_route_is_walked(live_server):
    get_routes = {rule.endpoint for rule in live_server.url_map.iter_rules() if "GET" in rule.methods}
    missing = sorted(get_routes - set(PAGES) - NOT_PAGES)
    assert not missing, f"GET routes without an entry in PAGES (add real ids and roles): {missing}"
    assert not set(PAGES) - get_routes, "PAGES lists routes that no longer exist"


def _urls_for(role: str, ids: Ids) -> list[str]:
    return [url(ids) for entries in PAGES.values() for url, roles in entries if role in roles]


def _describe(violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return lines


def _same_colour(incomplete: list[dict]) -> list[str]:
    return [str(node["target"]) for check in incomplete if check["id"] == "color-contrast"
            for node in check["nodes"]
            if any((part.get("data") or {}).get("messageKey") == "equalRatio" for part in node["any"])]


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.fixture(scope="module")
def ids(live_server, demo_accounts):
    return _ids(live_server, demo_accounts)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_every_page_fits_and_passes_axe(browser, live_url, demo_accounts, ids, axe, role, viewport):
    context = browser.new_context(base_url=live_url, locale="en-GB", viewport=VIEWPORTS[viewport])
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: list[str] = []
    try:
        if role != "anonymous":
            email, password = demo_accounts[ROLES[role]]
            page.goto("/login")
            page.get_by_label("Email").fill(email)
            page.get_by_label("Password").fill(password)
            with page.expect_navigation():
                page.get_by_role("button", name="Log in").click()
            assert "/login" not in page.url, f"login as {email} failed"
        urls = _urls_for(role, ids)
        assert urls
        for url in urls:
            response = page.goto(url)
            if response is None or response.status != 200:
                problems.append(f"{url}: answered {response and response.status}")
                continue
            overflow = page.evaluate(OVERFLOW)
            if overflow > 0:
                problems.append(f"{url}: the page scrolls sideways by {overflow}px")
            result = axe.run(page, options=AXE_OPTIONS)
            problems.extend(f"{url}: {line}" for line in _describe(result.response["violations"]))
            # axe leaves text of the same colour as its background "incomplete" (it might be hidden on
            # purpose): the white-on-white "Remove" button was one. Nothing here is hidden that way.
            problems.extend(f"{url}: {target}: text in the colour of its background"
                            for target in _same_colour(result.response["incomplete"]))
    finally:
        context.close()
    assert not problems, f"{role} at {viewport}:\n" + "\n".join(problems)


def _secretariat_page(browser, live_url, demo_accounts, viewport):
    """A new browser context at `viewport`, logged in as the demo secretariat through the login form."""
    context = browser.new_context(base_url=live_url, locale="en-GB", viewport=VIEWPORTS[viewport])
    page = context.new_page()
    email, password = demo_accounts[ROLES[SECRETARIAT]]
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    return context, page


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_tracker_timeline_stays_readable(browser, live_url, demo_accounts, viewport):
    """The timeline's text was about 3 px tall on a 390 px phone: it keeps its size and scrolls in
    its own labelled region instead."""
    context, page = _secretariat_page(browser, live_url, demo_accounts, viewport)
    try:
        page.goto("/tracker")
        heights = page.eval_on_selector_all(
            ".timeline svg text", "texts => texts.map(t => t.getBoundingClientRect().height)")
        assert heights and min(heights) >= 10, f"timeline text {min(heights):.1f} px tall at {viewport}"
        region = page.get_by_role("region", name="Timeline")
        region.focus()
        before = region.evaluate("r => r.scrollLeft")
        page.keyboard.press("ArrowRight")
        if viewport == "phone":
            page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle())
            assert region.evaluate("r => r.scrollLeft") > before
    finally:
        context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_uptake_chart_stays_readable(browser, live_url, demo_accounts, ids, viewport):
    """The chart is drawn as narrow as a phone: its text keeps at least 10 px there, without scrolling."""
    context, page = _secretariat_page(browser, live_url, demo_accounts, viewport)
    try:
        page.goto("/text/uptake")
        heights = page.eval_on_selector_all(
            ".uptake-chart svg text", "texts => texts.map(t => t.getBoundingClientRect().height)")
        assert heights and min(heights) >= 10, f"uptake chart text {min(heights):.1f} px tall at {viewport}"
        assert page.evaluate(OVERFLOW) <= 0
    finally:
        context.close()
