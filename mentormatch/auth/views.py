"""Sign up, log in, log out, change and reset passwords."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from mentormatch.auth.forms import LoginForm
from mentormatch.auth.service import authenticate
from mentormatch.db import get_session
from mentormatch.extensions import limiter

bp = Blueprint("auth", __name__)

WRONG_CREDENTIALS = "That email or phone number and password do not match an active account."


def _login_limit() -> str:
    from flask import current_app

    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _safe_next(target: str | None) -> str:
    """Only follow local paths after log-in, never another site."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        user = authenticate(session, form.login.data or "", form.password.data or "")
        if user is None:
            form.password.errors.append(WRONG_CREDENTIALS)
            return render_template("auth/login.html", form=form), 401
        session.commit()
        login_user(user)
        flash(f"Welcome back, {user.full_name}.", "success")
        return redirect(_safe_next(request.args.get("next")))
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("main.index"))


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> ResponseReturnValue:
    abort(501)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    abort(501)
