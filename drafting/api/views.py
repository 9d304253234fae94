"""The JSON API, version 1, under /api/v1: the routes, bearer tokens, errors as problem+json, cursor
pages, ETag and If-Match, Idempotency-Key, and the OpenAPI 3.1 document flask-smorest writes from the
schemas. Every check is the pages' own: drafting.permissions, the workflow, the forms (validation.py)."""

from __future__ import annotations

import hashlib
import io
import json
import math
import time
from datetime import UTC
from http import HTTPStatus
from urllib.parse import urlencode

from flask import Blueprint as PlainBlueprint
from flask import Flask, current_app, g, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_smorest import Api, Blueprint
from flask_smorest.spec import prepare_response
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from drafting import permissions
from drafting.accounts import tokens
from drafting.api import idempotency, queries, schemas, validation
from drafting.api.problems import PROBLEM_TYPE, field_errors, not_found, problem
from drafting.clock import today
from drafting.documents.editions import CompileError, compile_edition
from drafting.documents.forms import DOCUMENT_LANGUAGES
from drafting.documents.naming import default_title
from drafting.extensions import csrf, db, limiter
from drafting.models import Position
from drafting.negotiated_text.following import latest_statuses
from drafting.negotiated_text.uptake_queries import build_uptake
from drafting.positions import operations, workflow
from drafting.reference.snapshot import reference_names

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ProblemSchema(Schema):
    type = fields.Str(required=True)
    title = fields.Str(required=True)
    status = fields.Int(required=True)
    detail = fields.Str()
    errors = fields.List(fields.Dict(), metadata={"description": "Field errors: {field, message}."})


class DraftingApi(Api):
    """flask-smorest's Api, whose errors are the app's problem+json (not its own JSON error handler),
    documented as such on every operation."""

    DEFAULT_ERROR_RESPONSE_NAME = "DEFAULT_ERROR"

    def _register_error_handlers(self):
        pass  # the blueprint's handlers below; drafting.errors for addresses no route matched

    def _register_responses(self):
        for status in HTTPStatus:
            if status >= 400:
                response = {"description": status.phrase, "schema": ProblemSchema}
                prepare_response(response, self.spec, PROBLEM_TYPE)
                self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem (RFC 9457)", "schema": ProblemSchema}
        prepare_response(response, self.spec, PROBLEM_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def _register_pagination_header(self):
        pass  # lists are cursor pages with a Link header, not flask-smorest's numbered pages (X-Pagination)


api = DraftingApi()
bp = Blueprint("api", __name__, url_prefix="/api/v1",
               description="The drafting desk's data: the same rules as its pages.")
pages = PlainBlueprint("api_pages", __name__, url_prefix="/api/v1")


def init_app(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "Drafting desk API")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api.init_app(app, spec_kwargs={
        "info": {"description": "Read and write the networks' positions, the negotiated text, uptake and editions "
                                "with a personal access token (Authorization: Bearer)."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
    })
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.register_blueprint(bp)
    app.register_blueprint(pages)
    csrf.exempt(bp)


# Tokens, scope and rate --------------------------------------------------------------------------

def _presented_secret() -> str:
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def _rate_key() -> str:
    """One budget per token (its digest: no database read before the limit is checked); requests without
    one share their address's."""
    secret = _presented_secret()
    if not secret:
        return "api-address:" + get_remote_address()
    return "api-token:" + hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()[:32]


limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=_rate_key)(bp)


@bp.before_request
def authenticate():
    """Bearer tokens only: a browser's session cookie opens nothing here, so no write needs a CSRF token."""
    secret = _presented_secret()
    token = tokens.authenticate(secret) if secret else None
    if token is None:
        return problem(401, _("Send a valid personal access token in the header %(header)s.",
                              header="Authorization: Bearer …"),
                       headers={"WWW-Authenticate": 'Bearer realm="drafting"'
                                + (', error="invalid_token"' if secret else "")})
    if request.method not in SAFE_METHODS and not token.can_write:
        return problem(403, _("This token may only read. Create a token with the read and write scope."))
    g.api_token = token
    g._login_user = token.user  # the permission checks and the workflow see the token's owner
    return None


def user():
    return g.api_token.user


@bp.errorhandler(HTTPException)
def api_http_error(error: HTTPException):
    return http_problem(error)


def http_problem(error: HTTPException):
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    if code == 422 and "messages" in data:
        messages = {name: value for location in data["messages"].values() for name, value in location.items()}
        return problem(422, _("Some fields are not valid."), errors=field_errors(messages))
    headers = {}
    if code == 429:
        limit = getattr(limiter, "current_limit", None)
        reset = getattr(limit, "reset_at", None)
        headers["Retry-After"] = str(max(1, math.ceil(reset - time.time())) if reset else 60)
        return problem(429, _("Too many requests with this token. Wait and try again."), headers=headers)
    if code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    if code == 404:
        return not_found()
    return problem(code, getattr(error, "drafting_message", None) or error.description, headers=headers)


@bp.errorhandler(Exception)
def api_internal_error(error: Exception):
    current_app.logger.exception("Unhandled error in the API")
    db.session.rollback()
    return problem(500, _("The error was logged. Nothing you saved before it was lost."))


# Helpers ------------------------------------------------------------------------------------------

def _link(endpoint: str, **values) -> str:
    return url_for(endpoint, **values)


def _reference(value_id: int, name: str) -> dict:
    return {"id": value_id, "name": name}


def _cursor_headers(page, endpoint: str, args: dict) -> dict:
    """GitHub's `Link: <…>; rel="next"` (and the count read with the page, as X-Total-Count)."""
    headers = {"X-Total-Count": f"{page.total}{'+' if page.total_capped else ''}"}
    if page.has_next:
        kept = {k: v for k, v in args.items() if v not in (None, "") and k != "after"}
        kept["after"] = page.last_cursor
        headers["Link"] = f'<{_link(endpoint)}?{urlencode(kept, doseq=True)}>; rel="next"'
    return headers


def _etag(value: str) -> str:
    return f'"{value}"'


def _position_etag(position: Position) -> str:
    return _etag(f"position-{position.id}-{position.version_id}")


def require_match(current: str) -> None:
    """If-Match is required on every change (428 without it); a stale one is refused (412)."""
    header = request.headers.get("If-Match")
    if not header:
        raise _Refusal(problem(428, _("Send the resource's ETag in If-Match, so that a change made meanwhile "
                                      "is not overwritten.")))
    presented = {tag.strip() for tag in header.split(",")}
    if "*" not in presented and current not in presented:
        raise _Refusal(problem(412, _("Someone changed this since you read it. Read it again (its ETag is new) "
                                      "and send your change on top of it."), headers={"ETag": current}))


class _Refusal(Exception):
    def __init__(self, response):
        super().__init__("refused")
        self.response = response


@bp.errorhandler(_Refusal)
def refused(error: _Refusal):
    return error.response


def _refuse_fields(refusal: validation.Refused):
    return problem(422, _("Some fields are not valid."), errors=field_errors(refusal.errors))


PROBLEMS = (401, 403, 404, 422, 429)


# Reference data -----------------------------------------------------------------------------------

def _milestone(m) -> dict:
    on = today()
    state = ("no_submissions" if m.submission_deadline is None
             else "open" if on <= m.submission_deadline else "closed")
    return {"id": m.id, "name": m.display_name, "kind": m.kind, "start_date": m.start_date, "end_date": m.end_date,
            "submission_deadline": m.submission_deadline, "review_deadline": m.review_deadline, "state": state,
            "url": _link("api.milestone", milestone_id=m.id)}


@bp.route("/milestones")
@bp.response(200, schemas.MilestoneOut(many=True))
def milestones():
    """The negotiation calendar: each milestone with its deadlines and whether it takes submissions today."""
    names = reference_names()
    return [_milestone(m) for m in sorted(names.milestones.values(), key=lambda m: (m.start_date, m.id))]


@bp.route("/milestones/<int:milestone_id>")
@bp.response(200, schemas.MilestoneOut)
def milestone(milestone_id: int):
    """One milestone."""
    found = reference_names().milestones.get(milestone_id)
    if found is None:
        return not_found()
    return _milestone(found)


@bp.route("/organisations")
@bp.response(200, schemas.OrganisationOut(many=True))
def organisations():
    """The networks and the secretariat."""
    names = reference_names()
    return [{"id": o.id, "short_name": o.short_name, "full_name": o.full_name,
             "contributes_positions": o.contributes_positions}
            for o in sorted(names.organisations.values(), key=lambda o: o.short_name)]


@bp.route("/objectives")
@bp.response(200, schemas.ObjectiveOut(many=True))
def objectives():
    """The compact's objectives, then the workstreams: the themes a position is filed under."""
    return [{"id": t.id, "kind": t.kind, "number": t.number, "label": t.label}
            for t in reference_names().themes_in_order]


# Positions ----------------------------------------------------------------------------------------

def _listed(item) -> dict:
    return {"id": item.id, "title": item.title, "language": item.language, "stage": item.stage,
            "updated_at": item.updated_at, "submitted_at": item.submitted_at,
            "milestone": _reference(item.milestone.id, item.milestone.display_name),
            "organisation": _reference(item.organisation.id, item.organisation.short_name),
            "themes": [_reference(t.id, t.label) for t in item.themes],
            "url": _link("api.position", position_id=item.id)}


@bp.route("/positions")
@bp.arguments(schemas.PositionFilters, location="query", as_kwargs=False)
@bp.response(200, schemas.PositionListed(many=True),
             headers={"Link": {"description": "rel=\"next\": the next page", "schema": {"type": "string"}}})
def positions(args):
    """The positions the token's account may see, last saved first, a page at a time (follow the Link
    header's rel="next")."""
    filters = queries.PositionFilters(milestone=args.get("milestone"), network=args.get("network"),
                                      stage=args.get("stage"), objective=args.get("objective"),
                                      updated_since=_naive(args.get("updated_since")), q=args.get("q") or "")
    page = queries.positions_page(user(), filters, args["per_page"], args.get("after"))
    query = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in args.items()}
    return [_listed(item) for item in page.items], _cursor_headers(page, "api.positions", query)


def _naive(moment):
    """A moment with a time zone as the database stores it (UTC, naive)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _visible(position_id: int) -> Position:
    position = permissions.visible_position(user(), queries.position(position_id))
    if position is None:
        raise _Refusal(not_found())
    return position


def _position(position: Position) -> dict:
    names = reference_names()
    ids = queries.amendment_ids(position.id)
    statuses = latest_statuses(position.id, position.amendments)
    amendments = []
    for stored in position.amendments:
        latest = statuses.get(stored.get("key"))
        amendments.append({
            "id": ids.get(stored.get("key")), "key": stored.get("key") or "", "kind": stored.get("kind") or "replace",
            "paragraph_id": stored.get("paragraph_id"), "paragraph": stored.get("paragraph") or "",
            "current_text": stored.get("current_text") or "", "proposed_text": stored.get("proposed_text") or "",
            "rationale": stored.get("rationale") or "", "section_id": stored.get("section_id"),
            "latest_status": None if latest is None else {
                "status": latest.status, "text_revision": _reference(latest.revision.id, latest.revision.name),
                "paragraph_number": latest.paragraph.number if latest.paragraph is not None else None}})
    milestone_name = names.milestones.get(position.milestone_id)
    return {"id": position.id, "title": position.title, "language": position.language, "stage": position.stage,
            "updated_at": position.updated_at, "submitted_at": position.submitted_at,
            "created_at": position.created_at, "extended_until": position.extended_until,
            "milestone": _reference(position.milestone_id, milestone_name.display_name if milestone_name
                                    else position.milestone.name),
            "organisation": _reference(position.organisation_id, position.organisation.short_name),
            "themes": [_reference(t.id, t.label) for t in names.themes_named(t.id for t in position.themes)],
            "summary": position.summary, "text": position.text, "revision_number": position.revision_number,
            "amendments": amendments,
            "actions": [action for action in schemas.ACTIONS if workflow.can_transition(user(), position, action)],
            "can_edit": permissions.can_edit_position(user(), position),
            "url": _link("api.position", position_id=position.id)}


def _position_response(position: Position, status: int = 200):
    return _position(position), status, {"ETag": _position_etag(position)}


@bp.route("/positions/<int:position_id>")
@bp.response(200, schemas.PositionOut, headers={"ETag": {"schema": {"type": "string"}}})
def position(position_id: int):
    """One position with its text and amendments (each with its id and latest status). Its ETag goes in
    If-Match to change it."""
    return _position_response(_visible(position_id))


def _json(body: dict, status: int, headers: dict):
    """An answer already dumped by its schema (flask-smorest leaves a Response as it is)."""
    return current_app.response_class(json.dumps(body), status=status, headers=headers, mimetype="application/json")


def _idempotent(operation: str, make):
    """Run `make()` (a creation) once per Idempotency-Key: the same key again gets the first answer."""
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if not key:
        return make()
    if len(key) > idempotency.KEY_MAX:
        return problem(400, _("An Idempotency-Key has at most 200 characters."))
    request_digest = idempotency.digest(operation, request.get_data())
    kept = idempotency.recall(user(), key, operation, request_digest)
    if kept is not None:
        if not kept.same_request:
            return problem(422, _("This Idempotency-Key was used with another request. Use a new key."))
        headers = {"Idempotent-Replayed": "true"}
        if kept.location:
            headers["Location"] = kept.location
        response = current_app.response_class(kept.body, status=kept.status, headers=headers,
                                              mimetype="application/json")
        return response
    response = make()
    if response.status_code < 300:
        idempotency.remember(user(), key, operation, request_digest, response.status_code,
                             response.get_data(as_text=True), response.headers.get("Location", ""))
    return response


IDEMPOTENCY_KEY = {"name": "Idempotency-Key", "in": "header", "required": False,
                   "schema": {"type": "string", "maxLength": 200},
                   "description": "Sent again with the same request within a day, gets the first answer again."}
IF_MATCH = {"name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"},
            "description": "The resource's ETag as last read."}


@bp.route("/positions", methods=["POST"])
@bp.arguments(schemas.PositionCreate, as_kwargs=False)
@bp.response(201, schemas.PositionOut, headers={"ETag": {"schema": {"type": "string"}},
                                                 "Location": {"schema": {"type": "string"}}})
@bp.doc(parameters=[IDEMPOTENCY_KEY])
def create_position(data):
    """Start a draft position of the token owner's network, with its amendments (contributors). The same
    checks as the form: an open milestone, the current text's paragraphs, the limits of each field."""
    if not permissions.can_create_position(user()):
        return problem(403, _("Your account cannot start a position."))

    def make():
        try:
            content = validation.position_content(data)
        except validation.Refused as refusal:
            return _refuse_fields(refusal)
        created = operations.create_position(user(), content)
        body = schemas.PositionOut().dump(_position(created))
        return _json(body, 201, {"ETag": _position_etag(created),
                                 "Location": _link("api.position", position_id=created.id)})

    return _idempotent("create_position", make)


@bp.route("/positions/<int:position_id>", methods=["PATCH"])
@bp.arguments(schemas.PositionIn, as_kwargs=False)
@bp.response(200, schemas.PositionOut, headers={"ETag": {"schema": {"type": "string"}}})
@bp.doc(parameters=[IF_MATCH])
def edit_position(data, position_id: int):
    """Change a draft (or a position whose changes were requested): the fields sent replace the saved ones;
    `amendments`, when sent, is the whole list (keep an amendment by sending its key). Needs If-Match."""
    position = _visible(position_id)
    if not permissions.can_edit_position(user(), position):
        return problem(403, _("This position cannot be edited by your account at its stage."))
    require_match(_position_etag(position))
    try:
        content = validation.position_content({**validation.position_input(position), **data}, position)
    except validation.Refused as refusal:
        return _refuse_fields(refusal)
    try:
        operations.save_position(position, user(), content, base_revision=position.revision_number)
    except operations.EditConflict:
        return problem(412, _("Someone changed this since you read it. Read it again (its ETag is new) and send "
                              "your change on top of it."))
    return _position_response(position)


@bp.route("/positions/<int:position_id>/actions/<any(" + ", ".join(schemas.ACTIONS) + "):action>",
          methods=["POST"])
@bp.arguments(schemas.ActionIn, as_kwargs=False)
@bp.response(200, schemas.PositionOut, headers={"ETag": {"schema": {"type": "string"}}})
@bp.doc(parameters=[IF_MATCH, {"name": "action", "in": "path", "required": True,
                               "schema": {"type": "string", "enum": list(schemas.ACTIONS)}}])
def act(data, position_id: int, action: str):
    """A step of the workflow: submit, withdraw, restore (the network's contributors); start_review,
    approve, request_changes, reject with a reason (reviewers); reopen (the secretariat). Needs If-Match."""
    position = _visible(position_id)
    move = workflow.TRANSITIONS[action]
    if not move.allowed(user(), position):
        return problem(403, _("Your account may not “%(action)s” this position.", action=move.label))
    require_match(_position_etag(position))
    comment = data.get("comment", "")
    if move.comment_required and not comment.strip():
        return problem(422, _("Some fields are not valid."),
                       errors=[{"field": "comment", "message": _("A reason is required to “%(action)s”.",
                                                                  action=move.label)}])
    form_errors = validation.action_errors(action, data)
    if form_errors:
        return _refuse_fields(validation.Refused(form_errors))
    internal_note = data.get("internal_note", "") if permissions.can_comment_internally(user()) else ""
    try:
        workflow.transition(position, action, user(), comment=comment,
                            visibility="internal" if action == "reopen" else "shared", internal_note=internal_note)
    except workflow.WorkflowError as refusal:
        return problem(409, str(refusal))
    return _position_response(position)


@bp.route("/positions/<int:position_id>/history")
@bp.response(200, schemas.HistoryOut)
def history(position_id: int):
    """Every revision of the position (newest first) and every move of its workflow."""
    position = _visible(position_id)
    if not permissions.can_view_history(user(), position):
        return problem(403)
    revisions, events = queries.history(position)
    return {"revisions": [{"number": r.number, "created_at": r.created_at, "author": r.author.name,
                           "title": r.title, "summary": r.summary, "text": r.text, "language": r.language,
                           "theme_ids": list(r.theme_ids or []), "amendments": list(r.amendments or [])}
                          for r in revisions],
            "events": [{"action": e.action, "from_stage": e.from_stage, "to_stage": e.to_stage,
                        "revision_number": e.revision_number, "created_at": e.created_at, "actor": e.actor.name}
                       for e in events]}


@bp.route("/positions/<int:position_id>/comments")
@bp.response(200, schemas.CommentOut(many=True))
def comments(position_id: int):
    """The comments the token's account may read (internal ones for reviewers and the secretariat)."""
    position = _visible(position_id)
    return [{"id": c.id, "author": c.author.name, "created_at": c.created_at, "body": c.body,
             "visibility": c.visibility, "revision_number": c.revision_number}
            for c in queries.comments_seen_by(user(), position) if permissions.can_see_comment(user(), c)]


def _amendment(record, statuses) -> dict:
    return {"id": record.id, "position_id": record.position_id, "key": record.key, "kind": record.kind,
            "paragraph_id": record.paragraph_id, "paragraph": record.paragraph,
            "proposed_text": record.proposed_text, "rationale": record.rationale,
            "removed": record.removed_at is not None,
            "statuses": [{"text_revision": _reference(revision.id, revision.name), "status": status,
                          "paragraph_number": number} for revision, status, number in statuses.get(record.id, [])]}


@bp.route("/positions/<int:position_id>/amendments")
@bp.response(200, schemas.AmendmentDetail(many=True))
def amendments(position_id: int):
    """The position's amendments with their ids (removed ones last), each with its status in every later
    revision of the negotiated text."""
    records = queries.amendments_of(_visible(position_id))
    statuses = queries.statuses_of(records)
    return [_amendment(record, statuses) for record in records]


@bp.route("/amendments/<int:amendment_id>")
@bp.response(200, schemas.AmendmentDetail)
def amendment(amendment_id: int):
    """One amendment, by its id."""
    record = queries.amendment(amendment_id)
    if record is None:
        return not_found()
    _visible(record.position_id)
    return _amendment(record, queries.statuses_of([record]))


# The negotiated text and uptake ---------------------------------------------------------------------

def _text_revision(revision) -> dict:
    return {"id": revision.id, "name": revision.name, "issued_on": revision.issued_on,
            "milestone_id": revision.milestone_id, "url": _link("api.text_revision", revision_id=revision.id)}


@bp.route("/text-revisions")
@bp.response(200, schemas.TextRevisionListed(many=True))
def text_revisions():
    """The published revisions of the negotiated text, latest first."""
    if not permissions.can_read_negotiated_text(user()):
        return problem(403)
    return [_text_revision(r) for r in queries.text_revisions()]


@bp.route("/text-revisions/<int:revision_id>")
@bp.response(200, schemas.TextRevisionOut)
def text_revision(revision_id: int):
    """One revision with its paragraphs in order, numbered as in the text."""
    if not permissions.can_read_negotiated_text(user()):
        return problem(403)
    revision = queries.text_revision(revision_id)
    if revision is None:
        return not_found()
    return {**_text_revision(revision),
            "paragraphs": [{"id": p.id, "order": p.order, "kind": p.kind, "number": p.number, "section": p.section,
                            "text": p.text, "objective_id": p.objective_id} for p in revision.paragraphs]}


def _counts(counts) -> dict:
    return {"total": counts.total, "taken_up": counts.taken_up, "partly": counts.partly,
            "by_status": dict(counts.by_status)}


def _joint(joint) -> dict | None:
    if joint is None:
        return None
    return {"counts": _counts(joint.counts), "unchanged": joint.unchanged,
            "networks": [{"organisation": _reference(o.id, o.short_name), "amendments": r.amendments,
                          "reached": r.reached, "undecided": r.undecided, "then_taken_up": r.then_taken_up}
                         for o, r in joint.networks]}


@bp.route("/uptake")
@bp.arguments(schemas.UptakeArgs, location="query", as_kwargs=False)
@bp.response(200, schemas.UptakeOut)
def uptake(args):
    """How many of the networks' amendments each revision took up (the secretariat: every network; a
    network's contributors: their own), and of UCLG's joint proposals on the revision before, with how
    much of each network's language reached them."""
    if not permissions.can_view_uptake(user()):
        return problem(403)
    figures = build_uptake(permissions.uptake_organisation_ids(user()), args.get("text_revision"))
    return {"revisions": [{
        "text_revision": _reference(r.revision.id, r.revision.name), "counts": _counts(r.counts),
        "networks": [{"organisation": _reference(o.id, o.short_name), "counts": _counts(c)} for o, c in r.networks],
        "joint": _joint(r.joint)}
        for r in figures.revisions]}


# Editions -------------------------------------------------------------------------------------------

def _edition(edition, count: int) -> dict:
    ready = edition.state == "ready"
    return {"id": edition.id, "milestone_id": edition.milestone_id, "number": edition.number, "title": edition.title,
            "kind": edition.kind, "symbol": edition.symbol, "state": edition.state,
            "failure_reason": edition.failure_reason or "", "compiled_at": edition.compiled_at,
            "prepared_at": edition.prepared_at, "options": dict(edition.options or {}), "position_count": count,
            "docx_url": _link("api.edition_docx", edition_id=edition.id) if ready else None,
            "pdf_url": _link("api.edition_pdf", edition_id=edition.id) if ready and edition.pdf_size else None,
            "url": _link("api.edition", edition_id=edition.id)}


@bp.route("/milestones/<int:milestone_id>/editions")
@bp.response(200, schemas.EditionOut(many=True))
def editions(milestone_id: int):
    """A milestone's editions, latest first, with their state and the links to their files (the secretariat)."""
    if not permissions.can_view_editions(user()):
        return problem(403)
    if queries.milestone(milestone_id) is None:
        return not_found()
    return [_edition(edition, count) for edition, count in queries.editions_of(milestone_id)]


@bp.route("/milestones/<int:milestone_id>/editions", methods=["POST"])
@bp.arguments(schemas.CompileIn, as_kwargs=False)
@bp.response(202, schemas.EditionOut, headers={"Location": {"schema": {"type": "string"}}})
@bp.doc(parameters=[IDEMPOTENCY_KEY])
def compile(data, milestone_id: int):
    """Compile the milestone's approved positions into a new edition (the secretariat, as the compile
    page). The worker prepares its files: poll the edition's URL until its state is "ready"."""
    if not permissions.can_compile(user()):
        return problem(403)
    found = queries.milestone(milestone_id)
    if found is None:
        return not_found()

    def make():
        revisions = [(r.id, r.name) for r in queries.text_revisions()]
        try:
            language = data.get("language") if data.get("language") in DOCUMENT_LANGUAGES else "en"
            options = validation.compile_options(data, found, revisions, default_title(found, language))
        except validation.Refused as refusal:
            return _refuse_fields(refusal)
        try:
            edition = compile_edition(found, user(), options)
        except CompileError as error:
            return problem(409, str(error))
        kept = queries.edition(edition.id)
        body = schemas.EditionOut().dump(_edition(*kept))
        return _json(body, 202, {"Location": _link("api.edition", edition_id=edition.id)})

    return _idempotent(f"compile:{milestone_id}", make)


def _visible_edition(edition_id: int, *, with_files: bool = False):
    if not permissions.can_view_editions(user()):
        raise _Refusal(problem(403))
    found = queries.edition(edition_id, with_files=with_files)
    if found is None:
        raise _Refusal(not_found())
    if not permissions.can_download_edition(user(), found[0]):
        raise _Refusal(problem(403))
    return found


@bp.route("/editions/<int:edition_id>")
@bp.response(200, schemas.EditionOut)
def edition(edition_id: int):
    """One edition: its state (preparing, ready, failed), options and the links to its files."""
    return _edition(*_visible_edition(edition_id))


FILE_RESPONSE = {"content": {DOCX_MIMETYPE: {"schema": {"type": "string", "format": "binary"}}}}


@bp.route("/editions/<int:edition_id>/docx")
@bp.doc(responses={"200": {"description": "The Word file", **FILE_RESPONSE}})
def edition_docx(edition_id: int):
    """The edition's Word file, once ready (404 before)."""
    found, _count = _visible_edition(edition_id, with_files=True)
    if not found.ready or found.data is None:
        return not_found()
    return send_file(io.BytesIO(found.data), mimetype=DOCX_MIMETYPE, as_attachment=True,
                     download_name=found.filename, etag=found.sha256, max_age=0)


@bp.route("/editions/<int:edition_id>/pdf")
@bp.doc(responses={"200": {"description": "The PDF",
                           "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}})
def edition_pdf(edition_id: int):
    """The edition's PDF, once ready (404 before, or when LibreOffice could not make one)."""
    found, _count = _visible_edition(edition_id, with_files=True)
    if not found.ready or found.pdf_data is None:
        return not_found()
    return send_file(io.BytesIO(found.pdf_data), mimetype="application/pdf", as_attachment=True,
                     download_name=found.pdf_filename, etag=found.pdf_sha256, max_age=0)


# Conditional GETs -----------------------------------------------------------------------------------

@bp.after_request
def conditional(response):
    """Every JSON answer to a GET has an ETag (its version, or a digest of its body) and a matching
    If-None-Match gets 304, as GitHub's API does."""
    if request.method == "GET" and response.status_code == 200 and response.mimetype == "application/json":
        if "ETag" not in response.headers:
            response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
        response.make_conditional(request)
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Authorization")
    return response


# The documentation page -----------------------------------------------------------------------------

@pages.route("/docs")
def documentation():
    """A page written from the OpenAPI document: every operation, its parameters, body and answers."""
    spec = api.spec.to_dict()
    operations_ = []
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method in ("get", "post", "patch", "put", "delete"):
                operations_.append({"method": method.upper(), "path": path, **operation})
    schemas = spec.get("components", {}).get("schemas", {})
    return render_template("api/docs.html", spec=spec, operations=operations_, schemas=schemas,
                           inputs=_input_schemas(operations_, schemas))


def _input_schemas(operations_: list[dict], schemas: dict) -> set[str]:
    """The schemas a request body uses, itself or nested: their required fields are required of the
    caller; in the others (answers) they are always present."""
    def refs(node) -> list[str]:
        if isinstance(node, dict):
            found = [node["$ref"].rsplit("/", 1)[-1]] if isinstance(node.get("$ref"), str) else []
            return found + [name for value in node.values() for name in refs(value)]
        if isinstance(node, list):
            return [name for value in node for name in refs(value)]
        return []

    waiting = [name for operation in operations_ for name in refs(operation.get("requestBody", {}))]
    found: set[str] = set()
    while waiting:
        name = waiting.pop()
        if name not in found:
            found.add(name)
            waiting.extend(refs(schemas.get(name, {})))
    return found
