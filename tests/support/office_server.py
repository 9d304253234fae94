"""One unoserver (one LibreOffice) for the whole test session, on free ports, started on first use.

`make test` installs it in `.venv-office` (the system Python, which has LibreOffice's `uno` module).
If it cannot start, the tests that need it fail with the reason after at most STARTUP_SECONDS; nothing waits
forever.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from drafting.documents.office.unoserver import reachable

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 90


def unoserver_command() -> str | None:
    for candidate in (os.environ.get("UNOSERVER_BIN"), str(ROOT / ".venv-office" / "bin" / "unoserver"),
                      shutil.which("unoserver")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    # unoserver starts LibreOffice (oosplash, soffice.bin) as its children, in the process group it leads:
    # ask the group to stop, then make sure nothing of it is left.
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@dataclass(frozen=True)
class OfficeServer:
    url: str  # unoserver's XML-RPC address (conversions)
    uno_port: int  # LibreOffice's own UNO port, for a script run with LibreOffice's Python


@pytest.fixture(scope="session")
def office_server(tmp_path_factory):
    command = unoserver_command()
    if command is None:
        pytest.fail("unoserver is not installed: `make test` installs it (make .venv-office)")
    folder = tmp_path_factory.mktemp("unoserver")
    port, uno_port = _free_port(), _free_port()
    log = (folder / "unoserver.log").open("wb")
    process = subprocess.Popen(
        [command, "--interface", "127.0.0.1", "--port", str(port), "--uno-port", str(uno_port),
         "--user-installation", str(folder / "profile"), "--conversion-timeout", "240"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while not reachable(url, timeout=2):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(process)
            log.close()
            pytest.fail(f"unoserver did not start within {STARTUP_SECONDS} s:\n"
                        + (folder / "unoserver.log").read_text(errors="replace")[-2000:])
        time.sleep(0.3)
    try:
        yield OfficeServer(url, uno_port)
    finally:
        _stop(process)
        log.close()


@pytest.fixture(scope="session")
def unoserver_url(office_server) -> str:
    return office_server.url


@pytest.fixture(scope="session")
def unoserver_config(office_server) -> dict:
    """The settings that point the application at the session's LibreOffice: its XML-RPC address and its
    UNO port (the edition's PDF goes through the UNO port, `drafting/documents/office/uno_export.py`)."""
    return {"UNOSERVER_URL": office_server.url, "UNOSERVER_UNO_PORT": office_server.uno_port}
