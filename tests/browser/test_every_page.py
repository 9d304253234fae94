"""Every page of every role, at 360, 390, 768 and 1280 px wide: no word cut inside itself (its letters
on two lines), no visible text under 12 px (pictures included), no page-level horizontal scrolling, and
no axe-core violation of the WCAG 2.1 A/AA rules.

The pages come from the application's URL map: every GET route must have an entry in PAGES (with
real ids from the demo data and the roles that may see it) or be listed in NOT_PAGES (files, not
pages). A route added without an entry fails `test_every_get_route_is_walked`, so new pages are
covered as soon as they exist.

One browser, one context per role and width (logged in once, axe injected into every page), each page
visited once and measured in one evaluate (page_checks.js); the failures of a role and width are
collected and reported together. With EVERY_PAGE_REPORT=<file>, the counts of each page are also
appended to that file, one JSON line per page, role and width.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import docx
import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from drafting.accounts import tokens
from drafting.clock import now
from drafting.documents.uploads import attach_annex
from drafting.extensions import db
from drafting.models import (
    AccessToken,
    Amendment,
    CompactSection,
    Edition,
    Milestone,
    Organisation,
    OutboxMessage,
    Position,
    TextParagraph,
    TextRevision,
    Theme,
    User,
)

pytestmark = pytest.mark.browser

WIDTHS = (360, 390, 768, 1280)
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
PAGE_CHECKS = (Path(__file__).parent / "page_checks.js").read_text(encoding="utf-8")
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
    # The JSON API: answers for scripts, read with a token (tests/api); its reference page is walked.
    "api-docs.openapi_json", "api.milestones", "api.milestone", "api.organisations", "api.objectives", "api.positions",
    "api.position", "api.history", "api.comments", "api.amendments", "api.amendment", "api.text_revisions",
    "api.text_revision", "api.uptake", "api.editions", "api.edition", "api.edition_docx", "api.edition_pdf",
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
    text_paragraph: int      # a paragraph of it, with an amendment put forward
    notifications: dict      # walking role -> a message addressed to that account
    objective: int           # objective 15, with its names in three languages
    workstream: int
    section: int             # a section of the compact, with notes
    organisation: int        # CEMR, which writes positions, with its region in three languages
    invitation_token: str    # the link of a pending invitation (the page to choose one's password)
    reset_token: str         # the link of a "Forgot password?" e-mail
    joint_revision: int      # the demo's zero draft, with joint proposals
    joint_paragraph: int     # its paragraph 18: two networks' wordings, a disputed joint proposal
    included_amendment: int  # an amendment of cemr_included (not anchored to the text)
    joint_amendment: int     # Metropolis's amendment to paragraph 18 (changes requested)
    token: int               # a personal access token of `user` (another of theirs is revoked)


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


def _link_token(send) -> str:
    """The token of the link an account e-mail carries, written as the worker writes it at sending.
    The message is claimed first as the delivery claims it, then marked sent: the live server's worker,
    which may already be delivering it, never writes another link over this one (when it got there
    first, `send()` queues a new e-mail and the claim is tried on that one)."""
    from drafting.accounts import links
    from drafting.clock import now
    from drafting.notifications import delivery

    for _attempt in range(5):
        message_id = send()
        if not delivery._claim(message_id, counts_as_attempt=False):  # noqa: SLF001 (the delivery's own claim)
            continue
        message = db.session.get(OutboxMessage, message_id, populate_existing=True)
        body = links.write_link(message)
        message.sent_at = now()
        db.session.commit()
        return body.split("/invitation/" if message.kind == "invitation" else "/password/reset/", 1)[1].split()[0]
    raise AssertionError("the live server's worker took every e-mail first")


def _account_links(accounts) -> tuple[str, str]:
    """A pending invitation and a password reset, each with a link that works."""
    from drafting.accounts import links

    secretariat = db.session.scalar(select(User).where(User.email == accounts[ROLES[SECRETARIAT]][0]))

    def invitation() -> int:
        invited = links.pending_invitation("walk-invitee@cemr.example.org")
        if invited is None:
            invited = links.invite(name="Walk Invitee", email="walk-invitee@cemr.example.org",
                                   organisation=db.session.scalar(select(Organisation).where(
                                       Organisation.short_name == "CEMR")), role="contributor", locale="en",
                                   invited_by=secretariat)
        else:
            links.resend(invited)
        return invited.message_id

    def reset() -> int:
        return links.request_reset(accounts[ROLES[CONTRIBUTOR]][0]).message_id

    return _link_token(invitation), _link_token(reset)


def _access_token(user_id: int) -> int:
    """An active token and a revoked one, so that the lists show both states (made once per server)."""
    user = db.session.get(User, user_id)
    existing = db.session.scalar(select(AccessToken.id).where(AccessToken.user_id == user_id,
                                                              AccessToken.name == "Website sync"))
    if existing:
        return existing
    active, _ = tokens.issue(user, "Website sync", "read", now() + timedelta(days=90))
    revoked, _ = tokens.issue(user, "Monthly report for the network's board", "write", now() + timedelta(days=30))
    tokens.revoke(revoked, user)
    return active.id


def _ids(app, accounts) -> Ids:
    with app.app_context():
        def position(title_part: str) -> int:
            # The first of that title (the demo has one per round): the same on SQLite and PostgreSQL.
            return db.session.scalar(select(Position.id).where(Position.title.contains(title_part))
                                     .order_by(Position.id).limit(1))

        def milestone(name_part: str) -> int:
            return db.session.scalar(select(Milestone.id).where(Milestone.name.contains(name_part))
                                     .order_by(Milestone.id).limit(1))

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
        invitation_token, reset_token = _account_links(accounts)
        joint_revision = db.session.scalar(select(TextRevision.id).where(TextRevision.name == "Zero draft"))
        joint_paragraph = db.session.scalar(select(TextParagraph.id).where(
            TextParagraph.revision_id == joint_revision, TextParagraph.number == "18"))
        user = db.session.scalar(select(User.id).where(User.role == "contributor").order_by(User.id).limit(1))
        ids = Ids(
            cemr_draft=position("Follow-up and review with local governments"),
            cemr_included=position("Cities as partners in implementing the compact"),
            arabic_approved=position("بيانات محلية"),
            spanish_changes=position("Vivienda digna"),
            zero_draft=edition_milestone or milestone("Zero draft"),
            round_2=milestone("Round 2"),
            message=db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id).limit(1)),
            user=user, token=_access_token(user),
            text_revision=text_revision, notifications=notifications,
            text_paragraph=db.session.scalar(select(TextParagraph.id).where(
                TextParagraph.revision_id == text_revision, TextParagraph.kind == "paragraph")
                .order_by(TextParagraph.order).limit(1)),
            objective=db.session.scalar(select(Theme.id).where(Theme.number == 15)),
            workstream=db.session.scalar(select(Theme.id).where(Theme.kind == "workstream").limit(1)),
            section=db.session.scalar(select(CompactSection.id).where(CompactSection.order == 4)),
            organisation=db.session.scalar(select(Organisation.id).where(Organisation.short_name == "CEMR")),
            invitation_token=invitation_token, reset_token=reset_token,
            joint_revision=joint_revision, joint_paragraph=joint_paragraph,
            included_amendment=db.session.scalar(select(Amendment.id).where(
                Amendment.position_id == position("Cities as partners in implementing the compact"))
                .order_by(Amendment.id).limit(1)),
            joint_amendment=db.session.scalar(select(Amendment.id).where(
                Amendment.position_id == position("Vivienda digna"), Amendment.paragraph_id == joint_paragraph)),
        )
        db.session.remove()
    assert all(value is not None for value in vars(ids).values()), ids
    return ids


Url = Callable[[Ids], str]

# endpoint -> [(url, roles that may see it), ...]
PAGES: dict[str, list[tuple[Url, tuple[str, ...]]]] = {
    "accounts.login": [(lambda i: "/login", ("anonymous",))],
    "home.index": [(lambda i: "/", EVERYONE)],
    "accounts.account": [(lambda i: "/account", EVERYONE)],
    "accounts.token_list": [(lambda i: "/account/tokens", EVERYONE)],
    "accounts.confirm_revoke_token": [(lambda i: f"/account/tokens/{i.token}/revoke", (SECRETARIAT,))],
    "accounts.users": [(lambda i: "/users", (SECRETARIAT,))],
    "accounts.new_user": [(lambda i: "/users/new", (SECRETARIAT,))],
    "accounts.edit_user": [(lambda i: f"/users/{i.user}/edit", (SECRETARIAT,))],
    "accounts.confirm_deactivate": [(lambda i: f"/users/{i.user}/deactivate", (SECRETARIAT,))],
    "accounts.invite": [(lambda i: "/users/invite", (SECRETARIAT,))],
    "accounts.forgot_password": [(lambda i: "/password/forgot", ("anonymous",))],
    "accounts.accept_invitation": [(lambda i: f"/invitation/{i.invitation_token}", ("anonymous",))],
    "accounts.reset_with_link": [(lambda i: f"/password/reset/{i.reset_token}", ("anonymous",))],
    "reference.organisations": [(lambda i: "/organisations", EVERYONE)],
    "reference.edit_organisation": [(lambda i: f"/organisations/{i.organisation}/edit", (SECRETARIAT,))],
    "reference.themes": [(lambda i: "/themes", EVERYONE)],
    "reference.edit_theme": [(lambda i: f"/themes/{i.objective}/edit", (SECRETARIAT,)),
                             (lambda i: f"/themes/{i.workstream}/edit", (SECRETARIAT,))],
    "reference.edit_section": [(lambda i: f"/sections/{i.section}/edit", (SECRETARIAT,))],
    "milestones.index": [(lambda i: "/milestones", EVERYONE)],
    "api_pages.documentation": [(lambda i: "/api/v1/docs", EVERYONE)],
    "milestones.show": [(lambda i: f"/milestones/{i.round_2}", EVERYONE)],
    "milestones.edit": [(lambda i: f"/milestones/{i.round_2}/edit", (SECRETARIAT,))],
    "milestones.new": [(lambda i: "/milestones/new", (SECRETARIAT,))],
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
    "negotiated_text.paragraph": [(lambda i: f"/text/{i.text_revision}/paragraphs/{i.text_paragraph}", EVERYONE)],
    "negotiated_text.objectives": [(lambda i: f"/text/{i.text_revision}/objectives", (SECRETARIAT,))],
    "negotiated_text.compare": [(lambda i: "/text/compare", EVERYONE),
                                (lambda i: "/text/compare?changed=1", EVERYONE)],
    "negotiated_text.new": [(lambda i: "/text/new", (SECRETARIAT,))],
    "negotiated_text.uptake": [(lambda i: "/text/uptake", (CONTRIBUTOR, SECRETARIAT))],
    "joint_proposals.index": [(lambda i: "/text/joint", EVERYONE),
                              (lambda i: f"/text/{i.joint_revision}/joint?state=disputed", EVERYONE)],
    "joint_proposals.paragraph": [
        (lambda i: f"/text/{i.joint_revision}/paragraphs/{i.joint_paragraph}/joint", EVERYONE)],
    "joint_proposals.amendment": [(lambda i: f"/amendments/{i.included_amendment}", EVERYONE),
                                  (lambda i: f"/amendments/{i.joint_amendment}", STAFF)],
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


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.fixture(scope="module")
def ids(live_server, demo_accounts):
    return _ids(live_server, demo_accounts)


def _report(role: str, width: int, url: str, found: dict) -> None:
    if path := os.environ.get("EVERY_PAGE_REPORT"):
        counts = {key: (value if key == "overflow" else len(value)) for key, value in found.items()}
        with open(path, "a", encoding="utf-8") as report:
            report.write(json.dumps({"role": role, "width": width, "url": url, **counts}) + "\n")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_every_page_reads_at_every_width(browser, live_url, demo_accounts, ids, axe, role, width):
    context = browser.new_context(base_url=live_url, locale="en-GB", viewport={"width": width, "height": 800})
    context.set_default_timeout(15_000)
    context.add_init_script(script=axe.axe_script)
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
            found = page.evaluate(PAGE_CHECKS, AXE_OPTIONS)
            _report(role, width, url, found)
            problems.extend(f"{url}: word cut across lines: {word}" for word in found["cut"])
            problems.extend(f"{url}: text under 12 px: {text}" for text in found["small"])
            if found["overflow"] > 0:
                problems.append(f"{url}: the page scrolls sideways by {found['overflow']}px")
            problems.extend(f"{url}: {line}" for line in found["misaligned"])
            problems.extend(f"{url}: axe: {line}" for line in found["axe"])
    finally:
        context.close()
    assert not problems, f"{role} at {width} px:\n" + "\n".join(problems)


def _secretariat_page(browser, live_url, demo_accounts, viewport: dict):
    """A new browser context at `viewport`, logged in as the demo secretariat through the login form."""
    context = browser.new_context(base_url=live_url, locale="en-GB", viewport=viewport)
    page = context.new_page()
    email, password = demo_accounts[ROLES[SECRETARIAT]]
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    return context, page


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_tracker_timeline_reads_on_a_phone_as_cards(browser, live_url, demo_accounts, viewport):
    """The timeline's text was about 3 px tall on a 390 px phone, then 9 px in a sideways-scrolling region:
    where the picture would shrink its text under 12 px, the same dates are cards instead."""
    context, page = _secretariat_page(browser, live_url, demo_accounts, VIEWPORTS[viewport])
    try:
        page.goto("/tracker")
        picture, cards = page.locator(".timeline svg"), page.locator(".timeline figcaption > table")
        if viewport == "phone":
            assert picture.is_hidden() and cards.is_visible()
            # One card per milestone, each date on its own line after its label (the cell's data-label).
            deadline = cards.locator("tbody tr").filter(has_text="Round 2").locator("td").nth(1)
            assert deadline.get_attribute("data-label") == "Submission deadline"
            assert deadline.evaluate("td => getComputedStyle(td).display") == "block"
        else:
            assert picture.is_visible() and cards.is_hidden()
            sizes = page.eval_on_selector_all(".timeline svg text", "texts => texts.map(t => "
                                              "parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)")
            assert min(sizes) >= 12, f"timeline text {min(sizes):.1f} px at {viewport}"
            assert page.get_by_text("Submission deadline", exact=True).first.is_visible()  # the legend
    finally:
        context.close()


@pytest.mark.parametrize("width", (320, 390, 1280))
def test_the_uptake_chart_keeps_its_text_at_12_px(browser, live_url, demo_accounts, ids, width):
    """The chart is drawn as narrow as a phone: its text keeps 12 px or more, without scrolling; its legend
    is text of the page, and its caption reads across."""
    context, page = _secretariat_page(browser, live_url, demo_accounts, {"width": width, "height": 800})
    try:
        page.goto("/text/uptake")
        sizes = page.eval_on_selector_all(".uptake-chart svg text", "texts => texts.map(t => "
                                          "parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)")
        assert sizes and min(sizes) >= 12, f"uptake chart text {min(sizes):.1f} px at {width} px"
        assert page.locator(".uptake-chart .chart-legend").first.get_by_text("Partly taken up").is_visible()
        caption = page.locator(".uptake-chart caption").first.bounding_box()
        assert caption["width"] > caption["height"], "the caption runs down the page"
        assert page.evaluate(OVERFLOW) <= 0
    finally:
        context.close()


def test_cards_label_their_cells_in_french_with_a_no_break_space(browser, live_url, live_server):
    """On a phone, a card's "label: value" lines put French's no-break space before the colon."""
    email, password = "walk-french@uclg.example.org", "a French secretariat walks"
    with live_server.app_context():
        if not db.session.scalar(select(User.id).where(User.email == email)):
            user = User(name="Secrétariat en français", email=email, role="secretariat", locale="fr",
                        organisation=db.session.scalar(select(Organisation).where(Organisation.short_name == "UCLG")))
            user.set_password(password)
            db.session.add(user)
            db.session.commit()
        db.session.remove()
    context = browser.new_context(base_url=live_url, locale="fr-FR", viewport=VIEWPORTS["phone"])
    page = context.new_page()
    try:
        _log_in(page, email, password)
        page.goto("/outbox")
        label = page.eval_on_selector("table.cards td[data-label]", "td => getComputedStyle(td, '::before').content")
        assert label.endswith('\u00a0: "'), label
    finally:
        context.close()


DATE_CHECKS = (Path(__file__).parent / "date_checks.js").read_text(encoding="utf-8")
# The lists that show a date on each row, as the secretariat sees them (it sees every one of them).
DATE_PAGES = (lambda i: "/", lambda i: "/notifications", lambda i: "/outbox", lambda i: "/tracker",
              lambda i: f"/milestones/{i.zero_draft}/editions", lambda i: f"/positions/{i.cemr_included}/history",
              lambda i: f"/positions/{i.cemr_included}", lambda i: "/positions", lambda i: "/review",
              lambda i: "/milestones", lambda i: "/text", lambda i: "/text/joint", lambda i: "/users",
              lambda i: "/account/tokens", lambda i: "/search?q=cities")


def _date_pattern() -> str:
    """A date as pages write it in English, French or Spanish ("Sep 30, 2018", "30 sept. 2018", "30 de
    septiembre de 2018"), with plain or no-break spaces, for date_checks.js."""
    from babel.dates import get_month_names

    months = {name for language in ("en", "fr", "es") for width in ("wide", "abbreviated")
              for name in get_month_names(width, locale=language).values()}
    month = "(?:" + "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True)) + ")"
    space = "[ \\u00a0]"
    return (f"\\d{{1,2}}{space}(?:de{space})?{month}{space}(?:de{space})?\\d{{4}}"
            f"|{month}{space}\\d{{1,2}},{space}\\d{{4}}")


def _secretariat_in(live_server, language: str) -> tuple[str, str]:
    """A secretariat account that reads the site in `language`, with notifications whose subjects grow one
    letter at a time: at any width, one of them ends its line inside the date that follows it."""
    email, password = f"walk-dates-{language}@uclg.example.org", "dates stay in one piece"
    with live_server.app_context():
        if not db.session.scalar(select(User.id).where(User.email == email)):
            user = User(name=f"Dates {language}", email=email, role="secretariat", locale=language,
                        organisation=db.session.scalar(select(Organisation).where(Organisation.short_name == "UCLG")))
            user.set_password(password)
            db.session.add(user)
            db.session.flush()
            words = "Please look again at the wording of the paragraph on basic services " * 2
            for length in range(12, 60):
                db.session.add(OutboxMessage(kind="comment", recipient=email, recipient_id=user.id,
                                             subject=words[:length].strip(), body="B", sent_at=now(),
                                             created_at=datetime(2018, 9, 30, 12)))
            db.session.commit()
        db.session.remove()
    return email, password


def _log_in(page, email: str, password: str) -> None:
    """Log in through the form, whatever the interface's language (fields by id, not by label)."""
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main form [type=submit]")


@pytest.mark.parametrize("width", (320, 390))
@pytest.mark.parametrize("language", ("en", "fr", "es"))
def test_dates_in_lists_stay_on_one_line(browser, live_url, live_server, ids, language, width):
    """A date never breaks inside itself ("30" at the end of one line, "sept. 2018" on the next), and the
    lists still fit a 320 px phone without scrolling sideways."""
    email, password = _secretariat_in(live_server, language)
    context = browser.new_context(base_url=live_url, locale="en-GB", viewport={"width": width, "height": 800})
    page = context.new_page()
    problems, seen = [], {}
    try:
        _log_in(page, email, password)
        pattern = _date_pattern()
        for url in (url(ids) for url in DATE_PAGES):
            assert page.goto(url).status == 200, url
            found = page.evaluate(DATE_CHECKS, pattern)
            seen[url] = found["seen"]
            problems += [f"{url}: a date on two lines: {line}" for line in found["broken"]]
            if found["overflow"] > 0:
                problems.append(f"{url}: the page scrolls sideways by {found['overflow']}px")
    finally:
        context.close()
    assert seen["/notifications"] >= 45 and seen["/tracker"] > 5 and seen["/"] > 0, seen
    assert not problems, f"{language} at {width} px:\n" + "\n".join(problems)
