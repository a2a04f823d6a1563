"""Reasons for a match in the reader's language.

The engine (mentormatch.matching.reasons) gives each reason as a sentence key and its
params: codes of value chains, skills, places and languages, amounts, and words people
wrote. This module renders that with gettext, for the few reasons a page shows, so the
ranking never waits for translation. Pairings keep the same form (`Reason.stored()`);
reasons stored before it (English text only, or a bare string) are shown as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from babel.lists import format_list
from flask_babel import gettext, lazy_pgettext

from mentormatch import taxonomy as tx
from mentormatch.matching.reasons import SENTENCES, Reason
from mentormatch.money.display import amount_text, range_text

# The words a reason uses for a business stage and for kinds of money offered.
STAGE_WORDS = {
    "idea": lazy_pgettext("business stage, in a sentence", "idea"),
    "starting": lazy_pgettext("business stage, in a sentence", "starting"),
    "growing": lazy_pgettext("business stage, in a sentence", "growing"),
    "established": lazy_pgettext("business stage, in a sentence", "established"),
}
INSTRUMENT_WORDS = {
    "grant": lazy_pgettext("kinds of money, in a sentence", "grants"),
    "loan": lazy_pgettext("kinds of money, in a sentence", "loans"),
    "equity": lazy_pgettext("kinds of money, in a sentence", "equity"),
    "in_kind": lazy_pgettext("kinds of money, in a sentence", "in-kind support"),
}
# Quotation marks around words people wrote, as each language prints them.
QUOTES = {"fr": ("« ", " »"), "ar": ("«", "»"), "es": ("«", "»")}


def reason_text(reason: Reason | Mapping[str, Any] | str) -> str:
    """One reason as a sentence in the reader's language: from its key and params when it
    has them, else the English text it was stored with."""
    if isinstance(reason, Reason):
        key, params, text = reason.key, reason.params, reason.text
    elif isinstance(reason, Mapping):
        key = str(reason.get("key") or "")
        params = reason.get("params") or {}
        text = str(reason.get("text") or "")
    else:
        return str(reason)
    language = tx.reader_language()
    if (language == "en" and text) or key not in SENTENCES:
        return text
    try:
        return _worded(language, key, _frozen(params))
    except (KeyError, TypeError, ValueError):
        # A reason stored by another version with params we cannot read: its English.
        return text


def _frozen(value: Any) -> Any:
    """Params as a hashable key: lists become tuples, a mapping its sorted items."""
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


# The same reasons come back on many pages ("You both speak Hausa"): each is worded once per
# language and process (the catalogues do not change while a process runs).
@lru_cache(maxsize=8192)
def _worded(language: str, key: str, params: tuple[tuple[str, Any], ...]) -> str:
    words = {name: _render(name, value, language) for name, value in params}
    return str(gettext(SENTENCES[key], **words))


def _names(codes: Sequence[str], name: Callable[[str], str], language: str) -> str:
    words = [_lower(name(code), language) for code in codes]
    return format_list(words, style="unit", locale=language)


def _lower(word: str, language: str) -> str:
    # Inside a sentence a chain or a skill is a common noun; Arabic has no case.
    return word.lower() if language in ("en", "fr", "es") else word


def _quoted(words: Sequence[str], language: str) -> str:
    start, end = QUOTES.get(language, ("“", "”"))
    return format_list([f"{start}{w}{end}" for w in words], style="unit", locale=language)


def _place(code: str) -> str:
    return tx.region_name(code) if "-" in code else tx.country_name(code)


def _render(name: str, value: Any, language: str) -> str:
    """A param as words: its kind is told by its name."""
    if name == "chains":
        return _names(value, tx.value_chain_name, language)
    if name == "chain":
        return _lower(tx.value_chain_name(value), language)
    if name == "group":
        return _lower(tx.value_chain_group_name(value), language)
    if name == "skills":
        return _names(value, tx.skill_name_of, language)
    if name in ("need_words", "offer_words"):
        return _quoted(value, language)
    if name == "place":
        return _place(value)
    if name == "area":
        return tx.subregion_name(value)
    if name == "language":
        # French and Spanish write a language's name in lower case inside a sentence.
        return _lower(tx.language_name(value), language)
    if name == "stage":
        return str(STAGE_WORDS.get(value, value))
    if name == "instruments":
        words = [str(INSTRUMENT_WORDS.get(code, code)) for code in value]
        return format_list(words, locale=language)
    if name in ("sought", "low"):
        amount, currency, usd = value
        return amount_text(amount, currency, usd, locale=language)
    if name == "span":
        low, high, currency, low_usd, high_usd = value
        return range_text(low, high, currency, low_usd, high_usd, locale=language)
    raise KeyError(name)


def stored(reasons: Sequence[Reason]) -> list[dict[str, Any]]:
    """Reasons as a pairing or a round keeps them: renderable later in any language."""
    return [reason.stored() for reason in reasons]
