"""Entrepreneur and diaspora profiles: create and edit in steps, and the public view."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.exc import IntegrityError

from mentormatch import taxonomy, vocabulary
from mentormatch.auth.access import current_account, role_required
from mentormatch.db import get_session
from mentormatch.models import DiasporaProfile, EntrepreneurProfile, Role
from mentormatch.people import audit
from mentormatch.people.visibility import can_view
from mentormatch.profiles import service
from mentormatch.profiles.forms import step_form

bp = Blueprint("profiles", __name__)

HAS_PROFILE = (Role.ENTREPRENEUR, Role.DIASPORA)


@bp.app_context_processor
def _names() -> dict[str, Any]:
    """Readable names for the codes a profile stores (templates import macros with context)."""

    def language_names(codes: list[str]) -> list[str]:
        return [service.language_label(code) for code in codes]

    def instrument_names(codes: list[str]) -> str:
        return ", ".join(vocabulary.instrument_label(code) for code in codes)

    def stage_names(codes: list[str]) -> list[str]:
        return [vocabulary.stage_short_label(code) for code in codes]

    return {
        "language_names": language_names,
        "instrument_names": instrument_names,
        "stage_names": stage_names,
        "stage_label": vocabulary.stage_label,
    }


# Value chains and skills by their (English) label, named in the reader's language.
bp.add_app_template_filter(taxonomy.chain_short_name, "chain_short_name")
bp.add_app_template_filter(taxonomy.skill_name, "skill_name")


@bp.get("/profile")
@role_required(*HAS_PROFILE)
def mine() -> ResponseReturnValue:
    """The user's own profile with its private contact details, or the first step to create it."""
    user = current_account()
    profile = service.profile_of(user)
    steps = service.steps_for(user.role)
    if profile is None:
        return redirect(url_for("profiles.edit", step=steps[0].name))
    return render_template(
        "profiles/mine.html",
        profile=profile,
        steps=steps,
        missing=service.missing_steps(profile, user.role),
        decision=audit.last_message_to(get_session(), user),
    )


@bp.route("/profile/edit/<step>", methods=["GET", "POST"])
@role_required(*HAS_PROFILE)
def edit(step: str) -> ResponseReturnValue:
    """One step of the profile: a short form saved on its own."""
    user = current_account()
    session = get_session()
    steps = service.steps_for(user.role)
    current = service.step_named(user.role, step)
    if current is None:
        abort(404)
    profile = service.profile_of(user)
    if profile is None and step != steps[0].name:
        flash(_("Start your profile with this first step."), "info")
        return redirect(url_for("profiles.edit", step=steps[0].name))
    from_profile = request.args.get("from") == "profile"
    form = step_form(user.role, step, session, profile, user, first_visit=request.method == "GET")
    status = 200
    if request.method == "POST" and "show_regions" not in request.form:
        if form.validate():
            try:
                saved = service.save_step(session, user, step, form.to_data())
            except service.ProfileInputError as exc:
                session.rollback()
                form.add_errors(exc.errors)
            except IntegrityError:
                # Two taps on "Save" at once: the other request created the profile first.
                session.rollback()
                abort(409)
            else:
                session.commit()
                shown = request.form.get("checked_locality")
                if step == "where" and service.should_show_placement(saved, shown):
                    # The same step again, now saying where the town was placed.
                    again: dict[str, Any] = {"step": step}
                    if from_profile:
                        again["from"] = "profile"
                    return redirect(url_for("profiles.edit", **again))
                after = service.step_after(user.role, step)
                if from_profile or after is None:
                    flash(_("Your profile is saved."), "success")
                    return redirect(url_for("profiles.mine"))
                return redirect(url_for("profiles.edit", step=after))
        status = 400
        form.forget_oversized()
    return render_template(
        f"profiles/steps/{step.replace('-', '_')}.html",
        form=form,
        step=current,
        steps=steps,
        profile=profile,
        from_profile=from_profile,
        previous=service.step_before(user.role, step),
    ), status


@bp.get("/people/entrepreneurs/<int:profile_id>")
@login_required
def entrepreneur(profile_id: int) -> ResponseReturnValue:
    """An entrepreneur's public profile: never their contact details."""
    profile = get_session().get(EntrepreneurProfile, profile_id)
    if profile is None or not can_view(profile, current_account()):
        abort(404)
    return render_template("profiles/entrepreneur.html", profile=profile)


@bp.get("/people/diaspora/<int:profile_id>")
@login_required
def diaspora(profile_id: int) -> ResponseReturnValue:
    """A diaspora member's public profile: never their contact details."""
    profile = get_session().get(DiasporaProfile, profile_id)
    if profile is None or not can_view(profile, current_account()):
        abort(404)
    return render_template("profiles/diaspora.html", profile=profile)
