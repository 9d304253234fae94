"""Command-line commands: `flask --app wsgi <command>`."""

from __future__ import annotations

import logging
import sys

import click
from flask import Flask, current_app
from sqlalchemy import select

from drafting.accounts.operations import AccountError, create_user
from drafting.data_transfer import ArchiveError, export_data, import_data
from drafting.demo import DemoRefused, load_demo, renew_demo_passwords
from drafting.extensions import db
from drafting.models import Organisation
from drafting.notifications.cli import commands as notification_commands
from drafting.reference.loader import load_reference_data


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_reference)
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo)
    app.cli.add_command(demo_accounts)
    app.cli.add_command(export_data_command)
    app.cli.add_command(import_data_command)
    for command in notification_commands:
        app.cli.add_command(command)


@click.command("seed-reference")
def seed_reference() -> None:
    """Load organisations, milestones, objectives, workstreams and compact sections (idempotent)."""
    report = load_reference_data()
    details = ", ".join(f"{count} {label}" for label, count in report.added.items())
    click.echo(f"Reference data: added {details}." if report.total else "Reference data: already complete.")
    if report.total_translated:
        click.echo(f"Reference data: French and Spanish names filled in on {report.total_translated} existing rows.")


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--org", "org_short_name", required=True, help="Short name of the organisation, e.g. CEMR.")
@click.option("--role", required=True, type=click.Choice(["contributor", "reviewer", "secretariat"]))
def create_user_command(email: str, name: str, org_short_name: str, role: str) -> None:
    """Create an account. The password is read from standard input or a prompt, never an argument."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.short_name == org_short_name))
    if organisation is None:
        raise click.ClickException(f"No organisation with the short name {org_short_name!r}.")
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        user = create_user(email=email, name=name, organisation=organisation, role=role, password=password)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role} {user.email} ({organisation.short_name}).")


@click.command("seed-demo")
@click.option("--force", is_flag=True, help="Load the demo data even if accounts already exist.")
def seed_demo(force: bool) -> None:
    """Load the demo data set (accounts, positions) on an empty database and print the passwords."""
    # The demo's emails stay readable in the outbox page; here they would bury the passwords.
    level = current_app.logger.level
    current_app.logger.setLevel(logging.WARNING)
    try:
        accounts = load_demo(force=force)
    except DemoRefused as refusal:
        click.echo(str(refusal))
        return
    finally:
        current_app.logger.setLevel(level)
    _print_accounts("DEMO DATA loaded. These passwords are shown once; write down the ones you need:", accounts)


@click.command("demo-accounts")
def demo_accounts() -> None:
    """Print the demo accounts again, each with a new password (the old ones stop working)."""
    accounts = renew_demo_passwords()
    if not accounts:
        raise click.ClickException("No demo accounts here: flask --app wsgi seed-demo loads them.")
    _print_accounts("DEMO ACCOUNTS, with new passwords (the previous ones no longer work):", accounts)


def _print_accounts(title: str, accounts) -> None:
    click.echo("")
    click.echo(title)
    for email, role, organisation, password in accounts:
        click.echo(f"  {role:<12} {organisation:<12} {email:<40} {password}")
    click.echo("")


@click.command("export-data")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_data_command(path: str) -> None:
    """Write every record and stored file to one archive (a ZIP), to move or keep the data."""
    report = export_data(path)
    click.echo(f"Exported {report.total_rows} rows from {len(report.rows)} tables and {report.files} files "
               f"to {path}.")


@click.command("import-data")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_data_command(path: str) -> None:
    """Load an archive made by export-data into this empty database (run `flask db upgrade` first)."""
    try:
        report = import_data(path)
    except ArchiveError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Imported {report.total_rows} rows into {len(report.rows)} tables and {report.files} files "
               f"from {path}.")
