"""Every language is complete: no missing, fuzzy or untranslated message, plurals with the
language's number of forms, the same placeholders as the source; and messages.pot holds
exactly what the code marks today (`make messages` was run).

A language appended to mentormatch.i18n.LANGUAGES is checked here without any change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.i18n import catalogues
from tests.i18n.catalogues import TRANSLATED, msgid, placeholders, where


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders(language: str) -> None:
    problems = catalogues.problems_of(language)
    assert not problems, f"{len(problems)} problems in {language}:\n" + "\n".join(problems)


def test_messages_pot_holds_what_the_code_marks_today(tmp_path: Path) -> None:
    fresh = catalogues.extracted(tmp_path / "messages.pot")
    committed = catalogues.template()
    in_code = {(m.id, m.context): m for m in fresh if m.id}
    in_pot = {(m.id, m.context): m for m in committed if m.id}
    new = [f"{where(in_code[key])}: {msgid(in_code[key])!r}" for key in in_code.keys() - in_pot]
    gone = [f"{where(in_pot[key])}: {msgid(in_pot[key])!r}" for key in in_pot.keys() - in_code]
    assert not new and not gone, (
        "mentormatch/translations/messages.pot is out of date: run `make messages`, then "
        "translate.\nMarked in the code but not in messages.pot:\n  "
        + "\n  ".join(sorted(new) or ["(none)"])
        + "\nIn messages.pot but no longer in the code:\n  "
        + "\n  ".join(sorted(gone) or ["(none)"])
    )


# --- the checks themselves catch what they promise (small catalogues made here) -------------


def test_placeholders_are_read_as_gettext_and_jinja_write_them() -> None:
    assert placeholders("Hello %(name)s, %(num)d requests, 100%% sure") == ["name", "num"]
    assert placeholders("%s of %d") == ["s", "d"]


def write_po(path: Path, body: str, plural_forms: str = "nplurals=2; plural=(n > 1);") -> Path:
    header = (
        'msgid ""\nmsgstr ""\n'
        f'"Language: xx\\n"\n"Plural-Forms: {plural_forms}\\n"\n'
        '"Content-Type: text/plain; charset=utf-8\\n"\n\n'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + body, encoding="utf-8")
    return path


POT_BODY = """#: templates/base.html
msgid "Log in"
msgstr ""

#: mentormatch/i18n/views.py
#, python-format
msgid "Welcome, %(name)s"
msgstr ""

#: templates/introductions/inbox.html
#, python-format
msgid "%(num)d request"
msgid_plural "%(num)d requests"
msgstr[0] ""
msgstr[1] ""
"""


def test_a_catalogue_with_each_kind_of_mistake_is_reported_line_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pot = write_po(tmp_path / "messages.pot", POT_BODY)
    write_po(
        tmp_path / "xx" / "LC_MESSAGES" / "messages.po",
        """#, fuzzy
msgid "Log in"
msgstr "Se connecter"

msgid "Welcome, %(name)s"
msgstr "Bienvenue, %(nom)s"

msgid "%(num)d request"
msgid_plural "%(num)d requests"
msgstr[0] "%(num)d demande"
""",
    )
    monkeypatch.setattr(catalogues, "TEMPLATE", pot)
    monkeypatch.setattr(catalogues, "TRANSLATIONS", str(tmp_path))
    monkeypatch.setattr(catalogues, "PROJECT_ROOT", tmp_path)
    catalogues.template.cache_clear()
    monkeypatch.setattr(catalogues, "catalogue_path", lambda language: (
        tmp_path / language / "LC_MESSAGES" / "messages.po"
    ))  # fmt: skip
    try:
        problems = catalogues.problems_of("xx")
    finally:
        catalogues.template.cache_clear()
    assert problems == [
        "xx/LC_MESSAGES/messages.po:8: fuzzy: 'Log in' (from templates/base.html)",
        "xx/LC_MESSAGES/messages.po:11: placeholders differ (source has ['name'], translation "
        "has ['nom']) in 'Bienvenue, %(nom)s': 'Welcome, %(name)s' "
        "(from mentormatch/i18n/views.py)",
        "xx/LC_MESSAGES/messages.po:14: 1 plural forms, xx needs 2: '%(num)d request' "
        "(from templates/introductions/inbox.html)",
    ]
