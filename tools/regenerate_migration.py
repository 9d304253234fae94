"""Development tool: rebuild the initial migration from the models.

Nothing has been deployed yet, so the schema lives in one initial revision; once the service is in
production, changes get their own revisions with `flask db migrate` instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSIONS = ROOT / "migrations" / "versions"


def main() -> None:
    for old in VERSIONS.glob("*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/empty.db", "DRAFTING_ENV": "testing"}
        flask = [sys.executable, "-m", "flask", "--app", "wsgi", "db"]
        subprocess.run([*flask, "migrate", "-m", "initial schema", "--rev-id", "0001"],  # noqa: S603
                       check=True, cwd=ROOT, env=env)
    print("migrations/versions regenerated")


if __name__ == "__main__":
    main()
