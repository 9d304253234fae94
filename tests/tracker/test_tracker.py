"""The secretariat's tracker: counts with links to the lists, flags, the timeline picture."""

from __future__ import annotations

import re
from datetime import date

import pytest

from drafting.extensions import db
from tests.conftest import milestone, organisation
from tests.support.tracker_pages import found_count, links, search_links


def tracker_page(client) -> str:
    response = client.get("/tracker")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_counts_per_milestone_organisation_and_stage_link_to_the_lists(client, login_as, make_position):
    for stage in ("draft", "draft", "submitted", "approved"):
        make_position(stage, org="CEMR", milestone_name="Round 2")
    make_position("in_review", org="Metropolis", milestone_name="Round 2")
    make_position("rejected", org="UCLG Africa", milestone_name="Round 3")
    login_as("secretariat")

    html = tracker_page(client)
    round2, round3 = str(milestone("Round 2").id), str(milestone("Round 3").id)
    cemr, metropolis, africa = (str(organisation(name).id) for name in ("CEMR", "Metropolis", "UCLG Africa"))
    cells = search_links(html)
    assert cells[(round2, cemr, "draft")] == "2"
    assert cells[(round2, cemr, "submitted")] == "1"
    assert cells[(round2, cemr, "approved")] == "1"
    assert cells[(round2, metropolis, "in_review")] == "1"
    assert cells[(round3, africa, "rejected")] == "1"
    assert cells[(round2, cemr, None)] == "4"  # the organisation's total
    assert (round2, metropolis, "draft") not in cells  # no link to an empty list
    assert cells[(round2, None, None)] == "5 positions"

    # Following a link gives exactly the positions counted.
    href = next(h for h, _ in links(html) if h == f"/search?milestone={round2}&organisation={cemr}&stage=draft")
    assert found_count(client.get(href).get_data(as_text=True)) == 2


def test_only_milestones_that_take_positions_or_have_some(client, login_as, make_position):
    login_as("secretariat")
    html = tracker_page(client)
    table = html[html.index('<table class="tracker'):]
    assert "Intergovernmental negotiations – Round 6" in table
    assert "Adoption of the Global Compact on Migration" in table
    assert "Global Conference on Cities and Migration" not in table  # an event: no positions taken
    for name in ("CEMR", "Metropolis", "UCLG-MEWA", "UCLG Africa"):
        assert f'<th scope="row">{name}</th>' in table
    assert '<th scope="row">IOM</th>' not in table  # partners do not write positions


def test_overdue_reviews_are_flagged_once_the_review_deadline_has_passed(app, client, login_as, make_position):
    make_position("submitted", org="CEMR", milestone_name="Round 2")
    make_position("in_review", org="CEMR", milestone_name="Round 2")
    make_position("approved", org="CEMR", milestone_name="Round 2")  # decided: not overdue
    login_as("secretariat")
    assert "No overdue review." in tracker_page(client)

    app.config["DRAFTING_TODAY"] = "2018-03-06"  # the day after Round 2's review deadline
    html = tracker_page(client)
    assert "2 overdue reviews" in html
    assert "Review deadline passed" in html

    app.config["DRAFTING_TODAY"] = "2018-03-05"  # the deadline day itself is still on time
    assert "No overdue review." in tracker_page(client)


def test_drafts_near_their_submission_deadline_are_flagged(app, client, login_as, make_position):
    make_position("draft", org="UCLG-MEWA", milestone_name="Round 2")  # deadline 26 February
    make_position("submitted", org="UCLG-MEWA", milestone_name="Round 2")  # already in: no flag
    login_as("secretariat")
    assert "No draft due within 3 days." in tracker_page(client)

    app.config["DRAFTING_TODAY"] = "2018-02-24"
    html = tracker_page(client)
    assert "1 draft due within 3 days" in html
    assert "1 draft due soon" in html


def test_an_extension_counts_as_the_deadline_of_the_draft(client, login_as, make_position):
    position = make_position("draft", org="CEMR", milestone_name="Round 1")  # deadline 6 February: passed
    login_as("secretariat")
    assert "No draft due within 3 days." in tracker_page(client)
    position.extended_until = date(2018, 2, 12)  # granted by the secretariat; today is 10 February
    db.session.commit()
    assert "1 draft due within 3 days" in tracker_page(client)


def test_the_timeline_marks_today_the_deadlines_and_the_counts(client, login_as, make_position):
    make_position("draft", org="CEMR", milestone_name="Round 2")
    make_position("submitted", org="Metropolis", milestone_name="Round 2")
    login_as("secretariat")
    html = tracker_page(client)

    svg = html[html.index("<svg"):html.index("</svg>")]
    assert 'role="img"' in svg
    assert re.search(r"<title id=\"timeline-title\">[^<]+</title>", svg)
    assert re.search(r"<desc id=\"timeline-desc\">.*February\u00a010,\u00a02018", svg, re.S)
    assert '<g class="today">' in svg and "Today" in svg
    # Eight milestones from the zero draft to the adoption, each with both deadlines.
    assert svg.count('<g class="lane">') == 8
    assert svg.count('class="submission-deadline"') == 8
    assert svg.count('class="review-deadline"') == 8
    assert ">Zero draft<" in svg and ">Round 2<" in svg and ">Adoption<" in svg
    assert re.search(r'<text class="count"[^>]*>2</text>', svg)  # Round 2's positions
    # The CSP forbids inline styles: presentation attributes only, no script.
    # (scripts served by the app, <script src=...>, are allowed by the CSP; inline ones are not)
    assert "style=" not in html and "<style" not in html and not re.search(r"<script(?![^>]*\ssrc=)", html)
    # The same information as a table, next to the picture.
    assert "The timeline as a table" in html


def test_the_today_line_sits_between_the_months_around_today(app, client, login_as):
    login_as("secretariat")
    svg = tracker_page(client)
    today_x = float(re.search(r'<g class="today">\s*<line x1="([\d.]+)"', svg).group(1))
    app.config["DRAFTING_TODAY"] = "2018-06-15"
    later_x = float(re.search(r'<g class="today">\s*<line x1="([\d.]+)"', tracker_page(client)).group(1))
    assert today_x < later_x


def test_milestone_names_are_escaped_in_the_picture(client, login_as):
    event = milestone("Global Conference on Cities")
    event.name = "<script>alert(1)</script> Mechelen"
    event.submission_deadline = event.start_date  # now it takes positions, so it is drawn
    event.review_deadline = event.start_date
    db.session.commit()
    login_as("secretariat")
    html = tracker_page(client)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


@pytest.mark.parametrize("path", ["/tracker", "/tracker.csv", "/tracker-positions.csv", "/tracker.xlsx"])
@pytest.mark.parametrize("role", ["contributor", "reviewer"])
def test_only_the_secretariat_sees_the_tracker_and_its_exports(client, login_as, role, path):
    login_as(role, org="CEMR")
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/tracker", "/tracker.csv", "/tracker.xlsx", "/search"])
def test_anonymous_visitors_are_sent_to_the_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_tracker_link_is_in_the_navigation_of_the_secretariat_only(client, login_as):
    login_as("secretariat")
    assert ("/tracker", "Tracker") in links(tracker_page(client))
    login_as("reviewer", org="CEMR")
    assert ("/tracker", "Tracker") not in links(client.get("/search").get_data(as_text=True))
