"""The demo data set that `make run` loads on an empty database. Every account and position in it is
marked DEMO so that nobody mistakes it for real material."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from drafting.accounts.operations import change_password, create_user
from drafting.demo_positions import load_demo_positions
from drafting.extensions import db
from drafting.models import Organisation, User

DEMO_DOMAIN = "demo.uclg.org"


class DemoRefused(RuntimeError):
    pass


def demo_email(organisation: Organisation, role: str) -> str:
    slug = organisation.short_name.lower().replace(" ", "-")
    return f"{slug}.{role}@{DEMO_DOMAIN}"


def demo_loaded() -> bool:
    return db.session.scalar(select(User.id).where(User.email.endswith(f"@{DEMO_DOMAIN}")).limit(1)) is not None


def renew_demo_passwords() -> list[tuple[str, str, str, str]]:
    """Give every active demo account a new password; (email, role, organisation, password) for each, so
    that the demo can be entered again when the first passwords were not written down."""
    users = db.session.scalars(
        select(User).where(User.email.endswith(f"@{DEMO_DOMAIN}"), User.active).order_by(User.id)
    ).all()
    accounts = []
    for user in users:
        password = secrets.token_urlsafe(12)
        change_password(user, password)
        accounts.append((user.email, user.role, user.organisation.short_name, password))
    return accounts


def load_demo(force: bool = False) -> list[tuple[str, str, str, str]]:
    """Create the demo accounts (and, through `drafting.demo_positions`, positions).

    Returns (email, role, organisation, password) for each account, so that the caller can show the
    generated passwords once.
    """
    if not force and db.session.scalar(select(func.count()).select_from(User)):
        if demo_loaded():
            raise DemoRefused("Demo data already loaded. To see its accounts with new passwords: "
                              "flask --app wsgi demo-accounts (or make demo-accounts).")
        raise DemoRefused("Demo data not loaded: the database already has accounts.")
    organisations = db.session.scalars(
        select(Organisation).where(Organisation.contributes_positions).order_by(Organisation.short_name)
    ).all()
    secretariat = db.session.scalar(select(Organisation).where(Organisation.kind == "secretariat"))
    if not organisations or secretariat is None:
        raise DemoRefused("Demo data not loaded: load the reference data first (flask seed-reference).")

    accounts = []
    wanted = [(secretariat, "secretariat")] + [
        (organisation, role) for organisation in organisations for role in ("contributor", "reviewer")
    ]
    for organisation, role in wanted:
        email = demo_email(organisation, role)
        if db.session.scalar(select(User).where(User.email == email)):
            continue
        password = secrets.token_urlsafe(12)
        create_user(
            email=email,
            name=f"DEMO {organisation.short_name} {role}",
            organisation=organisation,
            role=role,
            password=password,
        )
        accounts.append((email, role, organisation.short_name, password))


    load_demo_positions()
    return accounts
