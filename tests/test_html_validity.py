"""Every page of every role is valid HTML, as the Nu Html Checker (the W3C validator's engine) reads it.

The pages and roles are those that the browser test walks (tests/browser/test_every_page.py, PAGES), on
the demo data, fetched with the test client with CSRF protection on (so that the hidden tokens are there).
vnu.jar runs once over all of them with the machine's Java; `make test` installs it from npm (a pinned
vnu-jar, in the git-ignored .node folder).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from drafting.demo import load_demo
from tests.browser.test_every_page import ROLES, _ids, _urls_for

VNU_JAR = Path(__file__).resolve().parent.parent / ".node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def _log_in(client, email: str, password: str) -> None:
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post("/login", data={"csrf_token": token, "email": email, "password": password})
    assert response.status_code in (302, 303), f"login as {email} failed"


def _pages(app, folder: Path) -> dict[str, str]:
    """Every page of every role written to `folder`: file name -> "role url"."""
    accounts = {(role, organisation): (email, password) for email, role, organisation, password in load_demo()}
    ids = _ids(app, accounts)
    pages = {}
    for role in ("anonymous", *ROLES):
        client = app.test_client()
        if role != "anonymous":
            _log_in(client, *accounts[ROLES[role]])
        for url in _urls_for(role, ids):
            response = client.get(url)
            assert response.status_code == 200, f"{role} {url}: {response.status_code}"
            name = f"page-{len(pages):03d}.html"
            (folder / name).write_bytes(response.get_data())
            pages[name] = f"{role} {url}"
    return pages


def test_every_page_of_every_role_is_valid_html(app, tmp_path):
    if not VNU_JAR.exists() or not shutil.which("java"):
        pytest.fail(f"The Nu Html Checker needs {VNU_JAR} and Java: `make test` installs both "
                    "(npm install --prefix .node vnu-jar, apt-get install default-jre-headless).")
    pages = _pages(app, tmp_path)
    assert len(pages) > 60
    checked = subprocess.run(  # noqa: S603 (our own command line)
        ["java", "-Xss1024k", "-jar", str(VNU_JAR), "--format", "json", "--errors-only",  # noqa: S607
         *sorted(str(tmp_path / name) for name in pages)],
        capture_output=True, text=True, timeout=300, check=False)
    messages = json.loads(checked.stderr)["messages"]
    errors = [f"{pages[Path(m['url']).name]} line {m.get('lastLine', '?')}: {m['message']}"
              for m in messages if m["type"] in ("error", "non-document-error")]
    assert not errors, f"{len(errors)} HTML errors in {len(pages)} pages:\n" + "\n".join(errors)
