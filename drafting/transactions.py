"""Pages that only read run on PostgreSQL without a transaction of their own.

A GET (or HEAD, OPTIONS) request on PostgreSQL runs its statements in autocommit mode: each statement
is its own transaction. Under READ COMMITTED, PostgreSQL's default and this application's, that is what
a reading transaction gives anyway: each statement sees what was committed when it started. It saves
two round trips to the server per page, the BEGIN before the first statement and the ROLLBACK when the
connection goes back to the pool (docs/performance.md).

A GET that writes after all gets a real transaction: before its first write (a flush, or any statement
through the session other than a SELECT) BEGIN is sent, and the session's commit or rollback ends it
as usual, so that the request's writes stay all-or-nothing. POST requests, the worker and the command
line are not touched. SQLite (the embedded default) keeps its transactions: one process, no round trips.
"""

from __future__ import annotations

from flask import Flask, request
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from drafting.extensions import db

READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
AUTOCOMMIT = "AUTOCOMMIT"


def init_app(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return

    @app.before_request
    def read_without_transaction() -> None:
        # A session already in a transaction (a test that keeps its app context open between requests)
        # is left as it is: its isolation cannot change now.
        if request.method in READING_METHODS and request.endpoint != "static" and not db.session().in_transaction():
            db.session.connection(execution_options={"isolation_level": AUTOCOMMIT})


def begin_before_writing(session: Session) -> None:
    """Open a transaction on the session's connection if it is in autocommit mode and has none open."""
    connection = session.connection()
    if connection.get_execution_options().get("isolation_level") != AUTOCOMMIT:
        return
    if connection.connection.dbapi_connection.info.transaction_status == TransactionStatus.IDLE:
        connection.exec_driver_sql("BEGIN")


@event.listens_for(db.session, "before_flush")
def _before_flush(session: Session, _flush_context, _instances) -> None:
    begin_before_writing(session)


@event.listens_for(db.session, "do_orm_execute")
def _before_statement(state: ORMExecuteState) -> None:
    if not state.is_select:
        begin_before_writing(state.session)
