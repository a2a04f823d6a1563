"""One currency rule for the wizard and the CSV import: an amount is accepted only in a
currency that has an exchange rate, with the same message both ways."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import select

from mentormatch.importer import import_profiles
from mentormatch.models import DiasporaProfile, EntrepreneurProfile, Role
from mentormatch.money.store import latest_rates
from tests.money import RATE_FILES
from tests.test_importer import MENTOR_ROW, csv_bytes, entrepreneur
from tests.test_profiles import DIASPORA_ANSWERS, ENTREPRENEUR_ANSWERS, log_in_new


def field_error(html: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    assert found, f"no error shown by {field}"
    return html_lib.unescape(found.group(1)).strip()


def wizard_refuses(client, db, auth, post_form, role, step, answers):
    """Fill the wizard up to `step` and post it; return the message by the currency field."""
    if role is Role.ENTREPRENEUR:
        log_in_new(db, auth, role, "Kofi Mensah", "kofi@example.org")
    else:
        log_in_new(db, auth, role, "Wanjiru Kamau", "wanjiru@example.org")
    steps = ENTREPRENEUR_ANSWERS if role is Role.ENTREPRENEUR else DIASPORA_ANSWERS
    for name, data in steps.items():
        if name == step:
            break
        assert post_form(f"/profile/edit/{name}", data).status_code == 302
    response = post_form(f"/profile/edit/{step}", answers)
    assert response.status_code == 400
    return field_error(response.get_data(as_text=True), next(k for k in answers if "currency" in k))


@pytest.mark.parametrize(
    ("role", "step", "field", "row", "compared"),
    [
        (
            Role.ENTREPRENEUR,
            "investment",
            "investment_currency",
            entrepreneur(1, investment_currency="BIF"),
            "the amount cannot be compared with investors' tickets",
        ),
        (
            Role.DIASPORA,
            "offers",
            "ticket_currency",
            {**MENTOR_ROW, "offers_investment": "yes", "ticket_min": "1000",
             "ticket_max": "15000", "ticket_currency": "bif"},
            "the ticket cannot be compared with the amounts entrepreneurs seek",
        ),
    ],
)  # fmt: skip
def test_wizard_and_import_refuse_a_currency_without_a_rate_with_the_same_message(
    client, db, auth, post_form, role, step, field, row, compared
):
    steps = ENTREPRENEUR_ANSWERS if role is Role.ENTREPRENEUR else DIASPORA_ANSWERS
    answers = {**steps[step], field: "BIF"}
    in_wizard = wizard_refuses(client, db, auth, post_form, role, step, answers)
    result = import_profiles(db, csv_bytes(row))
    in_import = [str(error) for error in result.errors]

    assert in_import == [f"row 2, column {field}: {in_wizard}"]
    assert in_wizard.startswith(f"There is no exchange rate for BIF, so {compared}; use one of ")
    assert "NGN" in in_wizard and "EUR" in in_wizard
    assert in_wizard.endswith("or ask a coordinator to load rates.")
    assert result.created == 0
    db.expire_all()
    profile_model = EntrepreneurProfile if role is Role.ENTREPRENEUR else DiasporaProfile
    saved = db.scalars(select(getattr(profile_model, field))).all()
    assert saved == [None]  # the wizard's profile has no currency; the import wrote nothing


def test_the_import_ignores_a_currency_column_nobody_uses(db):
    row = entrepreneur(1, seeking_investment="no", investment_amount="", investment_currency="BIF")
    assert import_profiles(db, csv_bytes(row)).ok


def currency_options(html: str, field: str) -> list[str]:
    select_html = re.search(rf'<select[^>]*name="{field}".*?</select>', html, re.S)
    assert select_html
    return re.findall(r'<option[^>]*value="([A-Z]{3})"', select_html.group(0))


def selected(html: str, field: str) -> str | None:
    select_html = re.search(rf'<select[^>]*name="{field}".*?</select>', html, re.S)
    assert select_html
    found = re.search(
        r'<option selected value="([A-Z]*)"|<option value="([A-Z]*)" selected', select_html.group(0)
    )
    return (found.group(1) or found.group(2)) if found else None


def test_the_wizard_lists_only_currencies_with_a_rate_and_proposes_one_that_has_one(
    client, db, auth, post_form, runner
):
    log_in_new(db, auth, Role.ENTREPRENEUR, "Pierre Ndayishimiye", "pierre@example.org")
    post_form("/profile/edit/business", ENTREPRENEUR_ANSWERS["business"])
    post_form("/profile/edit/where", {"country_code": "BI", "region_code": "BI-GI"})
    html = client.get("/profile/edit/investment").get_data(as_text=True)
    offered = currency_options(html, "investment_currency")
    assert offered == latest_rates(db).offered()
    assert "BIF" not in offered
    # Burundi's franc has no rate, so the form proposes dollars rather than an amount nobody
    # could compare.
    assert selected(html, "investment_currency") == "USD"
    assert "Only currencies with an exchange rate are listed" in html

    runner.invoke(args=["rates", "load", str(RATE_FILES / "mentormatch_rates.csv")])
    html = client.get("/profile/edit/investment").get_data(as_text=True)
    assert "BIF" in currency_options(html, "investment_currency")
    assert selected(html, "investment_currency") == "BIF"
