"""Bad answers in a profile step: a clear message next to the field, status 400, nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mentormatch.models import DiasporaProfile, EntrepreneurProfile, Role
from tests.test_profiles import DIASPORA_ANSWERS, ENTREPRENEUR_ANSWERS, fill_steps, log_in_new

ONE_MEGABYTE = "x" * 1_000_000


@pytest.fixture
def kofi(db, auth):
    log_in_new(db, auth, Role.ENTREPRENEUR, "Kofi Mensah", "kofi@example.org")


@pytest.fixture
def kofi_done(kofi, post_form):
    """Kofi with every step of his profile saved."""
    fill_steps(post_form, ENTREPRENEUR_ANSWERS)


@pytest.fixture
def wanjiru_started(db, auth, post_form):
    log_in_new(db, auth, Role.DIASPORA, "Wanjiru Kamau", "wanjiru@example.org")
    fill_steps(post_form, {"about": DIASPORA_ANSWERS["about"], "roots": DIASPORA_ANSWERS["roots"]})


def refused(response, message):
    """The step came back with 400, the message next to its field and in the summary."""
    html = response.get_data(as_text=True)
    assert response.status_code == 400, html
    assert 'class="error-summary"' in html
    assert html.count(message) >= 2, f"{message!r} should be in the summary and by the field"
    return html


def profile_count(db):
    return db.scalar(select(func.count()).select_from(EntrepreneurProfile))


def entrepreneur(db):
    db.expire_all()
    return db.scalars(select(EntrepreneurProfile)).one()


BUSINESS = ENTREPRENEUR_ANSWERS["business"]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**BUSINESS, "business_name": "   "}, "Enter the name of the business."),
        ({**BUSINESS, "business_name": ONE_MEGABYTE}, "Keep this to 120 characters or fewer"),
        ({**BUSINESS, "description": ONE_MEGABYTE}, "Keep this to 2,000 characters or fewer"),
        ({**BUSINESS, "stage": "unicorn"}, "Choose one of the options listed."),
    ],
    ids=["empty name", "1 MB name", "1 MB description", "forged stage"],
)
def test_bad_first_step_creates_no_profile(client, db, kofi, post_form, answers, message):
    html = refused(post_form("/profile/edit/business", answers), message)
    assert profile_count(db) == 0
    assert len(html) < 100_000, "a 1 MB value is not sent back"


def test_a_business_without_a_stage_is_starting(client, db, kofi, post_form):
    answers = {k: v for k, v in BUSINESS.items() if k != "stage"}
    assert post_form("/profile/edit/business", answers).status_code == 302
    assert entrepreneur(db).stage.value == "starting"


def test_a_description_a_little_too_long_comes_back_to_be_trimmed(client, kofi, post_form):
    answers = {**BUSINESS, "description": "gari " * 401}
    html = refused(post_form("/profile/edit/business", answers), "Keep this to 2,000 characters")
    assert "gari " * 400 in html


@pytest.mark.parametrize(
    ("step", "answers", "message"),
    [
        ("where", {"country_code": "ZZ"}, "Choose a country from the list."),
        (
            "where",
            {"country_code": "GH", "region_code": ONE_MEGABYTE},
            "is not a known region of Ghana.",
        ),
        ("where", {"country_code": "GH", "region_code": "NG-KN"}, "NG-KN&#34; is not a known"),
        (
            "where",
            {"country_code": "GH", "region_code": "", "locality": ""},
            "Write the town or village, or choose the region from the list.",
        ),
        ("value-chains", {}, "Choose at least one value chain."),
        ("value-chains", {"value_chains": ["unicorns"]}, "is not one of the options"),
        (
            "value-chains",
            {"value_chains": ["coffee", "cocoa", "tea", "dairy", "poultry", "rice"]},
            "Choose at most 5 value chains",
        ),
        ("needs", {"skills_needed": ["bookkeeping"]}, "Choose at least one language"),
        ("needs", {"other_languages": "Klingonese"}, "is not a known language"),
        ("needs", {"languages": ["eng"], "skills_needed": ["magic"]}, "is not one of the options"),
        (
            "investment",
            {"seeking_investment": "yes", "investment_amount": "lots"},
            "Enter a whole number, for example 5000.",
        ),
        (
            "investment",
            {"seeking_investment": "yes", "investment_amount": ONE_MEGABYTE},
            "Enter a whole number, for example 5000.",
        ),
        (
            "investment",
            {"seeking_investment": "yes", "investment_amount": "-5"},
            "Enter a whole number from 1 to 2,000,000,000.",
        ),
        (
            "investment",
            {"seeking_investment": "yes", "investment_amount": "2000000001"},
            "Enter a whole number from 1 to 2,000,000,000.",
        ),
        (
            "investment",
            {
                "seeking_investment": "yes",
                "investment_amount": "5000",
                "investment_currency": "XYZ",
                "investment_instruments": ["loan"],
            },
            "is not a known currency.",
        ),
        (
            "investment",
            {
                "seeking_investment": "yes",
                "investment_amount": "5000",
                "investment_currency": "BIF",
                "investment_instruments": ["loan"],
            },
            "There is no exchange rate for BIF, so the amount cannot be compared",
        ),
        ("investment", {"seeking_investment": "maybe"}, "Choose one of the options listed."),
        ("contact", {"contact_email": "kofi at example"}, "is not an email address"),
        ("contact", {"contact_phone": "call me"}, "has characters a phone number does not have"),
        ("contact", {"contact_phone": "024 412"}, "is too short for a phone number in Ghana"),
    ],
)
def test_bad_later_step_keeps_the_saved_answers(
    client, db, kofi_done, post_form, step, answers, message
):
    before = entrepreneur(db)
    saved = (
        before.country_code,
        before.region_code,
        [c.code for c in before.value_chains],
        before.languages,
        before.investment_amount,
        before.contact_email,
        before.contact_phone,
    )
    refused(post_form(f"/profile/edit/{step}", answers), message)
    after = entrepreneur(db)
    assert saved == (
        after.country_code,
        after.region_code,
        [c.code for c in after.value_chains],
        after.languages,
        after.investment_amount,
        after.contact_email,
        after.contact_phone,
    )


def test_duplicate_checkbox_values_count_once(client, db, kofi_done, post_form):
    response = post_form(
        "/profile/edit/value-chains",
        {"value_chains": ["dairy", "dairy", "poultry", "poultry", "poultry", "poultry", "dairy"]},
    )
    assert response.status_code == 302
    assert [c.code for c in entrepreneur(db).value_chains] == ["dairy", "poultry"]


def test_amount_written_with_thousands_separators_is_understood(client, db, kofi_done, post_form):
    answers = {**ENTREPRENEUR_ANSWERS["investment"], "investment_amount": "7 500"}
    assert post_form("/profile/edit/investment", answers).status_code == 302
    assert entrepreneur(db).investment_amount == 7500


def test_html_is_kept_as_text_and_shown_escaped(client, db, kofi_done, post_form):
    answers = {
        **BUSINESS,
        "business_name": "<script>alert('x')</script> Farm",
        "description": '<img src=x onerror="alert(1)"> & sons',
    }
    assert post_form("/profile/edit/business", answers).status_code == 302
    profile = entrepreneur(db)
    assert profile.business_name == "<script>alert('x')</script> Farm"
    for url in ("/profile", f"/people/entrepreneurs/{profile.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Farm" in html


def test_amharic_and_arabic_text_are_accepted(client, db, kofi_done, post_form):
    answers = {
        **BUSINESS,
        "business_name": "የቡና ገበሬዎች ማህበር",
        "description": "مزرعة دواجن صغيرة قرب كانو",
    }
    assert post_form("/profile/edit/business", answers).status_code == 302
    profile = entrepreneur(db)
    assert profile.business_name == "የቡና ገበሬዎች ማህበር"
    html = client.get("/profile").get_data(as_text=True)
    assert "የቡና ገበሬዎች ማህበር" in html
    assert "مزرعة دواجن صغيرة قرب كانو" in html


def test_control_characters_are_dropped(client, db, kofi_done, post_form):
    answers = {
        **BUSINESS,
        # (A NUL byte never reaches the form: every request refuses it, see test_errors.py.)
        "business_name": "Kofi\x1b Mill\x07",
        "description": "Line one\r\nLine two",
    }
    assert post_form("/profile/edit/business", answers).status_code == 302
    profile = entrepreneur(db)
    assert profile.business_name == "Kofi Mill"
    assert profile.description == "Line one\nLine two"


# --- diaspora -----------------------------------------------------------------------------

OFFERS = DIASPORA_ANSWERS["offers"]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({}, "Choose coaching, investment or both"),
        ({**OFFERS, "mentee_capacity": "21"}, "Enter a whole number from 1 to 20."),
        ({**OFFERS, "mentee_capacity": "0"}, "Enter a whole number from 1 to 20."),
        ({**OFFERS, "hours_per_month": "161"}, "Enter a whole number from 0 to 160."),
        ({**OFFERS, "mentee_capacity": "two"}, "Enter a whole number, for example 5000."),
        ({**OFFERS, "mentee_capacity": ""}, "Enter how many entrepreneurs can be coached at once"),
        ({**OFFERS, "ticket_min": "20000", "ticket_max": "2000"}, "must be at least the smallest"),
        ({**OFFERS, "ticket_min": ""}, "Enter the smallest amount to invest."),
    ],
)
def test_bad_offers_are_refused(client, db, wanjiru_started, post_form, answers, message):
    refused(post_form("/profile/edit/offers", answers), message)
    db.expire_all()
    profile = db.scalars(select(DiasporaProfile)).one()
    assert (profile.offers_coaching, profile.offers_investment) == (False, False)


def test_headline_longer_than_140_characters_is_refused(client, db, wanjiru_started, post_form):
    answers = {**DIASPORA_ANSWERS["about"], "headline": "h" * 141}
    refused(post_form("/profile/edit/about", answers), "Keep this to 140 characters or fewer")
    db.expire_all()
    assert db.scalars(select(DiasporaProfile)).one().headline.startswith("Dairy farmer")


def test_coaching_only_needs_no_investment_answers(client, db, wanjiru_started, post_form):
    answers = {"offers_coaching": "y", "mentee_capacity": "2", "hours_per_month": "4"}
    assert post_form("/profile/edit/offers", answers).status_code == 302
    db.expire_all()
    profile = db.scalars(select(DiasporaProfile)).one()
    assert (profile.offers_coaching, profile.offers_investment, profile.ticket_min) == (
        True,
        False,
        None,
    )


def test_an_amount_in_words_gets_one_message_not_two(client, db, kofi_done, post_form):
    """'five thousand' is not a number: say so, and not also that it is out of range."""
    answers = {**ENTREPRENEUR_ANSWERS["investment"], "investment_amount": "five thousand"}
    html = refused(post_form("/profile/edit/investment", answers), "for example 5000.")
    assert "Enter a whole number from 1 to" not in html
