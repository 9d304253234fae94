"""Schemathesis against the served OpenAPI document, as an outside client: every operation with a
contributor's, a reviewer's and the secretariat's token, on each database of the suite. No answer is a
server error, every answer matches its schema (status, content type, headers, body), and data the
document forbids is refused (negative data rejection). Each operation is run a bounded number of times so
that the suite stays fast."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.api import bearer

ROLES = {"contributor": "CEMR", "reviewer": "Metropolis", "secretariat": "UCLG"}
CHECKS = [schemathesis.checks.not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, negative_data_rejection]
MAX_EXAMPLES = 12


@pytest.fixture
def token_headers(make_user, make_position):
    """A token of each role, and a few positions at several stages for them to find and act on."""
    users = {role: make_user(role, org) for role, org in ROLES.items()}
    for stage in ("draft", "submitted", "approved"):
        make_position(stage, author=users["contributor"])
    return {role: bearer(user) for role, user in users.items()}


def test_every_operation_conforms(app, token_headers):
    """Hypothesis draws each operation's requests from the served document (positive and negative
    data), and each request is sent once with each role's token through the app's WSGI interface."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    runs: dict[str, int] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation, mode in ((operation, mode) for operation in operations for mode in GenerationMode):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            for role, token in token_headers.items():
                case.call_and_validate(headers={**(case.headers or {}), **token}, checks=CHECKS)
                label = f"{case.operation.label} {mode.value} {role}"  # noqa: B023 (run() runs in the loop)
                runs[label] = runs.get(label, 0) + 1

        run()
    assert len(operations) == 21
    assert {label.rsplit(" ", 1)[1] for label in runs} == set(ROLES)
    assert {label.rsplit(" ", 2)[0] for label in runs} == {operation.label for operation in operations}
    print(f"schemathesis: {len(operations)} operations, {len(runs)} operation x mode x role runs, "
          f"{sum(runs.values())} requests")


def test_uptake_with_joint_proposals_conforms(app, make_user, joint):
    """The uptake operation on data where its `joint` part is filled (the suite's other data has no text
    revision): every role's answer matches the document."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    (operation,) = [result.ok() for result in schema.get_all_operations()
                    if result.ok().label == "GET /api/v1/uptake"]
    tokens = {role: bearer(make_user(role, org)) for role, org in ROLES.items()}
    bodies = []

    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        for token in tokens.values():
            response = case.call_and_validate(headers={**(case.headers or {}), **token}, checks=CHECKS)
            bodies.append(response.json())

    run()
    assert any(revision["joint"] for body in bodies for revision in body.get("revisions", []))
