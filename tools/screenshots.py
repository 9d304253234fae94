"""Screenshots of every page, for a person to look at: each role, 390 and 1280 px, English, French, Spanish.

    .venv/bin/python -m tools.screenshots [--out /tmp/shots] [--lang en fr es] [--only tracker uptake]

Seeds the demo data into a temporary SQLite file, serves the app on a free port (as the browser tests do),
logs in as the demo contributor, reviewer and secretariat (and visits the anonymous pages), and saves a
full-page PNG of each page listed in tests/browser/test_every_page.py, plus the "Reject?" confirmation.
Not run by the test suite; never commit the images.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import threading
import uuid
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

from drafting import create_app
from drafting.demo import load_demo
from drafting.extensions import db
from drafting.models import Theme, User
from drafting.positions.operations import PositionContent, create_position
from drafting.positions.workflow import transition
from drafting.reference.loader import load_reference_data
from drafting.reference.snapshot import reference_names
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port
from tests.browser.test_every_page import ROLES, _ids, _urls_for

WIDTHS = (390, 1280)


def _app(folder: Path):
    app = create_app({
        "DRAFTING_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'shots.db'}",
        "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False, "DRAFTING_TODAY": "2018-02-10",
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1", "TASK_QUEUE_URL": "memory://",
    })
    with app.app_context():
        db.create_all()
        load_reference_data()
        accounts = {(role, org): (email, password) for email, role, org, password in load_demo()}
        db.session.remove()
    return app, accounts


def _submitted_position(app, email: str) -> int:
    """A position waiting for review, for the reviewer's "Reject?" confirmation."""
    with app.app_context():
        author = db.session.scalar(select(User).where(User.email == email))
        milestone = next(m for m in reference_names().milestones_taking_positions if "Round 2" in m.name)
        theme = db.session.scalar(select(Theme).where(Theme.kind == "objective", Theme.number == 15))
        position = create_position(author, PositionContent(
            title=f"Out of scope {uuid.uuid4().hex[:6]}", milestone_id=milestone.id, text="Cities act.",
            theme_ids=[theme.id]))
        transition(position, "submit", author)
        return position.id


def _set_locale(app, emails: list[str], locale: str) -> None:
    with app.app_context():
        for user in db.session.scalars(select(User).where(User.email.in_(emails))):
            user.locale = locale
        db.session.commit()


def _name(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-")[:60] or "home"


def _shoot(page, path: Path, max_height: int) -> None:
    """The whole page, down to `max_height` px (a list of 200 messages is thousands of px tall)."""
    height = min(page.evaluate("document.documentElement.scrollHeight"), max_height)
    page.screenshot(path=path, full_page=True, clip={"x": 0, "y": 0, "width": page.viewport_size["width"],
                                                     "height": height})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/shots")  # noqa: S108 (images to look at, thrown away)
    parser.add_argument("--lang", nargs="+", default=["en", "fr", "es"])
    parser.add_argument("--max-height", type=int, default=2000)
    parser.add_argument("--only", nargs="*", default=[], help="keep the URLs containing one of these words")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as folder:
        app, accounts = _app(Path(folder))
        ids = _ids(app, accounts)
        port = _free_port()
        server = make_server("127.0.0.1", port, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        to_reject = _submitted_position(app, accounts[("contributor", "CEMR")][0])
        emails = [accounts[key][0] for key in ROLES.values()]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for lang in args.lang:
                _set_locale(app, emails, lang)
                for role in ["anonymous", *ROLES]:
                    urls = [u for u in _urls_for(role, ids) if not args.only or any(w in u for w in args.only)]
                    for width in WIDTHS:
                        context = browser.new_context(base_url=base, locale=lang,
                                                      viewport={"width": width, "height": 800})
                        page = context.new_page()
                        if role != "anonymous":
                            email, password = accounts[ROLES[role]]
                            page.goto("/login")
                            page.fill("#email", email)
                            page.fill("#password", password)
                            with page.expect_navigation():
                                page.click("main form [type=submit]")
                        for url in urls:
                            page.goto(url)
                            _shoot(page, out / f"{lang}-{role}-{width}-{_name(url)}.png", args.max_height)
                        if role == "reviewer" and (not args.only or "reject" in args.only):
                            page.goto(f"/positions/{to_reject}")
                            page.fill("#decision-comment", "Beyond the compact's scope.")
                            page.click("button[formaction$='/reject']")
                            _shoot(page, out / f"{lang}-{role}-{width}-reject.png", args.max_height)
                        context.close()
            browser.close()
        server.shutdown()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
