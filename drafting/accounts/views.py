"""Logging in and out, one's own account, and the secretariat's pages for accounts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from drafting import permissions
from drafting.accounts import operations
from drafting.accounts.forms import (
    ChangePasswordForm,
    LanguageForm,
    LoginForm,
    NewUserForm,
    ResetPasswordForm,
    UserForm,
)
from drafting.extensions import db, limiter
from drafting.forms import EmptyForm
from drafting.models import Organisation, User
from drafting.security import is_safe_next
from drafting.web.editing import edit_page
from drafting.web.loading import get_or_404, require

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
    return render_template("accounts/account.html", password_form=password_form, language_form=language_form)


# The secretariat's account pages ---------------------------------------------------------------

def _require_user_manager() -> None:
    require(permissions.can_manage_users(current_user))


def _organisations():
    return db.session.scalars(select(Organisation).order_by(Organisation.short_name)).all()


@bp.route("/users")
@login_required
def users():
    _require_user_manager()
    people = db.session.scalars(select(User).order_by(User.active.desc(), User.name)).all()
    return render_template("accounts/users.html", users=people, button=EmptyForm())


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def new_user():
    _require_user_manager()
    form = NewUserForm(organisations=_organisations())
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, form.organisation_id.data)
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
    return edit_page(user, form, "accounts/user_form.html", save=operations.save_user,
                     saved_message=lambda: _("Account saved."), done_url=lambda: url_for("accounts.users"),
                     user=user, reset_form=ResetPasswordForm(prefix="reset"), button=EmptyForm())


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
                           button=EmptyForm()), 400


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
            flash(_("%(name)s is deactivated and logged out.", name=user.name), "success")
    return redirect(url_for("accounts.users"))
