"""A pooled PostgreSQL connection is checked before each use, without a round trip to the server.

When the server ends a connection (a restart, `pg_terminate_backend`, an idle-session timeout), it sends
an error message and closes the socket; an idle connection in the pool otherwise receives nothing. So a
connection whose socket has something to read when a request takes it from the pool is dropped, and the
pool opens another in its place (SQLAlchemy's pessimistic disconnect handling: a `DisconnectionError`
raised on checkout). A restarted database therefore costs no failed request.

SQLAlchemy's own `pool_pre_ping` does the same by sending `SELECT 1` and waiting for the answer: a round
trip and its Python on every request (docs/performance.md). What neither catches is a connection that went
silent without being closed (a network cut):
the first statement on it fails after the operating system's timeout, as it would after the ping.
"""

from __future__ import annotations

import select

from flask import Flask
from sqlalchemy import event, exc

from drafting.extensions import db


def init_app(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    with app.app_context():
        event.listen(db.engine, "checkout", refuse_closed_connection)


def refuse_closed_connection(dbapi_connection, _record, _proxy) -> None:
    """Pool "checkout" listener: raise DisconnectionError (the pool then takes a fresh connection) if
    the server has closed this one or sent it anything while it was idle."""
    if dbapi_connection.closed or dbapi_connection.broken:
        raise exc.DisconnectionError("the connection is closed")
    try:
        poller = select.poll()  # not select.select: it refuses descriptors above 1023
        poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLPRI)
        events = poller.poll(0)
    except Exception as error:  # the socket is gone
        raise exc.DisconnectionError("the connection's socket is gone") from error
    if events:
        raise exc.DisconnectionError("the server closed the connection or wrote to it while it was idle")
