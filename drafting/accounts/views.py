"""Logging in and out, one's own account, and the secretariat's pages for accounts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from drafting import permissions
from drafting.accounts import links, operations, personal_tokens, queries, tasks, tokens
from drafting.accounts.forms import (
    ChangePasswordForm,
    ChoosePasswordForm,
    ForgotPasswordForm,
    InviteForm,
    LanguageForm,
    LoginForm,
    NewUserForm,
    ResetPasswordForm,
    TokenForm,
    UserForm,
)
from drafting.clock import now
from drafting.extensions import db, limiter
from drafting.forms import EmptyForm
from drafting.models import AccessToken, Invitation, Organisation, User
from drafting.security import is_safe_next
from drafting.web.editing import edit_page
from drafting.web.loading import find, get_or_404, require

bp = Blueprint("accounts", __name__)


def _failed_login(response) -> bool:
    """Only failed attempts count towards the login limit; a success redirects."""
    return request.method == "POST" and response.status_code != 303


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"], deduct_when=_failed_login)
def login():
    target = request.args.get("next")
    if not is_safe_next(target):
        target = None
    if current_user.is_authenticated and request.method == "GET":
        return redirect(target or url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = operations.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            operations.record_login(user)
            return redirect(target or url_for("home.index"), code=303)
        form.password.errors.append(_("Wrong email or password, or the account is deactivated."))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        flash(_("You are logged out."), "info")  # in the user's language, while it is still known
        _end_sessions()
    return redirect(url_for("accounts.login"))


@bp.route("/account/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere():
    if EmptyForm().validate_on_submit():
        flash(_("You are logged out on every device."), "info")
        _end_sessions()
    return redirect(url_for("accounts.login"))


def _end_sessions() -> None:
    """Logging out ends the account's sessions on the server, so a copy of the session or remember-me
    cookie taken before is worthless; on one device or all, the account has one generation."""
    operations.end_all_sessions(current_user._get_current_object())
    logout_user()


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    password_form = ChangePasswordForm(prefix="pw")
    language_form = LanguageForm(prefix="lang", locale=current_user.locale)
    if language_form.submit_language.data and language_form.validate_on_submit():
        current_user.locale = language_form.locale.data
        db.session.commit()
        flash(_("Language saved."), "success")
        return redirect(url_for("accounts.account"))
    if password_form.submit.data and password_form.validate_on_submit():
        if not current_user.check_password(password_form.current_password.data):
            password_form.current_password.errors.append(_("This is not your current password."))
        else:
            operations.change_password(current_user, password_form.new_password.data)
            # The session carries the new password's fingerprint. Pass the user, not the proxy:
            # Flask-Login stores what it gets, and a stored proxy would resolve to itself forever.
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", password_form=password_form, language_form=language_form,
                           active_tokens=personal_tokens.active_count(current_user))


# Personal access tokens ------------------------------------------------------------------------

def _token_context(user: User) -> dict:
    """What a list of tokens shows (templates/accounts/_tokens.html)."""
    return {"tokens": tokens.tokens_of(user), "now": now(), "token_state": personal_tokens.state,
            "TOKEN_STATES": personal_tokens.TOKEN_STATES, "TOKEN_SCOPE_LABELS": personal_tokens.SCOPE_LABELS}


def _token_form(**kwargs) -> TokenForm:
    return TokenForm(write_allowed=permissions.can_issue_write_token(current_user), **kwargs)


def _tokens_page(form: TokenForm, status: int = 200, **shown):
    user = current_user._get_current_object()
    response = make_response(render_template(
        "accounts/tokens.html", form=form, limit=personal_tokens.ACTIVE_LIMIT, **_token_context(user), **shown),
        status)
    # The page may carry a new token's secret: no browser or proxy keeps a copy of it.
    response.headers["Cache-Control"] = "no-store"
    return response


def _token_form_account() -> str:
    """The key of the limit on refused creations: the account, from whatever address (a stolen session
    cookie used from many addresses guesses no faster)."""
    return f"token-form:{current_user.get_id()}"


def _refused_creation(response) -> bool:
    """Only refused creations count towards the limit on guessing the password through this form."""
    return request.method == "POST" and response.status_code != 201


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"], deduct_when=_refused_creation, key_func=_token_form_account)
def token_list():
    require(permissions.can_manage_own_tokens(current_user))
    form = _token_form()
    if not form.validate_on_submit():
        return _tokens_page(form, 400 if form.errors else 200)
    user = current_user._get_current_object()
    # As GitHub's sudo mode, but every time: whoever holds the session cookie alone gets no token that
    # outlives it (docs/security.md).
    if not user.check_password(form.current_password.data):
        form.current_password.errors.append(_("This is not your current password."))
        return _tokens_page(form, 400)
    try:
        expires_at = personal_tokens.expiry(form.lifetime.data, form.expires_on.data)
        token, secret = personal_tokens.create(user, name=form.name.data, scope=form.scope.data,
                                               expires_at=expires_at)
    except personal_tokens.TokenRefused as refusal:
        getattr(form, refusal.field).errors.append(str(refusal))
        return _tokens_page(form, 400)
    # The secret goes into this answer only: not into a redirect's address, the session or a flash message.
    return _tokens_page(_token_form(formdata=None), 201, created=token, secret=secret)


def _visible_token(token_id: int) -> AccessToken:
    return get_or_404(AccessToken, token_id, visible=permissions.can_see_token)


def _after_revoking(token: AccessToken):
    if token.user_id == current_user.id:
        return url_for("accounts.token_list")
    return url_for("accounts.edit_user", user_id=token.user_id) + "#tokens"


@bp.route("/account/tokens/<int:token_id>/revoke")
@login_required
def confirm_revoke_token(token_id: int):
    """The question before revoking: a page of its own, so it works without JavaScript."""
    token = _visible_token(token_id)
    return render_template("accounts/revoke_token.html", token=token, back=_after_revoking(token))


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    token = _visible_token(token_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    name = token.name
    if personal_tokens.revoke(token, current_user._get_current_object()):
        flash(_("The token “%(name)s” is revoked: programs that use it can no longer reach the desk.", name=name),
              "success")
    else:  # sent twice, or revoked meanwhile by its owner or the secretariat
        flash(_("The token “%(name)s” was already revoked.", name=name), "info")
    return redirect(_after_revoking(token), code=303)


# The secretariat's account pages ---------------------------------------------------------------

def _require_user_manager() -> None:
    require(permissions.can_manage_users(current_user))


def _organisations():
    return queries.organisations_by_name()


@bp.route("/users")
@login_required
def users():
    _require_user_manager()
    people = queries.people()
    invitations = queries.open_invitations()
    # Just deactivated: the page offers to undo it at the top.
    undo = find(User, request.args.get("deactivated", type=int))
    return render_template("accounts/users.html", users=people, invitations=invitations, now=now(),
                           undo=undo if undo is not None and not undo.active else None, button=EmptyForm())


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def new_user():
    _require_user_manager()
    form = NewUserForm(organisations=_organisations())
    if form.validate_on_submit():
        organisation = find(Organisation, form.organisation_id.data)
        user = operations.create_user(
            email=form.email.data, name=form.name.data, organisation=organisation, role=form.role.data,
            password=form.password.data, locale=form.locale.data,
        )
        flash(_("Account created for %(name)s.", name=user.name), "success")
        return redirect(url_for("accounts.users"))
    return render_template("accounts/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int):
    _require_user_manager()  # before the lookup: an existing and a missing id answer alike
    user = get_or_404(User, user_id)
    form = UserForm(obj=user, editing=user, organisations=_organisations())
    return edit_page(user, form, "accounts/user_form.html", save=operations.save_user, submitted_by="submit",
                     name_field="email", clash_message=_("An account with this email already exists."),
                     saved_message=lambda: _("Account saved."), done_url=lambda: url_for("accounts.users"),
                     user=user, reset_form=ResetPasswordForm(prefix="reset"), button=EmptyForm(),
                     **_token_context(user))




@bp.route("/users/<int:user_id>/password", methods=["POST"])
@login_required
def reset_password(user_id: int):
    _require_user_manager()  # before the lookup: an existing and a missing id answer alike
    user = get_or_404(User, user_id)
    reset_form = ResetPasswordForm(prefix="reset")
    if reset_form.validate_on_submit():
        operations.change_password(user, reset_form.new_password.data)
        flash(_("New password set for %(name)s. Their other sessions are ended.", name=user.name), "success")
        return redirect(url_for("accounts.edit_user", user_id=user.id))
    # The account form beside it shows the saved values (this request carried only the reset form).
    form = UserForm(formdata=None, obj=user, editing=user, organisations=_organisations())
    form.remember(user)
    return render_template("accounts/user_form.html", form=form, user=user, reset_form=reset_form,
                           button=EmptyForm(), **_token_context(user)), 400


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@login_required
def set_active(user_id: int):
    _require_user_manager()  # before the lookup: an existing and a missing id answer alike
    user = get_or_404(User, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    activate = request.form.get("active") == "1"
    if user.id == current_user.id and not activate:
        flash(_("You cannot deactivate your own account."), "error")
        return redirect(url_for("accounts.users"))
    try:
        operations.set_active(user, activate)
    except operations.AccountError as refusal:
        flash(str(refusal), "error")
    else:
        if activate:
            flash(_("%(name)s can log in again.", name=user.name), "success")
        else:
            return redirect(url_for("accounts.users", deactivated=user.id))
    return redirect(url_for("accounts.users"))


@bp.route("/users/<int:user_id>/deactivate")
@login_required
def confirm_deactivate(user_id: int):
    """The question before deactivating: a page of its own, so it works without JavaScript."""
    _require_user_manager()  # before the lookup: an existing and a missing id answer alike
    user = db.get_or_404(User, user_id)
    refusal = None
    if user.id == current_user.id:
        refusal = _("You cannot deactivate your own account.")
    elif operations.is_last_active_secretariat(user):
        refusal = str(operations.LAST_SECRETARIAT)
    return render_template("accounts/deactivate.html", user=user, refusal=refusal)


# Invitations -------------------------------------------------------------------------------------

@bp.route("/users/invite", methods=["GET", "POST"])
@login_required
def invite():
    _require_user_manager()
    form = InviteForm(organisations=_organisations())
    if form.validate_on_submit():
        organisation = find(Organisation, form.organisation_id.data)
        try:
            invitation = links.invite(name=form.name.data, email=form.email.data, organisation=organisation,
                                      role=form.role.data, locale=form.locale.data,
                                      invited_by=current_user._get_current_object())
        except operations.AccountError as refusal:
            form.email.errors.append(str(refusal))
        else:
            flash(_("Invitation sent to %(email)s. The link works once, for 7 days.", email=invitation.email),
                  "success")
            return redirect(url_for("accounts.users"), code=303)
    return render_template("accounts/invite.html", form=form), 400 if form.errors else 200


def _invitation_action(invitation_id: int) -> Invitation:
    _require_user_manager()  # before the lookup: an existing and a missing id answer alike
    invitation = db.get_or_404(Invitation, invitation_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    return invitation


@bp.route("/invitations/<int:invitation_id>/resend", methods=["POST"])
@login_required
def resend_invitation(invitation_id: int):
    invitation = _invitation_action(invitation_id)
    try:
        links.resend(invitation)
    except operations.AccountError as refusal:
        flash(str(refusal), "error")
    else:
        flash(_("A new invitation is on its way to %(email)s; the link of the earlier one no longer works.",
                email=invitation.email), "success")
    return redirect(url_for("accounts.users"), code=303)


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@login_required
def revoke_invitation(invitation_id: int):
    invitation = _invitation_action(invitation_id)
    links.revoke(invitation)
    flash(_("The invitation to %(email)s is revoked: its link no longer works.", email=invitation.email), "success")
    return redirect(url_for("accounts.users"), code=303)


# The links in the e-mails ------------------------------------------------------------------------

REFUSED_LINKS = {
    ("invitation", "invalid"): _l("This invitation link is not valid. Copy the whole link from the e-mail; if "
                                  "you received a newer invitation, use the link in that one."),
    ("invitation", "used"): _l("This invitation has already been used: your account exists. Log in with your "
                               "e-mail address and the password you chose."),
    ("invitation", "expired"): _l("This invitation has expired: invitations last 7 days. Ask the UCLG World "
                                  "Secretariat to send it again."),
    ("invitation", "revoked"): _l("This invitation was withdrawn by the UCLG World Secretariat. Ask them if you "
                                  "think this is a mistake."),
    ("reset", "invalid"): _l("This link is not valid. Copy the whole link from the e-mail, or ask for a new one."),
    ("reset", "used"): _l("This link has already been used. Ask for a new one if you need to choose your "
                          "password again."),
    ("reset", "expired"): _l("This link has expired: links to choose a new password last 1 hour. Ask for a new "
                             "one."),
}


def _refused(kind: str, refusal: links.LinkRefused):
    code = 404 if refusal.reason == "invalid" else 410
    return render_template("accounts/link_refused.html", kind=kind, reason=refusal.reason,
                           message=REFUSED_LINKS[(kind, refusal.reason)]), code


def _start_session(user: User) -> None:
    """The person proved they read the e-mail and chose the password: they are logged in, here only."""
    logout_user()
    login_user(user)
    operations.record_login(user)


def _choose_password(kind: str, token: str, open_link, use_link, welcome, page_of):
    """The page of a link sent by e-mail (`kind`: "invitation" or "reset"): refused if the link is not
    usable; else the person chooses a password, the link is used (`use_link(token, password)` -> the
    user) and they are logged in, here only, and welcomed (`welcome(user)`). `page_of(link)`: what the
    page shows of the opened link."""
    try:
        link = open_link(token)
    except links.LinkRefused as refusal:
        return _refused(kind, refusal)
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            user = use_link(token, form.new_password.data)
        except links.LinkRefused as refusal:
            return _refused(kind, refusal)
        except operations.AccountError as refusal:
            form.new_password.errors.append(str(refusal))
        else:
            _start_session(user)
            flash(welcome(user), "success")
            return redirect(url_for("home.index"), code=303)
    return render_template("accounts/choose_password.html", form=form, **page_of(link)), 400 if form.errors else 200


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return _choose_password(
        "invitation", token, links.open_invitation, links.accept,
        welcome=lambda user: _("Welcome, %(name)s. Your account is ready.", name=user.name),
        page_of=lambda invitation: {"invitation": invitation, "role_name": operations.role_label(invitation.role),
                                    "email": invitation.email})


def _reset_address() -> str:
    """The per-address key of the "Forgot password?" limit: the address as the accounts keep it."""
    return "reset:" + User.normalise_email(request.form.get("email", ""))[:254]


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"], key_func=_reset_address,
               error_message=lambda: _("Too many requests for this address. Use the link already sent, or try "
                                       "again in an hour."))
@limiter.limit("20 per hour", methods=["POST"],
               error_message=lambda: _("Too many requests from your address. Try again in an hour."))
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        # The same work whatever the address: queue the job; the worker finds the account, or not.
        tasks.request_password_reset(User.normalise_email(form.email.data))
        return render_template("accounts/forgot_password.html", form=None, email=User.normalise_email(
            form.email.data))
    return render_template("accounts/forgot_password.html", form=form), 400 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_with_link(token: str):
    return _choose_password(
        "reset", token, links.open_reset, links.reset_password,
        welcome=lambda user: _("Your new password is saved. You were logged out everywhere else."),
        page_of=lambda reset: {"invitation": None, "email": reset.user.email})
