"""One set of profile rules: the same bad answer typed in the wizard and written in an import
row gets the same message (profiles/rules.py is the only place they are decided).

Kofi (cassava mill in Ejisu, Ghana) and Wanjiru (dairy farmer in the Netherlands, from
Nakuru) fill the wizard; the same answers are rows of an import file. Each case spoils one
answer the same way in both and expects the same message, which must also say what the
brief asks it to say.
"""

from __future__ import annotations

import html as html_module
import re

import pytest

from mentormatch.importer import DIASPORA, ENTREPRENEURS, import_records
from mentormatch.models import Role
from tests.test_profiles import DIASPORA_ANSWERS, ENTREPRENEUR_ANSWERS, fill_steps, log_in_new

KOFI_ROW = {
    "full_name": "Kofi Mensah",
    "email": "kofi.mill@example.org",
    "phone": "+233 24 123 4567",
    "business_name": "Kofi Cassava Mill",
    "description": "We mill cassava into gari for markets in Kumasi.",
    "stage": "growing",
    "country": "GH",
    "region": "GH-AH",
    "locality": "Ejisu",
    "value_chains": "roots_tubers;agro_processing",
    "skills_needed": "processing_packaging;marketing",
    "languages": "eng;aka;Ewe",
    "seeking_investment": "yes",
    "investment_amount": "12,000",
    "investment_currency": "GHS",
    "investment_instruments": "loan;in_kind",
    "is_youth_led": "yes",
}
WANJIRU_ROW = {
    "full_name": "Wanjiru Kamau",
    "email": "wanjiru@example.org",
    "phone": "+31 6 1234 5678",
    "headline": "Dairy farmer in the Netherlands, from Nakuru",
    "residence_country": "NL",
    "origin_regions": "KE-31",
    "interest_regions": "KE-31;KE-32",
    "value_chains": "dairy",
    "preferred_stages": "starting;growing",
    "skills_offered": "animal_health;cooperative_governance",
    "languages": "eng;swa",
    "offers_coaching": "yes",
    "mentee_capacity": "3",
    "hours_per_month": "8",
    "offers_investment": "yes",
    "ticket_min": "1000",
    "ticket_max": "15000",
    "ticket_currency": "EUR",
    "investment_instruments": "loan;equity",
}
E, D = ENTREPRENEUR_ANSWERS, DIASPORA_ANSWERS
LONG = "x" * 2001


# (who, wizard step, wizard answers, import cells changed, wizard field, import column,
#  what the message must say)
CASES = [
    ("kofi", "business", {**E["business"], "business_name": " "}, {"business_name": " "},
     "business_name", "business_name", "Enter the name of the business."),
    ("kofi", "business", {**E["business"], "description": LONG}, {"description": LONG},
     "description", "description", "Keep this to 2,000 characters or fewer; it has 2,001."),
    ("kofi", "where", {**E["where"], "region_code": "NG-KN"}, {"region": "NG-KN"},
     "region_code", "region", '"NG-KN" is not a known region of Ghana.'),
    ("kofi", "value-chains", {"value_chains": []}, {"value_chains": ""},
     "value_chains", "value_chains", "Choose at least one value chain."),
    ("kofi", "value-chains",
     {"value_chains": ["coffee", "cocoa", "tea", "dairy", "poultry", "rice"]},
     {"value_chains": "coffee;cocoa;tea;dairy;poultry;rice"},
     "value_chains", "value_chains", "Choose at most 5 value chains, the main ones."),
    ("kofi", "needs", {"skills_needed": ["marketing"], "other_languages": ""}, {"languages": ""},
     "languages", "languages", "Choose at least one language"),
    ("kofi", "investment", {**E["investment"], "investment_amount": "lots"},
     {"investment_amount": "lots"},
     "investment_amount", "investment_amount", "Enter a whole number, for example 5000."),
    ("kofi", "investment", {**E["investment"], "investment_amount": "0"},
     {"investment_amount": "0"},
     "investment_amount", "investment_amount", "Enter a whole number from 1 to 2,000,000,000."),
    ("kofi", "investment", {**E["investment"], "investment_amount": ""},
     {"investment_amount": ""},
     "investment_amount", "investment_amount", "Enter the amount sought"),
    ("kofi", "investment", {**E["investment"], "investment_currency": "BIF"},
     {"investment_currency": "BIF"},
     "investment_currency", "investment_currency", "There is no exchange rate for BIF"),
    ("kofi", "contact", {**E["contact"], "contact_phone": "024 412"}, {"phone": "024 412"},
     "contact_phone", "phone", "is too short for a phone number in Ghana"),
    ("kofi", "contact", {**E["contact"], "contact_phone": "0803 123 4567 ext 9"},
     {"phone": "0803 123 4567 ext 9"},
     "contact_phone", "phone", "has characters a phone number does not have"),
    ("kofi", "contact", {**E["contact"], "contact_email": "kofi at example"},
     {"email": "kofi at example"},
     "contact_email", "email", "is not an email address"),
    ("wanjiru", "about", {**D["about"], "headline": "h" * 141}, {"headline": "h" * 141},
     "headline", "headline", "Keep this to 140 characters or fewer; it has 141."),
    ("wanjiru", "roots", {"origin_regions": [], "interest_regions": ["KE-31"]},
     {"origin_regions": ""},
     "origin_regions", "origin_regions", "Choose at least one region of origin."),
    ("wanjiru", "offers", {**D["offers"], "mentee_capacity": "0"}, {"mentee_capacity": "0"},
     "mentee_capacity", "mentee_capacity", "Enter a whole number from 1 to 20."),
    ("wanjiru", "offers", {**D["offers"], "mentee_capacity": ""}, {"mentee_capacity": ""},
     "mentee_capacity", "mentee_capacity", "Enter how many entrepreneurs can be coached"),
    ("wanjiru", "offers", {**D["offers"], "hours_per_month": "200"}, {"hours_per_month": "200"},
     "hours_per_month", "hours_per_month", "Enter a whole number from 0 to 160."),
    ("wanjiru", "offers", {**D["offers"], "ticket_min": "20000", "ticket_max": "2000"},
     {"ticket_min": "20000", "ticket_max": "2000"},
     "ticket_max", "ticket_max", "must be at least the smallest amount (20,000)."),
    ("wanjiru", "offers", {}, {"offers_coaching": "no", "offers_investment": "no"},
     "offers_coaching", "offers_coaching", "Choose coaching, investment or both."),
]  # fmt: skip


def wizard_message(html: str, field: str) -> str:
    """The message shown next to a field of a refused step."""
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    assert match, f"no message by {field}"
    return html_module.unescape(match.group(1)).strip()


def import_message(db, who: str, changes: dict[str, str], column: str) -> str:
    """The message an import gives for the column, as "row 2, column X: <message>"."""
    kind, row = (ENTREPRENEURS, KOFI_ROW) if who == "kofi" else (DIASPORA, WANJIRU_ROW)
    result = import_records(db, kind, [(2, {**row, **changes})])
    found = [error.message for error in result.errors if error.column == column]
    assert found, [str(error) for error in result.errors]
    return found[0]


@pytest.mark.parametrize(
    ("who", "step", "answers", "changes", "field", "column", "expected"),
    CASES,
    ids=[f"{case[1]}:{case[4]}:{i}" for i, case in enumerate(CASES)],
)
def test_the_wizard_and_the_import_refuse_the_same_answer_with_the_same_message(
    db, auth, post_form, who, step, answers, changes, field, column, expected
):
    if who == "kofi":
        log_in_new(db, auth, Role.ENTREPRENEUR, "Kofi Mensah", "kofi@example.org")
        before = {name: data for name, data in E.items() if name != "contact"}
    else:
        log_in_new(db, auth, Role.DIASPORA, "Wanjiru Kamau", "wanjiru@example.org")
        before = {"about": D["about"], "roots": D["roots"]}
    if step != "business" and step != "about":
        fill_steps(post_form, before)
    response = post_form(f"/profile/edit/{step}", answers)
    assert response.status_code == 400

    in_wizard = wizard_message(response.get_data(as_text=True), field)
    db.rollback()
    in_import = import_message(db, who, changes, column)

    assert in_wizard == in_import
    assert expected in in_import


def test_the_good_answers_pass_both_ways(db, auth, post_form):
    """The rows above are good before they are spoiled: each failure is the one case."""
    assert import_records(db, ENTREPRENEURS, [(2, KOFI_ROW)]).ok
    assert import_records(db, DIASPORA, [(2, WANJIRU_ROW)]).ok
    log_in_new(db, auth, Role.ENTREPRENEUR, "Kofi Mensah", "kofi@example.org")
    fill_steps(post_form, E)
