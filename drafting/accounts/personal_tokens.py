"""Personal access tokens as their owners and the secretariat handle them on the account pages.

`drafting.accounts.tokens` makes, checks and revokes a token; this module holds the rules of the pages
around it: how long a token may be asked to live, how many active tokens one account may have, that the
names of one's active tokens differ (so a form sent twice makes one token, not two), a token's state as
its list shows it, and the e-mails that tell the owner a token was created or revoked by someone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from drafting.accounts import tokens
from drafting.clock import now
from drafting.core.dates import reader_date
from drafting.extensions import db
from drafting.models import AccessToken, OutboxMessage, User
from drafting.models.access_tokens import TOKEN_SCOPES

# The most active (neither revoked nor expired) tokens one account may have at once.
ACTIVE_LIMIT = 20
NAME_MAX = 100
# The lifetimes offered, in days; "date" lets the owner pick a day up to LONGEST_DAYS ahead.
LIFETIME_CHOICES = (("7", _l("7 days")), ("30", _l("30 days")), ("90", _l("90 days")), ("365", _l("1 year")),
                    ("date", _l("Until a date I choose")))
LONGEST_DAYS = 365
SCOPE_LABELS = {"read": _l("Read"), "write": _l("Read and write")}
CREATED_KIND = "token_created"
REVOKED_KIND = "token_revoked"


@dataclass(frozen=True)
class TokenState:
    label: object
    css_class: str


# A token's state, as its list shows it: one description per state.
TOKEN_STATES = {
    "active": TokenState(_l("Active"), "tag"),
    "expired": TokenState(_l("Expired"), "tag overdue"),
    "revoked": TokenState(_l("Revoked"), "tag overdue"),
    # The account is deactivated: its tokens stop at once, and would work again on reactivation.
    "stopped": TokenState(_l("Stopped: account deactivated"), "tag overdue"),
}


class TokenRefused(ValueError):
    """The token cannot be created; the message says why (shown beside the field named by `field`)."""

    def __init__(self, message: str, field: str = "name"):
        super().__init__(message)
        self.field = field


def state(token: AccessToken, moment: datetime | None = None) -> str:
    moment = moment or now()
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= moment:
        return "expired"
    if not token.user.active:
        return "stopped"
    return "active"


def _active(user: User, moment: datetime):
    return (AccessToken.user_id == user.id, AccessToken.revoked_at.is_(None), AccessToken.expires_at > moment)


def active_count(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(AccessToken).where(*_active(user, now())))


def expiry(lifetime: str, chosen: date | None, moment: datetime | None = None) -> datetime:
    """When a token asked for with this lifetime ends: N days from now, or the end of the chosen day (UTC)."""
    moment = moment or now()
    if lifetime == "date":
        problem = date_problem(chosen, moment)
        if problem:
            raise TokenRefused(problem, field="expires_on")
        return datetime.combine(chosen, time(23, 59, 59))
    days = int(lifetime)
    if days not in (7, 30, 90, 365):
        raise TokenRefused(str(_l("Choose one of the lifetimes offered.")), field="lifetime")
    return moment + timedelta(days=days)


def date_problem(chosen: date | None, moment: datetime | None = None) -> str | None:
    moment = moment or now()
    if chosen is None:
        return str(_l("Enter the last day on which the token may be used."))
    if chosen <= moment.date():
        return str(_l("Choose a day after today."))
    if chosen > moment.date() + timedelta(days=LONGEST_DAYS):
        return str(_l("A token lives at most a year: choose a day until %(day)s.",
                      day=reader_date(moment.date() + timedelta(days=LONGEST_DAYS))))
    return None


def create(user: User, *, name: str, scope: str, expires_at: datetime) -> tuple[AccessToken, str]:
    """A new token for `user` and its secret (to show once), with the e-mail that tells its owner."""
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise TokenRefused(str(_l("Give the token a name of at most %(n)d characters.", n=NAME_MAX)))
    if scope not in TOKEN_SCOPES:
        raise TokenRefused(str(_l("Choose one of the scopes offered.")), field="scope")
    moment = now()
    # One creation per account at a time: the limit and the unique names hold against two requests at once.
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    active = list(db.session.scalars(select(AccessToken.name).where(*_active(user, moment))))
    refusal = None
    if len(active) >= ACTIVE_LIMIT:
        refusal = _l("You have %(n)d active tokens, the most one account may have. Revoke one you no longer use, "
                     "then create this one.", n=ACTIVE_LIMIT)
    elif name.casefold() in {existing.casefold() for existing in active}:
        refusal = _l("You already have an active token named “%(name)s”: choose another name, or revoke that "
                     "one first.", name=name)
    if refusal is not None:
        db.session.rollback()  # the lock goes
        raise TokenRefused(str(refusal))
    token, secret = tokens.issue(user, name, scope, expires_at, commit=False)
    db.session.flush()
    _queue_mail(CREATED_KIND, token, by=user)
    db.session.commit()
    return token, secret


def revoke(token: AccessToken, by: User) -> bool:
    """Revoke the token; False if it already was. Its owner is told when somebody else revoked it.

    Of two revocations at once (a double click, the owner and the secretariat), one wins and the other is
    told it was already done (tokens.revoke), so the owner gets one e-mail."""
    if not tokens.revoke(token, by, commit=False):
        db.session.rollback()
        return False
    if by.id != token.user_id:
        _queue_mail(REVOKED_KIND, token, by=by)
    db.session.commit()
    return True


def _queue_mail(kind: str, token: AccessToken, *, by: User) -> None:
    owner = token.user
    with force_locale(owner.locale or "en"):
        facts = {"name": token.name, "prefix": token.prefix, "scope": str(SCOPE_LABELS[token.scope]),
                 "expires": reader_date(token.expires_at.date())}
        if kind == CREATED_KIND:
            subject = _l("A new access token was created for your account")
            intro = _l("A new personal access token, “%(name)s” (%(prefix)s…, %(scope)s, until %(expires)s), was "
                       "created for your account on the drafting desk. If you did not create it, revoke it on the "
                       "page below and change your password.", **facts)
        else:
            subject = _l("An access token of your account was revoked")
            intro = _l("%(by)s of the UCLG World Secretariat revoked your personal access token “%(name)s” "
                       "(%(prefix)s…): programs that use it can no longer reach the drafting desk. Create a new "
                       "one on the page below if you still need it.", by=by.name, **facts)
        body = current_app.jinja_env.get_template("accounts/mail/token.txt").render(
            name=owner.name, intro=str(intro),
            link=f"{current_app.config['BASE_URL'].rstrip('/')}/account/tokens").strip() + "\n"
        subject_text = str(subject)
    db.session.add(OutboxMessage(kind=kind, recipient=owner.email, subject=subject_text[:300], body=body,
                                 attempts=0, last_error="", recipient_id=owner.id))
