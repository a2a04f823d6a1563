"""`flask rates load FILE` and `flask rates list`, with good files and bad ones."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select

from mentormatch.models import ExchangeRate
from mentormatch.money.store import latest_rates
from tests.money import ECB_DAY, RATE_FILES, SEED_DAY, SEED_RATE_COUNT, rate_rows


def test_rates_load_stores_the_ecb_daily_file_and_says_what_it_did(runner, db):
    result = runner.invoke(args=["rates", "load", str(RATE_FILES / "eurofxref.csv")])
    assert result.exit_code == 0, result.output
    assert "Loaded rates for 30 currencies dated 2026-11-27 from eurofxref.csv" in result.output
    # Currencies the ECB does not publish keep the rate they had, and the output says so.
    assert "NGN (2025-10-31)" in result.output and "XOF (2025-10-31)" in result.output
    rates = latest_rates(db)
    assert rates.get("EUR").usd_per_unit == pytest.approx(1.0567)
    assert rates.get("EUR").as_of == ECB_DAY
    assert rates.get("NGN").as_of == SEED_DAY
    assert "BRL" in rates.offered()  # new currencies become choosable

    listing = runner.invoke(args=["rates", "list"])
    assert listing.exit_code == 0, listing.output
    lines = {line.split()[0]: line.split(None, 3) for line in listing.output.splitlines()}
    assert lines["EUR"] == [
        "EUR", "1.0567", "2026-11-27", "European Central Bank euro reference rates (eurofxref.csv)",
    ]  # fmt: skip
    assert lines["NGN"][1:3] == ["0.00069", "2025-10-31"]
    assert lines["NGN"][3].startswith("MentorMatch seed file")


def test_rates_load_reads_the_ecb_history_file(runner, db):
    result = runner.invoke(args=["rates", "load", str(RATE_FILES / "eurofxref-hist.csv")])
    assert result.exit_code == 0, result.output
    assert "on 3 dates from 2026-11-25 to 2026-11-27" in result.output
    assert "Left out BGN, CYP, EEK" in result.output
    assert latest_rates(db).get("EUR").usd_per_unit == pytest.approx(1.0567)
    euro_days = db.scalars(select(ExchangeRate.as_of).where(ExchangeRate.currency == "EUR"))
    assert sorted(euro_days) == [SEED_DAY, date(2026, 11, 25), date(2026, 11, 26), ECB_DAY]
    # Loading the same file again corrects those days instead of adding rows.
    rows = rate_rows(db)
    again = runner.invoke(args=["rates", "load", str(RATE_FILES / "eurofxref-hist.csv")])
    assert again.exit_code == 0 and "0 new" in again.output
    assert rate_rows(db) == rows


def test_rates_load_reads_our_own_format(runner, db):
    result = runner.invoke(args=["rates", "load", str(RATE_FILES / "mentormatch_rates.csv")])
    assert result.exit_code == 0, result.output
    assert "Loaded rates for 3 currencies dated 2026-11-27" in result.output
    assert latest_rates(db).get("BIF").usd_per_unit == 0.00034


ECB_HEADER = "Date, USD, JPY, \n"
OUR_HEADER = "currency,usd_per_unit,as_of,source\n"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            ECB_HEADER + "27 November 2026, 1.0567, abc, \n",
            'line 2, column 3 (JPY): "abc" is not a number such as 1.0567.',
        ),
        (
            ECB_HEADER + "27 Novembre 2026, 1.0567, 160.12, \n",
            'line 2, column 1 (Date): "27 Novembre 2026" is not a date; '
            "write it as 2026-11-28 or 28 November 2026.",
        ),
        (
            ECB_HEADER + "2027-01-04, 1.0567, 160.12, \n",
            "line 2, column 1 (Date): 2027-01-04 is after today.",
        ),
        (
            ECB_HEADER + "27 November 2026, 1,0567, 160.12, \n",
            "line 2: has 4 cells but the header has 3 columns.",
        ),
        (
            "Date,USD,JPY,\n2026-11-27,N/A,160.12,\n",
            "line 2, column 2 (USD): the US dollar rate is needed to turn the other rates "
            "into US dollars.",
        ),
        (
            "Date, JPY, GBP, \n27 November 2026, 160.12, 0.8312, \n",
            "line 1: there is no USD column; the rates are turned into US dollars through it.",
        ),
        (
            "Date,USD,JPY,\n2026-11-27,1.0567,160.12,\n2026-11-27,1.0541,159.87,\n",
            "line 3, column 1 (Date): 2026-11-27 is also on line 2.",
        ),
        (
            OUR_HEADER + "XYZ,1.5,2026-11-27,Programme office\n",
            'line 2, column 1 (currency): "XYZ" is not an ISO 4217 currency code such as NGN.',
        ),
        (
            OUR_HEADER + 'NGN,"0,00066",2026-11-27,Programme office\n',
            'line 2, column 2 (usd_per_unit): "0,00066" is not a number such as 1.0567 '
            "(use a dot for decimals).",
        ),
        (
            OUR_HEADER + "NGN,0,2026-11-27,Programme office\n",
            "line 2, column 2 (usd_per_unit): a rate must be more than 0.",
        ),
        (
            OUR_HEADER + "NGN,0.00066,2026-11-27,\n",
            "line 2, column 4 (source): say who published the rate, in one line of at most "
            "200 characters.",
        ),
        (
            OUR_HEADER + "NGN,0.00066,2026-11-27,A\nNGN,0.00067,2026-11-27,B\n",
            "line 3, column 3 (as_of): NGN on 2026-11-27 is also on line 2.",
        ),
        (
            "currency,usd_per_unit,as_of\nNGN,0.00066,2026-11-27\n",
            "line 1: the header needs exactly the columns currency,usd_per_unit,as_of,source "
            "(missing source).",
        ),
        (
            "Currency;Rate\nNGN;0.00066\n",
            "line 1: the header is neither the ECB's (Date, USD, JPY, ...) nor ours "
            '(currency,usd_per_unit,as_of,source); it starts with "Currency;Rate".',
        ),
        ("", "the file is empty: it needs a header line and rates below it."),
        (ECB_HEADER, "the file has a header line but no rates below it."),
    ],
)
def test_a_bad_rate_file_is_refused_with_line_and_column_and_nothing_is_stored(
    runner, db, tmp_path, content, problem
):
    path = tmp_path / "rates.csv"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(args=["rates", "load", str(path)])
    assert result.exit_code == 1
    assert f"  {problem}\n" in result.output
    assert "Nothing was loaded" in result.output
    assert rate_rows(db) == SEED_RATE_COUNT


def test_one_bad_cell_keeps_the_good_rows_of_the_file_out_too(runner, db, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(
        OUR_HEADER + "NGN,0.00066,2026-11-27,Programme office\nXOF,lots,2026-11-27,Programme\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["rates", "load", str(path)])
    assert result.exit_code == 1
    assert 'line 3, column 2 (usd_per_unit): "lots" is not a number' in result.output
    assert latest_rates(db).get("NGN").as_of == SEED_DAY


def test_a_file_that_is_not_utf8_is_refused(runner, db, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_bytes((OUR_HEADER + "NGN,0.00066,2026-11-27,Banque centrale é\n").encode("latin-1"))
    result = runner.invoke(args=["rates", "load", str(path)])
    assert result.exit_code == 1
    assert "line 2: the file is not UTF-8 text" in result.output


def test_rates_list_says_when_nothing_is_loaded(runner, db):
    db.execute(delete(ExchangeRate))
    db.commit()
    result = runner.invoke(args=["rates", "list"])
    assert result.exit_code == 1
    assert "No exchange rates are loaded" in result.output
