"""Browser tests: Playwright drives Debian's headless Chromium against a live server.

Fixtures for every browser test (mark the test `@pytest.mark.browser`):

- `live_server` (session): the `Flask` app, served by werkzeug in a background thread on 127.0.0.1
  and a free port. It runs on its own temporary SQLite file, with CSRF protection and rate limits
  ON, the calendar pinned to 2018-02-10 (`DRAFTING_TODAY`), the reference data and the demo data
  (`drafting.demo.load_demo`) loaded. Its background jobs (mail, editions) run in a thread
  (`tests.support.worker.background_worker`), as the worker would run them. It is shared by all browser
  tests of the session, so a test must not rely on data that another browser test changes; create
  what you need with fresh names.
  To set up data directly, use `with live_server.app_context(): ...` (the server's own database).
- `live_url` (session): its base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
- `demo_accounts` (session): the demo accounts, keyed by (role, organisation short name):
  `demo_accounts[("secretariat", "UCLG")]`, `demo_accounts[("contributor", "CEMR")]`,
  `demo_accounts[("reviewer", "Metropolis")]` ... -> `(email, password)`.
- `browser` (session): one headless Chromium.
- `page` (function): a fresh browser context (no cookies) and page for each test; closed after it.
- `log_in(page, role, org)` (function): logs `page` in through the login form as that demo account
  and returns the account's email. Example::

      @pytest.mark.browser
      def test_something(page, live_url, log_in):
          log_in(page, "contributor", "CEMR")
          page.get_by_role("link", name="Positions").click()

Note: the Flask-Limiter object is global to the process; creating another app (the `app` fixture of
other tests) re-initialises it. Browser tests therefore do not rely on the live server's rate limit.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from drafting import create_app
from drafting.extensions import db
from tests.support.worker import background_worker

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def _live(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    app = create_app({
        "DRAFTING_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.db'}",
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "DRAFTING_TODAY": "2018-02-10",
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        "TASK_QUEUE_URL": "memory://",
    })
    with app.app_context():
        from drafting.demo import load_demo
        from drafting.reference.loader import load_reference_data

        db.create_all()
        load_reference_data()
        accounts = load_demo()
        db.session.remove()

    port = _free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        with background_worker(app):  # the live server's jobs run as the worker would run them
            yield app, f"http://127.0.0.1:{port}", accounts
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(_live):
    return _live[0]


@pytest.fixture(scope="session")
def live_url(_live) -> str:
    return _live[1]


@pytest.fixture(scope="session")
def demo_accounts(_live) -> dict[tuple[str, str], tuple[str, str]]:
    return {(role, organisation): (email, password) for email, role, organisation, password in _live[2]}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs Debian's chromium package.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(base_url=live_url, locale="en-GB")
    context.set_default_timeout(15_000)
    browser_page = context.new_page()
    try:
        yield browser_page
    finally:
        context.close()


@pytest.fixture
def log_in(live_url, demo_accounts):
    def do_log_in(page, role: str, organisation: str) -> str:
        email, password = demo_accounts[(role, organisation)]
        page.goto(f"{live_url}/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        assert "/login" not in page.url, f"login as {email} failed"
        return email

    return do_log_in

