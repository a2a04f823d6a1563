"""New passwords are refused when anyone guessing would try them first (NIST SP 800-63B):
a common-password list shipped with the app, repeated or sequential characters, and
passwords made of the person's own name or email address."""

from __future__ import annotations

import pytest

from mentormatch.auth.passwords import common_passwords, password_problem
from tests.test_auth import signup_data

COMMON = "one of the most common passwords"


@pytest.mark.parametrize(
    "password",
    ["password12", "1234567890", "qwertyuiop", "iloveyou12", "Password123!", "sunshine2024"],
)
def test_a_common_password_is_refused(password):
    problem = password_problem(password)
    assert problem is not None and COMMON in problem


@pytest.mark.parametrize(
    "password",
    ["aaaaaaaaaa", "ababababab", "abcabcabcabc", "abcdefghijkl", "9876543210", "zzzzzzzzzz1"],
)
def test_repeated_or_sequential_characters_are_refused(password):
    problem = password_problem(password)
    assert problem is not None and "repeats or runs" in problem


@pytest.mark.parametrize(
    "password", ["halimasani2024", "Sani Halima!!", "HALIMA-halima-1", "halima.example.org"]
)
def test_a_password_made_of_ones_name_or_email_is_refused(password):
    problem = password_problem(password, email="halima@example.org", name="Halima Sani")
    assert problem is not None
    assert "your name or email address" in problem


@pytest.mark.parametrize(
    "password",
    ["millet and groundnuts", "correct horse battery staple", "Halima grows millet in Kano"],
)
def test_a_memorable_phrase_is_accepted(password):
    assert password_problem(password, email="halima@example.org", name="Halima Sani") is None


def test_the_list_is_the_shipped_one_and_large():
    words = common_passwords()
    assert len(words) >= 10_000
    assert {"password", "123456", "qwerty", "iloveyou"} <= words


def test_sign_up_refuses_a_weak_password_with_a_message_and_writes_nothing(post_form, db):
    response = post_form("/signup", signup_data(password="password12", confirm="password12"))
    assert response.status_code == 400
    assert COMMON in response.get_data(as_text=True)
    response = post_form("/signup", signup_data(password="Halima Sani 1", confirm="Halima Sani 1"))
    assert response.status_code == 400
    assert "your name or email address" in response.get_data(as_text=True)


def test_create_user_refuses_a_weak_password(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "--role",
            "coordinator",
            "--name",
            "Jean Mukendi",
            "--email",
            "jean@example.org",
            "--password",
            "1234567890",
        ]
    )
    assert result.exit_code != 0
    assert COMMON in result.output
