"""Forms for accounts (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from mentormatch import phones
from mentormatch.auth.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, password_problem
from mentormatch.auth.service import SELF_SERVICE_ROLES, full_name_problem
from mentormatch.forms import choices
from mentormatch.models import Role

# Beyond this a rejected value is not sent back into the page (a 1 MB name stays on the server).
_ECHO_LIMIT = 1000

SIGNUP_ROLE_LABELS = {
    Role.ENTREPRENEUR: _l("An entrepreneur: I run, or am starting, a farm or agro-business"),
    Role.DIASPORA: _l("A member of the diaspora: I want to mentor, to invest, or both"),
}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _login_field() -> StringField:
    return StringField(
        _l("Email or phone number"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the email address or phone number you signed up with.")),
            Length(max=254, message=_l("That is too long for an email or phone number.")),
        ],
    )


def _existing_password_field(label: LazyString, missing: LazyString) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(missing),
            Length(max=MAX_PASSWORD_LENGTH, message=_l("That is longer than any password here.")),
        ],
    )


def _new_password_field(label: LazyString) -> PasswordField:
    return PasswordField(
        label,
        description=_l(
            "At least %(num)d characters. A few words you will remember work well.",
            num=MIN_PASSWORD_LENGTH,
        ),
        validators=[DataRequired(_l("Choose a password."))],
    )


def _confirm_field(label: LazyString) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(
                _l("Type the password a second time, to be sure it has no typing mistake.")
            ),
            EqualTo("password", message=_l("The two passwords are not the same. Type them again.")),
        ],
    )


class AccountForm(FlaskForm):
    """A form that never echoes an oversized value back into the page."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and len(field.data) > _ECHO_LIMIT:
                field.data, field.raw_data = "", []
        return valid


class NewPasswordForm(AccountForm):
    """Shared rule for forms that set a password: it must not be built from the person's
    `password_email` or `password_name`."""

    password_email: str | None = None
    password_name: str | None = None

    def validate_password(self, field: Field) -> None:
        problem = password_problem(field.data or "", self.password_email, self.password_name)
        if problem:
            raise ValidationError(problem)


class LoginForm(AccountForm):
    login = _login_field()
    password = _existing_password_field(_l("Password"), _l("Enter your password."))
    submit = SubmitField(_l("Log in"))


class SignupForm(NewPasswordForm):
    role = RadioField(
        _l("I am"),
        choices=choices((role.value, SIGNUP_ROLE_LABELS[role]) for role in SELF_SERVICE_ROLES),
        validate_choice=False,
        validators=[
            InputRequired(
                _l("Choose whether you are an entrepreneur or a member of the diaspora.")
            ),
            AnyOf(
                [role.value for role in SELF_SERVICE_ROLES],
                message=_l("Choose one of the two: entrepreneur, or diaspora mentor or investor."),
            ),
        ],
    )
    full_name = StringField(
        _l("Full name"),
        description=_l("As people who meet you will know you. Any alphabet is fine."),
        filters=[_strip],
        validators=[DataRequired(_l("Enter your full name."))],
    )
    email = StringField(
        _l("Email address"),
        description=_l("You log in with it; we send a link here if you forget your password."),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
            Email(_l("Enter an email address like name@example.org.")),
        ],
    )
    phone = StringField(
        _l("Phone number (optional)"),
        description=_l(
            "With the country code, e.g. +234 803 123 4567. You can log in with it too."
        ),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=30, message=_l("A phone number has at most 15 digits.")),
        ],
    )
    password = _new_password_field(_l("Password"))
    confirm = _confirm_field(_l("Type the password again"))
    submit = SubmitField(_l("Create my account"))

    def validate_full_name(self, field: Field) -> None:
        problem = full_name_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_phone(self, field: Field) -> None:
        # No profile yet, so no country to read a national number in: the country code.
        problem = phones.phone_problem(field.data or "", None)
        if problem:
            raise ValidationError(problem)

    def validate_password(self, field: Field) -> None:
        self.password_email = self.email.data
        self.password_name = self.full_name.data
        super().validate_password(field)


class ChangePasswordForm(NewPasswordForm):
    current_password = _existing_password_field(
        _l("Current password"), _l("Enter the password you use now.")
    )
    password = _new_password_field(_l("New password"))
    confirm = _confirm_field(_l("Type the new password again"))
    submit = SubmitField(_l("Change password"))


class ForgotPasswordForm(AccountForm):
    login = _login_field()
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(NewPasswordForm):
    password = _new_password_field(_l("New password"))
    confirm = _confirm_field(_l("Type the new password again"))
    submit = SubmitField(_l("Set my password"))
