"""Reference data: loaded from the package's data files, once, without duplicates or overwriting edits."""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources

from sqlalchemy import func, select

from drafting.extensions import db
from drafting.models import CompactSection, Milestone, Organisation, Theme
from tests.conftest import milestone, organisation


def csv_rows(name: str) -> int:
    text = resources.files("drafting.reference").joinpath("data", name).read_text(encoding="utf-8")
    return len(list(csv.DictReader(text.splitlines())))


def counts() -> dict[str, int]:
    def count(model, *where):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    return {
        "organisations": count(Organisation),
        "milestones": count(Milestone),
        "objectives": count(Theme, Theme.kind == "objective"),
        "workstreams": count(Theme, Theme.kind == "workstream"),
        "sections": count(CompactSection),
    }


def test_everything_in_the_data_files_is_loaded(app):
    assert counts() == {
        "organisations": csv_rows("organisations.csv"),
        "milestones": csv_rows("milestones.csv"),
        "objectives": 23,
        "workstreams": 4,
        "sections": csv_rows("compact_sections.csv"),
    }
    assert {o.short_name for o in db.session.scalars(
        select(Organisation).where(Organisation.contributes_positions))} == {
            "CEMR", "Metropolis", "UCLG-MEWA", "UCLG Africa"}
    assert organisation("UCLG").kind == "secretariat"
    objective_23 = db.session.scalar(select(Theme).where(Theme.number == 23))
    assert objective_23.title.startswith("Strengthen international cooperation")
    assert objective_23.paragraph == 39


def test_seed_reference_twice_changes_nothing(runner):
    before = counts()
    first = runner.invoke(args=["seed-reference"])
    second = runner.invoke(args=["seed-reference"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "already complete" in second.output
    assert counts() == before


def test_seed_reference_adds_only_what_is_missing(runner):
    before = counts()
    db.session.delete(milestone("Round 3"))
    db.session.commit()
    result = runner.invoke(args=["seed-reference"])
    assert "added 0 organisations, 1 milestones" in result.output
    assert counts() == before
    assert milestone("Round 3").start_date.year == 2018


def test_seed_reference_does_not_overwrite_a_secretariat_edit(runner):
    round_1 = milestone("Round 1")
    round_1.submission_deadline = date(2018, 2, 12)
    round_1.place = "New York, Conference Room 4"
    cemr = organisation("CEMR")
    cemr.full_name = "Council of European Municipalities and Regions (edited)"
    db.session.commit()

    runner.invoke(args=["seed-reference"])
    db.session.expire_all()
    assert milestone("Round 1").submission_deadline == date(2018, 2, 12)
    assert milestone("Round 1").place == "New York, Conference Room 4"
    assert organisation("CEMR").full_name.endswith("(edited)")


def test_reference_pages_show_the_loaded_data(client, login_as):
    login_as("contributor")
    html = client.get("/organisations").get_data(as_text=True)
    assert "Council of European Municipalities and Regions" in html and "UCLG-MEWA" in html
    html = client.get("/themes").get_data(as_text=True)
    assert "23 objectives</h1>" in html
    assert html.count("<tr><td") >= 23 + 4  # one row per objective and workstream
    assert "Minimize adverse drivers" in html and "Monitoring and evaluation" in html
