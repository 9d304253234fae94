"""UCLG's joint proposal as the secretariat and the networks use it: the paragraph page, recording and
changing a proposal, the networks' answers, the list of amended paragraphs and each amendment's page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from drafting.extensions import db
from drafting.models import JointProposal, Organisation, OutboxMessage, ProposalAnswer, User
from tests.conftest import login
from tests.support.joint_proposals import CEMR_16, METROPOLIS_16, amend, amendment_of, joint_world, proposal_form
from tests.support.query_budget import statements_for

__all__ = ["joint_world"]  # the fixture, used by name


def _url(world, number="16", suffix="") -> str:
    return f"/text/{world['zero'].id}/paragraphs/{world['paragraphs'][number]}/joint{suffix}"


def _amendments_16(world):
    return [amendment_of(world["cemr"], "16"), amendment_of(world["metropolis"], "16")]


def _proposal(world, number="16") -> JointProposal | None:
    db.session.expire_all()
    return db.session.scalar(select(JointProposal).where(JointProposal.paragraph_id == world["paragraphs"][number]))


def _messages(kind="joint_proposal") -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)))


def _record(client, world, **changes):
    proposal = _proposal(world)
    data = proposal_form(_amendments_16(world), version=str(proposal.version) if proposal else "", **changes)
    return client.post(_url(world), data=data)


def test_the_secretariat_sees_the_text_beside_each_networks_wording(client, joint_world):
    login(client, joint_world["secretariat"])
    page = client.get(_url(joint_world)).get_data(as_text=True)
    assert "Joint proposal for paragraph 16" in page
    assert "We commit to strengthen the evidence base on migration by improving data collection." in page
    assert page.count('class="wording"') == 2  # CEMR's and Metropolis's wordings
    assert "<ins><span class=\"visually-hidden\" lang=\"en\">Inserted: </span> in cities</ins>" in page
    assert "Record UCLG&#39;s proposal" in page or "Record UCLG's proposal" in page
    assert "No proposal yet" in page


def test_starting_from_a_networks_wording_fills_the_form(client, joint_world):
    login(client, joint_world["secretariat"])
    metropolis = amendment_of(joint_world["metropolis"], "16")
    page = client.get(_url(joint_world) + f"?from={metropolis.id}").get_data(as_text=True)
    assert re.search(r'<textarea[^>]*name="text"[^>]*>\s*' + re.escape(METROPOLIS_16), page)
    assert re.search(r'value="as_proposed"[^>]*checked|checked[^>]*value="as_proposed"', page)


def test_recording_a_proposal_asks_the_networks_concerned(client, joint_world, make_user):
    reviewer = make_user("reviewer", "CEMR")
    make_user("contributor", "UCLG Africa")  # not concerned: hears nothing
    login(client, joint_world["secretariat"])
    response = _record(client, joint_world)
    assert response.status_code == 303
    proposal = _proposal(joint_world)
    assert proposal.round == 1 and proposal.choice == "modified" and proposal.text == CEMR_16
    assert {o.outcome for o in proposal.outcomes} == {"merged"}
    recipients = {m.recipient_id for m in _messages()}
    concerned = set(db.session.scalars(select(User.id).join(User.organisation).where(
        Organisation.short_name.in_(("CEMR", "Metropolis")), User.role.in_(("contributor", "reviewer")))))
    assert {joint_world["cemr_author"].id, joint_world["metropolis_author"].id, reviewer.id} <= recipients
    assert recipients == concerned
    message = _messages()[0]
    assert "paragraph 16" in message.subject
    assert f"UCLG's wording:\n> {CEMR_16}\n" in message.body  # quoted, as mail quotes
    assert _url(joint_world) in message.body
    # In-app too: the message is in the recipient's notifications.
    client.post("/logout")
    login(client, joint_world["cemr_author"])
    assert "UCLG&#39;s joint proposal for paragraph 16" in client.get("/notifications").get_data(as_text=True)
    # The wording is the compact's English, read as English inside a message in another language.
    joint_world["cemr_author"].locale = "fr"
    db.session.commit()
    page = client.get(f"/notifications/{message.id}").get_data(as_text=True)
    assert f'<span class="mail-quote" lang="en" dir="ltr">{CEMR_16}</span>' in page


def test_a_refused_proposal_keeps_the_input_and_says_why_beside_the_field(client, joint_world):
    login(client, joint_world["secretariat"])
    cemr = amendment_of(joint_world["cemr"], "16")
    response = _record(client, joint_world, reason="", text="My own careful wording.",
                       outcomes={cemr.id: ("not_taken", "")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give the reason for this proposal." in page
    assert "Say why this amendment is not taken." in page
    assert "My own careful wording." in page
    assert _proposal(joint_world) is None and not _messages()


def test_as_proposed_must_be_a_networks_wording(client, joint_world):
    login(client, joint_world["secretariat"])
    response = _record(client, joint_world, choice="as_proposed", text="Words of nobody.")
    assert response.status_code == 422
    assert "This is not the wording of any network" in response.get_data(as_text=True)
    assert _record(client, joint_world, choice="as_proposed", text=METROPOLIS_16).status_code == 303


def test_a_stale_save_is_refused_and_overwrites_nothing(client, joint_world, make_user):
    login(client, joint_world["secretariat"])
    assert _record(client, joint_world).status_code == 303
    opened = _proposal(joint_world).version
    # A colleague saves first.
    assert _record(client, joint_world, reason="The colleague's reason.").status_code == 303
    data = proposal_form(_amendments_16(joint_world), version=str(opened), reason="My late reason.")
    response = client.post(_url(joint_world), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved a change while you were editing." in page
    assert "The colleague&#39;s reason." in page and "My late reason." in page
    assert _proposal(joint_world).reason == "The colleague's reason."


def test_a_new_wording_asks_again_and_a_new_reason_does_not(client, joint_world):
    login(client, joint_world["secretariat"])
    _record(client, joint_world)
    client.post("/logout")
    login(client, joint_world["cemr_author"])
    proposal = _proposal(joint_world)
    assert client.post(_url(joint_world, suffix="/answer"),
                       data={"answer": "agree", "comment": "", "round": "1"}).status_code == 303
    client.post("/logout")
    login(client, joint_world["secretariat"])
    asked = len(_messages())
    _record(client, joint_world, reason="A better reason.", answer_until="2018-02-25")
    proposal = _proposal(joint_world)
    assert proposal.round == 1 and len(_messages()) == asked
    assert "Carla CEMR" in client.get(_url(joint_world)).get_data(as_text=True)  # CEMR's answer stands

    _record(client, joint_world, text=CEMR_16 + " And regions.")
    proposal = _proposal(joint_world)
    assert proposal.round == 2 and len(_messages()) == 2 * asked
    assert "changed: please answer again" in _messages()[-1].subject
    page = client.get(_url(joint_world)).get_data(as_text=True)
    assert "Answers on an earlier wording" in page and "CEMR: Agree (round 1)" in page
    assert "Not answered yet:" in page


def test_networks_answer_and_the_page_shows_who_agreed(client, joint_world):
    login(client, joint_world["secretariat"])
    _record(client, joint_world)
    client.post("/logout")
    login(client, joint_world["cemr_author"])
    page = client.get(_url(joint_world)).get_data(as_text=True)
    assert "Answer for CEMR" in page and "Record UCLG" not in page
    refused = client.post(_url(joint_world, suffix="/answer"), data={"answer": "disagree", "comment": "", "round": "1"})
    assert refused.status_code == 422 and "Say why your network disagrees." in refused.get_data(as_text=True)
    assert client.post(_url(joint_world, suffix="/answer"),
                       data={"answer": "agree", "comment": "Fine by us.", "round": "1"}).status_code == 303
    page = client.get(_url(joint_world)).get_data(as_text=True)
    assert "Fine by us." in page and "Carla CEMR" in page
    assert re.search(r"Not answered yet:\s*<span class=\"tag\">Metropolis</span>", page)

    client.post("/logout")
    login(client, joint_world["metropolis_author"])
    client.post(_url(joint_world, suffix="/answer"), data={"answer": "disagree", "comment": "Cities, not regions.",
                                                           "round": "1"})
    assert "Disputed" in client.get(_url(joint_world)).get_data(as_text=True)
    assert {(a.organisation.short_name, a.answer) for a in db.session.scalars(select(ProposalAnswer))} == {
        ("CEMR", "agree"), ("Metropolis", "disagree")}


def test_an_answer_after_the_date_is_refused(client, joint_world):
    login(client, joint_world["secretariat"])
    _record(client, joint_world)
    proposal = _proposal(joint_world)
    proposal.answer_until = date(2018, 2, 9)  # the day before the tests' today
    db.session.commit()
    client.post("/logout")
    login(client, joint_world["cemr_author"])
    page = client.get(_url(joint_world)).get_data(as_text=True)
    assert "this proposal no longer takes answers" in page and "Send the answer" not in page
    response = client.post(_url(joint_world, suffix="/answer"), data={"answer": "agree", "comment": "", "round": "1"})
    assert response.status_code == 422
    assert "Answers were taken until February 9, 2018" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ProposalAnswer)) == 0


def test_an_answer_to_an_old_wording_is_refused(client, joint_world):
    login(client, joint_world["secretariat"])
    _record(client, joint_world)
    _record(client, joint_world, text="A new wording for all.")
    client.post("/logout")
    login(client, joint_world["cemr_author"])
    response = client.post(_url(joint_world, suffix="/answer"), data={"answer": "agree", "comment": "", "round": "1"})
    assert response.status_code == 409
    assert "changed the proposal since you opened the page" in response.get_data(as_text=True)


@pytest.mark.parametrize(("role", "org"), [("contributor", "UCLG Africa"), ("secretariat", "UCLG")])
def test_only_a_concerned_network_answers(client, joint_world, login_as, role, org):
    login(client, joint_world["secretariat"])
    _record(client, joint_world)
    login_as(role, org)
    assert client.post(_url(joint_world, suffix="/answer"),
                       data={"answer": "agree", "comment": "", "round": "1"}).status_code == 403


def test_only_the_secretariat_records_a_proposal(client, joint_world):
    login(client, joint_world["cemr_author"])
    response = client.post(_url(joint_world), data=proposal_form(_amendments_16(joint_world)))
    assert response.status_code == 403 and _proposal(joint_world) is None


def test_the_list_shows_each_amended_paragraph_with_its_state(client, joint_world):
    login(client, joint_world["secretariat"])
    _record(client, joint_world)
    page = client.get(f"/text/{joint_world['zero'].id}/joint").get_data(as_text=True)
    assert "Paragraph 16" in page and "Paragraph 17" in page and "Paragraph 18" in page
    assert "Paragraph 19" not in page
    assert re.search(r"No proposal yet: <strong>2</strong> · Proposed: <strong>1</strong>", page)
    filtered = client.get(f"/text/{joint_world['zero'].id}/joint?state=proposed").get_data(as_text=True)
    assert "Paragraph 16" in filtered and "Paragraph 17" not in filtered
    # The navigation's link: the latest revision.
    assert "Paragraph 16" in client.get("/text/joint").get_data(as_text=True)
    client.post("/logout")
    login(client, joint_world["cemr_author"])
    page = client.get(f"/text/{joint_world['zero'].id}/joint").get_data(as_text=True)
    assert page.count("Your answer is due") == 1


def test_the_list_costs_the_same_statements_whatever_the_data(client, joint_world, make_position):
    login(client, joint_world["secretariat"])
    url = f"/text/{joint_world['zero'].id}/joint"
    _record(client, joint_world)
    small = statements_for(client, url)
    for index in range(4):
        position = make_position("submitted", org="UCLG Africa", title=f"More {index}")
        amend(position, joint_world["zero"], {n: f"Words {index} for {n}." for n in ("16", "17", "18", "20", "21")})
    client.post("/logout")
    login(client, joint_world["cemr_author"])
    client.post(_url(joint_world, suffix="/answer"), data={"answer": "agree", "comment": "", "round": "1"})
    assert statements_for(client, url) == small


def test_an_amendment_has_its_own_page(client, joint_world, login_as):
    login(client, joint_world["secretariat"])
    cemr = amendment_of(joint_world["cemr"], "16")
    _record(client, joint_world, outcomes={cemr.id: ("not_taken", "Too narrow.")})
    page = client.get(f"/amendments/{cemr.id}").get_data(as_text=True)
    assert "Amendment %d" % cemr.id in page and "Data and documents" in page
    assert ('<ins><span class="visually-hidden" lang="en">Inserted: </span>, including by local governments</ins>'
            in page)
    assert "Cities deliver (16)." in page
    assert "Not taken" in page and "Too narrow." in page
    assert f'href="/amendments/{cemr.id}"' in client.get(f"/positions/{joint_world['cemr'].id}").get_data(as_text=True)
    login_as("contributor", "Metropolis")
    assert client.get(f"/amendments/{cemr.id}").status_code == 404  # another network's position
    login_as("contributor", "CEMR")
    assert client.get(f"/amendments/{cemr.id}").status_code == 200
    assert client.get("/amendments/999999").status_code == 404
