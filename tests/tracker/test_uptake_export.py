"""The Uptake page's CSV file and UCLG's joint proposals: the file carries the joint figures the page
shows, the same numbers (one computation for both), in rows of their own so that each figure is in the
file once; headers in the reader's language, formulas neutralised, and a cost in statements that does
not grow with the number of joint proposals."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import select, update

from drafting.demo import load_demo
from drafting.extensions import db
from drafting.models import TextRevision, User
from drafting.negotiated_text.demo import demo_text
from drafting.negotiated_text.operations import publish_revision, read_pasted_text
from tests.conftest import milestone
from tests.support.amended_drafts import publish
from tests.support.joint import joint_proposal
from tests.support.joint_uptake import paragraph, records
from tests.support.query_budget import BUDGET, counting_statements
from tests.support.worker import run_queued_jobs

PARAGRAPH_COLUMNS = 7  # Revision ... Amendments
JOINT_COLUMNS = 5
HEADER = ["Revision", "Network", "Objective", "Paragraph", "Paragraph now", "Status", "Amendments",
          "Joint proposals proposing a change", "Joint proposals taken up", "Joint proposals partly taken up",
          "Joint proposals taken up fully or partly (%)", "Joint proposals leaving their paragraph unchanged",
          "Its proposals taken up fully or partly (%)", "Amendments on paragraphs with a joint proposal",
          "Reached the joint proposal", "Reached the joint proposal (%)", "Not decided yet",
          "Then taken up by this revision"]


def csv_rows(client, query: str = "") -> list[list[str]]:
    response = client.get(f"/text/uptake.csv{query}")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def csv_joint(rows: list[list[str]]) -> dict[str, object]:
    """The joint figures of the file, per revision: the joint proposals' row and each network's row."""
    figures: dict[str, dict] = {}
    for row in rows[1:]:
        proposals = row[PARAGRAPH_COLUMNS:PARAGRAPH_COLUMNS + JOINT_COLUMNS]
        reach = row[PARAGRAPH_COLUMNS + JOINT_COLUMNS:]
        if any(proposals):
            figures.setdefault(row[0], {"networks": []})["proposals"] = proposals
        elif any(reach):
            figures.setdefault(row[0], {"networks": []})["networks"].append([row[1], *reach])
    return figures


def page_joint(page: str) -> dict[str, object]:
    """The same figures as the page shows them, read from its sentence and its joint table, per revision."""
    figures = {}
    for section in page.split("<section ")[1:]:
        name = re.search(r"<h2[^>]*>(.*?)</h2>", section).group(1)
        if "uptake-joint" not in section:
            continue
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", section))
        total, full, partly, percent, unchanged = re.search(
            r"(\d+) joint proposals? of UCLG on the revision before proposed a change: (\d+) taken up, (\d+) partly "
            r"taken up(?: \((\d+) %\))?\.(?: (\d+) more left)?", text).groups()
        networks = []
        table = section.split('<table class="cards wide uptake-joint">', 1)[1].split("</table>", 1)[0]
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S):
            cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
                     for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            own = re.fullmatch(r"(\d+) %", cells[1]).group(1)
            reached, reached_percent, undecided = re.fullmatch(r"(\d+) \((\d+) %\)(?: (\d+) not decided yet)?",
                                                               cells[3]).groups()
            networks.append([cells[0], own, cells[2], reached, reached_percent, undecided or "0", cells[4]])
        figures[name] = {"proposals": [total, full, partly, percent or "", unchanged or "0"], "networks": networks}
    return figures


def test_the_csv_carries_the_joint_figures_of_the_constructed_case(client, login_as, joint):
    login_as("secretariat")
    rows = csv_rows(client)
    assert rows[0] == HEADER
    # The figures worked out by hand (tests/support/joint_uptake.py), first in the revision as on the page.
    empty_reach, empty_joint = [""] * 6, [""] * JOINT_COLUMNS
    assert rows[1:4] == [
        ["Rev 1", "", "", "", "", "", "", "4", "2", "1", "75", "1", *empty_reach],
        ["Rev 1", "CEMR", "", "", "", "", "", *empty_joint, "67", "3", "3", "100", "0", "2"],
        ["Rev 1", "Metropolis", "", "", "", "", "", *empty_joint, "33", "2", "0", "0", "1", "0"],
    ]
    # The paragraph rows are as before, the joint columns left empty: each figure is in the file once.
    assert ["Rev 1", "CEMR", "1. Data", "16", "17", "Taken up", "1", *empty_joint, *empty_reach] in rows
    assert len(rows) == 1 + 3 + 6
    assert csv_joint(rows) == page_joint(client.get("/text/uptake").get_data(as_text=True))


def test_a_network_finds_the_joint_proposals_and_its_own_reach_only(client, login_as, joint):
    login_as("contributor", "CEMR")
    figures = csv_joint(csv_rows(client))
    assert figures == {"Rev 1": {"proposals": ["4", "2", "1", "75", "1"],
                                 "networks": [["CEMR", "67", "3", "3", "100", "0", "2"]]}}
    assert figures == page_joint(client.get("/text/uptake").get_data(as_text=True))


@pytest.mark.parametrize("locale, proposals, reached", [
    ("fr", "Propositions communes proposant une modification", "Parvenus à la proposition commune (%)"),
    ("es", "Propuestas comunes que proponen un cambio", "Llegaron a la propuesta común (%)"),
])
def test_the_joint_headers_read_in_french_and_spanish(client, login_as, joint, locale, proposals, reached):
    login_as("secretariat", locale=locale)
    header = csv_rows(client)[0]
    assert len(header) == len(HEADER) and proposals in header and reached in header
    assert not set(header) & set(HEADER[PARAGRAPH_COLUMNS:])  # none left in English


def test_a_revision_named_like_a_formula_is_neutralised_in_the_joint_rows(client, login_as, joint):
    db.session.execute(update(TextRevision).where(TextRevision.id == joint["rev_1"].id)
                       .values(name='=HYPERLINK("http://example.org","Rev 1")'))
    db.session.commit()
    login_as("secretariat")
    rows = csv_rows(client)
    assert rows[1][0] == '\'=HYPERLINK("http://example.org","Rev 1")' and rows[1][7] == "4"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_csv_of_the_demo_carries_the_figures_of_its_page(app, client, login_as):
    load_demo()  # joint proposals in every state on the zero draft
    secretariat = db.session.scalar(select(User).where(User.role == "secretariat"))
    publish_revision(name="Rev 1", issued_on=date(2018, 3, 26), milestone=milestone("Round 3"),
                     structure=read_pasted_text(demo_text("revision_1")).canonical_text(),
                     source_filename="", by=secretariat)
    run_queued_jobs(app)
    login_as("secretariat")
    figures = csv_joint(csv_rows(client))
    assert figures == page_joint(client.get("/text/uptake").get_data(as_text=True))
    rev_1 = figures["Rev 1"]
    assert int(rev_1["proposals"][0]) > 0 and len(rev_1["networks"]) >= 2  # not an empty comparison
    assert any(network[-1] != "0" for network in rev_1["networks"])  # some language reached Rev 1 this way


def _many_paragraphs(count: int) -> str:
    return "# Objective 1: Collect and use accurate data\n" + "".join(
        f"{n}. We commit to measure migration in region {n} with care.\n" for n in range(1, count + 1))


def test_the_csv_costs_the_same_statements_with_ten_times_the_joint_proposals(app, client, login_as, make_user,
                                                                                  make_position):
    """40 paragraphs, each amended by CEMR; Rev 1 takes up the amendments on the even ones. Joint proposals
    on 4 of them, then on all 40: the file grows, its statements do not."""
    secretariat = make_user("secretariat")
    zero = publish("Zero draft", _many_paragraphs(40), secretariat, 5)
    position = make_position("submitted", org="CEMR", title="Measured with cities")
    wording = {n: f"We commit to measure migration in region {n} with care, with cities." for n in range(1, 41)}
    position.amendments = [
        {"key": f"k{n}", "paragraph_id": paragraph(zero, str(n)).id, "kind": "replace", "section_id": None,
         "paragraph": str(n), "current_text": paragraph(zero, str(n)).text, "proposed_text": wording[n],
         "rationale": "Cities count."} for n in range(1, 41)]
    db.session.commit()
    amendments = records(position)
    rev_1 = _many_paragraphs(40)
    for n in range(2, 41, 2):
        rev_1 = rev_1.replace(f"{n}. We commit to measure migration in region {n} with care.\n", f"{n}. {wording[n]}\n")
    publish("Rev 1", rev_1, secretariat, 26)
    run_queued_jobs(app)

    def propose(numbers) -> None:
        for n in numbers:
            kind = "insert_after" if n == 1 else "replace"  # the new text is read for an insertion: in both
            joint_proposal(paragraph(zero, str(n)), wording[n], secretariat, kind=kind,
                           outcomes={amendments[f"k{n}"]: "taken"}, commit=False)
        db.session.commit()

    propose(range(1, 5))
    login_as("secretariat")

    def statements() -> tuple[int, list[list[str]]]:
        db.session.expire_all()
        with counting_statements() as seen:
            rows = csv_rows(client)
        return len(seen), rows

    statements()  # the first request also reads the reference data into memory
    few, rows = statements()
    assert few <= BUDGET, few
    assert csv_joint(rows)["Rev 1"]["proposals"][:3] == ["4", "2", "1"]
    propose(range(5, 41))
    many, rows = statements()
    assert csv_joint(rows)["Rev 1"] == {"proposals": ["40", "20", "1", "52", "0"],
                                        "networks": [["CEMR", "50", "40", "40", "100", "0", "21"]]}
    assert many == few
