"""The app starts, answers its health check and shows readable error pages."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from mentormatch import create_app
from mentormatch.config import ConfigError


def test_landing_page_invites_sign_up(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("<h1") == 1
    assert "Sign up" in html


def test_healthz_reports_ok_with_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_database_failure(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr("sqlalchemy.orm.Session.execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "error"}


def test_unknown_page_is_a_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "does not exist" in response.get_data(as_text=True)


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("MENTORMATCH_ENV", "production")
    monkeypatch.setenv("MENTORMATCH_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"DATABASE_URL": "sqlite://"})


def test_development_secret_key_is_generated_once(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("MENTORMATCH_ENV", "development")
    monkeypatch.setenv("MENTORMATCH_INSTANCE_PATH", str(tmp_path))
    first = create_app({"DATABASE_URL": "sqlite://"}).config["SECRET_KEY"]
    second = create_app({"DATABASE_URL": "sqlite://"}).config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").read_text().strip() == first


def test_pages_send_security_headers(client):
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_stylesheet_is_cached_long_under_a_url_that_changes_with_its_content(client):
    html = client.get("/").get_data(as_text=True)
    match = re.search(r'href="(/static/style\.css\?v=([0-9a-f]{12}))"', html)
    assert match, "the stylesheet link carries a content version"
    css = (Path(client.application.static_folder) / "style.css").read_bytes()
    assert match.group(2) == hashlib.sha256(css).hexdigest()[:12]
    response = client.get(match.group(1))
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]


# --- production settings (findings 14, 15) ------------------------------------------------


def production_env(monkeypatch, tmp_path, **env):
    """The environment of a production start; `env` adds or overrides variables."""
    monkeypatch.setenv("MENTORMATCH_ENV", "production")
    monkeypatch.setenv("MENTORMATCH_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv(
        "SECRET_KEY", "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e8a1c3e5b7d9f0a2c4e6b8d0f"
    )
    monkeypatch.setenv("PUBLIC_URL", "https://mentormatch.example.org")
    for key, value in env.items():
        monkeypatch.setenv(key, value)


@pytest.mark.parametrize(
    "weak",
    ["short", "x" * 64, "changeme" * 5, "0123456789abcdef0123456789abcde"],
)
def test_production_refuses_a_weak_secret_key(monkeypatch, tmp_path, weak):
    production_env(monkeypatch, tmp_path, SECRET_KEY=weak)
    with pytest.raises(ConfigError, match="SECRET_KEY is too weak"):
        create_app({"DATABASE_URL": "sqlite://"})


def test_production_starts_with_a_generated_secret_key(monkeypatch, tmp_path):
    import secrets

    production_env(monkeypatch, tmp_path, SECRET_KEY=secrets.token_hex(32))
    assert create_app({"DATABASE_URL": "sqlite://"}).config["ENV_NAME"] == "production"
    production_env(monkeypatch, tmp_path, SECRET_KEY=secrets.token_urlsafe(32))
    assert create_app({"DATABASE_URL": "sqlite://"}).config["ENV_NAME"] == "production"


def test_production_sends_hsts_over_https(monkeypatch, tmp_path):
    production_env(monkeypatch, tmp_path)
    app = create_app({"DATABASE_URL": "sqlite://"})
    response = app.test_client().get("/healthz", base_url="https://mentormatch.example.org")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_pages_keep_todays_strict_content_security_policy(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in csp


def test_pages_with_account_data_are_never_stored_by_caches(client, auth, people):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    auth.login("amina@example.org")
    for url in ("/", "/account/password", "/profile", "/notifications", "/contact-views"):
        assert "no-store" in client.get(url).headers.get("Cache-Control", ""), url


def test_production_refuses_requests_for_a_host_it_does_not_serve(monkeypatch, tmp_path):
    production_env(monkeypatch, tmp_path, TRUSTED_HOSTS="10.0.0.5")
    app = create_app({"DATABASE_URL": "sqlite://"})
    client = app.test_client()
    https = {"base_url": "https://mentormatch.example.org"}
    assert client.get("/healthz", **https).status_code != 400
    assert client.get("/healthz", headers={"Host": "10.0.0.5"}).status_code != 400
    forged = client.get("/login", headers={"Host": "attacker.example"}, **https)
    assert forged.status_code == 400
