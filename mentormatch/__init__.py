"""MentorMatch: matching diaspora mentors and investors with rural agro-entrepreneurs.

create_app() reads like a table of contents: settings, extensions, blueprints,
error pages, commands.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask, Response

from mentormatch.config import PROJECT_ROOT, load_settings


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app; `config` overrides settings (tests pass their database here)."""
    instance_path = Path(os.environ.get("MENTORMATCH_INSTANCE_PATH", PROJECT_ROOT / "instance"))
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
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_database(app: Flask) -> None:
    """Bind the engine and the per-request session to the app."""
    from mentormatch import db

    db.init_app(app)


def register_extensions(app: Flask) -> None:
    """Bind login, CSRF and rate limiting, created unbound in extensions.py."""
    from mentormatch.auth.loader import load_user
    from mentormatch.extensions import csrf, limiter, login_manager

    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    csrf.init_app(app)
    limiter.init_app(app)


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


def register_errorhandlers(app: Flask) -> None:
    """Error pages and JSON errors for every status the app answers with."""
    from mentormatch.main.errors import register

    register(app)


def register_security_headers(app: Flask) -> None:
    """Security headers on every response."""

    # No third-party scripts or frames, ever: the pages are server-rendered and self-contained.
    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        )
        return response


def register_template_helpers(app: Flask) -> None:
    register_static_versions(app)
    """Names of countries, regions and languages, usable in every template."""
    from mentormatch import taxonomy

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(
        country_name=taxonomy.country_name,
        region_name=taxonomy.region_name,
        language_name=taxonomy.language_name,
    )


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
