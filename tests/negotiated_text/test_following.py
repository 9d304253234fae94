"""Amendments follow the text: publishing a revision gives every amendment anchored to the revision
before its status there (in the worker), and tells the authors, one message per position."""

from __future__ import annotations

from sqlalchemy import func, select

from drafting.extensions import db
from drafting.models import AmendmentStatus, OutboxMessage, TextParagraph, TextRevision
from drafting.negotiated_text import following
from tests.support.amended_drafts import PROPOSALS, REV_1, anchor, paragraph_ids, publish
from tests.support.worker import queued_jobs, run_queued_jobs


def statuses(revision: TextRevision) -> dict[str, tuple[str, str | None]]:
    """amendment key -> (status, the successor's number)"""
    rows = db.session.execute(
        select(AmendmentStatus.amendment_key, AmendmentStatus.status, TextParagraph.number)
        .outerjoin(TextParagraph, TextParagraph.id == AmendmentStatus.paragraph_id)
        .where(AmendmentStatus.text_revision_id == revision.id)).all()
    return {key: (status, number) for key, status, number in rows}


def messages() -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "amendment_statuses")
                              .order_by(OutboxMessage.id)).all()


def test_each_amendment_gets_its_status_by_words_not_by_number(app, world):
    rev_1 = publish("Rev 1", REV_1, world["secretariat"], 26)
    assert "follow_amendments_task" in queued_jobs(app)  # the publishing did not wait for it
    assert rev_1.reanchor_count == 6 and rev_1.reanchored_at is None
    run_queued_jobs(app)
    expected = {f"k{number}": (status, successor) for number, (_k, _p, status, successor) in PROPOSALS.items()}
    assert statuses(rev_1) == expected
    # The zero draft's paragraph 16 is now 17; the new 16 holds other words and is no one's successor.
    assert statuses(rev_1)["k16"] == ("taken_up", "17")
    # Two near-identical paragraphs: each amendment follows its own.
    assert statuses(rev_1)["k20"][1] == "20" and statuses(rev_1)["k21"][1] == "21"
    db.session.expire_all()
    assert db.session.get(TextRevision, rev_1.id).reanchored_at is not None


def test_a_removed_paragraph_and_an_insertion_that_did_not_land(app, world):
    anchor(world["metropolis"], world["zero"], ["19", "18"], kinds={"19": "replace", "18": "insert_after"},
           proposed={"18": "Local governments shall be consulted on the design of migration policies."})
    rev_1 = publish("Rev 1", REV_1, world["secretariat"], 26)
    run_queued_jobs(app)
    found = statuses(rev_1)
    assert found["k19"] == ("removed", None)
    assert found["k18"] == ("unchanged", "19")  # the insertion is not in the text; its anchor reads as before


def test_one_message_per_position_listing_its_amendments_in_words(app, world, make_user):
    colleague = make_user("contributor", "CEMR", locale="fr")
    make_user("contributor", "CEMR", active=False)
    publish("Rev 1", REV_1, world["secretariat"], 26)
    run_queued_jobs(app)
    sent = messages()
    by_position = {}
    for message in sent:
        by_position.setdefault(message.position_id, []).append(message.recipient)
    cemr_authors = sorted([world["cemr"].created_by.email, colleague.email])
    assert sorted(by_position[world["cemr"].id]) == cemr_authors  # one each, the inactive one none
    assert by_position[world["metropolis"].id] == [world["metropolis"].created_by.email]
    english = next(m for m in sent if m.recipient == world["cemr"].created_by.email)
    assert english.subject == "Rev 1: what became of your amendments to Data and documents"
    assert "- Paragraph 16 (Zero draft), now paragraph 17 (Rev 1): Taken up." in english.body
    assert "- Paragraph 17 (Zero draft), now paragraph 18 (Rev 1): Partly taken up." in english.body
    assert "- Paragraph 20 (Zero draft), now paragraph 20 (Rev 1): Paragraph changed." in english.body
    other = next(m for m in sent if m.position_id == world["metropolis"].id)
    assert "Paragraph unchanged" in other.body and "- Paragraph 19 (Zero draft): Taken up." in other.body
    french = next(m for m in sent if m.recipient == colleague.email)
    assert "désormais paragraphe 17 (Rev 1) : Repris." in french.body  # in the reader's language
    # In the app too: the same rows are the authors' notifications.
    assert english.recipient_id == world["cemr"].created_by.id


def test_running_twice_writes_and_tells_nothing_more(app, world):
    rev_1 = publish("Rev 1", REV_1, world["secretariat"], 26)
    run_queued_jobs(app)
    before = (statuses(rev_1), len(messages()))
    assert following.follow_amendments(rev_1.id) == 0
    run_queued_jobs(app)
    assert (statuses(rev_1), len(messages())) == before
    assert db.session.scalar(select(func.count()).select_from(AmendmentStatus)) == 6


def test_only_the_revision_immediately_before_is_followed(app, world):
    rev_1 = publish("Rev 1", REV_1, world["secretariat"], 26)
    run_queued_jobs(app)
    rev_2 = publish("Rev 2", REV_1.replace("in cooperation", "together"), world["secretariat"], 28)
    assert following.previous_revision(rev_2).id == rev_1.id
    assert rev_2.reanchor_count == 0 and rev_2.reanchored_at is not None  # nothing anchored to Rev 1
    assert "follow_amendments_task" not in queued_jobs(app)


def test_the_revision_page_says_the_amendments_are_being_re_anchored_then_what_became_of_them(
        app, world, client, login_as):
    rev_1 = publish("Rev 1", REV_1, world["secretariat"], 26)
    login_as("contributor", "CEMR")
    page = client.get(f"/text/{rev_1.id}").get_data(as_text=True)
    assert "Re-anchoring 6 amendments…" in page
    run_queued_jobs(app)
    db.session.expire_all()  # the worker wrote in a session of its own
    page = client.get(f"/text/{rev_1.id}").get_data(as_text=True)
    assert "Re-anchoring" not in page
    assert "6 amendments re-anchored to this revision" in page
    assert "Taken up 2" in page and "Paragraph removed" not in page
    first = client.get(f"/text/{world['zero'].id}").get_data(as_text=True)
    assert "re-anchored" not in first and "Re-anchoring" not in first  # nothing came before it


def test_the_position_page_shows_each_amendment_s_latest_status_linked_to_its_paragraph(app, world, client):
    from tests.conftest import login

    rev_1 = publish("Rev 1", REV_1, world["secretariat"], 26)
    run_queued_jobs(app)
    db.session.expire_all()
    login(client, world["cemr"].created_by)
    page = client.get(f"/positions/{world['cemr'].id}").get_data(as_text=True)
    section = page.split("The amendments in later revisions of the text", 1)[1].split("</section>", 1)[0]
    rows = section.split("<tr>")[2:]
    assert "Paragraph 16" in rows[0] and "Taken up" in rows[0] and "Rev 1" in rows[0]
    assert f'href="/text/{rev_1.id}#p-17">17</a>' in rows[0]
    assert "Partly taken up" in rows[1] and "Paragraph changed" in rows[2]
    # An amendment anchored elsewhere since (edited) shows no status that was not about it.
    position = db.session.get(type(world["cemr"]), world["cemr"].id)
    position.amendments = [dict(position.amendments[0], paragraph_id=paragraph_ids(rev_1)["16"])]
    db.session.commit()
    page = client.get(f"/positions/{world['cemr'].id}").get_data(as_text=True)
    assert "The amendments in later revisions of the text" not in page


def test_carry_forward_re_anchors_the_amendments_to_the_new_milestone_s_revision(app, world, client):
    from drafting.models import Comment, Position
    from tests.conftest import login, milestone

    rev_1 = publish("Rev 1", REV_1, world["secretariat"], 26)
    run_queued_jobs(app)
    original = world["metropolis"]
    login(client, original.created_by)
    response = client.post(f"/positions/{original.id}/carry-forward",
                           data={"milestone_id": milestone("Round 3").id})
    assert response.status_code == 303
    successor = db.session.scalar(select(Position).where(Position.predecessor_id == original.id))
    new = paragraph_ids(rev_1)
    texts = {p.number: p.text for p in rev_1.paragraphs}
    by_key = {a["key"]: a for a in successor.amendments}
    assert list(by_key) == ["k18", "k19", "k21"]  # keys kept, in their order
    assert by_key["k18"]["paragraph_id"] == new["19"] and by_key["k18"]["paragraph"] == "19"
    assert by_key["k18"]["current_text"] == texts["19"]
    assert by_key["k21"]["paragraph_id"] == new["21"]  # its near-identical neighbour does not take it
    assert by_key["k19"]["paragraph_id"] is None  # removed in Rev 1: kept, unanchored
    assert by_key["k19"]["paragraph"] == "19" and "save lives" in by_key["k19"]["current_text"]
    note = db.session.scalar(select(Comment.body).where(Comment.position_id == successor.id))
    assert "paragraph 19 of Zero draft" in note and "Rev 1" in note
    page = client.get(f"/positions/{successor.id}").get_data(as_text=True)
    assert "paragraph 19 of Zero draft" in page
    # The predecessor keeps its anchors to the zero draft, and its statuses.
    assert db.session.get(Position, original.id).amendments[0]["paragraph_id"] == paragraph_ids(world["zero"])["18"]


def test_carry_forward_without_a_revision_keeps_the_amendments_as_they_are(app, world, client):
    from drafting.models import Position
    from drafting.negotiated_text.following import reanchor

    amendments, lost = reanchor(world["metropolis"].amendments, None)
    assert [a["paragraph_id"] for a in amendments] == [a["paragraph_id"] for a in world["metropolis"].amendments]
    assert lost == [] and db.session.scalar(select(func.count()).select_from(Position)) == 2


def test_a_following_whose_job_was_lost_is_queued_again(app, world):
    from datetime import timedelta

    from drafting.clock import now
    from drafting.negotiated_text.tasks import resume_lost_following

    rev_1 = publish("Rev 1", REV_1, world["secretariat"], 26)
    run_queued_jobs(app)
    lost = publish("Rev 2", REV_1.replace("in cooperation", "together"), world["secretariat"], 28)
    anchor(world["cemr"], rev_1, ["16"])  # what Rev 2 would have had to follow
    lost.reanchor_count, lost.reanchored_at = 1, None  # published, but its job never ran
    db.session.commit()
    resume_lost_following.call_local()
    assert "follow_amendments_task" not in queued_jobs(app)  # published just now: its job may be under way
    lost.published_at = now() - timedelta(minutes=20)
    db.session.commit()
    resume_lost_following.call_local()
    run_queued_jobs(app)
    db.session.expire_all()
    assert db.session.get(TextRevision, lost.id).reanchored_at is not None
    assert set(statuses(lost)) == {"k16"}


def test_the_re_anchoring_notice_refreshes_itself_from_the_state_endpoint(app, world, client, login_as):
    rev_1 = publish("Rev 1", REV_1, world["secretariat"], 26)
    login_as("contributor", "CEMR")
    page = client.get(f"/text/{rev_1.id}").get_data(as_text=True)
    state_url = f"/text/{rev_1.id}/following"
    assert f'data-following-state="{state_url}"' in page and 'data-running="yes"' in page
    assert "following.js" in page
    running = client.get(state_url).get_json()
    assert running["running"] is True and "Re-anchoring 6 amendments…" in running["html"]

    run_queued_jobs(app)
    db.session.expire_all()
    done = client.get(state_url).get_json()
    assert done["running"] is False
    assert "6 amendments re-anchored to this revision" in done["html"] and "Re-anchoring" not in done["html"]
    assert 'data-running="no"' in client.get(f"/text/{rev_1.id}").get_data(as_text=True)
    assert client.get("/text/999999/following").status_code == 404
