"""Command-line commands: create-user (password from standard input only) and seed-demo."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from drafting.cli import create_user_command
from drafting.demo import DEMO_DOMAIN
from drafting.extensions import db
from drafting.models import Organisation, User

ARGS = ["create-user", "Ines.Garcia@UCLG-MEWA.example.org", "--name", "Inés García", "--org", "UCLG-MEWA",
        "--role", "reviewer"]


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_create_user_reads_the_password_from_standard_input(runner):
    result = runner.invoke(args=ARGS, input="a long password\n")
    assert result.exit_code == 0, result.output
    assert "Created reviewer ines.garcia@uclg-mewa.example.org (UCLG-MEWA)." in result.output
    assert "a long password" not in result.output
    user = db.session.scalar(select(User).where(User.email == "ines.garcia@uclg-mewa.example.org"))
    assert (user.name, user.role, user.organisation.short_name, user.active) == (
        "Inés García", "reviewer", "UCLG-MEWA", True)
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("a long password")


def test_create_user_refuses_a_short_password(runner):
    result = runner.invoke(args=ARGS, input="short\n")
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    assert user_count() == 0


def test_create_user_refuses_an_unknown_organisation(runner):
    args = [*ARGS]
    args[args.index("UCLG-MEWA")] = "Nowhere"
    result = runner.invoke(args=args, input="a long password\n")
    assert result.exit_code != 0
    assert "No organisation with the short name 'Nowhere'" in result.output
    assert user_count() == 0


def test_create_user_refuses_an_existing_email_whatever_its_case(runner):
    assert runner.invoke(args=ARGS, input="a long password\n").exit_code == 0
    args = [*ARGS]
    args[1] = args[1].upper()
    result = runner.invoke(args=args, input="another long password\n")
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert user_count() == 1


def test_create_user_refuses_an_unknown_role(runner):
    args = [*ARGS]
    args[-1] = "admin"
    assert runner.invoke(args=args, input="a long password\n").exit_code != 0
    assert user_count() == 0


def test_there_is_no_password_option(runner):
    assert not any("password" in name for param in create_user_command.params for name in param.opts)
    result = runner.invoke(args=[*ARGS, "--password", "a long password"])
    assert result.exit_code == 2
    assert "No such option" in result.output
    assert user_count() == 0


DEMO_LINE = re.compile(r"^\s+(contributor|reviewer|secretariat)\s+(\S+(?: \S+)?)\s+(\S+@\S+)\s+(\S+)$")


def test_seed_demo_creates_one_account_per_role_and_network_and_prints_passwords_once(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "DEMO DATA" in result.output
    lines = [DEMO_LINE.match(line) for line in result.output.splitlines()]
    accounts = {(m.group(1), m.group(2)): (m.group(3), m.group(4)) for m in lines if m}
    networks = db.session.scalars(select(Organisation.short_name).where(Organisation.contributes_positions)).all()
    expected = {("secretariat", "UCLG")} | {(role, n) for n in networks for role in ("contributor", "reviewer")}
    assert set(accounts) == expected
    assert len(accounts) == 1 + 2 * 4
    for (role, short_name), (email, password) in accounts.items():
        user = db.session.scalar(select(User).where(User.email == email))
        assert email.endswith(f"@{DEMO_DOMAIN}")
        assert (user.role, user.organisation.short_name) == (role, short_name)
        assert user.name.startswith("DEMO ")
        assert user.check_password(password)
        assert len(password) >= 12
        assert result.output.count(password) == 1


def test_seed_demo_refuses_on_a_database_with_accounts(runner, make_user):
    make_user("secretariat")
    result = runner.invoke(args=["seed-demo"])
    assert "Demo data not loaded: the database already has accounts." in result.output
    assert user_count() == 1


def test_seed_demo_twice_loads_once(runner):
    runner.invoke(args=["seed-demo"])
    count = user_count()
    second = runner.invoke(args=["seed-demo"])
    assert "Demo data already loaded" in second.output
    assert "flask --app wsgi demo-accounts" in second.output
    assert "DEMO DATA" not in second.output
    assert user_count() == count


def _printed_accounts(output: str) -> dict[str, str]:
    return {m.group(3): m.group(4) for m in map(DEMO_LINE.match, output.splitlines()) if m}


def test_demo_accounts_prints_every_demo_account_again_with_a_new_password(runner):
    first = _printed_accounts(runner.invoke(args=["seed-demo"]).output)
    result = runner.invoke(args=["demo-accounts"])
    assert result.exit_code == 0, result.output
    again = _printed_accounts(result.output)
    assert set(again) == set(first)
    for email, password in again.items():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.refresh(user)
        assert user.check_password(password)
        assert not user.check_password(first[email]), "the old password stops working"


def test_demo_accounts_leaves_other_accounts_alone(runner, make_user):
    other = make_user("secretariat")
    hash_before = other.password_hash
    result = runner.invoke(args=["demo-accounts"])
    assert result.exit_code != 0
    assert "No demo accounts here" in result.output
    db.session.refresh(other)
    assert other.password_hash == hash_before
