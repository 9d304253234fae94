"""Reading a long list page after page: "Next" and "Previous" carry the key of the rows beside them, so a
position saved meanwhile neither repeats a row on the next page nor hides one, and a late page is reached
without the database counting its way there (the EXPLAIN test, on PostgreSQL)."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from drafting.extensions import db
from drafting.models import Position
from tests.support.query_budget import insert_positions

ROW_TITLE = re.compile(r'<a href="/positions/\d+"[^>]*>([^<]+)</a>')


def titles(page: str) -> list[str]:
    return ROW_TITLE.findall(page)


def link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    return html.unescape(found.group(1)) if found else None


def spread_dates() -> None:
    """Each bulk position saved a minute after the previous one: 'Bulk position 0' is the oldest."""
    for position in db.session.scalars(select(Position)):
        number = int(position.title.rsplit(" ", 1)[1])
        db.session.execute(update(Position).where(Position.id == position.id)
                           .values(updated_at=position.updated_at + timedelta(minutes=number)))
    db.session.commit()


def test_next_and_previous_are_stable_while_positions_are_saved(client, login_as, make_user):
    insert_positions(60, make_user("contributor", "CEMR"))
    spread_dates()
    login_as("secretariat", org="UCLG")

    first = client.get("/positions").get_data(as_text=True)
    assert titles(first) == [f"Bulk position {n}" for n in range(59, 34, -1)]
    assert "Page 1 of 3" in first and link(first, "prev") is None

    # Someone saves a new position while the reader is on page 1: page 2 starts where page 1 ended.
    insert_positions(1, make_user("contributor", "CEMR"))
    db.session.execute(update(Position).where(Position.id == db.session.scalar(select(db.func.max(Position.id))))
                       .values(updated_at=db.session.scalar(select(db.func.max(Position.updated_at)))
                               + timedelta(minutes=5), title="Saved meanwhile"))
    db.session.commit()
    second = client.get(link(first, "next")).get_data(as_text=True)
    assert titles(second) == [f"Bulk position {n}" for n in range(34, 9, -1)]
    assert "Page 2 of 3" in second

    third = client.get(link(second, "next")).get_data(as_text=True)
    assert titles(third) == [f"Bulk position {n}" for n in range(9, -1, -1)]
    assert link(third, "next") is None

    # Back from page 3: the same rows as page 2; back again: page 1 as it was, then the new one above it.
    assert titles(client.get(link(third, "prev")).get_data(as_text=True)) == titles(second)
    back = client.get(link(second, "prev")).get_data(as_text=True)
    assert titles(back) == titles(first)
    assert titles(client.get(link(back, "prev")).get_data(as_text=True)) == ["Saved meanwhile"] + titles(first)[:24]


@pytest.mark.slow  # seeds hundreds of positions
def test_the_review_queue_pages_oldest_first_with_its_filters(client, login_as, make_user):
    insert_positions(210, make_user("contributor", "CEMR"))
    db.session.execute(text("UPDATE positions SET submitted_at = updated_at"))
    db.session.commit()
    login_as("reviewer", org="CEMR")
    seen = []
    page = client.get("/review?stage=submitted").get_data(as_text=True)
    while True:
        seen += titles(page)
        following = link(page, "next")
        if following is None:
            break
        assert "stage=submitted" in following
        page = client.get(following).get_data(as_text=True)
    expected = db.session.scalars(select(Position.title).where(Position.stage == "submitted")
                                  .order_by(Position.submitted_at, Position.id)).all()
    assert seen == expected and len(seen) > 25


def test_a_link_to_a_page_whose_rows_are_gone_shows_the_first_page(client, login_as, make_user):
    insert_positions(30, make_user("contributor", "CEMR"))
    login_as("secretariat", org="UCLG")
    page = client.get("/positions?before=2099-01-01T00:00:00_1&page=7").get_data(as_text=True)
    assert "Page 1 of 2" in page and len(titles(page)) == 25


@pytest.mark.slow  # seeds hundreds of positions
@pytest.mark.parametrize("path_filter", ["", "organisation_id = 1 AND "])
def test_postgresql_reads_a_late_page_from_the_index_without_sorting(app, make_user, path_filter):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    insert_positions(3000, make_user("contributor", "CEMR"))
    db.session.execute(text("ANALYZE positions"))
    from drafting.pagination import keyset_paginate
    from drafting.permissions import visible_positions
    from drafting.positions.views import LIST_ORDER

    statements = []
    from sqlalchemy import event

    def keep(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    late = db.session.scalars(select(Position).order_by(Position.updated_at.desc(), Position.id.desc())
                              .offset(2500).limit(1)).one()
    cursor = f"{late.updated_at.isoformat()}_{late.id}"
    user = make_user("secretariat") if not path_filter else make_user("contributor", "CEMR")
    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        page = keyset_paginate(visible_positions(user), LIST_ORDER, 25, descending=True, after=cursor, page=101)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert page.items and page.items[0].updated_at <= late.updated_at
    # One statement: the page's rows, with the capped count riding along (drafting.pagination).
    page_statements = [(s, p) for s, p in statements if "FROM positions" in s]
    assert len(page_statements) == 1, page_statements
    statement, parameters = page_statements[0]
    plan = "\n".join(row[0] for row in db.session.connection().exec_driver_sql("EXPLAIN " + statement, parameters))
    assert "Index Scan Backward using ix_positions_" in plan, plan
    assert "Sort" not in plan, plan
