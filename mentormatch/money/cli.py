"""`flask --app mentormatch rates …`: load published exchange rates, list the ones in use."""

from __future__ import annotations

from pathlib import Path

import click
from babel.numbers import format_decimal
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from mentormatch.cli import in_terminal_language
from mentormatch.db import session_scope, utcnow
from mentormatch.money.files import ECB, RateFileError, read_rate_file
from mentormatch.money.store import latest_rates, store_rates

rates_cli = AppGroup("rates", help="Exchange rates: load a published rate file, list rates.")

# Problems printed for a bad file; the rest are counted, so a wrong file does not flood.
SHOWN_PROBLEMS = 20


@rates_cli.command("load")
@click.argument("rate_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@in_terminal_language
def load_command(rate_file: Path) -> None:
    """Load exchange rates from RATE_FILE: the ECB's eurofxref.csv or eurofxref-hist.csv, or
    our own currency,usd_per_unit,as_of,source format (see seed_data/README.md)."""
    try:
        checked = read_rate_file(rate_file.read_bytes(), rate_file.name, utcnow().date())
    except RateFileError as exc:
        click.echo(
            ngettext(
                "%(file)s: %(num)d problem:",
                "%(file)s: %(num)d problems:",
                len(exc.problems),
                file=rate_file,
            ),
            err=True,
        )
        for problem in exc.problems[:SHOWN_PROBLEMS]:
            click.echo(f"  {problem}", err=True)
        if len(exc.problems) > SHOWN_PROBLEMS:
            more = len(exc.problems) - SHOWN_PROBLEMS
            click.echo("  " + _("… and %(count)s more.", count=more), err=True)
        raise click.ClickException(
            _("Nothing was loaded. Fix the file and load it again.")
        ) from None
    with session_scope() as session:
        report = store_rates(session, checked.rates)
        in_use = latest_rates(session)
    dates = checked.dates
    if len(dates) == 1:
        loaded = _(
            "Loaded rates for %(count)s currencies dated %(date)s from %(file)s (%(format)s): "
            "%(added)s new, %(replaced)s replaced.",
            date=dates[0].isoformat(),
            count=len(checked.currencies),
            file=rate_file.name,
            format=checked.format,
            added=f"{report.added:,}",
            replaced=f"{report.replaced:,}",
        )
    else:
        loaded = _(
            "Loaded rates for %(count)s currencies on %(dates)s dates from %(first)s to "
            "%(last)s from %(file)s (%(format)s): %(added)s new, %(replaced)s replaced.",
            dates=f"{len(dates):,}",
            first=dates[0].isoformat(),
            last=dates[-1].isoformat(),
            count=len(checked.currencies),
            file=rate_file.name,
            format=checked.format,
            added=f"{report.added:,}",
            replaced=f"{report.replaced:,}",
        )
    click.echo(loaded)
    if checked.format == ECB:
        click.echo(_("ECB rates are per euro; they were turned into US dollars per unit."))
    if checked.left_out:
        click.echo(
            _(
                "Left out %(codes)s: no longer ISO 4217 currencies.",
                codes=", ".join(checked.left_out),
            )
        )
    untouched = [rate for rate in in_use if rate.currency not in checked.currencies]
    if untouched:
        kept = ", ".join(f"{rate.currency} ({rate.as_of.isoformat()})" for rate in untouched)
        click.echo(_("Not in this file, so their rates stay as they were: %(rates)s.", rates=kept))


@rates_cli.command("list")
@in_terminal_language
def list_command() -> None:
    """Show the rate in use for each currency: US dollars per unit, its date and source."""
    with session_scope() as session:
        rates = latest_rates(session)
    if not len(rates):
        raise click.ClickException(
            _(
                "No exchange rates are loaded: run `flask --app mentormatch seed` or "
                "`flask --app mentormatch rates load FILE`."
            )
        )
    rows = [(_("Currency"), _("USD per unit"), _("As of"), _("Source"))]
    rows += [
        (
            rate.currency,
            format_decimal(rate.usd_per_unit, format="0.##########", locale="en"),
            rate.as_of.isoformat(),
            rate.source,
        )
        for rate in rates
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        padded = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)]
        click.echo("  ".join([*padded, row[3]]))
    click.echo(
        ngettext(
            "%(num)d currency can be chosen for amounts.",
            "%(num)d currencies can be chosen for amounts.",
            len(rates),
        )
    )
