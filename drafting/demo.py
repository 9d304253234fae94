"""The demo data set that `make run` loads on an empty database. Every account and position in it is
marked DEMO so that nobody mistakes it for real material."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from drafting.accounts.operations import create_user
from drafting.demo_positions import load_demo_positions
from drafting.extensions import db
from drafting.models import Organisation, User

DEMO_DOMAIN = "demo.uclg.org"


class DemoRefused(RuntimeError):
    pass


def demo_email(organisation: Organisation, role: str) -> str:
    slug = organisation.short_name.lower().replace(" ", "-")
    return f"{slug}.{role}@{DEMO_DOMAIN}"


def load_demo(force: bool = False) -> list[tuple[str, str, str, str]]:
    """Create the demo accounts (and, through `drafting.demo_positions`, positions).

    Returns (email, role, organisation, password) for each account, so that the caller can show the
    generated passwords once.
    """
    if not force and db.session.scalar(select(func.count()).select_from(User)):
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
