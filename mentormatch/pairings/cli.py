"""`flask --app mentormatch pairings …`: the cron job for expiry, reminders and email."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from mentormatch.db import session_scope
from mentormatch.followup.service import CheckInPolicy, ask_for_check_ins
from mentormatch.mail import send_email
from mentormatch.notifications import DeliveryReport, deliver_outbox
from mentormatch.pairings.schedule import expire_and_remind
from mentormatch.pairings.service import Policy

pairings_cli = AppGroup("pairings", help="Introduction requests: expiry, reminders, email.")


def _deliver() -> DeliveryReport:
    with session_scope() as session:
        return deliver_outbox(
            session,
            send_email,
            public_url=current_app.config["PUBLIC_URL"],
            retry_seconds=float(current_app.config["MAIL_RETRY_SECONDS"]),
        )


@pairings_cli.command("tick")
def tick() -> None:
    """Send reminders, expire unanswered requests, ask for due check-ins, then send queued
    email (cron; safe twice)."""
    with session_scope() as session:
        report = expire_and_remind(session, Policy.from_config(current_app.config))
    with session_scope() as session:
        check_ins = ask_for_check_ins(session, CheckInPolicy.from_config(current_app.config))
    delivery = _deliver()
    click.echo(
        f"Reminded {report.reminded}, expired {report.expired}, "
        f"withdrew {report.withdrawn} that can no longer be approved, "
        f"asked for {check_ins.asked} check-ins; "
        f"emails sent {delivery.sent}, failed {delivery.failed}."
    )


@pairings_cli.command("deliver-emails")
def deliver_emails() -> None:
    """Send the queued emails that are due (failed ones are retried, up to 5 attempts)."""
    delivery = _deliver()
    click.echo(f"Emails sent {delivery.sent}, failed {delivery.failed}.")
