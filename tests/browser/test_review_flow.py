"""The whole review cycle in a browser, as the people who do it see it: a UCLG-MEWA contributor drafts a
position in Arabic and submits it; a CEMR reviewer requests changes with a comment shared with the
authors; the contributor edits and resubmits with a response, the decision in view on the form; the
reviewer sees the response beside what changed and approves; the
secretariat finds the position counted in the tracker and reaches it from there and from the search."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ROUND_2 = "Intergovernmental negotiations – Round 2"


def choose_milestone(page: Page, name: str) -> None:
    """Pick a milestone on the position form, whose options read "<name> (submissions until <date>)"."""
    option = page.locator("#milestone_id option", has_text=name).first
    page.get_by_label("Milestone").select_option(value=option.get_attribute("value"))
THEME = "15. Access to basic services"


def main_nav(page: Page):
    return page.get_by_role("navigation", name="Main")


def stage_badge(page: Page):
    """The stage shown under the position's title (the only stage badge on the position page)."""
    return page.locator("article header .stage")


def log_out(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()


def approved_count(page: Page, milestone: str, organisation: str) -> tuple[int, object]:
    """The tracker's cell for (milestone, organisation, Approved): its number and its link (None for 0)."""
    main_nav(page).get_by_role("link", name="Tracker").click()
    expect(page.get_by_role("heading", name="Tracker", exact=True)).to_be_visible()
    table = page.locator("table.tracker")
    headers = [text.strip() for text in table.get_by_role("columnheader").all_inner_texts()]
    approved_column = headers.index("Approved")
    group = table.get_by_role("rowgroup").filter(has=page.get_by_role("link", name=milestone, exact=True))
    row = group.get_by_role("row").filter(has=page.get_by_role("rowheader", name=organisation, exact=True))
    # The first column is the organisation's row header; the data cells follow it.
    cell = row.get_by_role("cell").nth(approved_column - 1)
    link = cell.get_by_role("link")
    return int(cell.inner_text().strip()), (link if link.count() else None)


def test_arabic_position_goes_through_review_to_the_tracker(page, live_url, log_in):
    token = uuid.uuid4().hex[:10]
    title = f"دور المدن في الإدماج {token}"
    shared_comment = f"يرجى ذكر الفقرة المعنية {token}"
    response = f"أضفنا الفقرة 31 {token}"

    # The secretariat's starting point: how many UCLG-MEWA positions of Round 2 are approved.
    log_in(page, "secretariat", "UCLG")
    approved_before, _ = approved_count(page, ROUND_2, "UCLG-MEWA")
    log_out(page)

    # 1. The contributor drafts in Arabic and submits.
    log_in(page, "contributor", "UCLG-MEWA")
    main_nav(page).get_by_role("link", name="New position").click()
    expect(page.get_by_role("heading", name="New position")).to_be_visible()
    page.get_by_label("Title").fill(title)
    choose_milestone(page, ROUND_2)
    page.get_by_role("group", name="Themes").get_by_label(THEME).check()
    page.get_by_label("Language").select_option(label="Arabic")
    page.get_by_label("Summary").fill("الحكومات المحلية شريكة في تنفيذ الميثاق.")
    page.get_by_label("Text", exact=True).fill(
        "تقدم الحكومات المحلية **الخدمات الأساسية** للمهاجرين.\n\n- السكن\n- التعليم"
    )
    page.get_by_role("button", name="Submit for review").click()

    expect(page.get_by_text("Saved and submitted for review.")).to_be_visible()
    expect(stage_badge(page)).to_have_text("Submitted")
    heading = page.get_by_role("heading", level=1, name=title)
    expect(heading).to_have_attribute("dir", "rtl")
    expect(heading).to_have_attribute("lang", "ar-SA")
    expect(page.locator(".prose[dir=rtl] strong")).to_have_text("الخدمات الأساسية")
    expect(page.get_by_role("group", name="Themes")).to_have_count(0)  # we are on the position, not the form
    position_url = page.url
    log_out(page)

    # 2. A reviewer of another network finds it in the queue and requests changes.
    log_in(page, "reviewer", "CEMR")
    main_nav(page).get_by_role("link", name="Review queue").click()
    page.get_by_label("Organisation").select_option(label="UCLG-MEWA")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=title).click()
    expect(page).to_have_url(position_url)
    # The review starts implicitly: the reason for the decision, which the authors see, and the decision.
    review = page.get_by_role("region", name="Review")
    review.get_by_label("Reason for your decision (shared with the authors)").fill(shared_comment)
    review.get_by_role("button", name="Request changes").click()
    expect(stage_badge(page)).to_have_text("Changes requested")
    log_out(page)

    # 3. The contributor reads the shared comment, edits and resubmits from the edit form.
    log_in(page, "contributor", "UCLG-MEWA")
    main_nav(page).get_by_role("link", name="Positions").click()
    page.get_by_role("link", name=title).click()
    expect(stage_badge(page)).to_have_text("Changes requested")
    decision = page.get_by_role("region", name="Changes requested by")
    expect(decision).to_contain_text(shared_comment)
    comments = page.get_by_role("region", name="Comments")
    expect(comments.get_by_text(shared_comment)).to_be_visible()
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_role("heading", name="Edit the position")).to_be_visible()
    # The decision stays in view at the top of the form: who, when and the reason.
    expect(page.get_by_role("region", name="Changes requested by")).to_contain_text(shared_comment)
    expect(page.get_by_role("group", name="Themes").get_by_label(THEME)).to_be_checked()  # kept from the draft
    page.get_by_label("Text", exact=True).fill(
        "تقدم الحكومات المحلية **الخدمات الأساسية** للمهاجرين.\n\n- السكن\n- التعليم\n\n"
        "تتعلق هذه الطلبات بالفقرة 31 من المسودة."
    )
    page.get_by_label("Response to the reviewers").fill(response)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Saved and submitted for review.")).to_be_visible()
    expect(stage_badge(page)).to_have_text("Submitted")
    log_out(page)

    # 4. The reviewer sees the changes since the last review and approves.
    log_in(page, "reviewer", "CEMR")
    page.goto(position_url)
    expect(page.get_by_role("region", name="Response to the reviewers")).to_contain_text(response)
    changes = page.get_by_role("region", name="Changes since the revision last reviewed")
    expect(changes).to_be_visible()
    expect(changes.locator("ins")).to_contain_text("الفقرة 31")
    page.get_by_role("region", name="Review").get_by_role("button", name="Approve").click()
    expect(stage_badge(page)).to_have_text("Approved")
    log_out(page)

    # 5. The secretariat finds it counted in the tracker, and reaches it from there and from the search.
    log_in(page, "secretariat", "UCLG")
    approved_after, link = approved_count(page, ROUND_2, "UCLG-MEWA")
    assert approved_after == approved_before + 1
    link.click()
    expect(page.get_by_role("heading", name="Search the positions")).to_be_visible()
    page.get_by_role("link", name=title).click()
    expect(page).to_have_url(position_url)
    expect(stage_badge(page)).to_have_text("Approved")

    main_nav(page).get_by_role("link", name="Search").click()
    page.get_by_label("Words").fill(token)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("1 position found.")).to_be_visible()
    results = page.get_by_role("table")
    expect(results.get_by_role("link", name=title)).to_have_attribute("dir", "rtl")
    results.get_by_role("link", name=title).click()
    expect(page).to_have_url(position_url)
