"""Settings read from the environment, one class per environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """Raised when the environment does not allow the app to start safely."""


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Defaults shared by every environment."""

    ENV_NAME = "development"
    DEBUG = False
    TESTING = False
    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None
    SQLALCHEMY_ECHO = False
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT: int | None = 8 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    # Static URLs carry a content hash (see register_static_versions): cache them a year.
    SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600
    # Werkzeug's default (500 kB a field) answers a 1 MB field with a bare 413; with more
    # room the form itself can say which field is too long.
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024
    # Flask-Limiter: memory storage is per-process; deployments point this at Redis.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    PASSWORD_RESET_MAX_AGE = 3600
    # Mail: with no MAIL_SERVER, messages are written to the log instead of sent.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = True
    MAIL_SENDER = "MentorMatch <no-reply@mentormatch.local>"
    # The address people open MentorMatch at; links in emails start with it.
    PUBLIC_URL = "http://127.0.0.1:5000"
    PAIRING_REQUEST_TTL_DAYS = 14
    PAIRING_REMINDER_DAYS = 3
    MAX_OPEN_REQUESTS = 5
    # Both sides of an approved introduction are asked for a check-in this many days after.
    CHECK_IN_DAYS = (30, 90)
    PER_PAGE = 20

    @classmethod
    def from_environment(cls, instance_path: Path) -> dict[str, Any]:
        """Return the settings for this class, overridden by environment variables."""
        settings = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        for key in (
            "SECRET_KEY",
            "PUBLIC_URL",
            "MAIL_SERVER",
            "MAIL_USERNAME",
            "MAIL_PASSWORD",
            "MAIL_SENDER",
        ):
            if os.environ.get(key):
                settings[key] = os.environ[key]
        if os.environ.get("MAIL_PORT"):
            settings["MAIL_PORT"] = int(os.environ["MAIL_PORT"])
        settings["MAIL_USE_TLS"] = _bool("MAIL_USE_TLS", cls.MAIL_USE_TLS)
        if os.environ.get("CHECK_IN_DAYS"):
            settings["CHECK_IN_DAYS"] = tuple(
                int(day) for day in os.environ["CHECK_IN_DAYS"].split(",") if day.strip()
            )
        if os.environ.get("RATELIMIT_STORAGE_URI"):
            settings["RATELIMIT_STORAGE_URI"] = os.environ["RATELIMIT_STORAGE_URI"]
        settings["DATABASE_URL"] = os.environ.get("DATABASE_URL") or (
            "sqlite:///" + str(instance_path / "mentormatch.sqlite3")
        )
        return settings


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = True


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"
    RATELIMIT_ENABLED = False
    PASSWORD_RESET_MAX_AGE = 600


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_settings(instance_path: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the settings for MENTORMATCH_ENV, then apply explicit overrides (tests)."""
    env_name = (overrides or {}).get("ENV_NAME") or os.environ.get("MENTORMATCH_ENV", "development")
    if env_name not in CONFIGS:
        raise ConfigError(
            f"MENTORMATCH_ENV={env_name!r} is not known; use one of {', '.join(CONFIGS)}."
        )
    settings = CONFIGS[env_name].from_environment(instance_path)
    settings.update(overrides or {})
    if not settings.get("SECRET_KEY"):
        if env_name == "production":
            raise ConfigError(
                "SECRET_KEY is not set. In production MentorMatch refuses to start without it: "
                "set SECRET_KEY to a long random value (for example the output of "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`)."
            )
        settings["SECRET_KEY"] = _instance_secret_key(instance_path)
    return settings


def _instance_secret_key(instance_path: Path) -> str:
    """Generate a development secret once and keep it in instance/, so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key
