"""Languages of the field: which language and time zone a page, an email or an SMS is in.

The reader's language comes from their own setting, else the language they picked with
the switcher (kept in the session), else the browser's Accept-Language, else English.
A message to someone (an email, an SMS, a notification) goes out in their setting, else
the official language of the country they live in when MentorMatch is written in it
(French in Mali, Arabic in Morocco), else English: people registered by a field officer
or imported from a file never chose one (`language_of`, docs/decisions/026).
Messages are gettext catalogues under mentormatch/translations/ (Flask-Babel); a message
for someone else (an email, an SMS, a notification) is written inside
`in_language_of(recipient)`, so it reaches them in their language, not the sender's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pytz
from babel.languages import get_official_languages, get_territory_language_info
from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel, Domain, force_locale, get_locale
from flask_login import current_user

if TYPE_CHECKING:
    from mentormatch.models import User

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    """A language MentorMatch is written in, named as its own speakers name it."""

    code: str
    native_name: str
    right_to_left: bool = False


# The order of the switcher. To add a language: append it here, then `make messages`
# and translate mentormatch/translations/<code>/LC_MESSAGES/messages.po (README).
LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("en", "English"),
        Language("fr", "Français"),
        Language("es", "Español"),
        Language("ar", "العربية", right_to_left=True),
    )
}

SESSION_KEY = "language"


def select_locale() -> str:
    """The language of the current page: the person's setting, the switcher, the browser."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    user = current_user
    if user and user.is_authenticated and getattr(user, "language", None) in LANGUAGES:
        return str(user.language)
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def select_timezone() -> str:
    """The time zone times are shown in: the person's setting, else UTC."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return time_zone_of(current_user)
    return "UTC"


def default_time_zone(country_code: str | None) -> str | None:
    """The time zone most people of a country live in (its first zone in the tz
    database, e.g. Africa/Bamako for ML), or None when the country is unknown."""
    zones = pytz.country_timezones.get((country_code or "").upper())
    return zones[0] if zones else None


def chosen_language(user: User | None) -> str | None:
    """The language `user` chose (their setting), or None when they never chose one."""
    language = getattr(user, "language", None)
    return str(language) if language in LANGUAGES else None


def home_country_of(user: User | None) -> str | None:
    """Where the person is: the country of their business, or where they live."""
    entrepreneur = getattr(user, "entrepreneur_profile", None)
    if entrepreneur is not None:
        return entrepreneur.country_code or None
    diaspora = getattr(user, "diaspora_profile", None)
    if diaspora is not None:
        return diaspora.residence_country or None
    return None


@cache
def country_language(country_code: str | None) -> str | None:
    """The official language of a country that MentorMatch is written in (fr for ML, es
    for GT, ar for MA, en for NG), the most spoken first; None when it has none of them."""
    if not country_code:
        return None
    # Nationally official and de facto official (Arabic in Morocco, English in the US),
    # never only regional ones: Italy's French is the Aosta Valley's, not an Italian's.
    official = [
        code
        for code in get_official_languages(country_code, regional=False, de_facto=True)
        if code in LANGUAGES
    ]
    if not official:
        return None
    # The most spoken (CLDR's share of the population); on a tie, not English, which
    # everyone gets anyway when nothing fits: Sudan's Arabic and English are both 61 %.
    spoken = get_territory_language_info(country_code)
    return max(
        official,
        key=lambda code: (spoken.get(code, {}).get("population_percent", 0), code != "en"),
    )


def language_of(user: User | None) -> str:
    """The language to write to `user` in: their setting, else their country's official
    language when MentorMatch has it, else English."""
    return chosen_language(user) or country_language(home_country_of(user)) or DEFAULT_LANGUAGE


def time_zone_of(user: User | None) -> str:
    """The time zone to show `user` times in: their setting, else UTC."""
    zone = getattr(user, "time_zone", None)
    return str(zone) if zone in pytz.all_timezones_set else "UTC"


@contextmanager
def in_language_of(user: User | None) -> Iterator[None]:
    """Write messages for `user` (an email, an SMS, a notification) in their language,
    with dates and times in their time zone (not the sender's)."""
    # Flask-Babel keeps the page's time zone on g; force_locale() switches only the
    # language, so the zone is switched here beside it and put back after.
    babel_state = g.setdefault("_flask_babel", SimpleNamespace()) if g else None
    page_zone = getattr(babel_state, "babel_tzinfo", None)
    if babel_state is not None:
        babel_state.babel_tzinfo = pytz.timezone(time_zone_of(user))
    try:
        with force_locale(language_of(user)):
            yield
    finally:
        if babel_state is not None:
            babel_state.babel_tzinfo = page_zone


def current_language() -> Language:
    """The Language the current page is written in."""
    locale = get_locale()
    code = locale.language if locale is not None else DEFAULT_LANGUAGE
    return LANGUAGES.get(code, LANGUAGES[DEFAULT_LANGUAGE])


class PageDomain(Domain):
    """Flask-Babel's message domain, finding the catalogue once per language per request.

    Flask-Babel looks through the request context about ten times for every message; a
    page of suggestions has over a hundred messages (issue 11: other languages within 10 %
    of English's throughput). The catalogue found is kept on Flask-Babel's own request state
    with the locale it is for, so force_locale() (messages in someone else's language) still
    switches it.
    """

    def get_translations(self) -> Any:
        """The catalogue for the locale in force now."""
        try:
            state = g._get_current_object().__dict__.get("_flask_babel")
        except RuntimeError:  # outside an application context
            state = None
        locale = getattr(state, "babel_locale", None)
        if locale is None:  # not chosen yet in this request: Flask-Babel chooses it
            return super().get_translations()
        kept = getattr(state, "page_catalogue", None)
        if kept is None or kept[0] is not locale:
            kept = state.page_catalogue = (locale, super().get_translations())
        return kept[1]


def init_app(app: Flask) -> None:
    """Bind Flask-Babel, the language switcher and the page's language and direction."""
    from mentormatch.i18n import zones  # noqa: F401  (a profile's country gives a time zone)
    from mentormatch.i18n.views import bp

    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel = Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)
    babel.domain_instance = PageDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    app.register_blueprint(bp)

    @app.context_processor
    def _page_language() -> dict[str, object]:
        language = current_language()
        return {
            "page_language": language,
            "text_direction": "rtl" if language.right_to_left else "ltr",
            "languages": LANGUAGES.values(),
        }


def _translations_dir() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent / "translations")


TRANSLATIONS = _translations_dir()
