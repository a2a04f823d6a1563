"""Profiles: an entrepreneur and a diaspora member fill their profile in short steps and edit it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from mentormatch.models import DiasporaProfile, EntrepreneurProfile, ReviewStatus, Role, Stage
from mentormatch.profiles import service
from tests import builders
from tests.reading import plain

ENTREPRENEUR_ANSWERS = {
    "business": {
        "business_name": "Kofi Cassava Mill",
        "description": "We mill cassava into gari for markets in Kumasi.",
        "stage": "growing",
    },
    "where": {"country_code": "GH", "region_code": "GH-AH", "locality": "Ejisu"},
    "value-chains": {"value_chains": ["roots_tubers", "agro_processing"]},
    "needs": {
        "skills_needed": ["processing_packaging", "marketing"],
        "skills_needed_text": "Packaging gari for supermarkets",
        "languages": ["eng", "aka"],
        "other_languages": "Ewe",
    },
    "investment": {
        "seeking_investment": "yes",
        "investment_amount": "12,000",
        "investment_currency": "GHS",
        "investment_instruments": ["loan", "in_kind"],
        "is_youth_led": "y",
    },
    "contact": {"contact_email": "Kofi.Mill@example.org", "contact_phone": "+233 24 123 4567"},
}

DIASPORA_ANSWERS = {
    "about": {
        "headline": "Dairy farmer in the Netherlands, from Nakuru",
        "bio": "Thirty cows near Utrecht; I want to help dairy cooperatives at home.",
        "residence_country": "NL",
    },
    "roots": {"origin_regions": ["KE-31"], "interest_regions": ["KE-31", "KE-32"]},
    "value-chains": {"value_chains": ["dairy"], "preferred_stages": ["starting", "growing"]},
    "skills": {
        "skills_offered": ["animal_health", "cooperative_governance"],
        "skills_offered_text": "Milk hygiene and cooling",
        "languages": ["eng", "swa"],
        "other_languages": "",
    },
    "offers": {
        "offers_coaching": "y",
        "mentee_capacity": "3",
        "hours_per_month": "8",
        "offers_investment": "y",
        "ticket_min": "1000",
        "ticket_max": "15000",
        "ticket_currency": "EUR",
        "investment_instruments": ["loan", "equity"],
    },
    "contact": {"contact_email": "wanjiru@example.org", "contact_phone": "+31 6 1234 5678"},
}


def log_in_new(db, auth, role, full_name, email):
    """Create an account with no profile yet and log in with it."""
    builders.make_user(db, role, full_name, email)
    db.commit()
    auth.login(email)


@pytest.fixture
def kofi(db, auth):
    """A new entrepreneur from Ghana, logged in, with no profile yet."""
    log_in_new(db, auth, Role.ENTREPRENEUR, "Kofi Mensah", "kofi@example.org")


@pytest.fixture
def wanjiru(db, auth):
    """A new diaspora member living in the Netherlands, logged in, with no profile yet."""
    log_in_new(db, auth, Role.DIASPORA, "Wanjiru Kamau", "wanjiru@example.org")


def fill_steps(post_form, answers):
    """Post every step in order, as the wizard leads; return the last response."""
    response = None
    for step, data in answers.items():
        response = post_form(f"/profile/edit/{step}", data)
        assert response.status_code == 302, (step, response.get_data(as_text=True))
    return response


def one_profile(db, model):
    db.expire_all()
    return db.scalars(select(model)).one()


def test_entrepreneur_fills_every_step_and_sees_the_profile(client, db, kofi, post_form):
    first = client.get("/profile")
    assert first.status_code == 302
    assert first.headers["Location"].endswith("/profile/edit/business")

    previous = None
    for step, data in ENTREPRENEUR_ANSWERS.items():
        response = post_form(f"/profile/edit/{step}", data)
        assert response.status_code == 302, response.get_data(as_text=True)
        assert response.headers["Location"] != previous
        previous = response.headers["Location"]
    assert previous.endswith("/profile")

    profile = one_profile(db, EntrepreneurProfile)
    assert profile.business_name == "Kofi Cassava Mill"
    assert profile.stage is Stage.GROWING
    assert (profile.country_code, profile.region_code, profile.locality) == ("GH", "GH-AH", "Ejisu")
    assert [c.code for c in profile.value_chains] == ["roots_tubers", "agro_processing"]
    assert {s.code for s in profile.skills_needed} == {"processing_packaging", "marketing"}
    assert profile.languages == ["eng", "aka", "ewe"]
    assert profile.seeking_investment is True
    assert profile.investment_amount == 12000
    assert profile.investment_currency == "GHS"
    assert profile.investment_instruments == ["loan", "in_kind"]
    assert (profile.is_youth_led, profile.is_women_led, profile.is_returnee) == (True, False, False)
    assert profile.contact_email == "kofi.mill@example.org"
    assert profile.contact_phone == "+233241234567"
    assert profile.review_status is service.NEW_PROFILE_STATUS

    page = plain(client.get("/profile").get_data(as_text=True))
    for text in ("Kofi Cassava Mill", "Ashanti", "Roots and tubers", "Akan", "Loan"):
        assert text in page
    # As typed, with the dollar figure at the seed rate (1 GHS = USD 0.091) beside it.
    assert "GHS 12,000 (about USD 1,090)" in page
    assert "kofi.mill@example.org" in page
    assert "only shown to people you are introduced to" in page
    assert 'href="/profile/edit/needs?from=profile"' in page


def test_diaspora_member_fills_every_step_and_sees_the_profile(client, db, wanjiru, post_form):
    fill_steps(post_form, DIASPORA_ANSWERS)
    profile = one_profile(db, DiasporaProfile)
    assert profile.headline.startswith("Dairy farmer")
    assert profile.residence_country == "NL"
    assert profile.origin_regions == ["KE-31"]
    assert profile.interest_regions == ["KE-31", "KE-32"]
    assert [c.code for c in profile.value_chains] == ["dairy"]
    assert profile.preferred_stages == ["starting", "growing"]
    assert profile.languages == ["eng", "swa"]
    assert (profile.offers_coaching, profile.mentee_capacity, profile.hours_per_month) == (
        True,
        3,
        8,
    )
    assert (profile.ticket_min, profile.ticket_max, profile.ticket_currency) == (1000, 15000, "EUR")
    assert profile.investment_instruments == ["loan", "equity"]
    # Finished: sent for a coordinator's review (investors are always vetted).
    assert profile.review_status is ReviewStatus.PENDING and profile.submitted_at is not None

    page = plain(client.get("/profile").get_data(as_text=True))
    for text in (
        "Nakuru (Kenya)",
        "Dairy",
        "Swahili",
        "Up to 3 entrepreneurs",
        "EUR 1,000–15,000 (about USD 1,160–17,400)",
    ):
        assert text in page


def test_each_step_saves_on_its_own_and_the_wizard_continues(client, db, kofi, post_form):
    response = post_form("/profile/edit/business", ENTREPRENEUR_ANSWERS["business"])
    assert response.headers["Location"].endswith("/profile/edit/where")
    profile = one_profile(db, EntrepreneurProfile)
    assert profile.business_name == "Kofi Cassava Mill"
    # Not matched before the required steps are done.
    assert profile.review_status is ReviewStatus.PENDING
    page = client.get("/profile").get_data(as_text=True)
    assert "not finished yet" in page


def test_later_step_before_the_first_leads_back_to_the_first(client, kofi):
    response = client.get("/profile/edit/needs")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/profile/edit/business")


def test_step_page_shows_where_you_are_in_the_steps(client, kofi):
    html = client.get("/profile/edit/business").get_data(as_text=True)
    assert '<ol class="steps">' in html
    assert '<li aria-current="step">1. Your business</li>' in html
    assert html.count("<h1") == 1
    assert "Save and continue" in html


def test_unknown_step_is_not_found(client, kofi):
    assert client.get("/profile/edit/nonsense").status_code == 404


# --- regions --------------------------------------------------------------------------


def test_show_regions_lists_the_regions_of_the_chosen_country(client, kofi, post_form):
    post_form("/profile/edit/business", ENTREPRENEUR_ANSWERS["business"])
    response = post_form("/profile/edit/where", {"country_code": "ET", "show_regions": "1"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<option value="ET-OR">Oromia</option>' in html
    assert "GH-AH" not in html


def test_region_must_belong_to_the_country(client, db, kofi, post_form):
    post_form("/profile/edit/business", ENTREPRENEUR_ANSWERS["business"])
    response = post_form(
        "/profile/edit/where", {"country_code": "GH", "region_code": "NG-KN", "locality": ""}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "is not a known region of Ghana." in html
    assert 'class="error-summary"' in html
    # The regions of the chosen country are listed again, to choose from.
    assert '<option value="GH-AH">Ashanti</option>' in html
    assert one_profile(db, EntrepreneurProfile).country_code == ""


def test_diaspora_regions_of_several_countries_stay_ticked(client, db, wanjiru, post_form):
    post_form("/profile/edit/about", DIASPORA_ANSWERS["about"])
    html = post_form(
        "/profile/edit/roots",
        {"country": "SN", "origin_regions": ["KE-31"], "show_regions": "1"},
    ).get_data(as_text=True)
    assert "Nakuru (Kenya)" in html
    assert 'value="SN-TH"' in html
    response = post_form(
        "/profile/edit/roots",
        {"country": "SN", "origin_regions": ["KE-31", "SN-TH"], "interest_regions": ["SN-TH"]},
    )
    assert response.status_code == 302
    assert one_profile(db, DiasporaProfile).origin_regions == ["KE-31", "SN-TH"]


def test_diaspora_needs_at_least_one_origin_region(client, db, wanjiru, post_form):
    post_form("/profile/edit/about", DIASPORA_ANSWERS["about"])
    response = post_form("/profile/edit/roots", {"country": "KE", "interest_regions": ["KE-31"]})
    assert response.status_code == 400
    assert "Choose at least one region of origin." in response.get_data(as_text=True)
    assert one_profile(db, DiasporaProfile).interest_regions == []


def test_forged_region_code_is_refused(client, db, wanjiru, post_form):
    post_form("/profile/edit/about", DIASPORA_ANSWERS["about"])
    response = post_form("/profile/edit/roots", {"country": "KE", "origin_regions": ["XX-99"]})
    assert response.status_code == 400
    assert "is not one of the options" in response.get_data(as_text=True)
    assert one_profile(db, DiasporaProfile).origin_regions == []


# --- editing --------------------------------------------------------------------------


def test_editing_one_step_keeps_the_other_answers(client, db, kofi, post_form):
    fill_steps(post_form, ENTREPRENEUR_ANSWERS)
    response = post_form(
        "/profile/edit/business?from=profile",
        {"business_name": "Kofi Gari Company", "description": "", "stage": "established"},
    )
    assert response.headers["Location"].endswith("/profile")
    profile = one_profile(db, EntrepreneurProfile)
    assert profile.business_name == "Kofi Gari Company"
    assert profile.stage is Stage.ESTABLISHED
    assert profile.region_code == "GH-AH"
    assert [c.code for c in profile.value_chains] == ["roots_tubers", "agro_processing"]
    assert profile.investment_amount == 12000
    assert profile.contact_email == "kofi.mill@example.org"


def test_edit_page_shows_the_saved_answers(client, people, auth):
    auth.login("amina@example.org")
    html = client.get("/profile/edit/needs").get_data(as_text=True)
    assert re.search(
        r'checked id="skills_needed-\d+" name="skills_needed" type="checkbox" value="bookkeeping"',
        html,
    )
    assert 'name="languages" type="checkbox" value="hau"' in html
    html = client.get("/profile/edit/where").get_data(as_text=True)
    assert '<option selected value="NG-KN">Kano</option>' in html


def test_saying_no_to_investment_clears_the_amount(client, db, people, auth, post_form):
    auth.login("amina@example.org")
    response = post_form("/profile/edit/investment", {"seeking_investment": "no"})
    assert response.status_code == 302
    profile = db.get(EntrepreneurProfile, people.amina.id)
    db.refresh(profile)
    assert profile.seeking_investment is False
    assert profile.investment_amount is None
    assert profile.investment_instruments == []


def test_suspended_profile_stays_suspended_after_an_edit(client, db, people, auth, post_form):
    people.amina.review_status = ReviewStatus.SUSPENDED
    db.commit()
    auth.login("amina@example.org")
    post_form("/profile/edit/contact", {"contact_email": "amina@example.org"})
    db.refresh(people.amina)
    assert people.amina.review_status is ReviewStatus.SUSPENDED


# --- access ---------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["jean@example.org", "it@example.org"])
def test_coordinators_and_admins_have_no_profile_page(client, people, auth, login):
    auth.login(login)
    assert client.get("/profile").status_code == 403
    assert client.get("/profile/edit/business").status_code == 403


def test_profile_pages_need_a_login(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_an_entrepreneur_edits_only_their_own_profile(client, db, people, auth, post_form):
    builders.make_entrepreneur(
        db, full_name="Musa Ibrahim", email="musa@example.org", business_name="Musa Grains"
    )
    db.commit()
    auth.login("musa@example.org")
    response = post_form("/profile/edit/business", ENTREPRENEUR_ANSWERS["business"])
    assert response.status_code == 302
    db.refresh(people.amina)
    assert people.amina.business_name == "Amina Poultry"
    names = set(db.scalars(select(EntrepreneurProfile.business_name)))
    assert names == {"Amina Poultry", "Kofi Cassava Mill"}


def test_missing_csrf_token_is_refused_and_nothing_is_written(client, db, kofi):
    response = client.post("/profile/edit/business", data=ENTREPRENEUR_ANSWERS["business"])
    assert response.status_code == 400
    assert db.scalar(select(func.count()).select_from(EntrepreneurProfile)) == 0


def test_forged_csrf_token_is_refused(client, db, kofi):
    data = {**ENTREPRENEUR_ANSWERS["business"], "csrf_token": "forged"}
    assert client.post("/profile/edit/business", data=data).status_code == 400
    assert db.scalar(select(func.count()).select_from(EntrepreneurProfile)) == 0


# --- every step page is usable without sight of the layout ------------------------------

CONTROL_RE = re.compile(r"<(input|select|textarea)\b([^>]*)>")


def unlabelled_controls(html):
    """Ids of visible form controls that have no <label for=...>."""
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    missing = []
    for _tag, attrs in CONTROL_RE.findall(html):
        if 'type="hidden"' in attrs:
            continue
        control_id = re.search(r'(?:^|\s)id="([^"]+)"', attrs)
        if not control_id or control_id.group(1) not in labelled:
            missing.append(attrs)
    return missing


@pytest.mark.parametrize(
    ("login", "role"),
    [("amina@example.org", Role.ENTREPRENEUR), ("fatou@example.org", Role.DIASPORA)],
)
def test_every_step_has_one_heading_and_a_label_for_each_control(client, people, auth, login, role):
    auth.login(login)
    for step in service.steps_for(role):
        html = client.get(f"/profile/edit/{step.name}").get_data(as_text=True)
        assert html.count("<h1") == 1, step.name
        assert unlabelled_controls(html) == [], step.name
    for page in ("/profile", f"/people/entrepreneurs/{people.amina.id}"):
        assert client.get(page).get_data(as_text=True).count("<h1") == 1


# --- the domain module works without Flask (the API and imports reuse it) ------------------


def test_service_refuses_a_region_of_another_country_and_changes_nothing(db, people):
    amina = people.amina
    with pytest.raises(service.ProfileInputError) as refused:
        service.save_step(db, amina.user, "where", {"country_code": "NG", "region_code": "ET-OR"})
    assert refused.value.errors == {"region_code": '"ET-OR" is not a known region of Nigeria.'}
    assert (amina.country_code, amina.region_code) == ("NG", "NG-KN")


def test_service_needs_the_first_step_before_the_others(db):
    user = builders.make_user(db, Role.DIASPORA, "Abdi Hassan", "abdi@example.org")
    with pytest.raises(service.ProfileMissing):
        service.save_step(db, user, "roots", {"origin_regions": ["SO-BN"]})
    assert user.diaspora_profile is None


def test_two_saves_at_once_get_a_clear_conflict_page(client, kofi, post_form, monkeypatch):
    def created_meanwhile(*args, **kwargs):
        raise IntegrityError("INSERT", {}, Exception("duplicate key user_id"))

    monkeypatch.setattr(service, "save_step", created_meanwhile)
    response = post_form("/profile/edit/business", ENTREPRENEUR_ANSWERS["business"])
    assert response.status_code == 409
    assert "Reload the page" in response.get_data(as_text=True)
