"""Sending outbox messages: over SMTP to MAIL_SERVER, or to the log when no server is configured.

Delivery runs in a session of its own (not `db.session`): it is called from `db.session`'s
after_commit event, where that session can no longer emit SQL, and its own commits must not set
that event off again. Each message is locked (FOR UPDATE SKIP LOCKED on PostgreSQL) while it is
sent, so that the after-commit delivery and a `send-outbox` run from cron do not send it twice.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from drafting.clock import now
from drafting.extensions import db
from drafting.models import OutboxMessage

SMTP_TIMEOUT_SECONDS = 5
ERROR_MAX = 1000

# A guard against re-entry: nothing below should queue mail, but if a commit inside delivery ever
# reached the after-commit hook again, it must not start a second delivery.
_delivering: ContextVar[bool] = ContextVar("outbox_delivering", default=False)


@dataclass
class DeliveryReport:
    sent: int = 0
    logged: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.logged + self.failed


# After this many failed attempts (a mailbox that does not exist, say), send-outbox stops retrying:
# the message stays on the outbox page with its last error, for the secretariat to follow up.
MAX_ATTEMPTS = 10


def status(message: OutboxMessage) -> str:
    """sent (SMTP), logged (no mail server: written to the log), failed (will be retried), abandoned
    (failed MAX_ATTEMPTS times), pending."""
    if message.sent_at is not None:
        # A message written to the log never met an SMTP server: it has no attempts.
        return "sent" if message.attempts else "logged"
    if (message.attempts or 0) >= MAX_ATTEMPTS:
        return "abandoned"
    return "failed" if message.last_error else "pending"


def deliver(message_ids: Iterable[int] | None = None) -> DeliveryReport:
    """Send the unsent messages among `message_ids` (every unsent message when None)."""
    report = DeliveryReport()
    if _delivering.get():
        return report
    token = _delivering.set(True)
    try:
        with Session(db.engine) as session:
            query = select(OutboxMessage.id).where(
                OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS).order_by(OutboxMessage.id)
            if message_ids is not None:
                query = query.where(OutboxMessage.id.in_(list(message_ids)))
            ids = session.scalars(query).all()
            session.rollback()
            if ids:
                with _Transport(current_app.config) as transport:
                    for message_id in ids:
                        _deliver_one(session, transport, message_id, report)
    finally:
        _delivering.reset(token)
    return report


def _deliver_one(session: Session, transport: _Transport, message_id: int, report: DeliveryReport) -> None:
    message = session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
        .with_for_update(skip_locked=True)
    )
    if message is None:  # sent meanwhile, or being sent by another process
        session.rollback()
        return
    if transport.to_log:
        current_app.logger.info("Mail (no MAIL_SERVER, written to the log) to %s: %s\n%s",
                                message.recipient, message.subject, message.body)
        message.sent_at = now()
        report.logged += 1
    else:
        message.attempts = (message.attempts or 0) + 1
        error = transport.send(message)
        if error is None:
            message.sent_at = now()
            message.last_error = ""
            report.sent += 1
        else:
            message.last_error = error[:ERROR_MAX]
            report.failed += 1
            current_app.logger.warning("Mail %s to %s not sent (attempt %s): %s", message.id,
                                       message.recipient, message.attempts, error)
    session.commit()


class _Transport:
    """One SMTP connection for a batch, opened on the first message. If the server cannot be
    reached, the rest of the batch fails at once instead of waiting for a timeout each."""

    def __init__(self, config):
        self.config = config
        self.to_log = not config.get("MAIL_SERVER")
        self.connection: smtplib.SMTP | None = None
        self.unreachable: str | None = None

    def __enter__(self) -> _Transport:
        return self

    def __exit__(self, *exc) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except OSError:
                self.connection.close()

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        timeout = config.get("MAIL_TIMEOUT", SMTP_TIMEOUT_SECONDS)
        connection = smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), timeout=timeout)
        try:
            if config.get("MAIL_USE_TLS"):
                connection.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        except OSError:
            connection.close()
            raise
        return connection

    def send(self, message: OutboxMessage) -> str | None:
        """Send one message; return None, or what went wrong."""
        if self.unreachable:
            return self.unreachable
        if self.connection is None:
            try:
                self.connection = self._connect()
            except OSError as error:  # smtplib.SMTPException is an OSError too
                self.unreachable = _describe(error)
                return self.unreachable
        try:
            self.connection.send_message(build_email(message, self.config["MAIL_SENDER"]))
        except smtplib.SMTPServerDisconnected as error:
            self.connection = None  # the next message reconnects
            return _describe(error)
        except smtplib.SMTPException as error:  # this message refused (recipient, size...): the next may pass
            return _describe(error)
        except OSError as error:
            # The network failed (timeout, reset): the rest of the batch fails at once, not one timeout each.
            self.connection.close()
            self.connection = None
            self.unreachable = _describe(error)
            return self.unreachable
        return None


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(usegmt=True)
    # Stable across retries, so a message delivered twice after an ambiguous failure reads as one.
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    email["Message-ID"] = f"<outbox.{message.id}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies, please
    email.set_content(message.body)
    return email


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"
