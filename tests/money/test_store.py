"""Rates in the database: the newest of each currency is used, history is kept, the seed
file is loaded everywhere and never overwrites a coordinator's rate."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select

from mentormatch.models import ExchangeRate
from mentormatch.money.rates import Rate
from mentormatch.money.store import StoreReport, latest_rates, load_seed_rates, store_rates
from tests.money import ECB_DAY, SEED_DAY, SEED_RATE_COUNT, rate_rows


def test_every_test_starts_with_the_seed_rates(db):
    rates = latest_rates(db)
    assert len(rates) == SEED_RATE_COUNT
    naira = rates.get("NGN")
    assert naira.as_of == SEED_DAY and naira.source.startswith("MentorMatch seed file")
    assert rates.to_usd(2000, "eur") == pytest.approx(2320)
    assert rates.to_usd(100, "USD") == 100
    assert 3000 < rates.to_usd(5_000_000, "NGN") < 5000
    assert rates.to_usd(100, "XYZ") is None and rates.to_usd(100, None) is None


def test_the_newest_rate_of_a_currency_is_used_and_the_older_ones_are_kept(db):
    store_rates(
        db,
        [
            Rate("NGN", 0.00066, ECB_DAY, "Central bank, checked by the programme office"),
            Rate("NGN", 0.00070, date(2026, 1, 5), "An older check"),
        ],
    )
    assert latest_rates(db).get("NGN") == Rate(
        "NGN", 0.00066, ECB_DAY, "Central bank, checked by the programme office"
    )
    assert latest_rates(db).as_of("ngn") == ECB_DAY
    history = db.scalars(
        select(ExchangeRate.as_of).where(ExchangeRate.currency == "NGN").order_by("as_of")
    ).all()
    assert history == [SEED_DAY, date(2026, 1, 5), ECB_DAY]


def test_loading_a_currency_and_date_again_corrects_that_rate(db):
    report = store_rates(db, [Rate("NGN", 0.0007, SEED_DAY, "Corrected by the coordinator")])
    assert report == StoreReport(added=0, replaced=1)
    assert latest_rates(db).get("NGN").usd_per_unit == 0.0007
    assert rate_rows(db) == SEED_RATE_COUNT


def test_seeding_again_never_overwrites_a_rate_a_coordinator_loaded(db):
    store_rates(db, [Rate("NGN", 0.0007, SEED_DAY, "Corrected by the coordinator")])
    load_seed_rates(db)
    assert latest_rates(db).get("NGN").source == "Corrected by the coordinator"


def test_a_currency_is_offered_only_once_it_has_a_rate(db):
    offered = latest_rates(db).offered()
    assert {"USD", "EUR", "NGN", "XOF", "GHS", "ETB"} <= set(offered)
    assert "BIF" not in offered  # Burundi's franc: no rate in the seed file
    store_rates(db, [Rate("BIF", 0.00034, ECB_DAY, "Bank of the Republic of Burundi")])
    assert "BIF" in latest_rates(db).offered()


def test_seed_loads_the_rates_before_the_profiles_that_need_them(runner, db):
    db.execute(delete(ExchangeRate))
    db.commit()
    result = runner.invoke(args=["seed", "--no-demo-accounts"])
    assert result.exit_code == 0, result.output
    assert f"{SEED_RATE_COUNT} exchange rates" in result.output
    assert "Imported 320 entrepreneurs" in result.output
    assert rate_rows(db) == SEED_RATE_COUNT
