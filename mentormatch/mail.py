"""Sending email: SMTP when MAIL_SERVER is set, otherwise the message goes to the log."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


def one_line(value: str) -> str:
    """A header value on one line: every line break Python knows (LF, CR, U+0085, U+2028,
    U+2029 …) and run of spaces becomes one space, so no header can be split or refused."""
    return " ".join(value.split())


class MailError(RuntimeError):
    """The message could not be handed to the mail server."""


def send_email(to: str, subject: str, body: str) -> None:
    """Send one plain-text message through the configured transport."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = one_line(to)
    message["Subject"] = one_line(subject)
    message.set_content(body)
    if not config.get("MAIL_SERVER"):
        current_app.logger.info("Email (not sent: MAIL_SERVER unset)\n%s", message.as_string())
        if current_app.testing:
            # Tests read what was "sent"; a long-running dev server must not hoard messages.
            current_app.extensions.setdefault("mm_mail_log", []).append(message)
        return
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"could not send email to {to}: {exc}") from exc
