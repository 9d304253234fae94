"""What the secretariat's account pages read."""

from __future__ import annotations

from sqlalchemy import select

from drafting.extensions import db
from drafting.models import Invitation, Organisation, User


def organisations_by_name() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.short_name)))


def people() -> list[User]:
    """Every account, the active first, by name."""
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.name)))


def open_invitations() -> list[Invitation]:
    """Invitations neither accepted nor revoked, the latest first."""
    return list(db.session.scalars(select(Invitation).where(
        Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None)).order_by(Invitation.sent_at.desc())))
