"""Account changes. Every way of creating or changing an account (web page, CLI) goes through here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from drafting.clock import now
from drafting.extensions import db
from drafting.models import ROLES, Organisation, User

PASSWORD_MIN_LENGTH = 12


class AccountError(ValueError):
    """The account change is refused; the message says why."""


def password_problem(password: str) -> str | None:
    if len(password) < PASSWORD_MIN_LENGTH:
        return str(_l("The password must have at least %(n)d characters.", n=PASSWORD_MIN_LENGTH))
    return None


def email_taken(email: str, except_user: User | None = None) -> bool:
    query = select(func.count()).select_from(User).where(User.email == User.normalise_email(email))
    if except_user is not None:
        query = query.where(User.id != except_user.id)
    return db.session.scalar(query) > 0


def create_user(*, email: str, name: str, organisation: Organisation, role: str, password: str,
                locale: str = "en") -> User:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if email_taken(email):
        raise AccountError(str(_l("An account with this email already exists.")))
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    user = User(email=User.normalise_email(email), name=name.strip(), organisation=organisation, role=role,
                locale=locale, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def change_password(user: User, new_password: str) -> None:
    problem = password_problem(new_password)
    if problem:
        raise AccountError(problem)
    user.set_password(new_password)
    db.session.commit()


def record_login(user: User) -> None:
    user.last_login_at = now()
    db.session.commit()
