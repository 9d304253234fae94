"""Configuration comes from the environment, in one place, and refuses unsafe production settings."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from drafting import config as configuration
from drafting import create_app
from drafting.config import ConfigurationError


@pytest.fixture
def clean_environ(monkeypatch, tmp_path):
    for name in ("SECRET_KEY", "DATABASE_URL", "DRAFTING_TODAY", "RATELIMIT_STORAGE_URI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DRAFTING_INSTANCE_PATH", str(tmp_path / "instance"))
    return tmp_path


def test_production_without_secret_key_refuses_to_start(clean_environ):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"DRAFTING_ENV": "production"})


def test_production_with_secret_key_starts_with_secure_cookies(clean_environ, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-from-the-environment")
    app = create_app({"DRAFTING_ENV": "production"})
    assert app.config["SECRET_KEY"] == "a-real-secret-from-the-environment"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["TESTING"] is False


@pytest.mark.parametrize("name", ["development", "testing"])
def test_cookies_not_secure_outside_production_but_always_httponly_and_lax(name, clean_environ):
    settings = configuration.load(str(clean_environ / "instance"), {"DRAFTING_ENV": name})
    assert settings["SESSION_COOKIE_SECURE"] is False
    for prefix in ("SESSION", "REMEMBER"):
        assert settings[f"{prefix}_COOKIE_HTTPONLY"] is True
        assert settings[f"{prefix}_COOKIE_SAMESITE"] == "Lax"


def test_development_secret_is_generated_once_and_kept_in_the_instance_folder(tmp_path):
    first = configuration.load(str(tmp_path), {"DRAFTING_ENV": "development"})["SECRET_KEY"]
    second = configuration.load(str(tmp_path), {"DRAFTING_ENV": "development"})["SECRET_KEY"]
    assert len(first) >= 32
    assert first == second
    assert (tmp_path / "secret_key").read_text().strip() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by its owner only


def test_database_url_defaults_to_sqlite_in_the_instance_folder(tmp_path):
    settings = configuration.load(str(tmp_path), {"DRAFTING_ENV": "testing"})
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'drafting.db'}"


@pytest.mark.parametrize(
    "given, expected",
    [
        ("postgres://u:p@db.example:5432/drafting", "postgresql+psycopg://u:p@db.example:5432/drafting"),
        ("postgresql://u@localhost/drafting", "postgresql+psycopg://u@localhost/drafting"),
        ("postgresql+psycopg://u@localhost/d", "postgresql+psycopg://u@localhost/d"),
        ("sqlite:////var/lib/drafting.db", "sqlite:////var/lib/drafting.db"),
    ],
)
def test_database_url_is_normalised(tmp_path, given, expected):
    settings = configuration.load(str(tmp_path), {"DRAFTING_ENV": "testing", "DATABASE_URL": given})
    assert settings["SQLALCHEMY_DATABASE_URI"] == expected


def test_unknown_environment_and_bad_date_are_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="DRAFTING_ENV"):
        configuration.load(str(tmp_path), {"DRAFTING_ENV": "staging"})
    with pytest.raises(ConfigurationError, match="DRAFTING_TODAY"):
        configuration.load(str(tmp_path), {"DRAFTING_ENV": "testing", "DRAFTING_TODAY": "10/02/2018"})


def test_other_settings_come_from_the_environment(tmp_path):
    settings = configuration.load(str(tmp_path), {
        "DRAFTING_ENV": "testing",
        "DRAFTING_TODAY": "2018-07-13",
        "RATELIMIT_STORAGE_URI": "redis://cache:6379/0",
        "MAIL_SERVER": "smtp.example.org",
        "MAIL_PORT": "587",
        "MAIL_USE_TLS": "yes",
        "MAIL_SENDER": "Desk <desk@example.org>",
        "BASE_URL": "https://drafting.example.org",
    })
    assert settings["DRAFTING_TODAY"] == "2018-07-13"
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/0"
    assert (settings["MAIL_SERVER"], settings["MAIL_PORT"], settings["MAIL_USE_TLS"]) == ("smtp.example.org", 587, True)
    assert settings["MAIL_SENDER"] == "Desk <desk@example.org>"
    assert settings["BASE_URL"] == "https://drafting.example.org"


def test_create_app_pins_the_clock_from_its_config(app):
    from drafting.clock import today

    assert today().isoformat() == "2018-02-10"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"DRAFTING_ENV": "development", "PORT": "8123"}, "http://127.0.0.1:8123"),
        ({"DRAFTING_ENV": "development", "FLASK_RUN_HOST": "0.0.0.0", "FLASK_RUN_PORT": "5050"},  # noqa: S104
         "http://127.0.0.1:5050"),
        ({"DRAFTING_ENV": "development", "FLASK_RUN_HOST": "drafting.lan"}, "http://drafting.lan:5000"),
        ({"DRAFTING_ENV": "development", "PORT": "8123", "BASE_URL": "https://drafting.example.org"},
         "https://drafting.example.org"),
    ],
)
def test_links_point_to_the_address_being_served_unless_base_url_says_otherwise(tmp_path, environ, expected):
    assert configuration.load(str(tmp_path), environ)["BASE_URL"] == expected


OFFICE_NEEDS = ("libreoffice-writer-nogui", "python3-uno", "fonts-liberation", "fonts-dejavu-core")


def _fake_system(tmp_path, installed: set[str], uid: str):
    """A PATH where dpkg-query knows only `installed`, `id -u` answers `uid` and apt-get records its call."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    scripts = {
        "dpkg-query": "#!/bin/sh\nfor p in " + " ".join(sorted(installed) or ["none"]) + "; do\n"
                      '  [ "$p" = "$3" ] && { printf "install ok installed"; exit 0; }\ndone\nexit 1\n',
        "id": f"#!/bin/sh\necho {uid}\n",
        "apt-get": f'#!/bin/sh\necho "$@" >> {tmp_path}/apt.log\n',
    }
    for name, text in scripts.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"}


def _make_office_packages(environ) -> str:
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(["make", "--no-print-directory", "-s", "office-packages"], cwd=root, env=environ,
                            capture_output=True, text=True, timeout=60, check=True)
    return result.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_names_the_exact_missing_package_when_it_cannot_install(tmp_path):
    environ = _fake_system(tmp_path, {"libreoffice-writer", "fonts-liberation", "fonts-dejavu-core"}, uid="1000")
    output = _make_office_packages(environ)
    assert "python3-uno not installed" in output
    assert "sudo apt-get install --no-install-recommends python3-uno" in output
    assert "libreoffice" not in output.lower().replace("libreoffice-writer", "")
    assert not (tmp_path / "apt.log").exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_installs_only_what_is_missing_as_root(tmp_path):
    environ = _fake_system(tmp_path, {"fonts-liberation"}, uid="0")
    output = _make_office_packages(environ)
    assert "Installing what editions need" in output
    installs = (tmp_path / "apt.log").read_text().splitlines()
    assert installs[0] == "update -qq"
    assert installs[1].split()[-3:] == ["libreoffice-writer-nogui", "python3-uno", "fonts-dejavu-core"]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_installs_nothing_when_everything_is_there(tmp_path):
    environ = _fake_system(tmp_path, set(OFFICE_NEEDS), uid="0")
    assert _make_office_packages(environ) == ""
    assert not (tmp_path / "apt.log").exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_test_fast_needs_no_browser_office_or_apt(tmp_path):
    root = Path(__file__).resolve().parents[1]
    plan = subprocess.run(["make", "-n", "test-fast"], cwd=root, capture_output=True, text=True, timeout=60,
                          check=True).stdout
    assert '-m "not browser and not office"' in plan
    assert "apt-get" not in plan and "unoserver" not in plan
