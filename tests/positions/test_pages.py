"""What each audience sees on the position pages and the review queue."""

from __future__ import annotations

import html
import re

import pytest
from babel.dates import format_date
from sqlalchemy import select

from drafting.clock import today
from drafting.extensions import db
from drafting.models import Comment, Position, User
from drafting.positions import operations
from drafting.positions.workflow import transition
from tests.conftest import login, milestone

HOSTILE = (
    "Hello <script>alert(1)</script> <style>body{}</style> <iframe src=x></iframe>\n\n"
    '<img src=x onerror="alert(2)"> [click](javascript:alert(3)) <a href="#" onclick="alert(4)">x</a>\n\n'
    "[safe](https://www.uclg.org) **bold** *italic*"
)


def test_markdown_is_rendered_through_the_sanitizer(client, login_as, make_position):
    author = login_as("contributor", "CEMR")
    position = make_position("draft", author=author, text=HOSTILE)
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    body = page.split('<section>\n  <h2>Text</h2>', 1)[1].split("</section>", 1)[0]
    tags = re.findall(r"<[^>]+>", body)  # the markup a browser would act on; escaped text is harmless
    for tag in tags:
        assert not re.match(r"<\s*(script|style|iframe|img)", tag, re.I), tag
        assert not re.search(r"\son\w+\s*=|javascript:", tag, re.I), tag
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # shown as text, never run
    assert '<a href="https://www.uclg.org" rel="noopener noreferrer nofollow">safe</a>' in body
    assert "<strong>bold</strong>" in body and "<em>italic</em>" in body


def test_arabic_positions_are_shown_right_to_left(client, login_as, make_position):
    author = login_as("contributor", "UCLG-MEWA")
    position = make_position("draft", org="UCLG-MEWA", author=author, language="ar", title="دور المدن",
                             text="المدن **شريكة**")
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert '<h1 lang="ar-SA" dir="rtl">دور المدن</h1>' in page
    assert '<div class="prose" lang="ar-SA" dir="rtl"><p dir="auto">المدن <strong>شريكة</strong></p>' in page


def test_internal_comments_stay_between_reviewers_and_secretariat(client, make_user, make_position):
    position = make_position("in_review")
    reviewer = make_user("reviewer", "Metropolis")
    operations.add_comment(position, reviewer, "Internal: the figures look weak.", "internal")
    operations.add_comment(position, reviewer, "Shared: please add a source.", "shared")

    login(client, position.created_by)
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert "Shared: please add a source." in page and "Shared with the authors" in page
    assert "the figures look weak" not in page

    login(client, make_user("secretariat"))
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert "the figures look weak" in page and "<em>Internal</em>" in page


def test_a_reviewer_comment_is_internal_unless_shared(client, make_user, make_position):
    """Outside a decision a reviewer's comment keeps the choice, internal by default; the decision panel
    has the authors' "Reason for your decision" and a separate "Internal note", with no visibility choice
    to get wrong."""
    position = make_position("in_review")
    login(client, make_user("reviewer", "Metropolis"))
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert '<input checked id="visibility-0" name="visibility" type="radio" value="internal">' in page
    assert 'name="decision-visibility"' not in page
    assert '<label for="decision-comment">Reason for your decision (shared with the authors)</label>' in page
    assert '<label for="decision-internal_note">Internal note</label>' in page
    client.post(f"/positions/{position.id}/comments", data={"body": "Looks fine."})
    assert db.session.scalar(select(Comment.visibility)) == "internal"


def test_a_contributor_cannot_post_an_internal_comment(client, make_position):
    position = make_position("changes_requested")
    login(client, position.created_by)
    client.post(f"/positions/{position.id}/comments", data={"body": "Done, see paragraph 2.",
                                                             "visibility": "internal"})
    assert db.session.scalar(select(Comment.visibility).where(Comment.body.startswith("Done"))) == "shared"


def test_a_reviewer_requests_changes_then_sees_what_changed(client, make_user, make_position):
    position = make_position("in_review", text="The first paragraph says little.")
    reviewer = make_user("reviewer", "Metropolis")
    login(client, reviewer)
    response = client.post(f"/positions/{position.id}/request_changes", data={"decision-comment": "Say more."})
    assert response.status_code == 303
    assert db.session.get(Position, position.id).stage == "changes_requested"

    content = operations.PositionContent.of(position)
    content.text = "The first paragraph now says a great deal."
    operations.save_position(position, position.created_by, content, base_revision=1)
    transition(position, "submit", position.created_by)

    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert "Changes since the revision last reviewed (revision 1)" in page
    assert re.search(r"<del>[^<]*little[^<]*</del>", page) and re.search(r"<ins>[^<]*now[^<]*</ins>", page)
    # The review starts implicitly: the decisions are offered straight from "submitted".
    assert ">Start review</button>" not in page and ">Approve</button>" in page


def test_a_request_for_changes_without_comment_is_refused_on_the_page(client, make_user, make_position):
    position = make_position("in_review")
    login(client, make_user("reviewer", "Metropolis"))
    response = client.post(f"/positions/{position.id}/request_changes", data={"decision-comment": ""},
                           follow_redirects=True)
    assert "A reason is required" in response.get_data(as_text=True)
    assert db.session.get(Position, position.id).stage == "in_review"


def test_buttons_shown_match_what_the_role_may_do(client, make_user, make_position):
    position = make_position("in_review")
    login(client, position.created_by)
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert ">Approve</button>" not in page and ">Withdraw</button>" not in page
    login(client, make_user("reviewer", "Metropolis"))
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    for label in ("Approve", "Request changes", "Reject"):
        assert f">{label}</button>" in page
    assert ">Start review</button>" not in page


def test_the_page_says_when_the_deadline_has_passed(client, app, make_position):
    position = make_position("draft", milestone_name="Round 1")
    login(client, position.created_by)
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert ">Submit for review</button>" not in page
    assert "The submission deadline for Intergovernmental negotiations – Round 1 was Feb 6, 2018." in page
    assert "The next milestone still open is Intergovernmental negotiations – Round 2" in page


def test_history_and_comparison(client, make_position):
    position = make_position("draft", text="alpha beta gamma")
    content = operations.PositionContent.of(position)
    content.text = "alpha delta gamma"
    content.amendments = [{"section_id": None, "paragraph": "12", "current_text": "old", "proposed_text": "new",
                           "rationale": "why"}]
    operations.save_position(position, position.created_by, content, base_revision=1)
    login(client, position.created_by)
    history = client.get(f"/positions/{position.id}/history").get_data(as_text=True)
    assert history.count('name="old"') == 2
    page = client.get(f"/positions/{position.id}/compare?old=1&new=2").get_data(as_text=True)
    assert re.search(r"<del>[^<]*beta[^<]*</del><ins>[^<]*delta[^<]*</ins>", page)
    assert "<ins>[1]" in page and "Proposed text: new" in page
    assert client.get(f"/positions/{position.id}/compare?old=1&new=9").status_code == 404


def test_carry_forward_and_extension_from_the_page(client, make_user, make_position):
    approved = make_position("approved", milestone_name="Round 1")
    login(client, approved.created_by)
    response = client.post(f"/positions/{approved.id}/carry-forward",
                           data={"milestone_id": milestone("Round 3").id})
    successor = db.session.scalar(select(Position).where(Position.predecessor_id == approved.id))
    assert response.headers["Location"].endswith(f"/positions/{successor.id}")
    page = client.get(f"/positions/{successor.id}").get_data(as_text=True)
    assert "Carried forward from" in page
    assert "Carried forward to" in client.get(f"/positions/{approved.id}").get_data(as_text=True)

    late = make_position("draft", milestone_name="Round 1")
    login(client, make_user("secretariat"))
    client.post(f"/positions/{late.id}/extension", data={"until": "2018-02-12", "reason": "Translation"})
    assert db.session.get(Position, late.id).extended_until.isoformat() == "2018-02-12"
    login(client, late.created_by)
    assert ">Submit for review</button>" in client.get(f"/positions/{late.id}").get_data(as_text=True)


class TestReviewQueue:
    def test_oldest_submission_first_and_only_what_waits(self, app, client, make_user, make_position):
        app.config["DRAFTING_TODAY"] = "2018-02-01"
        older = make_position("submitted", title="Older one")
        app.config["DRAFTING_TODAY"] = "2018-02-05"
        newer = make_position("in_review", title="Newer one", org="Metropolis")
        make_position("draft", title="Still a draft")
        make_position("approved", title="Already approved")
        login(client, make_user("reviewer", "UCLG Africa"))
        page = client.get("/review").get_data(as_text=True)
        assert page.index(older.title) < page.index(newer.title)
        assert "Still a draft" not in page and "Already approved" not in page

    def test_filters(self, client, make_user, make_position):
        make_position("submitted", title="From CEMR", org="CEMR", theme_numbers=(1,))
        metropolis = make_position("submitted", title="From Metropolis", org="Metropolis", theme_numbers=(2,))
        login(client, make_user("reviewer", "UCLG Africa"))
        by_org = client.get(f"/review?organisation={metropolis.organisation_id}").get_data(as_text=True)
        assert "From Metropolis" in by_org and "From CEMR" not in by_org
        theme_id = metropolis.themes[0].id
        by_theme = client.get(f"/review?theme={theme_id}").get_data(as_text=True)
        assert "From Metropolis" in by_theme and "From CEMR" not in by_theme
        assert "From CEMR" in client.get("/review?stage=submitted&theme=x&milestone=y").get_data(as_text=True)

    def test_overdue_reviews_are_flagged(self, app, client, make_user, make_position):
        make_position("submitted", milestone_name="Round 1", title="Late review")
        app.config["DRAFTING_TODAY"] = "2018-02-14"  # review deadline was 13 February
        login(client, make_user("reviewer", "Metropolis"))
        assert "overdue" in client.get("/review").get_data(as_text=True)

    @pytest.mark.parametrize("role", ["contributor"])
    def test_contributors_have_no_queue(self, client, login_as, role):
        login_as(role)
        assert client.get("/review").status_code == 403


def test_the_milestone_page_flags_overdue_reviews_only_when_some_are_pending(app, client, make_user, make_position):
    position = make_position("submitted", milestone_name="Round 1")
    login(client, make_user("secretariat"))
    url = f"/milestones/{position.milestone_id}"
    assert "reviews overdue" not in client.get(url).get_data(as_text=True)  # 10 February: due on the 13th
    app.config["DRAFTING_TODAY"] = "2018-02-14"
    assert "reviews overdue" in client.get(url).get_data(as_text=True)
    transition(position, "start_review", make_user("reviewer", "Metropolis"))
    transition(position, "approve", db.session.scalar(select(User).where(User.role == "reviewer")))
    assert "reviews overdue" not in client.get(url).get_data(as_text=True)


def test_an_extension_over_a_change_made_meanwhile_is_refused_with_a_message(client, make_user, make_position):
    late = make_position("draft", milestone_name="Round 1")
    login(client, make_user("secretariat"))
    db.session.get(Position, late.id)  # the request's copy is loaded before another write lands
    with db.engine.begin() as other:
        other.execute(Position.__table__.update().where(Position.id == late.id)
                      .values(version_id=Position.version_id + 1))
    response = client.post(f"/positions/{late.id}/extension", data={"until": "2018-02-12"}, follow_redirects=True)
    assert response.status_code == 200
    assert "Someone else changed this position in the meantime" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Position, late.id).extended_until is None


@pytest.mark.parametrize("locale, label", [("en", "In review"), ("fr", "En relecture"), ("es", "En revisión")])
def test_lists_show_each_stage_as_a_badge_in_the_readers_language(client, login_as, make_position, locale, label):
    make_position("in_review", org="CEMR")
    make_position("draft", org="CEMR")
    login_as("secretariat", locale=locale)
    badge = f'<span class="stage stage-in_review">{label}</span>'
    assert badge in client.get("/positions").get_data(as_text=True)
    login_as("reviewer", locale=locale)
    queue = client.get("/review").get_data(as_text=True)
    assert badge in queue and "stage-draft" not in queue  # a draft is not the reviewers' to see


def test_each_block_of_a_positions_text_takes_its_own_direction(client, login_as, make_position):
    author = login_as("contributor", "UCLG-MEWA")
    position = make_position("draft", org="UCLG-MEWA", author=author, language="ar", title="دور المدن",
                             text="# المدن\n\nالمدن شريكة\n\nAs the New Urban Agenda says.\n\n- بند",
                             summary="ملخص")
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    for block in ('<h3 dir="auto">المدن</h3>', '<p dir="auto">المدن شريكة</p>',
                  '<p dir="auto">As the New Urban Agenda says.</p>', '<li dir="auto">بند</li>',
                  'dir="auto">ملخص</p>'):
        assert block in page


def test_new_position_offers_only_open_milestones_each_with_its_deadline(client, login_as):
    login_as("contributor", "CEMR", locale="fr")
    form = client.get("/positions/new").get_data(as_text=True)
    offered = re.search(r'<select[^>]*name="milestone_id".*?</select>', form, re.S).group(0)
    round_1, round_2 = milestone("Round 1"), milestone("Round 2")
    assert round_1.submission_deadline < today() <= round_2.submission_deadline
    assert f'value="{round_1.id}"' not in offered
    deadline = format_date(round_2.submission_deadline, "long", locale="fr")
    assert f"{round_2.name_fr} (propositions jusqu’au {deadline})" in html.unescape(offered)


def test_a_new_draft_says_it_has_no_activity_instead_of_an_empty_table(client, login_as, make_position):
    author = login_as("contributor", "CEMR")
    draft = make_position("draft", author=author)
    page = client.get(f"/positions/{draft.id}").get_data(as_text=True)
    activity = page[page.index('id="activity-heading"'):page.index("</section>", page.index('id="activity-heading"'))]
    assert "No activity yet: this draft has not been submitted." in activity
    assert "<table" not in activity

    submitted = make_position("submitted", author=author)
    page = client.get(f"/positions/{submitted.id}").get_data(as_text=True)
    activity = page[page.index('id="activity-heading"'):]
    assert "<table" in activity and "No activity yet" not in activity
