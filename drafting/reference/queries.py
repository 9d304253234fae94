"""What the reference pages read: the organisations, the themes and the compact's sections, in order."""

from __future__ import annotations

from sqlalchemy import select

from drafting.extensions import db
from drafting.models import CompactSection, Organisation, Theme


def organisations_listed() -> list[Organisation]:
    """Those that contribute positions first, then by short name."""
    return db.session.scalars(
        select(Organisation).order_by(Organisation.contributes_positions.desc(), Organisation.short_name)).all()


def themes_in_order() -> list[Theme]:
    return db.session.scalars(select(Theme).order_by(*Theme.ordering())).all()


def sections_in_order() -> list[CompactSection]:
    return db.session.scalars(select(CompactSection).order_by(CompactSection.order)).all()
