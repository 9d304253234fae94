"""Who may use each route: role x route x stage.

Every route of the application has a row in MATRIX; a route without one fails
`test_every_route_has_a_row`. Each row says which roles may use it, and for a position's routes at which
stages. A refused request gets a 403 (an anonymous one the login page) and changes nothing; an allowed
request is served, and a POST has its effect. Where the object is not the reader's business at all
(another network's position they may not see, another person's notification, another network's
figures), the refusal is a 404, the answer to a missing object.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from drafting.extensions import db
from drafting.models import STAGES, Attachment, Comment, OutboxMessage, Position, TextRevision, User
from tests.conftest import PASSWORD, login, milestone

API_ENDPOINTS = ("api.", "api-docs.", "api_pages.")
ROLES = ("anonymous", "author", "colleague", "outsider", "reviewer", "secretariat")
CONTRIBUTORS = {"author", "colleague", "outsider"}
MEMBERS = {"author", "colleague"}  # contributors of the position's organisation (CEMR)
LOGGED_IN = set(ROLES) - {"anonymous"}
EDITABLE = {"draft", "changes_requested"}
# Stages a reviewer can see: the position has been submitted at least once.
SUBMITTED_ONCE = set(STAGES) - {"draft", "withdrawn"}


@dataclass
class World:
    position: Position
    users: dict[str, User]
    extra: dict = field(default_factory=dict)


@dataclass
class Row:
    url: Callable[[World], str]
    allowed: Callable[[str, str], bool]
    data: Callable[[World], dict] | None = None
    effect: Callable[[World], object] | None = None  # observed before and after a POST
    by_stage: bool = False
    logs_out: bool = False  # the allowed answer is the login page
    # Refused roles for whom the object does not exist (404 as for a missing one), rather than 403; by
    # default, for a position's routes (by_stage), those who may not see the position.
    hidden: Callable[[str, str], bool] | None = None


def everyone(role, stage):
    return True


def logged_in(role, stage):
    return role in LOGGED_IN


def only(*roles):
    return lambda role, stage: role in roles


def can_view(role, stage):
    return role in MEMBERS | {"secretariat"} or (role == "reviewer" and stage in SUBMITTED_ONCE)


def cannot_view(role, stage):
    return not can_view(role, stage)


def members_when(stages):
    return lambda role, stage: role in MEMBERS and stage in stages


def _theme(world) -> int:
    from drafting.models import Theme

    return db.session.scalar(select(Theme.id).where(Theme.number == 15))


def _organisation(world) -> int:
    return world.position.organisation_id


def _section(world) -> int:
    from drafting.models import CompactSection

    return db.session.scalar(select(CompactSection.id).order_by(CompactSection.order).limit(1))


def _stage(world):
    db.session.expire_all()
    return db.session.get(Position, world.position.id).stage


def _comments(world):
    return db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.position_id == world.position.id, Comment.body == "Matrix comment"))


def _attachment(world) -> Attachment:
    if "attachment" not in world.extra:
        data = b"PK-not-really-a-docx"
        attachment = Attachment(position=world.position, filename="annex.docx", size=len(data),
                                sha256=hashlib.sha256(data).hexdigest(), data=data,
                                uploaded_by=world.users["author"])
        db.session.add(attachment)
        db.session.commit()
        world.extra["attachment"] = attachment.id
    return world.extra["attachment"]


def _edition(world) -> int:
    if "edition" not in world.extra:
        from drafting.models import Edition

        edition = Edition(milestone=world.position.milestone, number=1, title="Matrix", filename="m.docx",
                          size=3, sha256="0" * 64, data=b"abc", compiled_by=world.users["secretariat"],
                          state="ready", pdf_data=b"%PDF-1.7", pdf_size=8, pdf_sha256="1" * 64)
        db.session.add(edition)
        db.session.commit()
        world.extra["edition"] = edition.id
    return world.extra["edition"]


def _failed_edition(world) -> int:
    """An edition whose preparation failed: the one the Retry button queues again."""
    from drafting.models import Edition

    number = 1 + len([key for key in world.extra if key.startswith("failed")])
    edition = Edition(milestone=world.position.milestone, number=100 + number, title="Failed", filename="f.docx",
                      compiled_by=world.users["secretariat"], state="failed", failure_reason="office")
    db.session.add(edition)
    db.session.commit()
    world.extra[f"failed{number}"] = edition.id
    return edition.id


def _edition_state(world):
    from drafting.models import Edition

    db.session.expire_all()
    return sorted(db.session.scalars(select(Edition.state).where(Edition.number > 100)))


def _text_revision(world) -> int:
    if "text_revision" not in world.extra:
        from datetime import date

        from drafting.models import TextParagraph, TextRevision

        revision = TextRevision(name="Matrix draft", issued_on=date(2018, 2, 5),
                                published_by=world.users["secretariat"],
                                paragraphs=[TextParagraph(order=1, kind="paragraph", number="1", text="One.")])
        db.session.add(revision)
        db.session.commit()
        world.extra["text_revision"] = revision.id
    return world.extra["text_revision"]


def _failed_following(world) -> int:
    """A revision whose re-anchoring passed a limit of background jobs: the one its Retry queues again."""
    from datetime import date

    revision = TextRevision(name=f"Failed following {len(world.extra)}", issued_on=date(2018, 2, 6),
                            published_by=world.users["secretariat"], reanchor_count=1, reanchor_failure="time")
    db.session.add(revision)
    db.session.commit()
    world.extra[f"following{revision.id}"] = revision.id
    return revision.id
def _text_paragraph_url(world) -> str:
    from drafting.models import TextParagraph

    revision_id = _text_revision(world)
    paragraph_id = db.session.scalar(select(TextParagraph.id).where(TextParagraph.revision_id == revision_id))
    return f"/text/{revision_id}/paragraphs/{paragraph_id}"


def _amendment(world) -> int:
    """An amendment of the world's position (CEMR), anchored to the matrix revision's paragraph: CEMR's
    members answer the joint proposal for it."""
    if "amendment" not in world.extra:
        from drafting.models import Amendment, TextParagraph

        paragraph_id = db.session.scalar(select(TextParagraph.id).where(
            TextParagraph.revision_id == _text_revision(world)))
        amendment = Amendment(position=world.position, key="matrix", paragraph_id=paragraph_id, kind="replace",
                              paragraph="1", proposed_text="One more.")
        db.session.add(amendment)
        db.session.commit()
        world.extra["amendment"] = amendment.id
    return world.extra["amendment"]


def _joint_url(suffix=""):
    def url(world) -> str:
        _amendment(world)
        return _text_paragraph_url(world) + "/joint" + suffix
    return url


def _objectives_confirmed(world) -> bool:
    from drafting.models import TextRevision

    return db.session.scalar(select(TextRevision.objectives_confirmed_at).where(
        TextRevision.id == _text_revision(world))) is not None


def _text_revisions(world) -> int:
    from drafting.models import TextRevision

    return db.session.scalar(select(func.count()).select_from(TextRevision))


def _message(world) -> int:
    message = OutboxMessage(kind="test", recipient="a@b.org", subject="S", body="B")
    db.session.add(message)
    db.session.commit()
    return message.id


def _notification(world) -> int:
    """A message addressed to the author: only the author reads it in "Notifications"."""
    author = world.users["author"]
    message = OutboxMessage(kind="comment", recipient=author.email, recipient_id=author.id, subject="S", body="B")
    db.session.add(message)
    db.session.commit()
    return message.id


def _invitation(world) -> int:
    """A pending invitation, one per use (a revoked one can be revoked no more)."""
    from drafting.accounts import links
    from tests.conftest import organisation

    number = 1 + len([key for key in world.extra if key.startswith("invitation")])
    invitation = links.invite(name="Invited", email=f"invited{number}@cemr.example.org",
                              organisation=organisation("CEMR"), role="reviewer", locale="en",
                              invited_by=world.users["secretariat"])
    world.extra[f"invitation{number}"] = invitation.id
    return invitation.id


def _invitation_state(world):
    from drafting.models import Invitation

    db.session.expire_all()
    return sorted((i.message_id, i.revoked_at is not None) for i in db.session.scalars(select(Invitation)))


def _token(world) -> int:
    """A token of the author's, one per use (a revoked one can be revoked no more)."""
    from datetime import timedelta

    from drafting.accounts.tokens import issue
    from drafting.clock import now

    number = 1 + len([key for key in world.extra if key.startswith("token")])
    token, _ = issue(world.users["author"], f"Matrix {number}", "read", now() + timedelta(days=7))
    world.extra[f"token{number}"] = token.id
    return token.id


def _revoked_tokens(world):
    from drafting.models import AccessToken

    db.session.expire_all()
    return sorted(db.session.scalars(select(AccessToken.id).where(AccessToken.revoked_at.is_not(None))))


def _token_count(world):
    from drafting.models import AccessToken

    return db.session.scalar(select(func.count()).select_from(AccessToken))


def _user_url(suffix):
    return lambda world: f"/users/{world.users['colleague'].id}/{suffix}"


def _action(action, roles, stages):
    return Row(url=lambda world: f"/positions/{world.position.id}/{action}",
               allowed=lambda role, stage: role in roles and stage in stages,
               data=lambda world: {"decision-comment": "Matrix comment", "comment": "Matrix reason",
                                   "confirmed": "yes"},
               effect=_stage, by_stage=True)


P = "/positions/{id}"


def position_url(suffix=""):
    return lambda world: f"/positions/{world.position.id}{suffix}"


MATRIX: dict[tuple[str, str], Row] = {
    # Accounts
    ("home.index", "GET"): Row(lambda w: "/", logged_in),
    ("accounts.login", "GET"): Row(lambda w: "/login", everyone),
    ("accounts.login", "POST"): Row(lambda w: "/login", everyone,
                                    data=lambda w: {"email": "nobody@example.org", "password": "wrong"}),
    ("accounts.logout", "POST"): Row(lambda w: "/logout", logged_in, logs_out=True),
    ("accounts.logout_everywhere", "POST"): Row(lambda w: "/account/logout-everywhere", logged_in, logs_out=True),
    ("accounts.account", "GET"): Row(lambda w: "/account", logged_in),
    ("accounts.account", "POST"): Row(lambda w: "/account", logged_in,
                                      data=lambda w: {"lang-locale": "en", "lang-submit_language": "1"}),
    # Personal access tokens: every account has its own; a token is its owner's and the secretariat's business.
    ("accounts.token_list", "GET"): Row(lambda w: "/account/tokens", logged_in),
    ("accounts.token_list", "POST"): Row(
        lambda w: "/account/tokens", logged_in,
        data=lambda w: {"name": f"Matrix {_token_count(w)}", "scope": "read", "lifetime": "7",
                        "current_password": PASSWORD},
        effect=_token_count),
    ("accounts.confirm_revoke_token", "GET"): Row(lambda w: f"/account/tokens/{_token(w)}/revoke",
                                                  only("author", "secretariat"), hidden=logged_in),
    ("accounts.revoke_token", "POST"): Row(lambda w: f"/account/tokens/{_token(w)}/revoke",
                                           only("author", "secretariat"), hidden=logged_in, effect=_revoked_tokens),
    ("accounts.users", "GET"): Row(lambda w: "/users", only("secretariat")),
    ("accounts.new_user", "GET"): Row(lambda w: "/users/new", only("secretariat")),
    ("accounts.new_user", "POST"): Row(lambda w: "/users/new", only("secretariat"), data=lambda w: {}),
    ("accounts.edit_user", "GET"): Row(lambda w: f"/users/{w.users['colleague'].id}/edit", only("secretariat")),
    ("accounts.edit_user", "POST"): Row(lambda w: f"/users/{w.users['colleague'].id}/edit", only("secretariat"),
                                        data=lambda w: {}),
    ("accounts.reset_password", "POST"): Row(_user_url("password"), only("secretariat"),
                                             data=lambda w: {"reset-new_password": "short"}),
    ("accounts.set_active", "POST"): Row(
        _user_url("active"), only("secretariat"), data=lambda w: {"active": "0"},
        effect=lambda w: db.session.scalar(select(User.active).where(User.id == w.users["colleague"].id))),
    ("accounts.confirm_deactivate", "GET"): Row(_user_url("deactivate"), only("secretariat")),
    ("accounts.invite", "GET"): Row(lambda w: "/users/invite", only("secretariat")),
    ("accounts.invite", "POST"): Row(lambda w: "/users/invite", only("secretariat"), data=lambda w: {}),
    ("accounts.resend_invitation", "POST"): Row(lambda w: f"/invitations/{_invitation(w)}/resend",
                                                only("secretariat"), effect=_invitation_state),
    ("accounts.revoke_invitation", "POST"): Row(lambda w: f"/invitations/{_invitation(w)}/revoke",
                                                only("secretariat"), effect=_invitation_state),
    # The links in e-mails are for people not logged in; a link that is not valid gets its own page.
    ("accounts.accept_invitation", "GET"): Row(lambda w: "/invitation/not-a-token", everyone),
    ("accounts.accept_invitation", "POST"): Row(lambda w: "/invitation/not-a-token", everyone,
                                                data=lambda w: {"new_password": "x", "confirm": "x"}),
    ("accounts.forgot_password", "GET"): Row(lambda w: "/password/forgot", everyone),
    ("accounts.forgot_password", "POST"): Row(lambda w: "/password/forgot", everyone,
                                              data=lambda w: {"email": "nobody@example.org"}),
    ("accounts.reset_with_link", "GET"): Row(lambda w: "/password/reset/not-a-token", everyone),
    ("accounts.reset_with_link", "POST"): Row(lambda w: "/password/reset/not-a-token", everyone,
                                              data=lambda w: {"new_password": "x", "confirm": "x"}),
    # Reference data and calendar
    ("reference.organisations", "GET"): Row(lambda w: "/organisations", logged_in),
    ("reference.edit_organisation", "GET"): Row(lambda w: f"/organisations/{_organisation(w)}/edit",
                                                only("secretariat")),
    ("reference.edit_organisation", "POST"): Row(lambda w: f"/organisations/{_organisation(w)}/edit",
                                                 only("secretariat"), data=lambda w: {}),
    ("reference.themes", "GET"): Row(lambda w: "/themes", logged_in),
    ("reference.edit_theme", "GET"): Row(lambda w: f"/themes/{_theme(w)}/edit", only("secretariat")),
    ("reference.edit_theme", "POST"): Row(lambda w: f"/themes/{_theme(w)}/edit", only("secretariat"),
                                          data=lambda w: {}),
    ("reference.edit_section", "GET"): Row(lambda w: f"/sections/{_section(w)}/edit", only("secretariat")),
    ("reference.edit_section", "POST"): Row(lambda w: f"/sections/{_section(w)}/edit", only("secretariat"),
                                            data=lambda w: {}),
    ("milestones.index", "GET"): Row(lambda w: "/milestones", logged_in),
    ("milestones.show", "GET"): Row(lambda w: f"/milestones/{w.position.milestone_id}", logged_in),
    ("milestones.new", "GET"): Row(lambda w: "/milestones/new", only("secretariat")),
    ("milestones.new", "POST"): Row(lambda w: "/milestones/new", only("secretariat"), data=lambda w: {}),
    ("milestones.edit", "GET"): Row(lambda w: f"/milestones/{w.position.milestone_id}/edit", only("secretariat")),
    ("milestones.edit", "POST"): Row(lambda w: f"/milestones/{w.position.milestone_id}/edit", only("secretariat"),
                                     data=lambda w: {}),
    # Positions
    ("positions.index", "GET"): Row(lambda w: "/positions", logged_in),
    ("positions.new", "GET"): Row(lambda w: "/positions/new", only(*CONTRIBUTORS)),
    ("positions.new", "POST"): Row(lambda w: "/positions/new", only(*CONTRIBUTORS), data=lambda w: {}),
    ("positions.preview", "POST"): Row(lambda w: "/positions/preview", only(*CONTRIBUTORS, "secretariat"),
                                       data=lambda w: {"text": "**Matrix**"}),
    ("positions.show", "GET"): Row(position_url(), can_view, by_stage=True),
    ("positions.history", "GET"): Row(position_url("/history"), can_view, by_stage=True),
    ("positions.compare_revisions", "GET"): Row(position_url("/compare?old=1&new=1"), can_view, by_stage=True),
    ("positions.edit", "GET"): Row(position_url("/edit"), members_when(EDITABLE), by_stage=True),
    ("positions.edit", "POST"): Row(position_url("/edit"), members_when(EDITABLE), data=lambda w: {},
                                    by_stage=True),
    ("positions.comment", "POST"): Row(
        position_url("/comments"),
        lambda role, stage: can_view(role, stage),
        data=lambda w: {"body": "Matrix comment"}, effect=_comments, by_stage=True),
    ("positions.extension", "POST"): Row(
        position_url("/extension"), lambda role, stage: role == "secretariat" and stage in EDITABLE,
        data=lambda w: {"until": "2018-03-01"},
        effect=lambda w: db.session.scalar(select(Position.extended_until).where(Position.id == w.position.id)),
        by_stage=True),
    ("positions.carry_forward", "POST"): Row(
        position_url("/carry-forward"),
        lambda role, stage: role in MEMBERS | {"secretariat"} and stage in {"approved", "included"},
        data=lambda w: {"milestone_id": milestone("Round 3").id},
        effect=lambda w: db.session.scalar(select(func.count()).select_from(Position)
                                           .where(Position.predecessor_id == w.position.id)),
        by_stage=True),
    # The workflow, one row per action (the URL names the action)
    ("positions.act:submit", "POST"): _action("submit", MEMBERS, EDITABLE),
    ("positions.act:withdraw", "POST"): _action("withdraw", MEMBERS, {"draft", "submitted", "changes_requested"}),
    ("positions.act:restore", "POST"): _action("restore", MEMBERS, {"withdrawn"}),
    ("positions.confirm_withdraw", "GET"): Row(position_url("/withdraw"),
                                               members_when({"draft", "submitted", "changes_requested"}),
                                               by_stage=True),
    ("positions.act:start_review", "POST"): _action("start_review", {"reviewer"}, {"submitted"}),
    # Decisions start the review implicitly from "submitted".
    ("positions.act:approve", "POST"): _action("approve", {"reviewer"}, {"submitted", "in_review"}),
    ("positions.act:request_changes", "POST"): _action("request_changes", {"reviewer"}, {"submitted", "in_review"}),
    ("positions.act:reject", "POST"): _action("reject", {"reviewer"}, {"submitted", "in_review"}),
    ("positions.act:reopen", "POST"): _action("reopen", {"secretariat"}, {"approved", "rejected"}),
    # Review and tracker
    ("review.queue", "GET"): Row(lambda w: "/review", only("reviewer", "secretariat")),
    ("tracker.index", "GET"): Row(lambda w: "/tracker", only("secretariat")),
    ("tracker.search", "GET"): Row(lambda w: "/search?q=cities", logged_in),
    ("tracker.counts_csv", "GET"): Row(lambda w: "/tracker.csv", only("secretariat")),
    ("tracker.positions_csv", "GET"): Row(lambda w: "/tracker-positions.csv", only("secretariat")),
    ("tracker.workbook", "GET"): Row(lambda w: "/tracker.xlsx", only("secretariat")),
    # The consolidated document and annexes
    ("documents.compile", "GET"): Row(lambda w: f"/milestones/{w.position.milestone_id}/compile", only("secretariat")),
    ("documents.compile", "POST"): Row(lambda w: f"/milestones/{w.position.milestone_id}/compile",
                                       only("secretariat"), data=lambda w: {"title": ""}),
    ("documents.editions", "GET"): Row(lambda w: f"/milestones/{w.position.milestone_id}/editions",
                                       only("secretariat")),
    ("documents.edition_states", "GET"): Row(lambda w: f"/milestones/{w.position.milestone_id}/editions/states",
                                             only("secretariat")),
    ("documents.download_edition", "GET"): Row(lambda w: f"/editions/{_edition(w)}/download", only("secretariat")),
    ("documents.download_edition_pdf", "GET"): Row(lambda w: f"/editions/{_edition(w)}/pdf", only("secretariat")),
    ("documents.retry_edition", "POST"): Row(lambda w: f"/editions/{_failed_edition(w)}/retry", only("secretariat"),
                                             data=lambda w: {}, effect=_edition_state),
    ("documents.attachments", "GET"): Row(position_url("/attachments"), can_view, by_stage=True),
    ("documents.attachments", "POST"): Row(position_url("/attachments"), members_when(EDITABLE), data=lambda w: {},
                                           by_stage=True),
    ("documents.download_attachment", "GET"): Row(lambda w: f"/attachments/{_attachment(w)}", can_view,
                                                  by_stage=True),
    ("documents.delete_attachment", "POST"): Row(
        lambda w: f"/attachments/{_attachment(w)}/delete", members_when(EDITABLE), data=lambda w: {},
        effect=lambda w: db.session.scalar(select(func.count()).select_from(Attachment)), by_stage=True),
    # The negotiated text
    ("negotiated_text.index", "GET"): Row(lambda w: "/text", logged_in),
    ("negotiated_text.show", "GET"): Row(lambda w: f"/text/{_text_revision(w)}", logged_in),
    ("negotiated_text.paragraph", "GET"): Row(lambda w: _text_paragraph_url(w), logged_in),
    ("negotiated_text.compare", "GET"): Row(lambda w: "/text/compare", logged_in),
    ("negotiated_text.retry_following", "POST"): Row(
        lambda w: f"/text/{_failed_following(w)}/reanchor", only("secretariat"), data=lambda w: {},
        effect=lambda w: sorted(db.session.scalars(select(TextRevision.reanchor_failure)))),
    ("negotiated_text.objectives", "GET"): Row(lambda w: f"/text/{_text_revision(w)}/objectives", only("secretariat")),
    ("negotiated_text.objectives", "POST"): Row(
        lambda w: f"/text/{_text_revision(w)}/objectives", only("secretariat"),
        data=lambda w: {}, effect=_objectives_confirmed),
    ("negotiated_text.following_state", "GET"): Row(lambda w: f"/text/{_text_revision(w)}/following", logged_in),
    ("negotiated_text.new", "GET"): Row(lambda w: "/text/new", only("secretariat")),
    ("negotiated_text.new", "POST"): Row(
        lambda w: "/text/new", only("secretariat"),
        data=lambda w: {"name": f"Matrix {w.position.id}", "issued_on": "2018-03-12", "milestone": "0",
                        "publish": "1", "structure": "1. One.\n"},
        effect=_text_revisions),
    # Uptake: the networks' members (their own network) and the secretariat (every network).
    ("negotiated_text.uptake", "GET"): Row(lambda w: "/text/uptake", only(*CONTRIBUTORS, "secretariat")),
    ("negotiated_text.uptake_csv", "GET"): Row(
        lambda w: f"/text/uptake.csv?network={w.position.organisation_id}", only(*MEMBERS, "secretariat"),
        hidden=lambda role, stage: role == "outsider"),  # reviewers have no Uptake page at all: 403
    # UCLG's joint proposal
    ("joint_proposals.amendment", "GET"): Row(lambda w: f"/amendments/{_amendment(w)}", can_view, by_stage=True),
    ("joint_proposals.index", "GET"): Row(lambda w: "/text/joint", logged_in),
    ("joint_proposals.paragraph", "GET"): Row(_joint_url(), logged_in),
    ("joint_proposals.paragraph", "POST"): Row(_joint_url(), only("secretariat"), data=lambda w: {}),
    # The networks whose amendments the paragraph has (here CEMR's members) answer for them.
    ("joint_proposals.answer", "POST"): Row(_joint_url("/answer"), only(*MEMBERS), data=lambda w: {}),
    # Outbox
    ("notifications.outbox", "GET"): Row(lambda w: "/outbox", only("secretariat")),
    ("notifications.message", "GET"): Row(lambda w: f"/outbox/{_message(w)}", only("secretariat")),
    ("notifications.notifications", "GET"): Row(lambda w: "/notifications", logged_in),
    ("notifications.notification", "GET"): Row(lambda w: f"/notifications/{_notification(w)}", only("author"),
                                               hidden=logged_in),
    ("notifications.mark_all_read", "POST"): Row(lambda w: "/notifications/read", logged_in),
    ("static", "GET"): Row(lambda w: "/static/style.css", everyone),
}


def _cases():
    for (endpoint, method), row in MATRIX.items():
        for stage in (STAGES if row.by_stage else ("submitted",)):
            yield pytest.param(endpoint, method, stage, id=f"{endpoint}-{method}-{stage}")


def test_every_route_has_a_row(app):
    rows = {(endpoint.split(":")[0], method) for endpoint, method in MATRIX}
    # The JSON API's routes have their rows in tests/api/test_permission_matrix.py, each naming its page's.
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"} if not rule.endpoint.startswith(API_ENDPOINTS)}
    assert routes - rows == set(), "routes without a row in the permission matrix"
    assert rows - routes == set(), "rows for routes that no longer exist"
    from drafting.positions.workflow import TRANSITIONS

    acted = {endpoint.split(":")[1] for endpoint, _ in MATRIX if endpoint.startswith("positions.act:")}
    assert acted == set(TRANSITIONS) - {"include"}, "every workflow action reachable by URL needs a row"


@pytest.fixture
def world(make_user, make_position):
    users = {
        "author": make_user("contributor", "CEMR"),
        "colleague": make_user("contributor", "CEMR"),
        "outsider": make_user("contributor", "Metropolis"),
        "reviewer": make_user("reviewer", "Metropolis"),
        "secretariat": make_user("secretariat"),
    }

    def build(stage):
        position = make_position(stage, author=users["author"])
        return World(position=position, users=users)

    return build


@pytest.mark.parametrize(("endpoint", "method", "stage"), list(_cases()))
def test_permission(client, world, endpoint, method, stage):
    """Every role against one route at one stage. Refused roles go first, in one shared world (a refusal
    changes nothing, which is checked); a role allowed to change something gets a fresh position."""
    row = MATRIX[(endpoint, method)]
    allowed = [role for role in ROLES if row.allowed(role, stage)]
    refused = [role for role in ROLES if role not in allowed]
    shared = world(stage)
    for role in refused + allowed:
        w = world(stage) if (role in allowed and row.effect and role != allowed[0]) else shared
        _check(client, row, w, method, role, stage, allowed=role in allowed)


def _check(client, row, w, method, role, stage, allowed):
    client.post("/logout")
    url = row.url(w)
    if role != "anonymous":
        login(client, w.users[role], PASSWORD)
    before = row.effect(w) if row.effect else None
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data=row.data(w) if row.data else {})
    status = response.status_code
    location = response.headers.get("Location", "")
    if allowed:
        assert status not in (401, 403), f"{role} refused at {url} ({stage})"
        assert row.logs_out or not location.startswith("/login"), f"{role} sent to log in at {url}"
        if row.effect:
            assert row.effect(w) != before, f"{role} was allowed {url} at {stage} but nothing happened"
    else:
        if role == "anonymous":
            assert status == 302 and location.startswith("/login"), f"anonymous reached {url}"
        elif row.effect and status == 303:
            pass  # a workflow refusal: back to the page with the reason; the effect check below decides
        else:
            hidden = row.hidden or (cannot_view if row.by_stage else lambda role, stage: False)
            expected = 404 if hidden(role, stage) else 403
            assert status == expected, f"{role} at {url} at {stage}: {status}, not {expected}"
        if row.effect:
            assert row.effect(w) == before, f"{role} changed something through {url} at {stage}"
