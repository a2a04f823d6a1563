"""Sign up, log in, log out, change and reset passwords."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as browser_session
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session

from mentormatch import phones
from mentormatch.auth.access import current_account
from mentormatch.auth.confirmation import (
    LinkState,
    make_confirmation_token,
    user_for_confirmation_token,
)
from mentormatch.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    SignupForm,
)
from mentormatch.auth.passwords import verify_password
from mentormatch.auth.reset import make_reset_token, reset_recipient, user_for_reset_token
from mentormatch.auth.service import (
    authenticate,
    canonical_login,
    confirm_email,
    email_confirmed,
    end_sessions,
    register_account,
    set_password,
)
from mentormatch.db import get_session
from mentormatch.extensions import limiter
from mentormatch.i18n import chosen_language, current_language, in_language_of
from mentormatch.main.errors import render_error
from mentormatch.models import Role, User, normalize_email
from mentormatch.notifications import display_name, public_link, queue_email

bp = Blueprint("auth", __name__)

WRONG_CREDENTIALS = _l("That email or phone number and password do not match an active account.")
CONFIRM_FIRST = _l(
    "Confirm your email address first: follow the link we sent you when you signed up. "
    "No email? Sign up again with the same address and we will send a new link."
)
NEXT_STEP = {
    Role.ENTREPRENEUR: _l(
        "Your account is ready. Next, describe your farm or business and what "
        "you need, so we can suggest mentors and investors."
    ),
    Role.DIASPORA: _l(
        "Your account is ready. Next, say what you offer as a mentor or investor, "
        "so we can suggest entrepreneurs."
    ),
}


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _login_account_limit() -> str:
    return str(current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"])


def _reset_account_limit() -> str:
    return str(current_app.config["RESET_ACCOUNT_RATE_LIMIT"])


def _signup_limit() -> str:
    return str(current_app.config["SIGNUP_RATE_LIMIT"])


def _account_key() -> str:
    """The account a log-in or reset names, as typed, whether or not it exists (so the
    limit behaves the same for both and tells nothing)."""
    return "account:" + canonical_login(request.form.get("login") or "")


def _failed_login(response: Response) -> bool:
    return response.status_code == 401


def _form_status(form: FlaskForm) -> int:
    """400 when a submitted form was refused, 200 when the page is shown first."""
    return 400 if form.errors else 200


def _safe_next(target: str | None) -> str:
    """Only follow a path on this site after log-in, never another site.

    Browsers drop tabs and line breaks from URLs and read a backslash as a slash, so
    "/<tab>/evil.example" would become "//evil.example": such characters are refused outright.
    """
    if (
        target
        and target.isprintable()
        and not any(ch.isspace() or ch == "\\" for ch in target)
        and target.startswith("/")
        and not target.startswith("//")
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(
    _login_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed_login
)
def login() -> ResponseReturnValue:
    """Log in by email or phone; the same message for a wrong login and a wrong password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        user = authenticate(session, form.login.data or "", form.password.data or "")
        if user is None:
            form.password.errors.append(str(WRONG_CREDENTIALS))
            return render_template("auth/login.html", form=form), 401
        if not email_confirmed(user):
            session.rollback()
            form.login.errors.append(str(CONFIRM_FIRST))
            return render_template("auth/login.html", form=form), 403
        session.commit()
        _start_session(user)
        flash(_("Welcome back, %(name)s.", name=user.full_name), "success")
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), _form_status(form)


def _start_session(user: User) -> None:
    """Log in with a fresh session: nothing set before (by anyone) survives, and the CSRF
    token is new."""
    browser_session.clear()
    login_user(user)


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """Log out everywhere: every copy of this account's session cookie stops working."""
    end_sessions(current_account())
    get_session().commit()
    logout_user()
    browser_session.clear()
    flash(_("You are logged out on every device."), "info")
    return redirect(url_for("main.index"))


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"])
def signup() -> ResponseReturnValue:
    """Create an account as an entrepreneur or a diaspora member; a link by email confirms
    the address and logs in. The page answers the same whether or not the address is
    already registered: its owner is told by email instead."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = SignupForm()
    if form.validate_on_submit():
        session = get_session()
        registration = register_account(
            session,
            full_name=form.full_name.data or "",
            role=Role(form.role.data),
            email=form.email.data or "",
            phone=phones.parse_phone(form.phone.data, None) if form.phone.data else None,
            password=form.password.data or "",
            # The language the page was read in: the new account's emails come in it.
            language=current_language().code,
        )
        if registration.user is not None:
            _queue_confirmation(session, registration.user, registration.phone_left_out)
        elif registration.existing is not None:
            _queue_account_exists(session, registration.existing)
        session.commit()
        return render_template(
            "auth/check_email.html", email=normalize_email(form.email.data), days=_confirm_days()
        )
    return render_template("auth/signup.html", form=form), _form_status(form)


@bp.get("/signup/confirm/<token>")
def confirm(token: str) -> ResponseReturnValue:
    """Follow the sign-up link: the address is confirmed and the person logged in, once."""
    session = get_session()
    user, state = user_for_confirmation_token(
        session,
        token,
        current_app.config["SECRET_KEY"],
        current_app.config["EMAIL_CONFIRM_MAX_AGE"],
    )
    if state is LinkState.INVALID or user is None:
        return render_error(
            400,
            _(
                "This link is not valid or has expired. Sign up again with the same address "
                "and we will send you a new one."
            ),
        )
    if state is LinkState.ALREADY_USED:
        flash(_("Your email address is already confirmed. Log in to continue."), "info")
        return redirect(url_for("auth.login"))
    confirm_email(user)
    session.commit()
    _start_session(user)
    flash(str(NEXT_STEP[user.role]), "success")
    return redirect(url_for("profiles.mine"))


def _confirm_days() -> int:
    return int(current_app.config["EMAIL_CONFIRM_MAX_AGE"]) // 86400


def _queue_confirmation(session: Session, user: User, phone_left_out: bool) -> None:
    token = make_confirmation_token(user, current_app.config["SECRET_KEY"])
    with in_language_of(user):
        body = render_template(
            "auth/confirm_email.txt",
            name=display_name(user.full_name),
            link=_link("auth.confirm", token=token),
            days=_confirm_days(),
            phone_left_out=phone_left_out,
        )
        subject = _("Confirm your MentorMatch email address")
    queue_email(session, user.email or "", subject, body)


def _owners_language(user: User) -> AbstractContextManager[None]:
    """Write an email about an account to its owner: in the language they chose, else in
    the language of the page it was asked from, which the owner most likely just read
    (docs/decisions/019-emails-about-an-account.md); the page beats a guess from the
    owner's country (decision 026)."""
    return in_language_of(user) if chosen_language(user) else nullcontext()


def _queue_account_exists(session: Session, user: User) -> None:
    token = make_reset_token(user, current_app.config["SECRET_KEY"])
    with _owners_language(user):
        body = render_template(
            "auth/account_exists_email.txt",
            login_link=_link("auth.login"),
            reset_link=_link("auth.reset_password", token=token),
            minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
        )
        subject = _("You already have a MentorMatch account")
    queue_email(session, user.email or "", subject, body)


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@login_required
def change_password() -> ResponseReturnValue:
    """Change the password; every other session of the account ends."""
    user = current_account()
    form = ChangePasswordForm()
    form.password_email = user.email
    form.password_name = user.full_name
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current_password.data or ""):
            form.current_password.errors.append(
                _(
                    "That is not your current password. Type it again, or log out and use "
                    "“Forgot your password?”."
                )
            )
        else:
            set_password(user, form.password.data or "")
            get_session().commit()
            # The session id carries the new session_version: this browser stays logged in,
            # every other session of this account ends.
            _start_session(user)
            flash(
                _(
                    "Your password is changed. Other devices where you were logged in are now "
                    "logged out."
                ),
                "success",
            )
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form), _form_status(form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_reset_account_limit, key_func=_account_key, methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    """Email a reset link; the page never says whether the account exists."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        session = get_session()
        login = form.login.data or ""
        user = reset_recipient(session, login)
        if user is not None and user.email:
            _queue_reset_link(session, user)
        elif "@" in login:
            # An email either way, so both cases write the same and take the same time.
            _queue_no_account(session, canonical_login(login))
        session.commit()
        # The same page whether or not the account exists, so it cannot be used to find accounts.
        return render_template("auth/forgot.html", form=None, sent=True)
    return render_template("auth/forgot.html", form=form, sent=False), _form_status(form)


def _link(endpoint: str, **values: Any) -> str:
    """An absolute link for an email, from PUBLIC_URL (never from the request's Host)."""
    return public_link(current_app.config["PUBLIC_URL"], url_for(endpoint, **values))


def _queue_no_account(session: Session, email: str) -> None:
    # No account, so no setting to follow: the language of the page the person asked from.
    body = render_template("auth/no_account_email.txt", signup_link=_link("auth.signup"))
    queue_email(session, email, _("About your MentorMatch password"), body)


def _queue_reset_link(session: Session, user: User) -> None:
    token = make_reset_token(user, current_app.config["SECRET_KEY"])
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with _owners_language(user):
        body = render_template(
            "auth/reset_email.txt", link=_link("auth.reset_password", token=token), minutes=minutes
        )
        subject = _("Set your MentorMatch password")
    queue_email(session, user.email or "", subject, body)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def reset_password(token: str) -> ResponseReturnValue:
    """Set a new password from an emailed, expiring, single-use link."""
    session = get_session()
    user = user_for_reset_token(
        session,
        token,
        current_app.config["SECRET_KEY"],
        current_app.config["PASSWORD_RESET_MAX_AGE"],
    )
    if user is None:
        return render_template("auth/reset_invalid.html"), 400
    form = ResetPasswordForm()
    form.password_email = user.email
    form.password_name = user.full_name
    if form.validate_on_submit():
        set_password(user, form.password.data or "")
        confirm_email(user)  # the link reached them: the address is theirs
        session.commit()
        _start_session(user)
        flash(_("Your new password is set and you are logged in."), "success")
        return redirect(url_for("main.index"))
    return render_template("auth/reset.html", form=form), _form_status(form)
