"""The 'where' step: a country and a town are enough; the town is placed in a region that the
person confirms or corrects, and a doubt is a choice, never a silent guess."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mentormatch.models import EntrepreneurProfile, RegionSource
from mentormatch.profiles import service
from tests.test_profiles import ENTREPRENEUR_ANSWERS, kofi  # noqa: F401  (fixture)

WHERE = "/profile/edit/where"


@pytest.fixture
def started(kofi, post_form):  # noqa: F811
    """Kofi has saved the first step; the 'where' step is next."""
    assert post_form("/profile/edit/business", ENTREPRENEUR_ANSWERS["business"]).status_code == 302


def save_where(post_form, country: str, locality: str = "", shown: str | None = None, **choice):
    """Post the 'where' step; `shown` is the locality whose placement the page showed."""
    data = {"country_code": country, "locality": locality, **choice}
    if shown is not None:
        data["checked_locality"] = shown
    return post_form(WHERE, data)


def profile(db) -> EntrepreneurProfile:
    db.expire_all()
    return db.scalars(select(EntrepreneurProfile)).one()


def place(db) -> tuple[str | None, RegionSource]:
    saved = profile(db)
    return saved.region_code, saved.region_source


def test_a_town_is_placed_shown_and_confirmed_as_chosen(client, db, started, post_form):
    response = save_where(post_form, "PH", "Liloan, Cebu")
    # The same step again, saying where the town was placed.
    assert response.status_code == 302 and response.headers["Location"].endswith(WHERE)
    assert place(db) == ("PH-07", RegionSource.RESOLVED)
    assert 0.5 <= profile(db).region_confidence <= 1
    html = client.get(WHERE).get_data(as_text=True)
    assert "We placed you in Central Visayas (Region VII), Philippines." in html
    assert 'href="#region_code">Change the region</a>' in html

    # Confirming = saving the page as shown: the guessed region is now the person's choice.
    confirm = save_where(post_form, "PH", "Liloan, Cebu", "Liloan, Cebu", region_code="PH-07")
    assert confirm.headers["Location"].endswith("/profile/edit/value-chains")
    assert place(db) == ("PH-07", RegionSource.CHOSEN)
    assert profile(db).region_confidence is None


def test_the_person_corrects_the_guess_and_their_choice_wins(db, started, post_form):
    save_where(post_form, "PH", "Liloan, Cebu")
    save_where(post_form, "PH", "Liloan, Cebu", "Liloan, Cebu", region_code="PH-08")
    assert place(db) == ("PH-08", RegionSource.CHOSEN)


def test_a_new_town_on_the_check_page_is_placed_again_not_kept_as_the_old_guess(
    db, started, post_form
):
    save_where(post_form, "PH", "Liloan, Cebu")
    # The region list still shows the old guess (Central Visayas) when the town is changed.
    response = save_where(
        post_form, "PH", "Tacloban City, Leyte", "Liloan, Cebu", region_code="PH-07"
    )
    assert response.headers["Location"].endswith(WHERE)
    assert place(db) == ("PH-08", RegionSource.RESOLVED)


def test_a_town_in_two_regions_offers_both_and_places_nobody_silently(
    client, db, started, post_form
):
    save_where(post_form, "PH", "Catmon")
    assert place(db) == (None, RegionSource.UNRESOLVED)
    html = client.get(WHERE).get_data(as_text=True)
    assert "could be in Central Visayas (Region VII) or Eastern Visayas (Region VIII)" in html
    assert 'type="radio"' in html and 'value="PH-07"' in html and 'value="PH-08"' in html
    assert "None of these: continue with the country only" in html

    response = save_where(post_form, "PH", "Catmon", "Catmon", suggested_region="PH-08")
    assert response.headers["Location"].endswith("/profile/edit/value-chains")
    assert place(db) == ("PH-08", RegionSource.CHOSEN)


def test_none_of_the_candidates_continues_at_country_level(db, started, post_form):
    save_where(post_form, "PH", "Catmon")
    response = save_where(post_form, "PH", "Catmon", "Catmon", suggested_region="")
    assert response.headers["Location"].endswith("/profile/edit/value-chains")
    kept = profile(db)
    assert (kept.country_code, kept.region_code, kept.locality) == ("PH", None, "Catmon")
    assert "where" not in [s.name for s in service.missing_steps(kept, kept.user.role)]


@pytest.mark.parametrize(
    ("country", "town", "says"),
    [
        ("KE", "Qwzxy Plains", "We could not find “Qwzxy Plains” in Kenya"),
        ("KH", "ភ្នំពេញ", "We cannot read “ភ្នំពេញ” yet: write the town in Latin letters"),
    ],
)
def test_an_unknown_or_unreadable_town_says_so_and_offers_the_region_list(
    client, db, started, post_form, country, town, says
):
    save_where(post_form, country, town)
    assert profile(db).region_code is None
    html = client.get(WHERE).get_data(as_text=True)
    assert says in html
    assert "you will be matched with people who know" in html
    assert 'id="region_code"' in html and ">Choose a region</option>" in html


def test_a_forged_candidate_is_refused(db, started, post_form):
    save_where(post_form, "PH", "Catmon")
    response = save_where(post_form, "PH", "Catmon", suggested_region="PH-00")
    assert response.status_code == 400
    assert profile(db).region_code is None


def test_neither_region_nor_town_says_what_to_write(started, post_form):
    response = save_where(post_form, "KE")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.count("Write the town or village, or choose the region from the list.") >= 2
