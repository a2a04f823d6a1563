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
