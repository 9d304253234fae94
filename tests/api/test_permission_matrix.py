"""The page permission matrix, run against the API: each API route names the page whose rule it shares
(tests/test_permission_matrix.py's row), and every role at every stage gets the same answer through a
token as through the page: allowed, or refused (403, or 404 where the object is not theirs to see; 401
without a token), and a refusal changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pytest
from sqlalchemy import func, select

from drafting.extensions import db
from drafting.models import STAGES, Amendment, Position
from tests.conftest import milestone
from tests.support.api import bearer
from tests.test_permission_matrix import (  # noqa: F401 (world is a fixture)
    MATRIX,
    ROLES,
    _edition,
    _stage,
    _text_revision,
    cannot_view,
    everyone,
    world,
)

P = "/api/v1/positions/{id}"


@dataclass
class ApiRow:
    page: tuple[str, str] | None  # the page's row whose rule this route shares; None: public
    url: object
    method: str = "GET"
    data: object = None
    effect: object = None
    if_match: bool = False
    extra: dict = field(default_factory=dict)


def _position_url(suffix=""):
    return lambda w: P.format(id=w.position.id) + suffix


def _amendment(w) -> str:
    if "amendment" in w.extra:
        return w.extra["amendment"]
    record = Amendment(position_id=w.position.id, key="matrix01", kind="replace", paragraph="1",
                       proposed_text="Matrix", order=0, created_at=datetime(2018, 2, 10),
                       updated_at=datetime(2018, 2, 10))
    db.session.add(record)
    db.session.commit()
    w.extra["amendment"] = f"/api/v1/amendments/{record.id}"
    return w.extra["amendment"]


def _title(w):
    db.session.expire_all()
    return db.session.get(Position, w.position.id).title


def _positions(w):
    return db.session.scalar(select(func.count()).select_from(Position))


def _act(action):
    return ApiRow(("positions.act:" + action, "POST"), _position_url(f"/actions/{action}"), "POST",
                  data=lambda w: {"comment": "Matrix reason"}, effect=_stage, if_match=True)


API_MATRIX: dict[tuple[str, str], ApiRow] = {
    ("api.milestones", "GET"): ApiRow(("milestones.index", "GET"), lambda w: "/api/v1/milestones"),
    ("api.milestone", "GET"): ApiRow(("milestones.show", "GET"),
                                     lambda w: f"/api/v1/milestones/{w.position.milestone_id}"),
    ("api.organisations", "GET"): ApiRow(("reference.organisations", "GET"), lambda w: "/api/v1/organisations"),
    ("api.objectives", "GET"): ApiRow(("reference.themes", "GET"), lambda w: "/api/v1/objectives"),
    ("api.positions", "GET"): ApiRow(("positions.index", "GET"), lambda w: "/api/v1/positions"),
    ("api.create_position", "POST"): ApiRow(
        ("positions.new", "POST"), lambda w: "/api/v1/positions", "POST",
        data=lambda w: {"title": "Matrix", "milestone_id": milestone("Round 2").id}, effect=_positions),
    ("api.position", "GET"): ApiRow(("positions.show", "GET"), _position_url()),
    ("api.edit_position", "PATCH"): ApiRow(("positions.edit", "POST"), _position_url(), "PATCH",
                                           data=lambda w: {"title": "Matrix title"}, effect=_title, if_match=True),
    ("api.history", "GET"): ApiRow(("positions.history", "GET"), _position_url("/history")),
    ("api.comments", "GET"): ApiRow(("positions.show", "GET"), _position_url("/comments")),
    ("api.amendments", "GET"): ApiRow(("positions.show", "GET"), _position_url("/amendments")),
    ("api.amendment", "GET"): ApiRow(("positions.show", "GET"), _amendment),
    **{("api.act:" + action, "POST"): _act(action) for action in
       ("submit", "withdraw", "restore", "start_review", "approve", "request_changes", "reject", "reopen")},
    ("api.text_revisions", "GET"): ApiRow(("negotiated_text.index", "GET"), lambda w: "/api/v1/text-revisions"),
    ("api.text_revision", "GET"): ApiRow(("negotiated_text.show", "GET"),
                                         lambda w: f"/api/v1/text-revisions/{_text_revision(w)}"),
    ("api.uptake", "GET"): ApiRow(("negotiated_text.uptake", "GET"), lambda w: "/api/v1/uptake"),
    ("api.editions", "GET"): ApiRow(("documents.editions", "GET"),
                                    lambda w: f"/api/v1/milestones/{w.position.milestone_id}/editions"),
    ("api.compile", "POST"): ApiRow(("documents.compile", "POST"),
                                    lambda w: f"/api/v1/milestones/{w.position.milestone_id}/editions", "POST",
                                    data=lambda w: {}),
    ("api.edition", "GET"): ApiRow(("documents.editions", "GET"), lambda w: f"/api/v1/editions/{_edition(w)}"),
    ("api.edition_docx", "GET"): ApiRow(("documents.download_edition", "GET"),
                                        lambda w: f"/api/v1/editions/{_edition(w)}/docx"),
    ("api.edition_pdf", "GET"): ApiRow(("documents.download_edition_pdf", "GET"),
                                       lambda w: f"/api/v1/editions/{_edition(w)}/pdf"),
    ("api-docs.openapi_json", "GET"): ApiRow(None, lambda w: "/api/v1/openapi.json"),
    ("api_pages.documentation", "GET"): ApiRow(None, lambda w: "/api/v1/docs"),
}


def test_every_api_route_has_a_row(app):
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"} if rule.endpoint.startswith(("api.", "api-docs.",
                                                                                           "api_pages."))}
    rows = {(endpoint.split(":")[0], method) for endpoint, method in API_MATRIX}
    assert routes == rows
    assert all(row.page is None or row.page in MATRIX for row in API_MATRIX.values())


def _cases():
    for (endpoint, method), row in API_MATRIX.items():
        page = MATRIX[row.page] if row.page else None
        for stage in (STAGES if page is not None and page.by_stage else ("submitted",)):
            yield pytest.param(endpoint, method, stage, id=f"{endpoint}-{method}-{stage}")


@pytest.mark.parametrize(("endpoint", "method", "stage"), list(_cases()))
def test_api_permission(client, world, endpoint, method, stage):  # noqa: F811 (the imported fixture)
    row = API_MATRIX[(endpoint, method)]
    page = MATRIX[row.page] if row.page else None
    allowed_by = page.allowed if page else everyone
    allowed = [role for role in ROLES if allowed_by(role, stage)]
    refused = [role for role in ROLES if role not in allowed]
    shared = world(stage)
    for role in refused + allowed:
        w = world(stage) if (role in allowed and row.effect and role != allowed[0]) else shared
        _check(client, row, page, w, role, stage, allowed=role in allowed)


def _check(client, row, page, w, role, stage, allowed):
    url = row.url(w)
    headers = {} if role == "anonymous" else bearer(w.users[role])
    if row.if_match:
        db.session.expire_all()
        current = db.session.get(Position, w.position.id)
        headers["If-Match"] = f'"position-{current.id}-{current.version_id}"'
    before = row.effect(w) if row.effect else None
    response = client.open(url, method=row.method, headers=headers,
                           json=row.data(w) if row.data else None)
    status = response.status_code
    if allowed:
        assert status not in (401, 403, 404), f"{role} refused at {url} ({stage}): {response.get_data()[:300]}"
        assert status < 500
        if row.effect:
            assert row.effect(w) != before, f"{role} was allowed {url} at {stage} but nothing happened"
    else:
        if role == "anonymous":
            assert status == 401, f"anonymous reached {url}"
        elif row.effect and status == 409:
            pass  # the workflow refused the move at this stage; the effect check below decides
        else:
            hidden = page.hidden or (cannot_view if page.by_stage else lambda role, stage: False)
            expected = 404 if hidden(role, stage) else 403
            assert status == expected, f"{role} at {url} at {stage}: {status}, not {expected}"
        if row.effect:
            assert row.effect(w) == before, f"{role} changed something through {url} at {stage}"
