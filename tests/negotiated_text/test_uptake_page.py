"""The Uptake page: per revision, how many proposals each network had taken up, per objective, with
the paragraphs concerned; a chart, a CSV file; each network sees its own, the secretariat all."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import delete, select, update

from drafting.extensions import db
from drafting.models import AmendmentStatus, Position, Revision, TextParagraph
from drafting.negotiated_text import following
from drafting.negotiated_text.uptake_chart import build_chart, right_to_left
from drafting.negotiated_text.uptake_queries import Counts
from tests.conftest import organisation
from tests.support.amended_drafts import REV_1, anchor, publish
from tests.support.query_budget import BUDGET, counting_statements
from tests.support.worker import run_queued_jobs


@pytest.fixture
def followed(app, world, make_position):
    draft = make_position("draft", org="UCLG-MEWA", title="Not proposed yet")
    anchor(draft, world["zero"], ["16"])  # a draft proposes nothing yet: not counted
    rev_1 = publish("Rev 1", REV_1, world["secretariat"], 26)
    run_queued_jobs(app)
    db.session.expire_all()
    return {**world, "rev_1": rev_1}


def rows_of(page: str, caption: str) -> list[list[str]]:
    table = page.split(caption, 1)[1].split("</table>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)]


def test_the_secretariat_sees_each_network_and_objective_with_the_paragraphs_concerned(client, login_as, followed):
    login_as("secretariat")
    page = client.get("/text/uptake").get_data(as_text=True)
    assert '<h2 id="uptake-%d" dir="auto">Rev 1</h2>' % followed["rev_1"].id in page
    assert "6 proposals counted: 2 taken up, 1 partly taken up" in page
    by_network = rows_of(page, "Proposals taken up in Rev 1, by network</caption>")
    assert [row[:4] for row in by_network] == [["CEMR", "3", "1", "1"], ["Metropolis", "3", "1", "0"],
                                               ["UCLG-MEWA", "0", "0", "0"], ["UCLG Africa", "0", "0", "0"]]
    assert by_network[0][4] == "67 %"
    by_objective = rows_of(page, "<h3>By objective</h3>")
    # The compact's objectives, not the draft's headings: "Objective 2: Save lives" is the compact's 8th.
    assert by_objective[0][:5] == ["1. Data", "CEMR", "2", "1", "1"]
    concerned = by_objective[0][5]
    assert "paragraph 16 → 17 (Taken up)" in concerned and "paragraph 17 → 18 (Partly taken up)" in concerned
    assert by_objective[1][:2] == ["1. Data", "Metropolis"]
    # A proposal not taken up shows its paragraph and status too.
    assert by_objective[1][5] == "paragraph 18 → 19 (Paragraph unchanged)"
    assert ["8. Save lives", "Metropolis"] in [row[:2] for row in by_objective]
    assert f'href="/text/{followed["rev_1"].id}#p-17"' in page  # the paragraph as it reads now
    # The chart: a picture with a title, a description and the same figures as a table.
    assert 'role="img"' in page and "Proposals taken up in Rev 1, by network</title>" in page
    assert "CEMR: 1 of 3 taken up, 1 partly." in page


@pytest.mark.parametrize(("locale", "line"), [
    ("fr", "6 propositions comptées\u00a0: 2 repris, 1 repris en partie"),
    ("es", "6 propuestas contadas; recogidas: 2, recogidas en parte: 1"),
])
def test_the_counts_line_reads_in_french_and_spanish(client, login_as, followed, locale, line):
    """The colon was written in the template: French had no space before it, and "1 reprises" disagreed."""
    login_as("secretariat", locale=locale)
    assert line in client.get("/text/uptake").get_data(as_text=True)


def test_the_chart_scales_to_the_proposals_and_anchors_right_to_left_names_at_the_axis(app):
    class Network:
        def __init__(self, name):
            self.short_name = name

    chart = build_chart([(Network("CEMR"), Counts({"taken_up": 1, "partly_taken_up": 1, "changed": 2})),
                         (Network("مدن"), Counts({"unchanged": 3}))])
    cemr, arabic = chart.bars
    full, partly = cemr.segments
    quarter = (chart.axis_right - chart.axis_left) / 4
    assert full.x == chart.axis_left and full.width == partly.width == pytest.approx(quarter, abs=0.2)
    assert arabic.segments == [] and arabic.rtl and not cemr.rtl
    assert right_to_left("« مدن »") and not right_to_left("123 Metropolis")
    assert build_chart([(Network("CEMR"), Counts())]) is None  # nothing proposed: no picture


def test_a_network_sees_its_own_uptake_only(client, login_as, followed):
    login_as("contributor", "CEMR")
    page = client.get("/text/uptake").get_data(as_text=True)
    assert '<a href="/text/uptake">Uptake</a>' in page  # in the navigation
    assert [row[0] for row in rows_of(page, "by network</caption>")] == ["CEMR"]
    assert "Metropolis" not in page
    metropolis = organisation("Metropolis").id
    # Another network's figures answer as a missing network would.
    for network in (metropolis, 10**6):
        assert client.get(f"/text/uptake?network={network}").status_code == 404
        assert client.get(f"/text/uptake.csv?network={network}").status_code == 404
    assert client.get(f"/text/uptake?network={organisation('CEMR').id}").status_code == 200
    rows = list(csv.reader(io.StringIO(client.get("/text/uptake.csv").get_data().decode("utf-8-sig"))))
    assert {row[1] for row in rows[1:]} == {"CEMR"}


def test_reviewers_have_no_uptake_page(client, login_as, followed):
    login_as("reviewer", "Metropolis")
    assert client.get("/text/uptake").status_code == 403
    assert client.get("/text/uptake.csv").status_code == 403
    assert "/text/uptake" not in client.get("/text").get_data(as_text=True)


def test_the_secretariat_filters_by_network_and_revision(client, login_as, followed):
    login_as("secretariat")
    page = client.get(f"/text/uptake?network={organisation('Metropolis').id}&revision={followed['rev_1'].id}")
    rows = rows_of(page.get_data(as_text=True), "by network</caption>")
    assert [row[0] for row in rows] == ["Metropolis"]
    assert client.get("/text/uptake?network=99999").status_code == 404


def test_the_csv_has_a_row_per_paragraph_and_status_and_no_formula(client, login_as, followed):
    db.session.execute(update(TextParagraph).where(TextParagraph.revision_id == followed["zero"].id,
                                                   TextParagraph.number == "16")
                       .values(number="=1+1"))
    db.session.commit()
    login_as("secretariat")
    response = client.get("/text/uptake.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="uptake-2018-02-10.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    # Then the columns of UCLG's joint proposals (tests/tracker/test_uptake_export.py), empty here: none.
    assert rows[0][:7] == ["Revision", "Network", "Objective", "Paragraph", "Paragraph now", "Status", "Amendments"]
    assert ["Rev 1", "CEMR", "1. Data", "'=1+1", "17", "Taken up", "1"] in [row[:7] for row in rows]
    assert ["Rev 1", "Metropolis", "8. Save lives", "19", "", "Taken up", "1"] in [row[:7] for row in rows]
    assert len(rows) == 1 + 6 and all(not any(row[7:]) and len(row) == len(rows[0]) for row in rows[1:])


def test_the_page_costs_the_same_statements_with_ten_times_the_amendments(client, login_as, followed, make_user):
    login_as("secretariat")

    def statements() -> int:
        db.session.expire_all()
        with counting_statements() as seen:
            assert client.get("/text/uptake").status_code == 200
        return len(seen)

    author = make_user("contributor", "UCLG Africa")
    statements()  # the first page also reads the reference data into memory (drafting.reference.snapshot)
    few = statements()
    assert few <= BUDGET, few
    template = db.session.get(Position, followed["cemr"].id)
    for index in range(30):
        position = Position(organisation=organisation(["CEMR", "Metropolis", "UCLG Africa"][index % 3]),
                            milestone=template.milestone, stage="approved", title=f"Bulk {index}",
                            created_by=author,
                            amendments=[dict(a, key=f"b{index}{a['key']}") for a in template.amendments])
        position.revisions.append(Revision(number=1, author=author, title=position.title, language="en"))
        db.session.add(position)
    db.session.commit()
    db.session.execute(delete(AmendmentStatus))
    db.session.commit()
    assert following.follow_amendments(followed["rev_1"].id) == 1 + 6 + 90  # the draft's too, not counted
    assert statements() == few
    assert "96 proposals counted" in client.get("/text/uptake").get_data(as_text=True)
    assert db.session.scalar(select(AmendmentStatus.id).limit(1))
