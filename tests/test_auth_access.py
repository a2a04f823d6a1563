"""Who may see what: the role decorators every area uses."""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient

from mentormatch.auth.access import admin_required, role_required, staff_required
from mentormatch.models import Role
from tests.conftest import AuthActions

# Pages that exist only in these tests, so they depend on no other area of the app.
guarded = Blueprint("guarded", __name__, url_prefix="/test-only")


@guarded.get("/entrepreneurs")
@role_required(Role.ENTREPRENEUR)
def for_entrepreneurs() -> str:
    return "entrepreneur page"


@guarded.get("/staff")
@staff_required
def for_staff() -> str:
    return "staff page"


@guarded.get("/admin")
@admin_required
def for_admins() -> str:
    return "admin page"


@pytest.fixture
def guarded_app(app: Flask) -> Flask:
    """The test app with the guarded pages above."""
    app.register_blueprint(guarded)
    return app


def client_of(app: Flask, login: str) -> FlaskClient:
    client = app.test_client()
    assert AuthActions(client).login(login).status_code == 302
    return client


def test_logged_out_visitor_is_sent_to_login_with_the_page_to_return_to(guarded_app):
    client = guarded_app.test_client()
    for path in ("/test-only/entrepreneurs", "/test-only/staff", "/test-only/admin"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"] == f"/login?next={path.replace('/', '%2F')}"


def test_each_role_reaches_only_its_own_pages(guarded_app, people):
    expected = {
        "amina@example.org": {"entrepreneurs": 200, "staff": 403, "admin": 403},
        "tesfaye@example.org": {"entrepreneurs": 403, "staff": 403, "admin": 403},
        "jean@example.org": {"entrepreneurs": 403, "staff": 200, "admin": 403},
        "it@example.org": {"entrepreneurs": 403, "staff": 200, "admin": 200},
    }
    seen = {}
    for login, pages in expected.items():
        client = client_of(guarded_app, login)
        seen[login] = {page: client.get(f"/test-only/{page}").status_code for page in pages}
    assert seen == expected


def test_forbidden_page_says_so_in_words(guarded_app, people):
    response = client_of(guarded_app, "amina@example.org").get("/test-only/admin")
    assert response.status_code == 403
    assert "You do not have permission to see this page." in response.get_data(as_text=True)
