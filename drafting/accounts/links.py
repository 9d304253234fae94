"""The e-mailed links by which people set their own password: invitations and password resets.

A link carries a random secret, signed with the app's SECRET_KEY (itsdangerous, one salt per kind
of link), so a link altered by one character is refused before the database is asked. The database
keeps only the SHA-256 of the secret. The secret is made when the worker sends the e-mail
(`write_link`, registered with the delivery), so neither the database nor the outbox (which the
secretariat can read) ever holds a usable link: the secretariat never learns anyone's password, nor
a way to choose it. Each link works once, until it expires by the app's clock (drafting/clock.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from drafting.accounts import operations
from drafting.clock import now
from drafting.extensions import db
from drafting.models import Invitation, Organisation, OutboxMessage, PasswordReset, User
from drafting.notifications.delivery import BODY_WRITERS

INVITATION_VALIDITY = timedelta(days=7)
RESET_VALIDITY = timedelta(hours=1)
INVITATION_KIND = "invitation"
RESET_KIND = "password_reset"
# Stands in the stored body (which the secretariat may read on the Outbox page) for the link that the
# sending writes into the e-mail itself.
LINK_PLACEHOLDER = "[link: written into the e-mail when it is sent, and kept nowhere]"
PATHS = {INVITATION_KIND: "invitation", RESET_KIND: "password/reset"}


class LinkRefused(Exception):
    """The link cannot be used; `reason` is one of REFUSALS."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


REFUSALS = ("invalid", "used", "expired", "revoked")


# Tokens ----------------------------------------------------------------------------------------

def _serializer(kind: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"drafting-{kind}")


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_token(kind: str) -> tuple[str, str]:
    """A signed token for a link and the hash of its secret, to store."""
    secret = secrets.token_urlsafe(32)
    return _serializer(kind).dumps(secret), token_hash(secret)


def _secret_hash(kind: str, token: str) -> str:
    try:
        secret = _serializer(kind).loads(token)
    except BadSignature:
        raise LinkRefused("invalid") from None
    if not isinstance(secret, str):
        raise LinkRefused("invalid")
    return token_hash(secret)


def link_url(kind: str, token: str) -> str:
    return f"{current_app.config['BASE_URL'].rstrip('/')}/{PATHS[kind]}/{token}"


# Writing the e-mails ----------------------------------------------------------------------------

def _queue_mail(kind: str, *, recipient_email: str, locale: str, name: str, recipient_id: int | None,
                subject, intro: str, valid_for: str) -> OutboxMessage:
    with force_locale(locale):
        body = current_app.jinja_env.get_template(f"accounts/mail/{kind}.txt").render(
            name=name, intro=str(intro), link=LINK_PLACEHOLDER, valid_for=valid_for).strip() + "\n"
        subject_text = " ".join(str(subject).split())
    # No recipient_id for the in-app list: the e-mail is the only place its link appears.
    message = OutboxMessage(kind=kind, recipient=recipient_email, subject=subject_text[:300], body=body,
                            attempts=0, last_error="", recipient_id=recipient_id)
    db.session.add(message)
    db.session.flush()
    return message


def write_link(message: OutboxMessage) -> str:
    """The body to send: the stored body with a new link in it. Called by the delivery at sending;
    the link's hash replaces the previous one, which stops working (a retry after a failed send)."""
    kind = message.kind
    model = Invitation if kind == INVITATION_KIND else PasswordReset
    record = db.session.scalar(select(model).where(model.message_id == message.id))
    if record is None:  # a newer e-mail replaced this one ("Resend"): this one carries no link
        return message.body.replace(LINK_PLACEHOLDER, "-")
    token, hashed = _new_token(kind)
    record.token_hash = hashed
    return message.body.replace(LINK_PLACEHOLDER, link_url(kind, token))


BODY_WRITERS[INVITATION_KIND] = write_link
BODY_WRITERS[RESET_KIND] = write_link


# Invitations ------------------------------------------------------------------------------------

def pending_invitation(email: str) -> Invitation | None:
    """The invitation to this address still waiting for an answer (not accepted, revoked or expired)."""
    return db.session.scalar(select(Invitation).where(
        Invitation.email == User.normalise_email(email), Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None), Invitation.expires_at > now()))


def invite(*, name: str, email: str, organisation: Organisation, role: str, locale: str,
           invited_by: User) -> Invitation:
    problem = (operations.account_problem(email=email, organisation=organisation, role=role)
               or (str(_l("An invitation to this address is waiting for an answer: resend it from the Users "
                          "page.")) if pending_invitation(email) else None))
    if problem:
        raise operations.AccountError(problem)
    # An earlier invitation to the address that expired unanswered gives way to this one.
    db.session.execute(update(Invitation).where(
        Invitation.email == User.normalise_email(email), Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None)).values(revoked_at=now()).execution_options(synchronize_session=False))
    invitation = Invitation(name=name.strip(), email=User.normalise_email(email), organisation=organisation,
                            role=role, locale=locale, invited_by=invited_by)
    db.session.add(invitation)
    _send_invitation(invitation)
    db.session.commit()
    return invitation


def _send_invitation(invitation: Invitation) -> None:
    moment = now()
    invitation.sent_at = moment
    invitation.expires_at = moment + INVITATION_VALIDITY
    invitation.token_hash = None  # the link of any earlier e-mail stops here
    with force_locale(invitation.locale):
        valid_until = _l("The link works once, for 7 days.")
        inviter = invitation.invited_by.name if invitation.invited_by else ""
        intro = _l("%(inviter)s invites you to the Global Compact drafting desk as %(role)s of %(organisation)s. "
                   "Open the link below to choose your password; nobody else will know it.",
                   inviter=inviter, role=operations.role_label(invitation.role),
                   organisation=invitation.organisation.short_name)
        message = _queue_mail(INVITATION_KIND, recipient_email=invitation.email, locale=invitation.locale,
                              name=invitation.name, recipient_id=None,
                              subject=_l("Your invitation to the drafting desk"), intro=str(intro),
                              valid_for=str(valid_until))
    invitation.message_id = message.id


def resend(invitation: Invitation) -> None:
    if not invitation.pending:
        raise operations.AccountError(str(_l("This invitation was already answered or revoked.")))
    _send_invitation(invitation)
    db.session.commit()


def revoke(invitation: Invitation) -> None:
    if invitation.pending:
        invitation.revoked_at = now()
        db.session.commit()


def _usable(record, kind: str):
    """Raise LinkRefused unless `record` (found by the token's hash) may still be used."""
    if getattr(record, "revoked_at", None) is not None:
        raise LinkRefused("revoked")
    if (record.accepted_at if kind == INVITATION_KIND else record.used_at) is not None:
        raise LinkRefused("used")
    if record.expired(now()):
        raise LinkRefused("expired")
    return record


def _find(model, kind: str, token: str):
    hashed = _secret_hash(kind, token)
    record = db.session.scalar(select(model).where(model.token_hash == hashed))
    # A used or revoked link keeps its hash, so that its page can say why it no longer works; a link
    # replaced by "Resend" (or a newer e-mail) has none left and reads as invalid.
    if record is None or not hmac.compare_digest(record.token_hash, hashed):
        raise LinkRefused("invalid")
    return _usable(record, kind)


def open_invitation(token: str) -> Invitation:
    return _find(Invitation, INVITATION_KIND, token)


def accept(token: str, password: str) -> User:
    """Create the account of the invitation with the password its person chose; the link is spent."""
    invitation = open_invitation(token)
    # Spent in one conditional UPDATE, so that two tabs submitting at once create one account.
    spent = db.session.execute(
        update(Invitation).where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=now()).execution_options(synchronize_session=False)).rowcount
    if spent != 1:
        db.session.rollback()
        raise LinkRefused("used")
    try:
        user = operations.create_user(email=invitation.email, name=invitation.name,
                                      organisation=invitation.organisation, role=invitation.role,
                                      password=password, locale=invitation.locale, commit=False)
    except operations.AccountError:
        db.session.rollback()
        raise
    invitation.user = user
    db.session.commit()
    return user


# Password resets --------------------------------------------------------------------------------

def request_reset(email: str) -> PasswordReset | None:
    """Queue the reset e-mail for the active account with this address, if there is one. Runs in the
    worker (drafting/accounts/tasks.py), so the page answers alike whether the address exists or not."""
    user = db.session.scalar(select(User).where(User.email == User.normalise_email(email),
                                                User.active.is_(True)))
    if user is None:
        return None
    moment = now()
    reset = PasswordReset(user=user, created_at=moment, expires_at=moment + RESET_VALIDITY)
    db.session.add(reset)
    with force_locale(user.locale or "en"):
        message = _queue_mail(
            RESET_KIND, recipient_email=user.email, locale=user.locale or "en", name=user.name,
            recipient_id=None, subject=_l("Choose a new password"),
            intro=str(_l("Someone, probably you, asked to choose a new password for your account on the drafting "
                         "desk. Open the link below to choose it. If you did not ask, ignore this e-mail: your "
                         "password stays as it is.")),
            valid_for=str(_l("The link works once, for 1 hour.")))
    reset.message_id = message.id
    db.session.commit()
    return reset


def open_reset(token: str) -> PasswordReset:
    reset = _find(PasswordReset, RESET_KIND, token)
    if not reset.user.active:  # deactivated since the request: the link gives no way back in
        raise LinkRefused("invalid")
    return reset


def reset_password(token: str, password: str) -> User:
    """Set the password chosen through the link; the link is spent and every session of the account ends."""
    reset = open_reset(token)
    problem = operations.password_problem(password)
    if problem:
        raise operations.AccountError(problem)
    spent = db.session.execute(
        update(PasswordReset).where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now()).execution_options(synchronize_session=False)).rowcount
    if spent != 1:
        db.session.rollback()
        raise LinkRefused("used")
    user = reset.user
    # The account's other reset links stop too: the password they were for is gone.
    db.session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                       .values(used_at=now()).execution_options(synchronize_session=False))
    operations.change_password(user, password)
    operations.end_all_sessions(user)
    return user
