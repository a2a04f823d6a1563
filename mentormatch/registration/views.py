"""Assisted registration (coordinators and field officers), field officers' accounts, and
claiming an account with a one-time code."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as browser_session
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user

from mentormatch.auth.access import current_account, role_required, staff_required
from mentormatch.db import get_session
from mentormatch.extensions import limiter
from mentormatch.models import ConsentMethod, ReviewStatus, Role, User
from mentormatch.pagination import page_number, paginate_query
from mentormatch.profiles.rules import ProfileInputError
from mentormatch.registration import claims, service
from mentormatch.registration.forms import (
    ClaimForm,
    ClaimRequestForm,
    FieldOfficerForm,
    NewRegistrationForm,
    RegistrationForm,
)

bp = Blueprint("registration", __name__, url_prefix="/coordinator")
claims_bp = Blueprint("claims", __name__)

registrar_required = role_required(*service.REGISTRARS)


@bp.route("/register", methods=["GET", "POST"])
@registrar_required
def register() -> ResponseReturnValue:
    """Register an entrepreneur met in the field, with their consent."""
    me = current_account()
    session = get_session()
    # The person reads the officer's language unless the officer says otherwise.
    form = NewRegistrationForm(data={"language": str(get_locale() or "en")})
    form.prepare(session)
    if form.validate_on_submit():
        chosen = ReviewStatus(form.review_status.data) if me.is_staff else None
        methods = {m.value: m for m in ConsentMethod}
        method = methods.get(form.consent_method.data or "")
        try:
            person = service.register_entrepreneur(
                session,
                me,
                form.answers(),
                service.Consent(form.agreed(), method),
                chosen,
            )
        except ProfileInputError as exc:
            session.rollback()
            form.add_errors(exc.errors)
        else:
            invited = form.send_invitation.data and "sms" in form.agreed()
            if invited:
                service.invite_by_sms(session, person, me, current_app.config["PUBLIC_URL"])
            session.commit()
            if invited:
                message = _(
                    "%(name)s is registered, and a text message tells them how to claim the "
                    "account. They claim it on the “Claim your account” page with their phone "
                    "number.",
                    name=person.full_name,
                )
            else:
                message = _(
                    "%(name)s is registered. They claim the account on the “Claim your account” "
                    "page with their phone number.",
                    name=person.full_name,
                )
            flash(message, "success")
            return redirect(url_for("registration.registrations"))
    return render_template(
        "registration/register.html", form=form, staff=me.is_staff
    ), 400 if form.errors else 200


@bp.get("/registrations")
@registrar_required
def registrations() -> ResponseReturnValue:
    """The people registered on someone's behalf: a field officer sees their own."""
    me = current_account()
    page = paginate_query(
        get_session(),
        service.registered_by(None if me.is_staff else me),
        page_number(request.args.get("page")),
        int(current_app.config["PER_PAGE"]),
    )
    return render_template("registration/list.html", page=page, staff=me.is_staff)


@bp.route("/registrations/<int:user_id>/edit", methods=["GET", "POST"])
@registrar_required
def edit(user_id: int) -> ResponseReturnValue:
    """Change what was registered about a person (a field officer: only their own)."""
    me = current_account()
    session = get_session()
    person = session.get(User, user_id)
    if person is None or person.entrepreneur_profile is None:
        abort(404, _("This person does not exist."))
    if not service.may_edit(me, person):
        abort(
            403,
            _("Only coordinators and the field officer who registered this person can edit them."),
        )
    form = RegistrationForm(
        data=None if request.method == "POST" else service.registration_answers(person)
    )
    form.prepare(session)
    if form.validate_on_submit():
        try:
            service.update_registration(session, me, person, form.answers())
        except ProfileInputError as exc:
            session.rollback()
            form.add_errors(exc.errors)
        else:
            session.commit()
            flash(_("The details of %(name)s are saved.", name=person.full_name), "success")
            return redirect(url_for("registration.registrations"))
    return render_template(
        "registration/edit.html", form=form, person=person
    ), 400 if form.errors else 200


@bp.route("/field-officers", methods=["GET", "POST"])
@staff_required
def field_officers() -> ResponseReturnValue:
    """The field officers, and a form to add one (they claim their account with a code)."""
    session = get_session()
    form = FieldOfficerForm()
    if form.validate_on_submit():
        try:
            officer = service.create_field_officer(
                session,
                current_account(),
                form.full_name.data or "",
                form.email.data or None,
                form.phone.data or None,
            )
        except ProfileInputError as exc:
            session.rollback()
            for name, message in exc.errors.items():
                if name in form._fields:
                    form[name].errors = [*form[name].errors, message]
        else:
            session.commit()
            flash(
                _(
                    "%(name)s is a field officer. They set their password on the “Claim your "
                    "account” page (%(page)s) with %(login)s.",
                    name=officer.full_name,
                    page=url_for("claims.request_code"),
                    login=officer.email or officer.phone,
                ),
                "success",
            )
            return redirect(url_for("registration.field_officers"))
    return render_template(
        "registration/field_officers.html",
        form=form,
        officers=service.field_officers(session),
    ), 400 if form.errors else 200


# --- claiming an account ------------------------------------------------------------------


def _claim_limit() -> str:
    return str(current_app.config["CLAIM_RATE_LIMIT"])


@claims_bp.route("/claim", methods=["GET", "POST"])
@limiter.limit(_claim_limit, methods=["POST"])
def request_code() -> ResponseReturnValue:
    """Ask for a code by SMS or email; the answer is the same whether or not the phone or
    email belongs to an account waiting to be claimed."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = ClaimRequestForm()
    if form.validate_on_submit():
        session = get_session()
        login = (form.login.data or "").strip()
        claims.request_code(session, login, claims.ClaimPolicy.from_config(current_app.config))
        session.commit()
        code_form = ClaimForm(formdata=None, data={"login": login})
        return render_template(
            "registration/claim_code.html", form=code_form, login=login, sent=True
        )
    return render_template("registration/claim.html", form=form), 400 if form.errors else 200


@claims_bp.route("/claim/code", methods=["GET", "POST"])
@limiter.limit(_claim_limit, methods=["POST"])
def enter_code() -> ResponseReturnValue:
    """Type the code and choose a password: the account is yours, and you are logged in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = ClaimForm()
    status = 200
    if form.validate_on_submit():
        session = get_session()
        try:
            user = claims.claim_account(
                session,
                form.login.data or "",
                form.code.data or "",
                form.password.data or "",
                claims.ClaimPolicy.from_config(current_app.config),
            )
        except claims.ClaimRefused as exc:
            session.commit()  # the wrong try counts
            form.code.errors = [*form.code.errors, str(exc)]
            status = 400
        else:
            session.commit()
            browser_session.clear()
            login_user(user)
            flash(_("Your account is yours now: you are logged in."), "success")
            if user.role in (Role.ENTREPRENEUR, Role.DIASPORA):
                return redirect(url_for("profiles.mine"))
            return redirect(url_for("main.index"))
    elif form.errors:
        status = 400
    return render_template(
        "registration/claim_code.html", form=form, login=form.login.data, sent=False
    ), status
