"""Time zones: the options a person chooses from, and the default from their country.

The default is one rule in one place: whenever a profile is written by any way in (the
wizard, the CSV import, a field officer's registration, a later API), a listener on every
Session's flush gives its owner their country's time zone if they have none yet. A flush
listener, like mentormatch/matches/changes.py, rather than a call in each save function:
those ways in do not share one save function, and a new one cannot forget the rule.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytz
from babel import Locale
from babel.dates import get_timezone_location
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from mentormatch.i18n import default_time_zone
from mentormatch.models import DiasporaProfile, EntrepreneurProfile, User

UTC = "UTC"
# The zones a person may choose: the tz database's common ones (no deprecated aliases).
CHOOSABLE = frozenset(pytz.common_timezones)


@cache
def zone_label(zone: str, locale: str) -> str:
    """How a zone is named to the reader: "heure : Mali (Africa/Bamako)"."""
    if zone == UTC:
        return UTC
    return f"{get_timezone_location(zone, locale=locale)} ({zone})"


@cache
def _sorted_labels(locale: str) -> tuple[tuple[str, str], ...]:
    # 433 zones named from CLDR take about 0.3 s once per language; kept for the process.
    labels = ((zone, zone_label(zone, locale)) for zone in CHOOSABLE)
    return tuple(sorted(labels, key=lambda pair: pair[1].casefold()))


def zone_groups(country: str | None, locale: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The zones as (group label, [(zone, label)]) groups: the person's country's first,
    then every other zone by name in the reader's language."""
    code = (country or "").upper()
    mine = [zone for zone in pytz.country_timezones.get(code, ()) if zone in CHOOSABLE]
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    if mine:
        # The country named in the reader's language (CLDR), as the group's label.
        territory = Locale.parse(locale).territories.get(code, code)
        groups.append((territory, [(zone, zone_label(zone, locale)) for zone in mine]))
    others = [(zone, label) for zone, label in _sorted_labels(locale) if zone not in mine]
    groups.append((_("Other time zones"), others))
    return groups


def _profile_owner(session: Session, profile: Any) -> User | None:
    if profile.user is not None:
        return profile.user
    # A profile added with only user_id set: its user is not loaded on a pending object.
    return session.get(User, profile.user_id) if profile.user_id else None


def give_default_time_zones(session: Session) -> None:
    """Give every person whose profile is being written, and who has no time zone yet,
    the time zone of their country."""
    with session.no_autoflush:
        for profile in (*session.new, *session.dirty):
            if isinstance(profile, EntrepreneurProfile):
                country = profile.country_code
            elif isinstance(profile, DiasporaProfile):
                country = profile.residence_country
            else:
                continue
            user = _profile_owner(session, profile)
            if user is not None and not user.time_zone:
                user.time_zone = default_time_zone(country)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    give_default_time_zones(session)
