"""Pages of 25 whose cost does not grow with the table.

Flask-SQLAlchemy's `paginate` counts every matching row on every page; at 100,000 positions that
count alone costs more than the page. Here the count stops at `COUNT_CAP` (the page then says "more
than 1,000"), and the rows come from `LIMIT 26 OFFSET k` on a query whose order an index serves, so
the database reads about k + 26 index entries and sorts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select

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
