"""All configuration, read from the environment in this one place."""

from __future__ import annotations

import os
import secrets
import shutil
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

ENVIRONMENTS = ("development", "testing", "production")


class ConfigurationError(RuntimeError):
    """The environment does not describe a safe configuration."""


CUSTOM_PLANS = "-c plan_cache_mode=force_custom_plan"


def engine_options(database_url: str) -> dict:
    """How the app connects. On PostgreSQL:

    - a pooled connection is checked before use by looking at its socket (drafting.connections) rather
      than by SQLAlchemy's `pool_pre_ping` round trip; a restarted database costs no failed request
      either way;
    - psycopg prepares each statement on the server at its first run on a connection, so that its next
      runs skip parsing it (a third of the database's time on a list page);
    - each run is still planned for its own values (`plan_cache_mode=force_custom_plan`): a generic
      plan that ignores them made the search's word match ten times slower. The statements name their
      columns, so a migration that adds one does not break them; the workers restart after a migration.
    """
    if database_url.startswith("postgresql"):
        # connect_args' options replace those of the URL (`?options=-csearch_path%3D...`): both are kept.
        options = " ".join(filter(None, [make_url(database_url).query.get("options"), CUSTOM_PLANS]))
        return {"pool_pre_ping": False, "connect_args": {"prepare_threshold": 0, "options": options}}
    return {"pool_pre_ping": True}


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret(instance_path: str) -> str:
    """A random key kept in the instance folder, so development sessions survive restarts."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _default_unoserver(name: str, env) -> str:
    if name == "testing" or not shutil.which(env.get("SOFFICE", "soffice")):
        return ""
    return "http://127.0.0.1:2003"


def _served_address(name: str, env) -> str:
    """Where links in mail and notifications point when BASE_URL is not set: the address being served,
    as `make run` (PORT) or `flask run` (FLASK_RUN_HOST, FLASK_RUN_PORT) serve it. Production sets BASE_URL
    to its public address; without it, gunicorn's default port (gunicorn.conf.py) is assumed."""
    host = env.get("FLASK_RUN_HOST") or "127.0.0.1"
    if host in {"0.0.0.0", "::"}:  # noqa: S104 (listening everywhere: this machine's own address reaches it)
        host = "127.0.0.1"
    port = env.get("PORT") or env.get("FLASK_RUN_PORT") or ("8000" if name == "production" else "5000")
    return f"http://{host}:{port}"


def load(instance_path: str, environ: dict[str, str] | None = None) -> dict:
    """Build the Flask configuration from the environment.

    `DRAFTING_ENV` is `development` (default), `testing` or `production`. Outside development and
    testing, a missing `SECRET_KEY` stops the application from starting.
    """
    env = os.environ if environ is None else environ
    name = env.get("DRAFTING_ENV", "development")
    if name not in ENVIRONMENTS:
        raise ConfigurationError(f"DRAFTING_ENV must be one of {', '.join(ENVIRONMENTS)}, not {name!r}")
    secret = env.get("SECRET_KEY", "")
    if not secret:
        if name == "production":
            raise ConfigurationError("SECRET_KEY must be set when DRAFTING_ENV=production")
        secret = _development_secret(instance_path) if name == "development" else "testing-secret"

    database_url = env.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'drafting.db'}"
    if database_url.startswith("postgres://"):  # the scheme some hosts still hand out
        database_url = "postgresql://" + database_url[len("postgres://"):]
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]

    task_queue_url = env.get("TASK_QUEUE_URL") or f"sqlite:///{Path(instance_path) / 'queue.db'}"

    today = env.get("DRAFTING_TODAY") or None
    if today:
        try:
            date.fromisoformat(today)
        except ValueError as exc:
            raise ConfigurationError(f"DRAFTING_TODAY must be an ISO date (YYYY-MM-DD), not {today!r}") from exc

    secure_cookies = name == "production"
    return {
        "DRAFTING_ENV": name,
        "SECRET_KEY": secret,
        "TESTING": name == "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "DRAFTING_TODAY": today,
        # Uploads: a Word annex is at most 10 MB; the form around it adds a little.
        "MAX_CONTENT_LENGTH": 11 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),  # "Keep me logged in" lasts a month, not a year
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "WTF_CSRF_ENABLED": _bool(env.get("WTF_CSRF_ENABLED"), True),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session: drafting takes hours
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_HEADERS_ENABLED": False,
        # Each API token's budget (drafting/api/views.py), counted in RATELIMIT_STORAGE_URI as the login limit.
        "API_RATE_LIMIT": env.get("API_RATE_LIMIT", "5000 per hour"),
        "BABEL_DEFAULT_LOCALE": "en",
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS")),
        # Seconds to wait for the mail server (connecting, and each reply) before the worker gives up
        # on this attempt; the message is retried later.
        "MAIL_TIMEOUT": float(env.get("MAIL_TIMEOUT", "10")),
        "MAIL_SENDER": env.get("MAIL_SENDER", "Global Compact drafting desk <drafting@uclg.org>"),
        "BASE_URL": env.get("BASE_URL") or _served_address(name, env),
        "SOFFICE": env.get("SOFFICE", "soffice"),
        # LibreOffice, through one long-running unoserver (`make unoserver`; `make run` starts it). Empty:
        # no LibreOffice here, editions are final without page numbers and without a PDF. The tests start
        # their own server, so testing defaults to empty.
        "UNOSERVER_URL": env.get("UNOSERVER_URL", _default_unoserver(name, env)),
        "UNOSERVER_TIMEOUT": float(env.get("UNOSERVER_TIMEOUT", "300")),
        # Seconds a conversion waits for a unoserver that refuses connections (still starting beside the
        # worker, or restarting) before the edition fails; the tests fail at once.
        "UNOSERVER_START_WAIT": float(env.get("UNOSERVER_START_WAIT", "0" if name == "testing" else "90")),
        # The same LibreOffice's UNO port (unoserver --uno-port) and the Python that has LibreOffice's `uno`
        # module: an edition's PDF is then made by `documents/office/uno_export.py` in one load with one
        # update of its contents list. Port 0, or no such Python: through unoserver's XML-RPC alone.
        "UNOSERVER_UNO_PORT": int(env.get("UNOSERVER_UNO_PORT", "0" if name == "testing" else "2002")),
        "OFFICE_PYTHON": env.get("OFFICE_PYTHON", str(Path(__file__).resolve().parent.parent / ".venv-office" / "bin"
                                                      / "python")),
        # Where background jobs wait (drafting/worker.py): SQLite in the instance folder, Redis in production.
        "TASK_QUEUE_URL": task_queue_url,
        # A heavy background job (an edition's preparation, re-anchoring) runs in a process of its own
        # with this much memory beyond what it starts with, and this many seconds; past either it fails
        # with its reason and a Retry. Under PREPARATION_LOST_AFTER (15 min), so that a running job is
        # never queued again beside itself. 0 and 0: in the worker's own process (the tests' default).
        "JOB_TIME_LIMIT_S": int(env.get("JOB_TIME_LIMIT_S", "0" if name == "testing" else "600")),
        "JOB_MEMORY_LIMIT_MB": int(env.get("JOB_MEMORY_LIMIT_MB", "0" if name == "testing" else "2048")),
    }
