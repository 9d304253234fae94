"""The Uptake page and UCLG's joint proposal: how much of the joint proposals on the revision before the
next revision took up, and for each network how much of its language reached the joint proposal, then
the revision; beside each network's own uptake, at a cost in statements that does not grow with the data."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete

from drafting.extensions import db
from drafting.models import AmendmentStatus, Position, Revision
from drafting.negotiated_text import following
from drafting.negotiated_text.uptake_queries import build_uptake
from drafting.positions.operations import keep_records
from tests.conftest import organisation
from tests.support.amended_drafts import REV_1, publish
from tests.support.joint import joint_proposal
from tests.support.joint_uptake import paragraph
from tests.support.query_budget import BUDGET, counting_statements
from tests.support.worker import run_queued_jobs


def joint_rows(page: str) -> list[list[str]]:
    table = page.split('<table class="cards wide uptake-joint">', 1)[1].split("</table>", 1)[0]
    return [[re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)]


def test_the_figures_of_the_joint_proposals_and_of_each_networks_reach(joint):
    (item,) = build_uptake(None).revisions
    figures = item.joint
    # 16 and 19 taken up, 17 partly, 20 not (the paragraph was rewritten otherwise); 18 proposed no change.
    assert figures.counts.by_status == {"taken_up": 2, "partly_taken_up": 1, "changed": 1}
    assert figures.unchanged == 1
    reach = {organisation.short_name: r for organisation, r in figures.networks}
    assert set(reach) == {"CEMR", "Metropolis"}  # the networks with amendments where UCLG proposed
    cemr, metropolis = reach["CEMR"], reach["Metropolis"]
    assert (cemr.amendments, cemr.reached, cemr.undecided, cemr.then_taken_up) == (3, 3, 0, 2)
    assert (metropolis.amendments, metropolis.reached, metropolis.undecided, metropolis.then_taken_up) == (2, 0, 1, 0)


def test_the_uptake_page_shows_it_beside_each_networks_own_uptake(client, login_as, joint):
    login_as("secretariat")
    page = client.get("/text/uptake").get_data(as_text=True)
    assert "<h3>UCLG&#39;s joint proposal</h3>" in page or "<h3>UCLG's joint proposal</h3>" in page
    assert ("4 joint proposals of UCLG on the revision before proposed a change: 2 taken up, 1 partly taken up "
            "(75 %). 1 more left its paragraph unchanged.") in re.sub(r"\s+", " ", page)
    assert joint_rows(page) == [["CEMR", "67 %", "3", "3 (100 %)", "2"],
                                ["Metropolis", "33 %", "2", "0 (0 %) 1 not decided yet", "0"]]
    # Each cell names its column on a phone's card.
    assert 'data-label="Reached the joint proposal"' in page and 'data-label="Then taken up by this revision"' in page


def test_a_network_sees_the_joint_proposals_and_its_own_reach_only(client, login_as, joint):
    login_as("contributor", "CEMR")
    page = client.get("/text/uptake").get_data(as_text=True)
    assert "4 joint proposals of UCLG on the revision before proposed a change" in re.sub(r"\s+", " ", page)
    assert [row[0] for row in joint_rows(page)] == ["CEMR"]
    assert "Metropolis" not in page


@pytest.mark.parametrize("locale, heading, reached", [
    ("fr", "Proposition commune de CGLU", "Parvenus à la proposition commune"),
    ("es", "Propuesta común de CGLU", "Llegaron a la propuesta común"),
])
def test_in_french_and_spanish(client, login_as, joint, locale, heading, reached):
    login_as("secretariat", locale=locale)
    page = client.get("/text/uptake").get_data(as_text=True)
    assert f"<h3>{heading}</h3>" in page and reached in page


def test_without_joint_proposals_the_page_says_nothing_of_them(client, login_as, app, world):
    publish("Rev 1", REV_1, world["secretariat"], 26)
    run_queued_jobs(app)
    login_as("secretariat")
    page = client.get("/text/uptake").get_data(as_text=True)
    assert "uptake-joint" not in page and "joint proposal" not in page


def test_the_page_costs_the_same_statements_with_ten_times_the_data(client, login_as, joint, make_user):
    login_as("secretariat")

    def statements() -> int:
        db.session.expire_all()
        with counting_statements() as seen:
            assert client.get("/text/uptake").status_code == 200
        return len(seen)

    zero = joint["zero"]
    # A joint proposal that inserts a paragraph: the new text is read for it (one statement).
    joint_proposal(paragraph(zero, "21"), "We commit to involve cities in skills partnerships.",
                   joint["secretariat"], kind="insert_after")
    statements()  # the first page also reads the reference data into memory
    few = statements()
    assert few <= BUDGET, few
    # Ten times the amendments, each network's on the same paragraphs, with their rows.
    author = make_user("contributor", "UCLG Africa")
    template = db.session.get(Position, joint["cemr"].id)
    for index in range(30):
        position = Position(organisation=organisation(["CEMR", "Metropolis", "UCLG Africa"][index % 3]),
                            milestone=template.milestone, stage="approved", title=f"Bulk {index}",
                            created_by=author,
                            amendments=[dict(a, key=f"b{index}{a['key']}") for a in template.amendments])
        position.revisions.append(Revision(number=1, author=author, title=position.title, language="en"))
        db.session.add(position)
        db.session.flush()
        keep_records(position)
    db.session.commit()
    db.session.execute(delete(AmendmentStatus))
    db.session.commit()
    following.follow_amendments(joint["rev_1"].id)
    (item,) = build_uptake(None).revisions
    assert item.joint.counts.total == 5 and item.joint.reach_of(organisation("UCLG Africa").id).amendments == 30
    assert statements() == few
