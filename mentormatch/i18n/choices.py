"""The languages a person can be written to in, as a form or a file names them."""

from __future__ import annotations

import os
import unicodedata

from babel import Locale

from mentormatch.i18n import DEFAULT_LANGUAGE, LANGUAGES


def _plain(text: str) -> str:
    # "Français" and "francais", "Español" and "espanol" are the same answer.
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, language in LANGUAGES.items():
        english = Locale.parse(code).get_display_name("en") or code
        for name in (code, language.native_name, english):
            names[_plain(name)] = code
    return names


_BY_NAME = _names()


def language_from(text: str | None) -> str | None:
    """The code of a language MentorMatch is written in from its code, its own name or its
    English name ("fr", "Français", "French"); None when the text is none of them."""
    return _BY_NAME.get(_plain(text or ""))


def language_choices() -> list[tuple[str, str]]:
    """(code, name in that language) for each language, in the switcher's order."""
    return [(code, language.native_name) for code, language in LANGUAGES.items()]


def terminal_language() -> str:
    """The language of the terminal a command runs in (LANGUAGE, LC_ALL, LC_MESSAGES or
    LANG, read in gettext's order) when MentorMatch is written in it, else English."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            code = value.split(":")[0].split(".")[0].split("_")[0].lower()
            return code if code in LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE
