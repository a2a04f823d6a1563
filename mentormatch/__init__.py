"""MentorMatch: matching diaspora mentors and investors with rural agro-entrepreneurs.

create_app() reads like a table of contents: settings, extensions, blueprints,
error pages, commands.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, Response

from mentormatch.config import PROJECT_ROOT, load_settings
from mentormatch.config import instance_path as default_instance_path


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app; `config` overrides settings (tests pass their database here)."""
    instance_path = default_instance_path()
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    app.config.update(load_settings(instance_path, config))
    instance_path.mkdir(parents=True, exist_ok=True)
    # Our own messages (e.g. emails written to the log in development), not every library's.
    app.logger.setLevel(logging.INFO)

    register_database(app)
    register_request_guards(app)
    register_extensions(app)
    register_languages(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_database(app: Flask) -> None:
    """Bind the engine and the per-request session to the app."""
    from mentormatch import db
    from mentormatch.matches import changes  # noqa: F401  (versions the matching data on flush)

    db.init_app(app)


def register_request_guards(app: Flask) -> None:
    """The client's address from the configured proxies only; bounded ids in URLs and no
    NUL characters in input, before any view runs."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    from mentormatch import guards

    proxies = int(app.config["PROXY_COUNT"])
    if proxies:
        # X-Forwarded-For and -Proto are believed only as far as PROXY_COUNT proxies wrote
        # them; anything a client put in front is ignored.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    guards.register(app)


def register_extensions(app: Flask) -> None:
    """Bind login, CSRF and rate limiting, created unbound in extensions.py."""
    from mentormatch.auth.loader import load_user
    from mentormatch.extensions import csrf, limiter, login_manager

    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    csrf.init_app(app)
    limiter.init_app(app)


def register_languages(app: Flask) -> None:
    """Pages, emails and SMS in English, French, Spanish or Arabic (Flask-Babel)."""
    from mentormatch import i18n

    i18n.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Register every area's blueprint."""
    from mentormatch.auth.views import bp as auth_bp
    from mentormatch.main.views import bp as main_bp
    from mentormatch.profiles.views import bp as profiles_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(profiles_bp)
    from mentormatch.matches.views import bp as matches_bp

    app.register_blueprint(matches_bp)
    from mentormatch.coordinator.views import bp as coordinator_bp
    from mentormatch.introductions.views import bp as introductions_bp

    app.register_blueprint(introductions_bp)
    app.register_blueprint(coordinator_bp)
    from mentormatch.results.views import bp as results_bp
    from mentormatch.rounds.views import bp as rounds_bp

    app.register_blueprint(results_bp)
    app.register_blueprint(rounds_bp)
    from mentormatch.registration.views import bp as registration_bp
    from mentormatch.registration.views import claims_bp
    from mentormatch.transfers.views import bp as transfers_bp

    app.register_blueprint(registration_bp)
    app.register_blueprint(claims_bp)
    app.register_blueprint(transfers_bp)
    from mentormatch.safety.views import bp as safety_bp

    app.register_blueprint(safety_bp)


def register_errorhandlers(app: Flask) -> None:
    """Error pages and JSON errors for every status the app answers with."""
    from mentormatch.main.errors import register

    register(app)


def register_security_headers(app: Flask) -> None:
    """Security headers on every response (Flask-Talisman); account pages are never cached."""
    from flask import request, session

    from mentormatch.extensions import talisman

    production = app.config["ENV_NAME"] == "production"
    talisman.init_app(
        app,
        # Plain http is redirected, and HSTS sent, only in production (behind TLS).
        force_https=production,
        session_cookie_secure=production,
        frame_options="DENY",
        referrer_policy="same-origin",
        # No third-party scripts or frames, ever: the pages are server-rendered and
        # self-contained, with no inline script or style.
        content_security_policy=CONTENT_SECURITY_POLICY,
    )

    @app.after_request
    def _no_store_for_accounts(response: Response) -> Response:
        # Pages seen while logged in show contact details or account data: no shared or
        # back-button cache may keep them. (Only the session is read: no database.)
        if "_user_id" in session and request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response


CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "style-src": "'self'",
    "script-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def register_template_helpers(app: Flask) -> None:
    register_static_versions(app)
    """Names of countries, regions and languages, usable in every template."""
    from mentormatch import taxonomy

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        country_name=taxonomy.country_name,
        region_name=taxonomy.region_name,
        place_name=taxonomy.place_name,
        region_places=taxonomy.region_places,
        language_name=taxonomy.language_name,
    )
    # Amounts as typed with the dollar figure beside, numbers and percentages in the
    # reader's locale: money(), money_range(), rate_of(), number(), percent().
    from mentormatch.i18n import formats

    formats.register(app)


def register_commands(app: Flask) -> None:
    """The `flask` commands: db, seed, create-user, import-profiles and the rest."""
    from mentormatch.cli import register

    register(app)


def register_static_versions(app: Flask) -> None:
    """Give static URLs a content hash (`style.css?v=…`), so browsers on slow links can
    keep them for a year and still fetch a changed file at once."""
    import hashlib
    from functools import cache

    static_folder = Path(app.static_folder or "")

    @cache
    def version(filename: str) -> str:
        path = static_folder / filename
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else ""

    @app.url_defaults
    def _static_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            values["v"] = version(values["filename"])
