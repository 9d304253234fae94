"""Account changes. Every way of creating or changing an account (web page, CLI) goes through here."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from drafting.clock import now
from drafting.core.memo import memoized
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


def is_last_active_secretariat(user: User) -> bool:
    """Whether `user` is the only active secretariat account: demoting or deactivating it would leave
    nobody able to manage accounts."""
    if not (user.active and user.role == "secretariat"):
        return False
    others = db.session.scalar(select(func.count()).select_from(User).where(
        User.role == "secretariat", User.active.is_(True), User.id != user.id))
    return others == 0


LAST_SECRETARIAT = _l("This is the last active secretariat account: nobody could manage accounts without "
                      "it. Give another account the secretariat role first.")


def save_user(user: User, form) -> None:
    """The secretariat's edit of an account: the form's values, the email normalised."""
    form.email.data = User.normalise_email(form.email.data)
    form.populate_obj(user)
    db.session.commit()


def set_active(user: User, active: bool) -> None:
    if not active and is_last_active_secretariat(user):
        raise AccountError(str(LAST_SECRETARIAT))
    user.active = active
    db.session.commit()


@memoized(maxsize=4)
def _dummy_hash(method: str) -> str:
    return generate_password_hash("no account has this password", method=method)


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, else None.

    An unknown or deactivated email costs the same time as a wrong password: a password hash of the
    same kind is checked either way, so the answer's delay does not tell which emails have accounts.
    """
    user = db.session.scalar(select(User).where(User.email == User.normalise_email(email)))
    if user is None or not user.active:
        check_password_hash(_dummy_hash(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")), password)
        return None
    return user if user.check_password(password) else None


def end_all_sessions(user: User) -> None:
    """Log the account out everywhere: every session cookie and remember-me cookie issued so far stops
    working at its next request (the user loader compares the generation they carry)."""
    user.session_generation = (user.session_generation or 0) + 1
    db.session.commit()


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
