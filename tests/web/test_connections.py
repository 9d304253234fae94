"""A pooled PostgreSQL connection that the server has ended is replaced before a request uses it, and a
healthy one is kept (drafting.connections), without a ping's round trip. Requests here run as in
production: each in its own application context, on an app whose context the test does not hold open."""

from __future__ import annotations

import time

import psycopg
import pytest
from sqlalchemy import text

from drafting import create_app
from drafting.extensions import db
from tests.conftest import BACKENDS


@pytest.fixture(params=[name for name in BACKENDS if name == "postgresql"])
def backend(request) -> str:
    """PostgreSQL only: SQLite has no server to end a connection (CI always runs PostgreSQL)."""
    return request.param


@pytest.fixture
def served(app, app_config):
    application = create_app(app_config)

    @application.get("/probe/backend")
    def server_process():
        return {"pid": db.session.scalar(text("SELECT pg_backend_pid()"))}

    application.config["PROPAGATE_EXCEPTIONS"] = False
    yield application
    with application.app_context():
        db.engine.dispose()


def _end_server_process(pid: int) -> None:
    """What a database restart does to one connection: the server ends its process."""
    with psycopg.connect(BACKENDS["postgresql"], autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
        for _ in range(100):
            if not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone():
                return
            time.sleep(0.05)
    raise AssertionError(f"server process {pid} did not end")


def test_a_healthy_connection_is_kept_from_request_to_request(served):
    client = served.test_client()
    pids = {client.get("/probe/backend").get_json()["pid"] for _ in range(5)}
    assert len(pids) == 1


def test_a_connection_the_server_ended_is_replaced_before_the_next_request(served):
    client = served.test_client()
    before = client.get("/probe/backend").get_json()["pid"]
    _end_server_process(before)

    response = client.get("/probe/backend")

    assert response.status_code == 200
    assert response.get_json()["pid"] != before
    assert client.get("/probe/backend").get_json()["pid"] == response.get_json()["pid"]
