"""Text messages: an outbox the pages write to, and a gateway the worker sends through.

No request talks to an SMS gateway: a page (assisted registration, claiming an account)
writes an `OutboxSms` row in its own transaction, and the worker's `deliver-sms` job
sends the rows that are due, each claimed first and retried with back-off exactly like
email (notifications.deliver_rows). A claim's one-time code is put into the text only at
that moment (registration/claims.py).

The gateway is a small interface, `SmsGateway.send(to, body)`. `SMS_GATEWAY` names it:
`log` (the default, for development and tests: the message goes to the log, like email
without MAIL_SERVER) or `package.module:factory`, a callable taking the app config and
returning a gateway, for a provider's HTTP API in a deployment.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from mentormatch.models import OutboxSms
from mentormatch.notifications import DeliveryReport, deliver_rows

logger = logging.getLogger("mentormatch.sms")

# One SMS is 160 GSM characters; longer texts are sent as several and cost more.
MAX_SMS_LENGTH = 320


class SmsError(RuntimeError):
    """The gateway did not accept the message."""


class SmsGateway(Protocol):
    """Sends one text message to a phone number in E.164."""

    def send(self, to: str, body: str) -> None: ...


class LogGateway:
    """Writes each message to the log instead of sending it (development, tests); in
    tests it also keeps them in `sent`, to be read back."""

    def __init__(self, keep: bool = False) -> None:
        self.keep = keep
        self.sent: list[tuple[str, str]] = []

    def send(self, to: str, body: str) -> None:
        """Log the message (and keep it when asked to)."""
        logger.info("SMS (not sent: SMS_GATEWAY=log) to %s:\n%s", to, body)
        if self.keep:
            self.sent.append((to, body))


def load_gateway(config: Mapping[str, Any]) -> SmsGateway:
    """The gateway SMS_GATEWAY names: 'log', or 'module:factory' called with the config."""
    name = str(config.get("SMS_GATEWAY") or "log")
    if name == "log":
        return LogGateway(keep=bool(config.get("TESTING")))
    module_name, _, factory_name = name.partition(":")
    if not factory_name:
        raise ValueError(f"SMS_GATEWAY={name!r}: write 'log' or 'package.module:factory'")
    factory: Callable[[Mapping[str, Any]], SmsGateway] = getattr(
        importlib.import_module(module_name), factory_name
    )
    return factory(config)


def queue_sms(session: Session, to: str, body: str, claim_id: int | None = None) -> OutboxSms:
    """Put a text message in the outbox; the worker sends it."""
    sms = OutboxSms(to_number=to, body=body[:MAX_SMS_LENGTH], claim_id=claim_id)
    session.add(sms)
    return sms


def deliver_sms_outbox(
    session: Session,
    gateway: SmsGateway,
    now: datetime | None = None,
    limit: int = 200,
    retry_seconds: float = 60,
    keep_going: Callable[[], bool] = lambda: True,
) -> DeliveryReport:
    """Send the text messages that are due through `gateway`, each exactly once."""
    from mentormatch.registration.claims import with_code

    def send(sms: Any) -> None:
        body = sms.body
        if sms.claim_id is not None:
            body = with_code(session, sms.claim_id, body)
        gateway.send(sms.to_number, body)

    return deliver_rows(
        session,
        OutboxSms,
        send,
        now=now,
        limit=limit,
        retry_seconds=retry_seconds,
        keep_going=keep_going,
    )
