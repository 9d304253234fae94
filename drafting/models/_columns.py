"""Column helpers shared by the model modules."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Integer
from sqlalchemy.orm import mapped_column


def one_of(column: str, values, name: str | None = None) -> CheckConstraint:
    """A check constraint that holds an enumerated column to its allowed values."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name or f"{column}_allowed")


def version_column():
    """A row's version, for `__mapper_args__ = {"version_id_col": ...}`: every ORM update raises it and
    names the value it read in its WHERE clause, so of two saves that read the same row, the second
    changes nothing and raises StaleDataError instead of silently overwriting the first."""
    return mapped_column(Integer, nullable=False, server_default="1")
