"""The JSON API as a network's script, a reviewer's and the secretariat's would use it."""

from __future__ import annotations

from schemathesis.specs.openapi import definitions
from sqlalchemy import func, select

from drafting.extensions import db
from drafting.models import IdempotentRequest, Position, Theme
from tests.conftest import milestone, organisation
from tests.support.api import bearer
from tests.support.tracker_pages import result_titles


def _theme_ids():
    return list(db.session.scalars(select(Theme.id).where(Theme.number.in_((15, 16)))))


def test_without_a_token_the_api_answers_401_as_a_problem(client, login_as):
    login_as("secretariat", org="UCLG")  # a browser's session opens nothing here
    response = client.get("/api/v1/positions")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/positions", headers={"Authorization": "Bearer dft_wrong"}).status_code == 401


def test_a_read_token_reads_but_may_not_write(client, make_user):
    user = make_user("contributor", "CEMR")
    headers = bearer(user, "read")
    assert client.get("/api/v1/milestones", headers=headers).status_code == 200
    response = client.post("/api/v1/positions", headers=headers, json={"title": "T", "milestone_id": 1})
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_a_contributor_drafts_edits_and_submits_with_etags(client, make_user):
    user = make_user("contributor", "CEMR")
    headers = bearer(user)
    body = {"title": "Cities welcome newcomers", "milestone_id": milestone("Round 2").id,
            "theme_ids": _theme_ids(), "text": "Local governments deliver services."}
    created = client.post("/api/v1/positions", headers=headers, json=body)
    assert created.status_code == 201, created.get_json()
    url, etag = created.headers["Location"], created.headers["ETag"]
    assert created.get_json()["stage"] == "draft"

    assert client.patch(url, headers=headers, json={"title": "Without If-Match"}).status_code == 428
    edited = client.patch(url, headers={**headers, "If-Match": etag}, json={"title": "Cities welcome everyone"})
    assert edited.status_code == 200, edited.get_json()
    assert edited.get_json()["title"] == "Cities welcome everyone"
    stale = client.patch(url, headers={**headers, "If-Match": etag}, json={"title": "Over a newer save"})
    assert stale.status_code == 412
    assert client.get(url, headers=headers).get_json()["title"] == "Cities welcome everyone"

    submitted = client.post(f"{url}/actions/submit", headers={**headers, "If-Match": edited.headers["ETag"]}, json={})
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["stage"] == "submitted"


def test_the_api_refuses_what_the_form_refuses_with_the_forms_messages(client, make_user):
    headers = bearer(make_user("contributor", "CEMR"))
    response = client.post("/api/v1/positions", headers=headers,
                           json={"title": "", "milestone_id": milestone("Round 2").id, "theme_ids": [999999]})
    assert response.status_code == 422
    fields = {error["field"]: error["message"] for error in response.get_json()["errors"]}
    assert fields["title"] == "A title is required."
    assert "theme_ids" in fields
    closed = client.post("/api/v1/positions", headers=headers,
                         json={"title": "Late", "milestone_id": milestone("Round 1").id})
    assert closed.status_code == 422  # the form offers only milestones still taking positions
    assert db.session.scalar(select(func.count()).select_from(Position)) == 0


def test_an_idempotency_key_creates_once(client, make_user):
    headers = {**bearer(make_user("contributor", "CEMR")), "Idempotency-Key": "push-2018-02-10"}
    body = {"title": "Once", "milestone_id": milestone("Round 2").id}
    first = client.post("/api/v1/positions", headers=headers, json=body)
    again = client.post("/api/v1/positions", headers=headers, json=body)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    assert db.session.scalar(select(func.count()).select_from(Position)) == 1
    other = client.post("/api/v1/positions", headers=headers, json={**body, "title": "Another"})
    assert other.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(IdempotentRequest)) == 1


def test_lists_come_in_cursor_pages_with_a_link_header(client, make_user, make_position):
    author = make_user("contributor", "CEMR")
    for number in range(3):
        make_position("draft", author=author, title=f"Position {number}")
    headers = bearer(author)
    first = client.get("/api/v1/positions?per_page=2", headers=headers)
    assert len(first.get_json()) == 2
    link = first.headers["Link"]
    assert link.endswith('rel="next"')
    following = client.get(link[1:link.index(">")], headers=headers)
    assert len(following.get_json()) == 1 and "Link" not in following.headers
    seen = {p["id"] for p in first.get_json() + following.get_json()}
    assert len(seen) == 3
    etag = first.headers["ETag"]
    assert client.get("/api/v1/positions?per_page=2", headers={**headers, "If-None-Match": etag}).status_code == 304


def test_the_list_of_positions_filters_as_the_search_page_does(client, login_as, make_user, make_position):
    make_position("draft", org="CEMR", title="Sanctuary cities")
    make_position("approved", org="CEMR", title="Labour mobility", text="Municipal firewalls.")
    make_position("submitted", org="Metropolis", title="Metropolitan reception", text="Firewalls.")
    make_position("in_review", org="UCLG Africa", milestone_name="Round 3", title="Migrations intra-africaines",
                  language="fr", theme_numbers=(23,))
    headers = bearer(make_user("secretariat"), "read")
    login_as("secretariat")
    objective_23 = db.session.scalar(select(Theme.id).where(Theme.number == 23))
    asked = [  # (the API's argument, the search page's), the same filter
        ({"milestone": milestone("Round 3").id}, {"milestone": milestone("Round 3").id}),
        ({"network": organisation("CEMR").id}, {"organisation": organisation("CEMR").id}),
        ({"stage": "submitted"}, {"stage": "submitted"}),
        ({"objective": objective_23}, {"theme": objective_23}),
        ({"network": organisation("CEMR").id, "q": "firewalls"}, {"organisation": organisation("CEMR").id,
                                                                  "q": "firewalls"}),
    ]
    for api_args, page_args in asked:
        listed = client.get("/api/v1/positions", query_string=api_args, headers=headers)
        assert listed.status_code == 200, listed.get_json()
        page = client.get("/search", query_string=page_args).get_data(as_text=True)
        assert sorted(p["title"] for p in listed.get_json()) == sorted(result_titles(page)), api_args
        assert listed.get_json(), api_args  # each filter keeps some positions and leaves others out
        assert len(listed.get_json()) < 4, api_args


def test_a_reviewer_decides_with_a_reason(client, make_user, make_position):
    position = make_position("submitted")
    headers = bearer(make_user("reviewer", "Metropolis"))
    url = f"/api/v1/positions/{position.id}"
    etag = client.get(url, headers=headers).headers["ETag"]
    refused = client.post(f"{url}/actions/reject", headers={**headers, "If-Match": etag}, json={})
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["field"] == "comment"
    done = client.post(f"{url}/actions/request_changes", headers={**headers, "If-Match": etag},
                       json={"comment": "Cite paragraph 31."})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["stage"] == "changes_requested"


def test_the_spec_is_openapi_3_1_and_the_documentation_page_is_translated(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    # Valid against the OpenAPI 3.1 meta-schema (the one schemathesis ships, a JSON Schema 2020-12).
    assert [error.message for error in definitions.OPENAPI_31_VALIDATOR.iter_errors(spec)] == []
    assert "/api/v1/positions" in spec["paths"]
    page = client.get("/api/v1/docs", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    assert "GET /<wbr>api/<wbr>v1/<wbr>positions</code>" in page.get_data(as_text=True)
    assert "Référence de l’API" in page.get_data(as_text=True)


def test_an_amendment_the_form_refuses_is_refused_with_its_message(client, make_user):
    headers = bearer(make_user("contributor", "CEMR"))
    body = {"title": "Amended", "milestone_id": milestone("Round 2").id,
            "amendments": [{"paragraph_id": 4242, "kind": "replace", "proposed_text": "New words."},
                           {"paragraph_id": None, "paragraph": "", "proposed_text": "Free words."}]}
    response = client.post("/api/v1/positions", headers=headers, json=body)
    assert response.status_code == 422
    fields = {error["field"]: error["message"] for error in response.get_json()["errors"]}
    assert fields["amendments[0].paragraph_id"] == ("This paragraph is not in the current revision of the text: "
                                                    "choose it again.")
    assert fields["amendments[1].paragraph"] == "Say which paragraph this amendment changes."
    assert db.session.scalar(select(func.count()).select_from(Position)) == 0


def test_editions_link_their_files_and_the_downloads_take_the_token(client, make_user):
    from drafting.models import Edition

    secretariat = make_user("secretariat")
    edition = Edition(milestone=milestone("Round 2"), number=1, title="E", filename="e.docx", size=3,
                      sha256="0" * 64, data=b"abc", compiled_by=secretariat, state="ready", pdf_data=b"%PDF-1.7",
                      pdf_size=8, pdf_sha256="1" * 64)
    db.session.add(edition)
    db.session.commit()
    headers = bearer(secretariat, "read")
    listed = client.get(f"/api/v1/milestones/{milestone('Round 2').id}/editions", headers=headers).get_json()
    assert listed[0]["state"] == "ready"
    pdf = client.get(listed[0]["pdf_url"], headers=headers)
    assert pdf.status_code == 200 and pdf.data == b"%PDF-1.7"
    assert client.get(listed[0]["docx_url"], headers=headers).data == b"abc"
    contributor = bearer(make_user("contributor", "CEMR"))
    assert client.get(listed[0]["pdf_url"], headers=contributor).status_code == 403


def test_uptake_carries_the_joint_figures_of_the_page(client, make_user, joint):
    """The constructed case of tests/support/joint_uptake.py: the page's figures, one computation."""
    secretariat = client.get("/api/v1/uptake", headers=bearer(make_user("secretariat"), "read")).get_json()
    (revision,) = secretariat["revisions"]
    assert revision["joint"]["counts"] == {"total": 4, "taken_up": 2, "partly": 1,
                                           "by_status": {"taken_up": 2, "partly_taken_up": 1, "changed": 1}}
    assert revision["joint"]["unchanged"] == 1
    assert [(n["organisation"]["name"], n["amendments"], n["reached"], n["undecided"], n["then_taken_up"])
            for n in revision["joint"]["networks"]] == [("CEMR", 3, 3, 0, 2), ("Metropolis", 2, 0, 1, 0)]
    # A network's contributors: the joint proposals, and their own network's reach only.
    cemr = client.get("/api/v1/uptake", headers=bearer(make_user("contributor", "CEMR"), "read")).get_json()
    (revision,) = cemr["revisions"]
    assert revision["joint"]["counts"]["total"] == 4
    assert [n["organisation"]["name"] for n in revision["joint"]["networks"]] == ["CEMR"]
    # A network with no proposal on the revision before sees no joint figures, as on its page.
    africa = client.get("/api/v1/uptake", headers=bearer(make_user("contributor", "UCLG Africa"), "read")).get_json()
    assert [r["joint"] for r in africa["revisions"]] == [None]


def test_the_joint_figures_are_documented_read_only(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    field = schemas["UptakeRevision"]["properties"]["joint"]
    assert field["readOnly"] is True and "joint" in schemas["UptakeRevision"]["required"]
    assert {"$ref": "#/components/schemas/UptakeJoint"} in field["anyOf"] and {"type": "null"} in field["anyOf"]
    assert set(schemas["UptakeReach"]["properties"]) == {"organisation", "amendments", "reached", "undecided",
                                                         "then_taken_up"}
