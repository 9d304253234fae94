"""A unoserver that is still starting when the worker takes an edition (as under `make run`, which
starts both at once): the conversion waits for it, up to UNOSERVER_START_WAIT, instead of failing the
edition. Stands in for unoserver with a small XML-RPC server that speaks its API."""

from __future__ import annotations

import socket
import threading
import time
import xmlrpc.client
from xmlrpc.server import SimpleXMLRPCServer

import pytest

from drafting.documents.office import unoserver as office


def _word_file() -> bytes:
    import io

    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_later(port: int, delay: float) -> list:
    servers = []

    def serve():
        time.sleep(delay)
        server = SimpleXMLRPCServer(("127.0.0.1", port), logRequests=False, allow_none=True)
        server.register_function(lambda: {"api": office.API_VERSION}, "info")
        server.register_function(lambda *args: xmlrpc.client.Binary(b"%PDF-1.7 converted"), "convert")
        servers.append(server)
        server.serve_forever()

    threading.Thread(target=serve, daemon=True).start()
    return servers


def test_a_conversion_waits_for_a_unoserver_that_is_still_starting(app):
    port = _free_port()
    servers = _start_later(port, delay=1.5)
    app.config.update(UNOSERVER_URL=f"http://127.0.0.1:{port}", UNOSERVER_START_WAIT=20)
    try:
        started = time.monotonic()
        assert office.to_pdf(_word_file()) == b"%PDF-1.7 converted"
        assert time.monotonic() - started >= 1.0  # it did wait for the server
    finally:
        for server in servers:
            server.shutdown()


def test_without_a_wait_a_unoserver_that_does_not_answer_fails_at_once(app):
    app.config.update(UNOSERVER_URL=f"http://127.0.0.1:{_free_port()}", UNOSERVER_START_WAIT=0)
    started = time.monotonic()
    with pytest.raises(office.OfficeFailed, match="did not answer"):
        office.to_pdf(_word_file())
    assert time.monotonic() - started < 5
