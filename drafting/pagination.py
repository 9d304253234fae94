"""Pages of 25 whose cost does not grow with the table.

Flask-SQLAlchemy's `paginate` counts every matching row on every page; at 100,000 positions that
count alone costs more than the page. Here the count stops at `COUNT_CAP` (the page then says "more
than 1,000"). The lists of positions use keyset pages (`keyset_paginate`): the rows after the last one
shown, in an index's order, so page 400 reads 26 index entries like page 1. `paginate` (`LIMIT 26
OFFSET k`) stays for the search, whose relevance order no index holds and which is read a page or two deep.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from drafting.extensions import db

COUNT_CAP = 1_000


@dataclass
class Page:
    """What the `pager` macro and the lists need; `total_capped` says the count stopped at the cap."""

    items: list
    page: int
    per_page: int
    total: int
    total_capped: bool
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    @property
    def prev_args(self) -> dict:
        """The arguments of the "Previous" link (the pager adds the list's filters)."""
        return {"page": self.prev_num}

    @property
    def next_args(self) -> dict:
        return {"page": self.next_num}

    @property
    def pages(self) -> int | None:
        """The number of pages, or None while the count is capped (the pager then says "Page k")."""
        if self.total_capped:
            return None
        return max(1, -(-self.total // self.per_page))


def count_capped(query: Select, cap: int | None = None) -> tuple[int, bool]:
    """How many rows the query gives, reading at most `cap + 1` of them."""
    cap = cap or COUNT_CAP
    limited = query.order_by(None).with_only_columns(query.selected_columns[0]).limit(cap + 1)
    count = db.session.scalar(select(func.count()).select_from(limited.subquery()))
    return min(count, cap), count > cap


def paginate(query: Select, page: int, per_page: int, counted: tuple[int, bool] | None = None) -> Page:
    """A page of the query's rows; `counted` is `count_capped(query)` when the caller has it already."""
    total, capped = counted or count_capped(query)
    rows = db.session.scalars(query.limit(per_page + 1).offset((page - 1) * per_page)).unique().all()
    return Page(items=list(rows[:per_page]), page=page, per_page=per_page, total=total, total_capped=capped,
                has_next=len(rows) > per_page)


# Keyset pages -------------------------------------------------------------------------------------
#
# A list read page after page: "Next" carries the sort key of the last row shown (`after`), "Previous"
# that of the first (`before`), and the page is the 25 rows beyond that key in the index's order. A late
# page then costs what the first does (no OFFSET: the database does not read and drop the rows before),
# and a position saved meanwhile neither repeats a row nor skips one on the next page. The page number is
# a label carried in the links, not a position the database has to count to.

CURSOR_SEPARATOR = "_"


def _cursor(item, order: Sequence[InstrumentedAttribute]) -> str:
    values = (getattr(item, column.key) for column in order)
    return CURSOR_SEPARATOR.join(v.isoformat() if isinstance(v, datetime) else str(v) for v in values)


def _decode(cursor: str | None, order: Sequence[InstrumentedAttribute]) -> tuple | None:
    """The sort key a link carries, or None when it is missing or not one (then the first page is shown)."""
    if not cursor:
        return None
    parts = cursor.split(CURSOR_SEPARATOR)
    if len(parts) != len(order):
        return None
    values = []
    try:
        for part, column in zip(parts, order, strict=True):
            if column.type.python_type is datetime:
                values.append(datetime.fromisoformat(part))
            elif (number := int(part)) in range(2**31):  # an id: PostgreSQL's integer, SQLite's too
                values.append(number)
            else:
                return None
    except (ValueError, TypeError, OverflowError):
        return None
    return tuple(values)


@dataclass
class KeysetPage(Page):
    """A `Page` whose links carry the sort key of the rows next to them (see `keyset_paginate`)."""

    first_cursor: str = ""
    last_cursor: str = ""

    @property
    def prev_args(self) -> dict:
        return {"page": self.page - 1, "before": self.first_cursor}

    @property
    def next_args(self) -> dict:
        return {"page": self.page + 1, "after": self.last_cursor}


def _first_column(row):
    return row[0]


def keyset_paginate(query: Select, order: Sequence[InstrumentedAttribute], per_page: int, *, descending: bool,
                    after: str | None = None, before: str | None = None, page: int = 1,
                    counted: tuple[int, bool] | None = None, item: Callable = _first_column) -> KeysetPage:
    """The rows of `query` that follow the key `after` (or precede `before`) in the order of the columns
    `order`, all ascending or all descending: the same order as an index, whose last column is unique.

    `page` is only the number shown; a late page costs what the first does. `counted` is the caller's
    (total, capped) when it has it already; else the capped count rides in the page's own statement, as
    one more column (one statement per page, not two). `query` selects what a row of the page holds and
    `item(row)` makes the page's item of it (by default its first column: `select(Position)` gives ORM
    objects); each item has the attributes of `order`."""
    key = tuple_(*order)
    count = None if counted else _capped_count_column(query)
    before_key, after_key = _decode(before, order), _decode(after, order)
    forward = [column.desc() if descending else column.asc() for column in order]
    if before_key is not None:
        backward = [column.asc() if descending else column.desc() for column in order]
        condition = key > tuple_(*before_key) if descending else key < tuple_(*before_key)
        rows = _fetch(query.where(condition).order_by(*backward).limit(per_page + 1), count)
        if len(rows) > per_page:
            items = [item(row) for row in reversed(rows[:per_page])]
            return _keyset_page(items, order, per_page, counted or _counted(rows), max(page, 2),
                                has_prev=True, has_next=True)
        # Rows were removed since that page was shown: what is left before it is the first page.
        after_key, page = None, 1
    condition = (key < tuple_(*after_key) if descending else key > tuple_(*after_key)) if after_key else None
    first = query.where(condition) if condition is not None else query
    rows = _fetch(first.order_by(*forward).limit(per_page + 1), count)
    if not counted:
        # A page past the end has no row to carry the count: then it is counted on its own (rare).
        counted = _counted(rows) if rows or after_key is None else count_capped(query)
    return _keyset_page([item(row) for row in rows[:per_page]], order, per_page, counted,
                        max(page, 2) if after_key else 1, has_prev=after_key is not None, has_next=len(rows) > per_page)


def _capped_count_column(query: Select):
    """`count_capped(query)` as a column of the page's statement (the database works it out once)."""
    limited = query.order_by(None).with_only_columns(query.selected_columns[0]).limit(COUNT_CAP + 1)
    return select(func.count()).select_from(limited.subquery()).scalar_subquery().label("capped_count")


def _fetch(query: Select, count) -> list:
    return db.session.execute(query.add_columns(count) if count is not None else query).all()


def _counted(rows: list) -> tuple[int, bool]:
    if not rows:
        return 0, False
    count = rows[0][-1]
    return min(count, COUNT_CAP), count > COUNT_CAP


def _keyset_page(items: list, order, per_page: int, counted: tuple[int, bool], page: int, *, has_prev: bool,
                 has_next: bool) -> KeysetPage:
    total, capped = counted
    return KeysetPage(items=items, page=page if has_prev else 1, per_page=per_page, total=total,
                      total_capped=capped, has_next=has_next,
                      first_cursor=_cursor(items[0], order) if items and has_prev else "",
                      last_cursor=_cursor(items[-1], order) if items else "")
