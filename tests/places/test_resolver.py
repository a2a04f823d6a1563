"""Placing what people write: agreeing evidence decides, a doubt is a question, never a guess."""

from __future__ import annotations

import pytest

from mentormatch.places import Status, resolve, resolve_many


def test_town_and_province_place_a_person_in_the_first_level_region() -> None:
    placement = resolve("PH", "Liloan, Cebu")
    assert (placement.region_code, placement.status) == ("PH-07", Status.RESOLVED)
    assert placement.locality == "Liloan, Cebu"
    assert 0.5 <= placement.confidence <= 1
    assert placement.message == "We placed you in Central Visayas (Region VII), Philippines."


def test_a_town_in_two_regions_is_a_choice_between_them_not_a_guess() -> None:
    # GeoNames has a Sogod in Cebu (Central Visayas, 3,000 people) and one in Southern
    # Leyte (Eastern Visayas, 8,300), and two more elsewhere: no size settles it.
    placement = resolve("PH", "Sogod")
    assert placement.status is Status.AMBIGUOUS
    assert placement.region_code is None
    assert {"PH-07", "PH-08"} <= {c.region_code for c in placement.candidates}
    assert "could be in" in placement.message
    assert "Central Visayas" in placement.message and "Eastern Visayas" in placement.message


def test_a_town_ten_times_bigger_than_its_namesakes_takes_the_name() -> None:
    # Liloan in Cebu has 49,000 people in GeoNames, the Liloan of Southern Leyte 3,500.
    placement = resolve("PH", "Liloan")
    assert (placement.region_code, placement.status) == ("PH-07", Status.RESOLVED)
    assert placement.confidence == pytest.approx(0.6)


def test_another_name_of_a_big_city_does_not_take_a_town_s_own_name() -> None:
    # 'Quezon' is also a name of Quezon City (Metro Manila, 3 million people); the town of
    # Quezon in Palawan keeps its name.
    assert resolve("PH", "Quezon, Palawan").region_code == "PH-41"


def test_the_other_parts_decide_between_namesake_towns() -> None:
    assert resolve("PH", "Sogod Leyte").region_code == "PH-08"
    assert resolve("PH", "Sogod Cebu").region_code == "PH-07"


@pytest.mark.parametrize(
    ("country", "text"),
    [("KH", "ភ្នំពេញ"), ("PS", "رام الله"), ("IN", "वाराणसी"), ("TJ", "Хуҷанд")],
)
def test_text_in_another_script_is_unreadable_and_asks_for_the_region(
    country: str, text: str
) -> None:
    placement = resolve(country, text)
    assert placement.status is Status.UNREADABLE
    assert placement.region_code is None
    assert "Latin letters" in placement.message and "choose your region" in placement.message


def test_a_place_that_matches_nothing_is_unresolved_and_says_so() -> None:
    placement = resolve("KE", "Qwzxy Plains")
    assert (placement.status, placement.region_code) == (Status.UNRESOLVED, None)
    assert placement.message == (
        "We could not find “Qwzxy Plains” in Kenya: choose your region from the list."
    )


def test_a_misspelt_province_is_still_found() -> None:
    assert resolve("PH", "Binalbagan 2, Negros Occicental").region_code == "PH-06"


def test_spellings_pycountry_lacks_come_from_the_alias_file() -> None:
    assert resolve("KH", "Battambang").region_code == "KH-2"  # pycountry: Baat Dambang
    assert resolve("TJ", "Viloyati Sughd").region_code == "TJ-SU"
    assert resolve("KE", "Nairobi").region_code == "KE-30"  # pycountry: Nairobi City
    assert resolve("PE", "Callao").region_code == "PE-CAL"  # pycountry: El Callao


def test_a_name_inside_a_longer_name_is_not_taken_for_it() -> None:
    # San Andrés de Sotavento is in Córdoba, not on the islands of San Andrés.
    assert resolve("CO", "San Andrés de Sotavento").region_code == "CO-COR"
    # San Juan de Lurigancho, a district of Lima the tables lack, is none of Peru's San Juans.
    assert resolve("PE", "San Juan de Lurigancho").region_code is None


def test_a_city_is_not_read_as_the_province_of_the_same_name() -> None:
    # Quezon City is in Metro Manila; Quezon province is in Calabarzon.
    assert resolve("PH", "Payatas-B, Commonwealth, Quezon City").region_code == "PH-00"
    assert resolve("PH", "Quezon").region_code == "PH-40"


def test_empty_text_asks_for_the_region_and_an_unknown_country_is_refused() -> None:
    assert resolve("KE", "  ").status is Status.UNRESOLVED
    assert resolve("KE", "").message == "Choose your region of Kenya from the list."
    with pytest.raises(ValueError):
        resolve("XX", "Nairobi")


def test_the_batch_form_gives_the_same_answers_in_order() -> None:
    pairs = [("PH", "Liloan, Cebu"), ("KE", "Kisumu"), ("PH", "Liloan, Cebu")]
    assert resolve_many(pairs) == [resolve(cc, text) for cc, text in pairs]
