"""What the edition benchmarks (compile_docx.py, pdf.py) share: each phase in a fresh Python process, the
application on the benchmark's temporary database, approved positions written directly, a unoserver
started for the run."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def app(database_url: str, **config):
    os.environ["DATABASE_URL"] = database_url
    os.environ["DRAFTING_ENV"] = "testing"
    from drafting import create_app

    return create_app({"DRAFTING_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                       "SQLALCHEMY_ENGINE_OPTIONS": {}, **config})


def child(script: str, phase: str, *args: str) -> dict:
    """`python script --phase phase args…` in a fresh process (its peak memory its own): the JSON it prints last."""
    result = subprocess.run([sys.executable, script, "--phase", phase, *args], capture_output=True, text=True,
                            check=False, cwd=ROOT)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{phase} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def add_approved_position(*, author, milestone, theme, reviewer, title: str, text: str, language: str,
                          amendments: list[dict], moment) -> None:
    """An approved position with its revision 1 and its approval, written directly (a benchmark's fixture,
    not the workflow under test)."""
    from drafting.extensions import db
    from drafting.models import Approval, Position, Revision

    position = Position(organisation_id=author.organisation_id, milestone_id=milestone.id, stage="approved",
                        language=language, title=title, summary="", text=text, amendments=amendments,
                        revision_number=1, created_by_id=author.id, created_at=moment, updated_at=moment,
                        stage_changed_at=moment, submitted_at=moment, approved_at=moment, themes=[theme])
    db.session.add(position)
    db.session.add(Revision(position=position, number=1, author_id=author.id, created_at=moment,
                            title=title, summary="", text=text, language=language, theme_ids=[theme.id],
                            amendments=amendments))
    db.session.add(Approval(position=position, reviewer_id=reviewer.id, revision_number=1, created_at=moment))


def tiny_docx() -> bytes:
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


@contextmanager
def unoserver(command: str, profile: Path) -> Iterator[tuple[str, int]]:
    """A unoserver (`command`) with its LibreOffice profile in `profile`, reachable: its URL and UNO port.
    Stopped at the end."""
    from drafting.documents.office import unoserver as office
    from tests.support.office_server import _free_port, _stop

    port, uno_port = _free_port(), _free_port()
    server = subprocess.Popen([command, "--interface", "127.0.0.1", "--port", str(port), "--uno-port", str(uno_port),
                               "--user-installation", str(profile)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while not office.reachable(url):
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("unoserver did not start")
            time.sleep(0.3)
        yield url, uno_port
    finally:
        _stop(server)
