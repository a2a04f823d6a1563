"""Reading rate files: the ECB's daily and history files and our own format."""

from __future__ import annotations

from datetime import date

import pytest

from mentormatch.money.files import RateFileError, read_rate_file
from tests.money import ECB_DAY, RATE_FILES, TODAY


def test_the_ecb_daily_file_becomes_dollars_per_unit():
    checked = read_rate_file((RATE_FILES / "eurofxref.csv").read_bytes(), "eurofxref.csv", TODAY)
    rates = {rate.currency: rate for rate in checked.rates}
    assert len(rates) == 30  # 29 currency columns and the euro itself
    assert {rate.as_of for rate in checked.rates} == {ECB_DAY}
    # The file says how many units one euro buys; USD per unit = (USD per euro) / (X per euro).
    assert rates["EUR"].usd_per_unit == pytest.approx(1.0567)
    assert rates["USD"].usd_per_unit == pytest.approx(1.0)
    assert rates["JPY"].usd_per_unit == pytest.approx(1.0567 / 160.12)
    assert rates["GBP"].usd_per_unit == pytest.approx(1.0567 / 0.8312)
    assert rates["IDR"].usd_per_unit == pytest.approx(1.0567 / 20210.45)
    assert rates["JPY"].source == "European Central Bank euro reference rates (eurofxref.csv)"


def test_the_ecb_history_skips_days_without_a_rate_and_withdrawn_currencies():
    data = (RATE_FILES / "eurofxref-hist.csv").read_bytes()
    checked = read_rate_file(data, "eurofxref-hist.csv", TODAY)
    assert checked.dates == [date(2026, 11, 25), date(2026, 11, 26), ECB_DAY]
    # Columns for currencies ISO 4217 no longer lists (all "N/A" in recent years) are left out.
    assert checked.left_out == [
        "BGN", "CYP", "EEK", "HRK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "TRL",
    ]  # fmt: skip
    assert "RUB" not in checked.currencies  # listed, but N/A on every day of the file
    # The Icelandic krona is N/A on 26 November: no rate that day, the other days kept.
    krona = sorted(rate.as_of for rate in checked.rates if rate.currency == "ISK")
    assert krona == [date(2026, 11, 25), ECB_DAY]
    usd_per_euro = {
        rate.as_of: rate.usd_per_unit for rate in checked.rates if rate.currency == "EUR"
    }
    assert usd_per_euro[date(2026, 11, 26)] == pytest.approx(1.0541)


def test_our_own_format_keeps_each_rows_source():
    data = (RATE_FILES / "mentormatch_rates.csv").read_bytes()
    checked = read_rate_file(data, "mentormatch_rates.csv", TODAY)
    assert [(r.currency, r.usd_per_unit, r.as_of) for r in checked.rates] == [
        ("NGN", 0.00066, ECB_DAY),
        ("XOF", 0.001611, ECB_DAY),
        ("BIF", 0.00034, ECB_DAY),
    ]
    assert checked.rates[1].source.startswith("Fixed parity: 655.957 XOF per euro")


OUR_HEADER = "currency,usd_per_unit,as_of,source\n"


def test_read_rate_file_raises_with_every_problem():
    data = (OUR_HEADER + "XYZ,1,2026-11-27,A\nNGN,-1,2026-11-27,B\n").encode()
    with pytest.raises(RateFileError) as caught:
        read_rate_file(data, "rates.csv", TODAY)
    assert [problem.split(":")[0] for problem in caught.value.problems] == [
        "line 2, column 1 (currency)",
        "line 3, column 2 (usd_per_unit)",
    ]
