"""Settings read from the environment, one class per environment."""

from __future__ import annotations

import math
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def instance_path() -> Path:
    """Where this installation keeps its files: MENTORMATCH_INSTANCE_PATH, else instance/."""
    return Path(os.environ.get("MENTORMATCH_INSTANCE_PATH", PROJECT_ROOT / "instance"))


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
    # A refused request says when to come back (Retry-After) and how many tries are left.
    RATELIMIT_HEADERS_ENABLED = True
    # Per client address: log-in, password change and reset links.
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    # Per account, whichever address the attempts come from: failed log-ins, reset links.
    LOGIN_ACCOUNT_RATE_LIMIT = "20 per hour"
    RESET_ACCOUNT_RATE_LIMIT = "3 per hour"
    # Per client address: new accounts.
    SIGNUP_RATE_LIMIT = "5 per hour;20 per day"
    # How many reverse proxies stand in front of the app and append to X-Forwarded-For
    # (0: none, the app is reached directly). Only then is the client's address trusted.
    PROXY_COUNT = 0
    # Host names the app answers for (production: PUBLIC_URL's host and TRUSTED_HOSTS).
    TRUSTED_HOSTS: list[str] | None = None
    PASSWORD_RESET_MAX_AGE = 3600
    # How long the link that confirms a new account's email address works.
    EMAIL_CONFIRM_MAX_AGE = 3 * 24 * 3600
    # Mail: with no MAIL_SERVER, messages are written to the log instead of sent.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = True
    MAIL_SENDER = "MentorMatch <no-reply@mentormatch.local>"
    # The address people open MentorMatch at; links in emails start with it.
    PUBLIC_URL = "http://127.0.0.1:5000"
    # The matching index: "published" (built by the worker, mapped by web processes) or
    # "inline" (fitted in the process that needs it: tests, one-off tools). See decision 015.
    MATCHING_INDEX = "published"
    MATCHING_INDEX_DIR: str | None = None  # default: instance/index
    # Seconds between two looks of the worker at the matching data version.
    MATCHING_INDEX_INTERVAL = 1.0
    # More changed people than this since the last full build: build afresh, not an overlay.
    MATCHING_OVERLAY_LIMIT = 1000
    # A full build at least this often, whatever changed.
    MATCHING_FULL_BUILD_HOURS = 24.0
    # Full builds in a child process, so the worker gives their memory back.
    MATCHING_BUILD_IN_CHILD = True
    PAIRING_REQUEST_TTL_DAYS = 14
    PAIRING_REMINDER_DAYS = 3
    MAX_OPEN_REQUESTS = 5
    # Introduction requests one person may send in 24 hours, withdrawn ones included.
    MAX_REQUESTS_PER_DAY = 10
    # Days after a decline or a rejection during which the same two people are neither
    # suggested to each other nor introduced again for that kind.
    PAIRING_COOLING_OFF_DAYS = 90
    # The worker (`flask worker`): how often each periodic job runs, in seconds.
    MAIL_DELIVERY_INTERVAL = 5
    PAIRING_SCHEDULE_INTERVAL = 300
    # A failed email is tried again after 1, 2, 4, 8 minutes (doubling from this).
    MAIL_RETRY_SECONDS = 60
    # Both sides of an approved introduction are asked for a check-in this many days after.
    CHECK_IN_DAYS = (30, 90)
    PER_PAGE = 20
    # SMS: "log" writes each text to the log (development, tests); a deployment names its
    # provider's gateway as "package.module:factory" (see mentormatch/sms.py).
    SMS_GATEWAY = "log"
    SMS_DELIVERY_INTERVAL = 5
    # Claiming an account registered by someone else: how long a code works, wrong tries
    # per code, codes per account an hour, and requests per client address.
    CLAIM_CODE_MINUTES = 30
    CLAIM_CODE_ATTEMPTS = 5
    CLAIM_CODES_PER_HOUR = 3
    CLAIM_RATE_LIMIT = "10 per hour"
    # Imports from the coordinator's page: how often the worker looks for a file to check.
    IMPORT_INTERVAL = 2
    # Exports include people's email and phone only when the programme allows it.
    EXPORT_CONTACT_DETAILS = False

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
        if os.environ.get("SMS_GATEWAY"):
            settings["SMS_GATEWAY"] = os.environ["SMS_GATEWAY"]
        settings["EXPORT_CONTACT_DETAILS"] = _bool(
            "EXPORT_CONTACT_DETAILS", cls.EXPORT_CONTACT_DETAILS
        )
        if os.environ.get("RATELIMIT_STORAGE_URI"):
            settings["RATELIMIT_STORAGE_URI"] = os.environ["RATELIMIT_STORAGE_URI"]
        settings["MATCHING_INDEX_DIR"] = os.environ.get("MATCHING_INDEX_DIR") or str(
            instance_path / "index"
        )
        if os.environ.get("MATCHING_INDEX"):
            mode = os.environ["MATCHING_INDEX"]
            if mode not in ("published", "inline"):
                raise ConfigError(f'MATCHING_INDEX must be "published" or "inline", not "{mode}".')
            settings["MATCHING_INDEX"] = mode
        for key, kind in (
            ("MATCHING_INDEX_INTERVAL", float),
            ("MATCHING_OVERLAY_LIMIT", int),
            ("MATCHING_FULL_BUILD_HOURS", float),
        ):
            if os.environ.get(key):
                settings[key] = kind(os.environ[key])
        if os.environ.get("PROXY_COUNT"):
            settings["PROXY_COUNT"] = int(os.environ["PROXY_COUNT"])
        if os.environ.get("TRUSTED_HOSTS"):
            settings["TRUSTED_HOSTS"] = [
                host.strip() for host in os.environ["TRUSTED_HOSTS"].split(",") if host.strip()
            ]
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
    # Each test's data is small and changes all the time: fit in the process.
    MATCHING_INDEX = "inline"
    MATCHING_BUILD_IN_CHILD = False
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
    if env_name == "production":
        _check_production(settings)
    elif not settings.get("SECRET_KEY"):
        settings["SECRET_KEY"] = _instance_secret_key(instance_path)
    return settings


_MAKE_A_KEY = "`python -c 'import secrets; print(secrets.token_hex(32))'`"
MIN_SECRET_KEY_LENGTH = 32


def secret_key_problem(key: str) -> str | None:
    """Say why a SECRET_KEY is too weak to sign sessions, or None when it looks random.

    A key must be at least 32 characters and, judged by how many different characters
    it uses, carry at least 128 bits: 32 random bytes written as hex or base64 pass,
    a word repeated to fill the length does not.
    """
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"it has {len(key)} characters, and at least {MIN_SECRET_KEY_LENGTH} are needed"
    distinct = len(set(key))
    if distinct < 2 or len(key) * math.log2(distinct) < 128:
        return "it repeats too few different characters to be random"
    return None


def _check_production(settings: dict[str, Any]) -> None:
    """Refuse to start in production with a missing or weak key or no public address."""
    key = settings.get("SECRET_KEY")
    if not key:
        raise ConfigError(
            "SECRET_KEY is not set. In production MentorMatch refuses to start without it: "
            f"set SECRET_KEY to a long random value (for example the output of {_MAKE_A_KEY})."
        )
    problem = secret_key_problem(key)
    if problem:
        raise ConfigError(
            f"SECRET_KEY is too weak: {problem}. Anyone who guesses it can sign in as "
            f"anybody. Set it to the output of {_MAKE_A_KEY}."
        )
    public_url = settings.get("PUBLIC_URL") or ""
    host = urlsplit(public_url).hostname
    if not host or public_url == Config.PUBLIC_URL:  # the development default
        raise ConfigError(
            "PUBLIC_URL is not set. In production every link in an email is built from it "
            "(never from the request), and the app answers only for its host: set it to "
            "the address people open, e.g. PUBLIC_URL=https://mentormatch.example.org."
        )
    # Requests for any other host are refused (400), so a forged Host header cannot
    # reach the app; TRUSTED_HOSTS adds names such as the one health checks use.
    settings["TRUSTED_HOSTS"] = [host, *(settings.get("TRUSTED_HOSTS") or [])]


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
