"""Lists name milestones, networks and objectives from a copy held in memory (drafting.reference.snapshot):
whoever changes the reference data, and however (an edit page, plain SQL from another server, a row added
or removed), the next page shows the change, in each language."""

from __future__ import annotations

import re

from sqlalchemy import select, text

from drafting.extensions import db
from drafting.models import Organisation, ReferenceVersion, Theme
from tests.conftest import milestone
from tests.support.query_budget import counting_statements


def version() -> int:
    return db.session.scalar(select(ReferenceVersion.number))


def cells(page: str) -> str:
    return re.sub(r"\s+", " ", page)


def test_every_change_to_reference_data_moves_the_version_on(app):
    seen = [version()]
    for statement in (
        "UPDATE milestones SET place = 'Geneva' WHERE id = 1",
        "UPDATE organisations SET full_name = full_name || ' (renamed)' WHERE short_name = 'CEMR'",
        "UPDATE themes SET short_label_fr = 'Données' WHERE number = 1",
        "UPDATE compact_sections SET note = 'Read me' WHERE \"order\" = 1",
        "INSERT INTO organisations (short_name, full_name, full_name_fr, full_name_es, kind, region, region_fr, "
        "region_es, source_note, contributes_positions) "
        "VALUES ('NEW', 'A new network', '', '', 'partner', '', '', '', '', false)",
        "DELETE FROM organisations WHERE short_name = 'NEW'",
    ):
        db.session.execute(text(statement))
        db.session.commit()
        seen.append(version())
    assert len(set(seen)) == len(seen), f"the version stood still: {seen}"


def test_two_databases_never_share_a_version(app):
    from drafting.models import reference_version

    before = version()
    reference_version.restart(db.session.connection())
    db.session.commit()
    assert version() != before


def test_a_renamed_milestone_shows_on_the_next_list_page_without_a_restart(client, login_as, make_position):
    make_position("submitted", milestone_name="Round 2")
    user = login_as("secretariat", org="UCLG")
    assert milestone("Round 2").name in cells(client.get("/positions").get_data(as_text=True))

    # Another server (plain SQL: nothing in this process is told) renames it, in English and in French.
    db.session.execute(text("UPDATE milestones SET name = 'Renamed round', name_fr = 'Cycle renommé' "
                            "WHERE id = :id"), {"id": milestone("Round 2").id})
    db.session.commit()
    page = cells(client.get("/positions").get_data(as_text=True))
    assert "Renamed round" in page

    user.locale = "fr"
    db.session.commit()
    french = cells(client.get("/positions").get_data(as_text=True))
    assert "Cycle renommé" in french and "Renamed round" not in french.split("<tbody>")[1]


def test_a_renamed_network_and_objective_show_on_the_next_page(client, login_as, make_position):
    make_position("submitted", org="CEMR", theme_numbers=(15,))
    login_as("reviewer", org="CEMR")
    db.session.execute(text("UPDATE organisations SET short_name = 'CEMR-CCRE' WHERE short_name = 'CEMR'"))
    objective = db.session.scalar(select(Theme).where(Theme.number == 15))
    objective.short_label = "Access to basic services, renamed"
    db.session.commit()
    for path in ("/review", "/positions"):
        page = cells(client.get(path).get_data(as_text=True))
        assert "CEMR-CCRE" in page, path
        assert "15. Access to basic services, renamed" in page, path


def test_the_copy_costs_no_statement_once_made(client, login_as, make_position):
    make_position("submitted")
    login_as("secretariat", org="UCLG")
    client.get("/positions")  # the first page of this process makes the copy
    with counting_statements() as statements:
        client.get("/positions")
    assert not any("FROM milestones" in s or "FROM themes" in s for s in statements), statements
    # A change: the copy is made again, once.
    db.session.execute(text("UPDATE organisations SET region = region WHERE short_name = 'CEMR'"))
    db.session.commit()
    with counting_statements() as statements:
        client.get("/positions")
    assert sum("FROM milestones" in s for s in statements) == 1
    with counting_statements() as statements:
        client.get("/positions")
    assert not any("FROM milestones" in s for s in statements)
    assert db.session.scalar(select(Organisation).where(Organisation.short_name == "CEMR")) is not None
