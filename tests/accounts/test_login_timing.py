"""Login costs the same for a known email with a wrong password as for an unknown or deactivated one,
so the delay of the answer does not tell who has an account."""

from __future__ import annotations

import statistics
import time

import pytest

from tests.conftest import BACKENDS, base_config

# Costly enough that a skipped hash shows (about 10 ms each); the same parameters for both paths.
METHOD = "scrypt:8192:8:1"
SAMPLES = 20


@pytest.fixture
def app_config(backend):
    return base_config(BACKENDS[backend], PASSWORD_HASH_METHOD=METHOD)


def _medians_ms(client, emails: list[str]) -> list[float]:
    """Median time of a failed login per email, the emails taken in turn so that the load of the
    machine (shared with other work) weighs on each alike."""
    times: dict[str, list[float]] = {email: [] for email in emails}
    for _ in range(SAMPLES):
        for email in emails:
            start = time.perf_counter()
            response = client.post("/login", data={"email": email, "password": "not the password at all"})
            times[email].append((time.perf_counter() - start) * 1000)
            assert "Wrong email or password" in response.get_data(as_text=True)
    return [statistics.median(times[email]) for email in emails]


def test_unknown_and_deactivated_emails_cost_as_much_as_a_wrong_password(client, make_user, capsys):
    known = make_user("contributor")
    deactivated = make_user("contributor", active=False)
    assert known.password_hash.startswith(f"{METHOD}$")
    emails = [known.email, "nobody@nowhere.example.org", deactivated.email]
    _medians_ms(client, emails)  # warm up: templates, translations, the dummy hash

    known_ms, unknown_ms, deactivated_ms = _medians_ms(client, emails)

    with capsys.disabled():
        print(f"\nlogin medians: known={known_ms:.1f} ms unknown={unknown_ms:.1f} ms "
              f"deactivated={deactivated_ms:.1f} ms")
    for other in (unknown_ms, deactivated_ms):
        assert abs(other - known_ms) <= 0.2 * known_ms, (known_ms, unknown_ms, deactivated_ms)
