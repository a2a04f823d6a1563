"""Commands print for people in the terminal's language (LANG), and keep their English
names, options and file formats (the CLI and the CSV columns are contracts)."""

from __future__ import annotations

from tests.test_cli import EXAMPLES

FRENCH_TERMINAL = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "fr_FR.UTF-8"}


def test_import_profiles_reports_in_french_in_a_french_terminal(runner):
    path = EXAMPLES / "entrepreneurs_bad_example.csv"
    result = runner.invoke(
        args=["import-profiles", str(path), "--skip-invalid"], env=FRENCH_TERMINAL
    )
    assert result.exit_code == 0, result.output
    assert "3 problèmes dans 1 des 2 lignes" in result.output
    assert "1 entrepreneur importé depuis" in result.output
    assert "lignes sautées : 3" in result.output
    assert "Imported" not in result.output


def test_an_english_or_unknown_terminal_gets_english(runner):
    path = EXAMPLES / "diaspora_example.csv"
    result = runner.invoke(
        args=["import-profiles", str(path)], env={**FRENCH_TERMINAL, "LANG": "C.UTF-8"}
    )
    assert result.exit_code == 0, result.output
    assert "Imported 3 diaspora members" in result.output


def test_a_bad_rate_file_is_explained_in_arabic_in_an_arabic_terminal(runner, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(
        "currency,usd_per_unit,as_of,source\nXOF,lots,2026-11-27,Programme office\n",
        encoding="utf-8",
    )
    arabic = {**FRENCH_TERMINAL, "LANG": "ar_MA.UTF-8"}
    result = runner.invoke(args=["rates", "load", str(path)], env=arabic)
    assert result.exit_code == 1
    assert 'السطر 2، العمود 2 (usd_per_unit): "lots" ليس رقمًا مثل 1.0567.' in result.output
    assert "لم يُحمَّل شيء" in result.output and "Nothing was loaded" not in result.output
