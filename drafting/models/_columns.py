"""Column helpers shared by the model modules."""

from __future__ import annotations

from sqlalchemy import CheckConstraint


def one_of(column: str, values, name: str | None = None) -> CheckConstraint:
    """A check constraint that holds an enumerated column to its allowed values."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name or f"{column}_allowed")
