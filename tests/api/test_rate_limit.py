"""Each token has its own budget of requests; past it, 429 as a problem with Retry-After."""

from __future__ import annotations

import pytest

from tests.conftest import BACKENDS, base_config
from tests.support.api import bearer


@pytest.fixture
def app_config(backend):
    return base_config(BACKENDS[backend], RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://",
                       API_RATE_LIMIT="3 per minute")


def test_a_token_past_its_limit_gets_429_with_retry_after(client, make_user):
    busy, other = bearer(make_user("contributor", "CEMR")), bearer(make_user("contributor", "CEMR"))
    for _ in range(3):
        assert client.get("/api/v1/milestones", headers=busy).status_code == 200
    refused = client.get("/api/v1/milestones", headers=busy)
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert 0 < int(refused.headers["Retry-After"]) <= 61  # the window, rounded up
    assert client.get("/api/v1/milestones", headers=other).status_code == 200  # its own budget
