from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from drafting.accounts.links import pending_invitation
from drafting.accounts.operations import (
    LAST_SECRETARIAT,
    PASSWORD_MIN_LENGTH,
    ROLE_LABELS,
    email_taken,
    is_last_active_secretariat,
    organisation_problem,
)
from drafting.accounts.personal_tokens import LIFETIME_CHOICES, NAME_MAX, SCOPE_LABELS, date_problem
from drafting.forms import BoundedDateField, CleanStringField, Form, StaleEditGuard
from drafting.i18n import LOCALE_NAMES

ROLE_CHOICES = list(ROLE_LABELS.items())
LOCALE_CHOICES = list(LOCALE_NAMES.items())


def _new_password_field(label):
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(min=PASSWORD_MIN_LENGTH, max=200,
                   message=_l("The password must have at least %(min)d characters.")),
        ],
    )


class LoginForm(Form):
    email = CleanStringField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me logged in"))
    submit = SubmitField(_l("Log in"))


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = _new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class LanguageForm(Form):
    locale = SelectField(_l("Interface language"), choices=LOCALE_CHOICES)
    submit_language = SubmitField(_l("Save language"))


class AccountForm(Form):
    """Who a person is on the desk: for an account, or an invitation to have one."""

    name = CleanStringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = CleanStringField(
        _l("Email"),
        validators=[DataRequired(), Length(max=254), Email(check_deliverability=False,
                                                            message=_l("Enter a valid email address."))],
    )
    organisation_id = SelectField(_l("Organisation"), coerce=int)
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    locale = SelectField(_l("Interface language"), choices=LOCALE_CHOICES)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, editing=None, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.organisations = {o.id: o for o in organisations}
        self.organisation_id.choices = [(o.id, f"{o.short_name} ({o.display_full_name})") for o in organisations]

    def validate_email(self, field):
        if email_taken(field.data, except_user=self.editing):
            raise ValidationError(_l("An account with this email already exists."))

    def validate_organisation_id(self, field):
        problem = organisation_problem(self.organisations.get(field.data), self.role.data)
        if problem:
            raise ValidationError(problem)


class UserForm(StaleEditGuard, AccountForm):
    def validate_role(self, field):
        if self.editing is not None and field.data != "secretariat" and is_last_active_secretariat(self.editing):
            raise ValidationError(LAST_SECRETARIAT)


class InviteForm(AccountForm):
    submit = SubmitField(_l("Send the invitation"))

    def validate_email(self, field):
        super().validate_email(field)
        if pending_invitation(field.data):
            raise ValidationError(_l("An invitation to this address is waiting for an answer: resend it from the "
                                     "Users page."))


class NewUserForm(UserForm):
    password = _new_password_field(_l("Initial password"))


class ResetPasswordForm(Form):
    new_password = _new_password_field(_l("New password"))
    submit = SubmitField(_l("Set password"))


class ChoosePasswordForm(Form):
    """The page of an invitation or reset link: the person chooses their own password."""

    new_password = _new_password_field(_l("Choose a password"))
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Save the password"))


class ForgotPasswordForm(Form):
    email = CleanStringField(
        _l("Email"),
        validators=[DataRequired(), Length(max=254), Email(check_deliverability=False,
                                                            message=_l("Enter a valid email address."))],
    )
    submit = SubmitField(_l("Send me a link"))


class TokenForm(Form):
    """A new personal access token. The current password is asked again (docs/security.md says why)."""

    name = CleanStringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX)],
                            description=_l("What the token is for, so that you recognise it later: "
                                           "“Website sync”, “Monthly report”."))
    scope = SelectField(_l("Scope"), choices=list(SCOPE_LABELS.items()), default="read")
    lifetime = SelectField(_l("Expires after"), choices=list(LIFETIME_CHOICES), default="30")
    expires_on = BoundedDateField(_l("Last day of use (if you choose a date)"), validators=[Optional()],
                                  description=_l("At most a year from today. The token stops at the end of "
                                                 "that day (UTC)."))
    current_password = PasswordField(_l("Your current password"), validators=[DataRequired()])
    submit = SubmitField(_l("Create the token"))

    def __init__(self, *args, write_allowed: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not write_allowed:
            self.scope.choices = [("read", SCOPE_LABELS["read"])]

    def validate_expires_on(self, field):
        if self.lifetime.data == "date":
            problem = date_problem(field.data) if not field.errors else None
            if problem:
                raise ValidationError(problem)
