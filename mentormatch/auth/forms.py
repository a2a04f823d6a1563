"""Forms for accounts (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

from typing import Any

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
    Role.ENTREPRENEUR: "An entrepreneur: I run, or am starting, a farm or agro-business",
    Role.DIASPORA: "A member of the diaspora: I want to mentor, to invest, or both",
}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _login_field() -> StringField:
    return StringField(
        "Email or phone number",
        filters=[_strip],
        validators=[
            DataRequired("Enter the email address or phone number you signed up with."),
            Length(max=254, message="That is too long for an email or phone number."),
        ],
    )


def _existing_password_field(label: str, missing: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(missing),
            Length(max=MAX_PASSWORD_LENGTH, message="That is longer than any password here."),
        ],
    )


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        description=f"At least {MIN_PASSWORD_LENGTH} characters. A few words you will remember "
        "work well.",
        validators=[DataRequired("Choose a password.")],
    )


def _confirm_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired("Type the password a second time, to be sure it has no typing mistake."),
            EqualTo("password", message="The two passwords are not the same. Type them again."),
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
    password = _existing_password_field("Password", "Enter your password.")
    submit = SubmitField("Log in")


class SignupForm(NewPasswordForm):
    role = RadioField(
        "I am",
        choices=choices((role.value, SIGNUP_ROLE_LABELS[role]) for role in SELF_SERVICE_ROLES),
        validate_choice=False,
        validators=[
            InputRequired("Choose whether you are an entrepreneur or a member of the diaspora."),
            AnyOf(
                [role.value for role in SELF_SERVICE_ROLES],
                message="Choose one of the two: entrepreneur, or diaspora mentor or investor.",
            ),
        ],
    )
    full_name = StringField(
        "Full name",
        description="As people who meet you will know you. Any alphabet is fine.",
        filters=[_strip],
        validators=[DataRequired("Enter your full name.")],
    )
    email = StringField(
        "Email address",
        description="You log in with it; we send a link here if you forget your password.",
        filters=[_strip],
        validators=[
            DataRequired("Enter your email address."),
            Length(max=254, message="An email address has at most 254 characters."),
            Email("Enter an email address like name@example.org."),
        ],
    )
    phone = StringField(
        "Phone number (optional)",
        description="With the country code, e.g. +234 803 123 4567. You can log in with it too.",
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=30, message="A phone number has at most 15 digits."),
        ],
    )
    password = _new_password_field("Password")
    confirm = _confirm_field("Type the password again")
    submit = SubmitField("Create my account")

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
        "Current password", "Enter the password you use now."
    )
    password = _new_password_field("New password")
    confirm = _confirm_field("Type the new password again")
    submit = SubmitField("Change password")


class ForgotPasswordForm(AccountForm):
    login = _login_field()
    submit = SubmitField("Send me a link")


class ResetPasswordForm(NewPasswordForm):
    password = _new_password_field("New password")
    confirm = _confirm_field("Type the new password again")
    submit = SubmitField("Set my password")
