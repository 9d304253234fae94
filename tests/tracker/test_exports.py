"""The tracker as CSV and as an Excel workbook."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from drafting.tracker.exports import neutralise

ROUND_2 = "Intergovernmental negotiations – Round 2"
DANGEROUS_TITLES = ['=HYPERLINK("http://evil.example","Click")', "+1+2", "-2+3", "@SUM(A1:A2)"]


@pytest.fixture
def landscape(make_position):
    make_position("draft", org="CEMR", title="Coopération décentralisée")
    make_position("draft", org="CEMR")
    make_position("approved", org="CEMR", title="Approved one")
    make_position("submitted", org="UCLG-MEWA", language="ar", title="المدن ترحب")
    make_position("in_review", org="Metropolis", milestone_name="Round 3")


def read_csv(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf"), "a byte-order mark, so that Excel reads UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_counts_csv_has_one_row_per_milestone_organisation_and_stage(client, login_as, landscape):
    login_as("secretariat")
    response = client.get("/tracker.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="tracker-2018-02-10.csv"'

    header, *rows = read_csv(response)
    assert header == ["Milestone", "Organisation", "Stage", "Positions"]
    counts = {(m, o, s): int(n) for m, o, s, n in rows}
    assert len(counts) == len(rows)  # no duplicate rows
    assert counts[(ROUND_2, "CEMR", "Draft")] == 2
    assert counts[(ROUND_2, "CEMR", "Approved")] == 1
    assert counts[(ROUND_2, "UCLG-MEWA", "Submitted")] == 1
    assert counts[("Intergovernmental negotiations – Round 3", "Metropolis", "In review")] == 1
    assert counts[(ROUND_2, "UCLG Africa", "Draft")] == 0  # the whole grid, zeros included
    assert sum(counts.values()) == 5
    # 8 milestones take positions, 4 networks, 8 stages.
    assert len(rows) == 8 * 4 * 8


def test_positions_csv_lists_every_position_with_accents_intact(client, login_as, landscape):
    login_as("secretariat")
    response = client.get("/tracker-positions.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="tracker-positions-')

    header, *rows = read_csv(response)
    assert header == ["Id", "Title", "Organisation", "Milestone", "Stage", "Language", "Submitted", "Approved"]
    assert len(rows) == 5
    by_title = {row[1]: row for row in rows}
    french = by_title["Coopération décentralisée"]
    assert french[2:6] == ["CEMR", ROUND_2, "Draft", "English"]
    assert french[6] == "" and french[7] == ""
    approved = by_title["Approved one"]
    assert approved[6].startswith("2018-02-10") and approved[7].startswith("2018-02-10")
    assert "المدن ترحب" in by_title


def test_formulas_typed_into_titles_are_neutralised_in_the_csv(client, login_as, make_position):
    for title in DANGEROUS_TITLES:
        make_position("draft", org="CEMR", title=title)
    login_as("secretariat")
    titles = {row[1] for row in read_csv(client.get("/tracker-positions.csv"))[1:]}
    assert titles == {"'" + title for title in DANGEROUS_TITLES}


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Cities", "Cities"), ("", ""), (3, 3), (None, None), ("a=b", "a=b"),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_the_workbook_has_a_sheet_of_counts_and_a_sheet_of_positions(client, login_as, landscape, make_position):
    make_position("draft", org="CEMR", title=DANGEROUS_TITLES[0])
    login_as("secretariat")
    response = client.get("/tracker.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response.headers["Content-Disposition"] == 'attachment; filename="tracker-2018-02-10.xlsx"'

    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert workbook.sheetnames == ["Counts", "Positions"]

    counts = workbook["Counts"]
    assert [c.value for c in counts[1]] == ["Milestone", "Organisation", "Stage", "Positions"]
    assert all(c.font.bold for c in counts[1])
    assert counts.freeze_panes == "A2"
    assert counts.column_dimensions["A"].width >= 40
    table = {(r[0], r[1], r[2]): r[3] for r in counts.iter_rows(min_row=2, values_only=True)}
    assert table[(ROUND_2, "CEMR", "Draft")] == 3
    assert table[(ROUND_2, "CEMR", "Approved")] == 1

    positions = workbook["Positions"]
    assert [c.value for c in positions[1]][:2] == ["Id", "Title"]
    assert all(c.font.bold for c in positions[1])
    assert positions.freeze_panes == "A2"
    rows = list(positions.iter_rows(min_row=2))
    assert len(rows) == 6
    titles = {row[1].value: row for row in rows}
    assert "Coopération décentralisée" in titles
    dangerous = titles["'" + DANGEROUS_TITLES[0]]
    assert dangerous[1].data_type == "s"  # text, not a formula
    assert isinstance(dangerous[0].value, int)
    approved = titles["Approved one"]
    assert approved[7].value.year == 2018 and approved[7].is_date
