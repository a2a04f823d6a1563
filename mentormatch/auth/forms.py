"""Forms for accounts (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    login = StringField(
        "Email or phone number",
        validators=[DataRequired("Enter the email address or phone number you signed up with."),
                    Length(max=254, message="That is too long for an email or phone number.")],
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password."), Length(max=200)],
    )
    submit = SubmitField("Log in")
