"""Command-line interface: `flask --app mentormatch <command>`."""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import force_locale, format_decimal, ngettext
from flask_babel import gettext as _
from tqdm import tqdm

from mentormatch.config import PROJECT_ROOT
from mentormatch.db import session_scope
from mentormatch.i18n.choices import terminal_language
from mentormatch.importer import ENTREPRENEURS, KINDS, ImportFileError, import_profiles
from mentormatch.models import ReviewStatus, Role, normalize_email

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def in_terminal_language(command: F) -> F:
    """Run a command with what it prints for people in the terminal's language (LANG)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with force_locale(terminal_language()):
            return command(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


db_cli = AppGroup("db", help="Database schema migrations (Alembic).")


def alembic_config(url: str | None = None) -> AlembicConfig:
    """An Alembic config for migrations/ bound to the app's (or the given) database URL."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url or current_app.config["DATABASE_URL"])
    return config


@db_cli.command("upgrade")
@click.argument("revision", default="head")
@in_terminal_language
def db_upgrade(revision: str) -> None:
    """Bring the schema up to REVISION (default: the latest)."""
    alembic_command.upgrade(alembic_config(), revision)
    click.echo(_("Database is at %(revision)s.", revision=revision))


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


# --- seed data, accounts and CSV import ------------------------------------------------------

PROGRESS_BAR_ROWS = 200  # smaller files import in a blink; no bar needed


@click.command("seed")
@with_appcontext
@in_terminal_language
@click.option(
    "--demo-accounts/--no-demo-accounts",
    default=None,
    help="Create the demo accounts (default: yes, except in production).",
)
@click.option(
    "--synthetic",
    nargs=2,
    type=click.IntRange(0),
    metavar="N_ENTREPRENEURS N_DIASPORA",
    help="Also add this many synthetic profiles (benchmarks, load tests).",
)
def seed_command(demo_accounts: bool | None, synthetic: tuple[int, int] | None) -> None:
    """Load the taxonomy, exchange rates, the seed profiles (once) and the demo accounts;
    print the accounts."""
    from mentormatch.seeding import DEMO_ACCOUNTS, SeedError, seed

    if demo_accounts is None:
        demo_accounts = current_app.config.get("ENV_NAME") != "production"
    _echo_gazetteer(force=False)
    try:
        with session_scope() as session:
            report = seed(session, demo_accounts=demo_accounts)
    except SeedError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        _(
            "Taxonomy: %(chains)s value chains, %(skills)s skills; %(rates)s exchange rates in "
            "%(file)s.",
            chains=report.value_chains,
            skills=report.skills,
            rates=report.exchange_rates,
            file="seed_data/taxonomy/currency_rates.csv",
        )
    )
    if report.imported:
        click.echo(
            _(
                "Imported %(entrepreneurs)s entrepreneurs and %(diaspora)s diaspora members "
                "from seed_data/.",
                entrepreneurs=report.imported["entrepreneurs"],
                diaspora=report.imported["diaspora"],
            )
        )
    else:
        click.echo(
            _(
                "%(count)s profiles were already there: seed_data/ not imported again.",
                count=report.profiles_before,
            )
        )
    if synthetic:
        from mentormatch.followup.service import CheckInPolicy
        from mentormatch.synthetic_seed import seed_synthetic

        days = CheckInPolicy.from_config(current_app.config).days
        with session_scope() as session:
            added = seed_synthetic(session, *synthetic, progress=click.echo, check_in_days=days)
        click.echo(
            _(
                "Added %(entrepreneurs)s synthetic entrepreneurs and %(diaspora)s synthetic "
                "diaspora members.",
                entrepreneurs=format_decimal(added.entrepreneurs),
                diaspora=format_decimal(added.diaspora),
            )
        )
    _publish_matching_index()
    if not demo_accounts:
        click.echo(_("Demo accounts not created (use --demo-accounts to create them)."))
        return
    created = {account.email for account in report.demo_created}
    rows = [(_("Role"), _("Name"), _("Log in with"), _("Password"), "")]
    for account in DEMO_ACCOUNTS:
        rows.append(
            (
                account.role_name,
                account.full_name,
                account.email,
                account.password,
                _("(new)") if account.email in created else "",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    click.echo("\n" + _("Demo accounts:"))
    for row in rows:
        click.echo("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


# --- places ---------------------------------------------------------------------------------

places_cli = AppGroup("places", help="The offline gazetteer that places towns in regions.")


def _echo_gazetteer(*, force: bool) -> None:
    from mentormatch.places.store import Gazetteer, ensure_gazetteer

    started = time.perf_counter()
    try:
        path, built = ensure_gazetteer(force=force)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    meta = Gazetteer(path).meta()
    if built:
        click.echo(
            _(
                "Gazetteer built in %(seconds)s s: %(names)s names of places in %(countries)s "
                "countries, %(path)s",
                seconds=f"{time.perf_counter() - started:.0f}",
                names=format_decimal(int(meta["rows"])),
                countries=meta["countries"],
                path=path,
            )
        )
    else:
        click.echo(_("Gazetteer up to date: %(path)s", path=path))


@places_cli.command("build-gazetteer")
@click.option("--force", is_flag=True, help="Build it again even if it is up to date.")
@in_terminal_language
def build_gazetteer_command(force: bool) -> None:
    """Compile the gazetteer from the installed GeoNames packages into the instance cache
    (once per package version; web processes only read the compiled file)."""
    _echo_gazetteer(force=force)


@click.command("create-user")
@with_appcontext
@in_terminal_language
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option("--name", "full_name", required=True, help="Full name, as shown to others.")
@click.option("--email", default=None, help="Email address to log in with.")
@click.option("--phone", default=None, help="Phone number with its country code (+234 …).")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Asked for (twice) when not given.",
)
def create_user_command(
    role: str, full_name: str, email: str | None, phone: str | None, password: str
) -> None:
    """Create an account (the only way to create coordinators and administrators)."""
    from email_validator import EmailNotValidError, validate_email

    from mentormatch import phones
    from mentormatch.auth.passwords import password_problem
    from mentormatch.auth.service import create_user, email_taken, full_name_problem, phone_taken

    if not email and not phone:
        raise click.UsageError(_("Give --email, --phone or both: the account needs a login."))
    problems = [
        ("--name", full_name_problem(full_name)),
        ("--phone", phones.phone_problem(phone, None) if phone else None),
        ("--password", password_problem(password, email, full_name)),
    ]
    if email:
        try:
            email = normalize_email(validate_email(email, check_deliverability=False).normalized)
        except EmailNotValidError as exc:
            problems.append(("--email", str(exc)))
    for option, problem in problems:
        if problem:
            raise click.BadParameter(problem, param_hint=option)
    if phone:
        phone = phones.parse_phone(phone, None)
    with session_scope() as session:
        if email and email_taken(session, email):
            raise click.ClickException(
                _("A user with the email %(email)s already exists.", email=email)
            )
        if phone and phone_taken(session, phone):
            raise click.ClickException(
                _("A user with the phone number %(phone)s already exists.", phone=phone)
            )
        user = create_user(
            session,
            full_name=full_name,
            role=Role(role),
            email=email,
            phone=phone,
            password=password,
        )
        click.echo(
            _(
                "Created %(role)s %(name)s (%(login)s).",
                role=user.role.value,
                name=user.full_name,
                login=user.login_name,
            )
        )


def _progress_bar(items: Sequence[T], description: str) -> Iterable[T]:
    if len(items) <= PROGRESS_BAR_ROWS:
        return items
    return tqdm(items, desc=description, unit="row", file=sys.stderr)


@click.command("import-profiles")
@with_appcontext
@in_terminal_language
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(KINDS), help="Default: told by the header.")
@click.option("--skip-invalid", is_flag=True, help="Import the good rows, report the bad ones.")
@click.option(
    "--status",
    type=click.Choice([ReviewStatus.APPROVED.value, ReviewStatus.PENDING.value]),
    default=ReviewStatus.APPROVED.value,
    show_default=True,
    help="The review status the imported profiles start with.",
)
def import_profiles_command(
    csv_file: Path, kind: str | None, skip_invalid: bool, status: str
) -> None:
    """Import entrepreneurs or diaspora members from CSV_FILE, a CSV or XLSX file (see
    seed_data/README.md)."""
    try:
        with session_scope() as session:
            result = import_profiles(
                session,
                csv_file.read_bytes(),
                kind=kind,
                skip_invalid=skip_invalid,
                review_status=ReviewStatus(status),
                track=_progress_bar,
            )
    except ImportFileError as exc:
        raise click.ClickException(f"{csv_file}: {exc}") from exc
    if result.errors:
        rejected = result.rejected_rows
        click.echo(
            ngettext(
                "%(file)s: %(num)d problem in %(rejected)s of %(rows)s rows:",
                "%(file)s: %(num)d problems in %(rejected)s of %(rows)s rows:",
                len(result.errors),
                file=csv_file,
                rejected=len(rejected),
                rows=result.rows_read,
            ),
            err=True,
        )
        for error in result.errors:
            click.echo(f"  {error}", err=True)
    if result.created:
        skipped = ", ".join(map(str, result.rejected_rows)) if result.errors else ""
        click.echo(_imported_line(result.created, result.kind == ENTREPRENEURS, csv_file, skipped))
        if result.notes:
            click.echo(
                ngettext(
                    "Places worked out from the localities (%(num)d row):",
                    "Places worked out from the localities (%(num)d rows):",
                    len(result.notes),
                )
            )
            for note in result.notes:
                click.echo(f"  {note}")
        return
    if skip_invalid:
        raise click.ClickException(_("Nothing was imported: every row has a problem."))
    raise click.ClickException(
        _(
            "Nothing was imported. Fix the rows above, or run again with --skip-invalid "
            "to import only the good rows."
        )
    )


def _imported_line(created: int, entrepreneurs: bool, source: Path, skipped: str) -> str:
    if entrepreneurs and skipped:
        return ngettext(
            "Imported %(num)d entrepreneur from %(file)s; skipped rows %(rows)s.",
            "Imported %(num)d entrepreneurs from %(file)s; skipped rows %(rows)s.",
            created,
            file=source,
            rows=skipped,
        )
    if entrepreneurs:
        return ngettext(
            "Imported %(num)d entrepreneur from %(file)s.",
            "Imported %(num)d entrepreneurs from %(file)s.",
            created,
            file=source,
        )
    if skipped:
        return ngettext(
            "Imported %(num)d diaspora member from %(file)s; skipped rows %(rows)s.",
            "Imported %(num)d diaspora members from %(file)s; skipped rows %(rows)s.",
            created,
            file=source,
            rows=skipped,
        )
    return ngettext(
        "Imported %(num)d diaspora member from %(file)s.",
        "Imported %(num)d diaspora members from %(file)s.",
        created,
        file=source,
    )


@click.command("worker")
@with_appcontext
@click.option("--once", is_flag=True, help="Run every job once and exit (tests, cron).")
def worker_command(once: bool) -> None:
    """Deliver email and run the pairing schedule (and every other periodic job) until stopped."""
    import signal

    from mentormatch.worker import JOBS, Worker

    worker = Worker(current_app._get_current_object(), JOBS)  # type: ignore[attr-defined]
    if once:
        outcomes = worker.run_once()
        for outcome in outcomes:
            click.echo(f"{outcome.job}: {outcome.message or 'nothing to do'}")
        if not all(outcome.ok for outcome in outcomes):
            raise click.ClickException("Some jobs failed (see above).")
        return

    def _stop(signum: int, _frame: object) -> None:
        worker.stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    with force_locale(terminal_language()):
        every = ", ".join(
            _(
                "%(job)s every %(seconds)s s",
                job=job.name,
                seconds=f"{job.interval(current_app.config):g}",
            )
            for job in JOBS
        )
        click.echo(_("Worker started: %(jobs)s. Stop with Ctrl-C or SIGTERM.", jobs=every))
    sys.stdout.flush()
    worker.run()
    with force_locale(terminal_language()):
        click.echo(_("Worker stopped."))


def register(app: Flask) -> None:
    """Attach every command group to the app."""
    app.cli.add_command(db_cli)
    app.cli.add_command(seed_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(import_profiles_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(places_cli)
    from mentormatch.pairings.cli import pairings_cli

    app.cli.add_command(pairings_cli)
    from mentormatch.matches.cli import matching_cli

    app.cli.add_command(matching_cli)
    from mentormatch.money.cli import rates_cli

    app.cli.add_command(rates_cli)


def _publish_matching_index() -> None:
    """Build the matching index now, so suggestions are there before the worker's first look."""
    if current_app.config["MATCHING_INDEX"] != "published":
        return
    from mentormatch.matches.builds import build_full, index_root

    with session_scope() as session:
        report = build_full(session, index_root(current_app.config))
    click.echo(report.line())
