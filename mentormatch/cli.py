"""Command-line interface: `flask --app mentormatch <command>`."""

from __future__ import annotations



import click
from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app
from flask.cli import AppGroup

from mentormatch.config import PROJECT_ROOT

db_cli = AppGroup("db", help="Database schema migrations (Alembic).")


def alembic_config(url: str | None = None) -> AlembicConfig:
    """An Alembic config for migrations/ bound to the app's (or the given) database URL."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url or current_app.config["DATABASE_URL"])
    return config


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Bring the schema up to REVISION (default: the latest)."""
    alembic_command.upgrade(alembic_config(), revision)
    click.echo(f"Database is at {revision}.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Take the schema back to REVISION."""
    alembic_command.downgrade(alembic_config(), revision)


@db_cli.command("current")
def db_current() -> None:
    """Show the revision the database is at."""
    alembic_command.current(alembic_config(), verbose=True)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate/--empty", default=True)
def db_revision(message: str, autogenerate: bool) -> None:
    """Write a new migration (compared against the models when --autogenerate)."""
    alembic_command.revision(alembic_config(), message=message, autogenerate=autogenerate)


def register(app: Flask) -> None:
    """Attach every command group to the app."""
    app.cli.add_command(db_cli)
    from mentormatch.pairings.cli import pairings_cli

    app.cli.add_command(pairings_cli)



