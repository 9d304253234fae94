"""A real SMTP server on loopback (aiosmtpd) for the notification tests, and the app pointed at it."""

from __future__ import annotations

import asyncio
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from tests.support.worker import run_queued_jobs


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """The SMTP server's handler: keeps every message it accepts.

    Reading it (`to`, `recipients`, `messages`) first lets the worker run the jobs waiting in the
    app's queue (`tests.support.worker.run_queued_jobs`), as time would in life: mail is what the worker sent.
    (`messages` is looked up on the instance, not a property: aiosmtpd inspects its handler's members.)
    """

    def __init__(self):
        self.received: list[email.message.EmailMessage] = []
        self.refused: set[str] = set()  # addresses the server answers 550
        self.deliver_pending = lambda: None
        self.connections = 0  # SMTP sessions opened (EHLO received)
        self.delay = 0.0  # seconds the server waits before each reply

    def __getattr__(self, name: str):
        if name == "messages":
            self.deliver_pending()
            return self.received
        raise AttributeError(name)

    async def _slow(self) -> None:
        if self.delay:
            await asyncio.sleep(self.delay)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        self.connections += 1
        await self._slow()
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        await self._slow()
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        await self._slow()
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        await self._slow()
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        for recipient in envelope.rcpt_tos:
            message["X-Envelope-To"] = recipient
        self.received.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["X-Envelope-To"] == address]

    def recipients(self, subject_part: str = "") -> set[str]:
        return {m["X-Envelope-To"] for m in self.messages if subject_part in m["Subject"]}


class SMTPServer:
    def __init__(self):
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _mail_arrives_once_the_worker_ran(request):
    if "smtp" in request.fixturenames and "app" in request.fixturenames:
        app, server = request.getfixturevalue("app"), request.getfixturevalue("smtp")
        server.mailbox.deliver_pending = lambda: run_queued_jobs(app)


@pytest.fixture
def app_config(app_config, smtp) -> dict:
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "MAIL_TIMEOUT": 3,
            "BASE_URL": "https://drafting.example.org"}
