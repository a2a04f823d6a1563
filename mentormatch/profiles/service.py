"""Profile rules shared by the pages (and later the API): steps, saving, completeness, visibility.

Forms check the shape of each value (type, length, choice); this module checks the rules
that tie values together (a region of the chosen country, one to five value chains, an
amount when seeking investment) and writes nothing when one is broken.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch import places, taxonomy, vocabulary
from mentormatch.models import (
    DiasporaProfile,
    EntrepreneurProfile,
    Instrument,
    RegionSource,
    Role,
    Skill,
    Stage,
    User,
    ValueChain,
    normalize_email,
    normalize_phone,
)
from mentormatch.money.rates import BASE, Rates
from mentormatch.money.store import latest_rates
from mentormatch.people import vetting

# Self-registered profiles wait for a coordinator's review once finished (people/vetting.py).
NEW_PROFILE_STATUS = vetting.NEW_PROFILE_STATUS

MAX_VALUE_CHAINS = 5
# Local currency units, so it must allow large naira or sum amounts; fits a 32-bit column.
MAX_INVESTMENT_AMOUNT = 2_000_000_000
MAX_REGIONS = 10

# Offered as checkboxes to everybody; the "other languages" box takes any other.
COMMON_LANGUAGES = ("eng", "fra", "ara", "spa", "por", "rus")

# Languages widely spoken in the programme countries (ISO 639-3), offered as checkboxes.
COUNTRY_LANGUAGES: dict[str, tuple[str, ...]] = {
    "BF": ("mos", "dyu", "ful"),
    "BI": ("run", "swa"),
    "CD": ("lin", "swa", "lua", "kon"),
    "CM": ("ful",),
    "EG": ("arz",),
    "ET": ("amh", "orm", "tir", "som", "sid", "wal"),
    "GH": ("aka", "ewe", "dag", "gaa"),
    "GT": ("quc", "cak", "mam", "kek"),
    "HT": ("hat",),
    "KE": ("swa", "kik", "luo", "kam", "kln"),
    "MA": ("ary", "zgh", "tzm", "shi", "rif"),
    "ML": ("bam", "ful", "snk"),
    "MW": ("nya",),
    "MZ": ("tso", "vmw"),
    "NE": ("hau", "dje", "ful"),
    "NG": ("hau", "yor", "ibo", "pcm", "ful"),
    "NP": ("nep",),
    "PH": ("fil", "ceb", "ilo", "hil", "war", "bik"),
    "RW": ("kin", "swa"),
    "SD": ("apd",),
    "SN": ("wol", "srr", "fuc", "dyo", "mnk"),
    "SO": ("som",),
    "TN": ("aeb",),
    "TZ": ("swa",),
    "UG": ("lug", "swa", "ach"),
    "ZM": ("bem", "nya"),
    "ZW": ("sna", "nde"),
}

EURO_COUNTRIES = (
    "AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU", "LV",
    "MT", "NL", "PT", "SI", "SK",
)  # fmt: skip

# The currency a form proposes first, when it has a rate; people can choose another.
COUNTRY_CURRENCIES: dict[str, str] = {
    **dict.fromkeys(EURO_COUNTRIES, "EUR"),
    **dict.fromkeys(("BF", "BJ", "CI", "GW", "ML", "NE", "SN", "TG"), "XOF"),
    **dict.fromkeys(("CF", "CG", "CM", "GA", "GQ", "TD"), "XAF"),
    "BI": "BIF", "CA": "CAD", "CD": "CDF", "CH": "CHF", "EG": "EGP", "ET": "ETB",
    "GB": "GBP", "GH": "GHS", "GT": "GTQ", "HT": "HTG", "KE": "KES", "MA": "MAD",
    "MW": "MWK", "MZ": "MZN", "NG": "NGN", "NP": "NPR", "PH": "PHP", "RW": "RWF",
    "SD": "SDG", "SO": "SOS", "TN": "TND", "TZ": "TZS", "UG": "UGX", "US": "USD",
    "ZM": "ZMW",
}  # fmt: skip
DEFAULT_CURRENCY = BASE

# Why a currency needs a rate, for each field that holds one.
COMPARED_WITH = {
    "investment_currency": "the amount cannot be compared with investors' tickets",
    "ticket_currency": "the ticket cannot be compared with the amounts entrepreneurs seek",
}

Profile = EntrepreneurProfile | DiasporaProfile


@dataclass(frozen=True)
class Step:
    """One short page of the profile wizard."""

    name: str
    title: str


ENTREPRENEUR_STEPS = (
    Step("business", "Your business"),
    Step("where", "Where you work"),
    Step("value-chains", "What you grow, raise or make"),
    Step("needs", "What you need"),
    Step("investment", "Investment"),
    Step("contact", "Contact details"),
)
DIASPORA_STEPS = (
    Step("about", "About you"),
    Step("roots", "Your regions"),
    Step("value-chains", "Value chains"),
    Step("skills", "Skills and languages"),
    Step("offers", "What you offer"),
    Step("contact", "Contact details"),
)


class ProfileInputError(ValueError):
    """Input that breaks a profile rule; `errors` maps each field name to what to fix."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


class ProfileMissing(LookupError):
    """A later step was sent before the first step created the profile."""


def steps_for(role: Role) -> tuple[Step, ...]:
    """The wizard steps of a role; coordinators and admins have none."""
    if role is Role.ENTREPRENEUR:
        return ENTREPRENEUR_STEPS
    if role is Role.DIASPORA:
        return DIASPORA_STEPS
    return ()


def step_named(role: Role, name: str) -> Step | None:
    """The role's wizard step called `name`, or None when the role has no such step."""
    return next((step for step in steps_for(role) if step.name == name), None)


def step_after(role: Role, name: str) -> str | None:
    """The name of the step that follows `name` in the role's wizard; None after the last."""
    return _neighbour(role, name, +1)


def step_before(role: Role, name: str) -> str | None:
    """The name of the step that comes before `name` in the role's wizard; None at the first."""
    return _neighbour(role, name, -1)


def _neighbour(role: Role, name: str, offset: int) -> str | None:
    names = [step.name for step in steps_for(role)]
    index = names.index(name) + offset
    return names[index] if 0 <= index < len(names) else None


def profile_of(user: User) -> Profile | None:
    """The user's own profile, if they have started one."""
    if user.role is Role.ENTREPRENEUR:
        return user.entrepreneur_profile
    if user.role is Role.DIASPORA:
        return user.diaspora_profile
    return None


def missing_steps(profile: Profile | None, role: Role) -> list[Step]:
    """Steps whose required answers are still missing (all of them without a profile)."""
    steps = steps_for(role)
    if profile is None:
        return list(steps)
    if isinstance(profile, EntrepreneurProfile):
        filled = {
            "business": bool(profile.business_name),
            # A town or village is enough: it matches at country level until it is placed.
            "where": bool(profile.country_code)
            and (
                profile.region_code is not None
                or bool(profile.locality)
                or not taxonomy.regions_for(profile.country_code)
            ),
            "value-chains": bool(profile.value_chains),
            "needs": bool(profile.languages),
        }
    else:
        filled = {
            "about": bool(profile.headline and profile.residence_country),
            "roots": bool(profile.origin_regions),
            "value-chains": bool(profile.value_chains),
            "skills": bool(profile.languages),
            "offers": profile.offers_coaching or profile.offers_investment,
        }
    return [step for step in steps if not filled.get(step.name, True)]


def is_complete(profile: Profile | None, role: Role) -> bool:
    """True when every required answer is given, so the profile can be matched."""
    return not missing_steps(profile, role)


def languages_offered(country_codes: Sequence[str], chosen: Sequence[str] = ()) -> list[str]:
    """Language codes to offer as checkboxes: common ones, the countries' own, and those chosen."""
    codes = list(COMMON_LANGUAGES)
    for country in country_codes:
        codes.extend(COUNTRY_LANGUAGES.get(country, ()))
    codes.extend(chosen)
    return list(dict.fromkeys(codes))


def language_label(code: str) -> str:
    """A language's name as people say it: 'swa' -> 'Swahili', not 'Swahili (macrolanguage)'."""
    return taxonomy.language_name(code)


def default_currency(country_code: str | None, rates: Rates) -> str | None:
    """The currency a form proposes for someone in this country: the country's own when it
    has an exchange rate, else US dollars when they have one."""
    for code in (COUNTRY_CURRENCIES.get(country_code or ""), DEFAULT_CURRENCY):
        if code in rates:
            return code
    return None


def no_rate_message(currency: str, rates: Rates, field: str) -> str:
    """What to tell someone whose amount is in a currency without an exchange rate."""
    offered = rates.offered()
    choose = f"use one of {', '.join(offered)}, or" if offered else "no rates are loaded yet:"
    return (
        f"There is no exchange rate for {currency}, so {COMPARED_WITH[field]}; "
        f"{choose} ask a coordinator to load rates."
    )


def currency_with_rate(text: str, rates: Rates, field: str) -> str:
    """The code of the currency `text` names (ISO code or name, any case) when it has an
    exchange rate; ProfileInputError for `field` otherwise. The wizard and the CSV import
    both call this: an amount that cannot be compared is refused where it is typed."""
    try:
        code = vocabulary.currencies().parse(text)
    except vocabulary.VocabularyError as exc:
        raise ProfileInputError({field: str(exc)}) from None
    if code not in rates:
        raise ProfileInputError({field: no_rate_message(code, rates, field)})
    return code


# --- saving a step ------------------------------------------------------------------------

Data = Mapping[str, Any]


def save_step(session: Session, user: User, step: str, data: Data) -> Profile:
    """Check and save one wizard step of the user's profile; the first step creates it.

    Raises ProfileInputError (nothing changed) when the answers break a rule, and
    ProfileMissing for a later step before the first.
    """
    kind = _KINDS.get(user.role)
    if kind is None:
        raise PermissionError(f"a {user.role.value} has no profile")
    profile = profile_of(user)
    if profile is None:
        if step != kind.steps[0].name:
            raise ProfileMissing(step)
        # NOT NULL columns of later steps (an entrepreneur's country) start empty.
        profile = kind.model(**kind.blank)
        kind.appliers[step](session, profile, data)
        # Linked to the user only once the step is valid, so a refused step leaves no row.
        profile.user = user
        session.add(profile)
    else:
        invested = bool(getattr(profile, "offers_investment", False))
        kind.appliers[step](session, profile, data)
        # Finished: sent for review (again after changes, or as a new investor); the
        # mentor's places kept for the approval queue.
        vetting.profile_saved(
            session, profile, user, is_complete(profile, user.role), offered_investment=invested
        )
    session.flush()
    return profile


def _text(data: Data, key: str) -> str:
    return str(data.get(key) or "").strip()


def _apply_business(session: Session, profile: EntrepreneurProfile, data: Data) -> None:
    name = _text(data, "business_name")
    if not name:
        raise ProfileInputError({"business_name": "Enter the name of your business."})
    profile.business_name = name
    profile.description = _text(data, "description")
    profile.stage = Stage(data["stage"])


def _check_region(country: str, region: str | None, field: str) -> str | None:
    """The region code when it belongs to the country; None when none is given."""
    if not taxonomy.is_country(country):
        raise ProfileInputError({"country_code": "Choose a country from the list."})
    if not region or not taxonomy.regions_for(country):
        return None
    if not taxonomy.is_region_of(region, country):
        raise ProfileInputError({field: f"Choose a region of {taxonomy.country_name(country)}."})
    return region.upper()


@dataclass(frozen=True)
class Whereabouts:
    """Where an entrepreneur works: the country, the region (chosen, resolved from the
    locality, or none: country level) and the locality as written."""

    country_code: str
    region_code: str | None
    region_source: RegionSource
    region_confidence: float | None
    locality: str
    # The resolver's answer when the region came from (or was sought in) the locality.
    placement: places.Placement | None = None

    @property
    def place_name(self) -> str:
        """'Central Visayas (Region VII), Philippines', or 'Nkubu, Kenya' at country level."""
        return taxonomy.place_name(self.country_code, self.region_code, self.locality)


def locate(country: str, region: str | None, locality: str) -> Whereabouts:
    """Where an entrepreneur works, from the answers of the wizard or of an import row.

    A region the person chose always wins. Without one, the locality is resolved to a
    region when the resolver is sure; otherwise the profile matches at country level and
    `placement` says why (ambiguous, not found, another script). Raises ProfileInputError
    for an unknown country or a region of another country.
    """
    country = country.strip().upper()
    chosen = _check_region(country, region, "region_code")
    locality = locality.strip()
    if chosen:
        return Whereabouts(country, chosen, RegionSource.CHOSEN, None, locality)
    if not locality:
        return Whereabouts(country, None, RegionSource.UNRESOLVED, None, locality)
    placement = places.resolve(country, locality)
    if placement.status is places.Status.RESOLVED:
        return Whereabouts(
            country,
            placement.region_code,
            RegionSource.RESOLVED,
            placement.confidence,
            locality,
            placement,
        )
    return Whereabouts(country, None, RegionSource.UNRESOLVED, None, locality, placement)


def placement_of(profile: EntrepreneurProfile) -> places.Placement | None:
    """What the resolver makes of the profile's locality, when its region is not chosen."""
    if profile.region_source is RegionSource.CHOSEN or not profile.locality:
        return None
    if not taxonomy.is_country(profile.country_code):
        return None
    return places.resolve(profile.country_code, profile.locality)


def should_show_placement(profile: Profile, shown_locality: str | None) -> bool:
    """After the 'where' step: stay on it to show where a newly written locality was placed
    (or why it was not), unless the person chose the region or already saw this locality."""
    return (
        isinstance(profile, EntrepreneurProfile)
        and profile.region_source is not RegionSource.CHOSEN
        and bool(profile.locality)
        and profile.locality != (shown_locality or "").strip()
    )


def _apply_where(session: Session, profile: EntrepreneurProfile, data: Data) -> None:
    region = _text(data, "region_code") or _text(data, "suggested_region")
    locality = _text(data, "locality")
    if (
        profile.region_source is RegionSource.RESOLVED
        and region.upper() == (profile.region_code or "")
        and locality != profile.locality
    ):
        # The page showed our guess in the region list; with a new town it is not a choice.
        region = ""
    where = locate(_text(data, "country_code"), region, locality)
    if (
        where.region_code is None
        and not where.locality
        and taxonomy.regions_for(where.country_code)
    ):
        raise ProfileInputError(
            {
                "locality": "Write your town or village, or choose your region from the list.",
            }
        )
    profile.country_code = where.country_code
    profile.region_code = where.region_code
    profile.region_source = where.region_source
    profile.region_confidence = where.region_confidence
    profile.locality = where.locality


def _value_chains(session: Session, codes: Sequence[str]) -> list[ValueChain]:
    codes = list(dict.fromkeys(codes))
    if not codes:
        raise ProfileInputError({"value_chains": "Choose at least one value chain."})
    if len(codes) > MAX_VALUE_CHAINS:
        raise ProfileInputError(
            {"value_chains": f"Choose at most {MAX_VALUE_CHAINS} value chains, the main ones."}
        )
    found = {
        c.code: c for c in session.scalars(select(ValueChain).where(ValueChain.code.in_(codes)))
    }
    if len(found) != len(codes):
        raise ProfileInputError({"value_chains": "Choose value chains from the list."})
    return [found[code] for code in codes]


def _skills(session: Session, codes: Sequence[str], field: str) -> list[Skill]:
    codes = list(dict.fromkeys(codes))
    found = {s.code: s for s in session.scalars(select(Skill).where(Skill.code.in_(codes)))}
    if len(found) != len(codes):
        raise ProfileInputError({field: "Choose skills from the list."})
    return [found[code] for code in codes]


def _languages(data: Data) -> list[str]:
    codes = list(dict.fromkeys(data.get("languages") or []))
    if not codes:
        raise ProfileInputError(
            {"languages": "Choose at least one language you can speak with a partner."}
        )
    return codes


def _apply_value_chains(session: Session, profile: Profile, data: Data) -> None:
    chains = _value_chains(session, data.get("value_chains") or [])
    if isinstance(profile, DiasporaProfile):
        stages = [Stage(s).value for s in dict.fromkeys(data.get("preferred_stages") or [])]
        profile.preferred_stages = stages
    profile.value_chains = chains


def _apply_skills_and_languages(session: Session, profile: Profile, data: Data) -> None:
    """The skills an entrepreneur needs or a diaspora member offers, and their languages."""
    field = "skills_offered" if isinstance(profile, DiasporaProfile) else "skills_needed"
    skills = _skills(session, data.get(field) or [], field)
    languages = _languages(data)
    text = _text(data, f"{field}_text")
    if isinstance(profile, DiasporaProfile):
        profile.skills_offered, profile.skills_offered_text = skills, text
    else:
        profile.skills_needed, profile.skills_needed_text = skills, text
    profile.languages = languages


def _instruments(data: Data, field: str, when: str) -> list[str]:
    values = [Instrument(v).value for v in dict.fromkeys(data.get(field) or [])]
    if not values:
        raise ProfileInputError({field: f"Choose at least one kind of money {when}."})
    return values


def _currency(session: Session, data: Data, field: str) -> str:
    text = _text(data, field)
    if not text:
        raise ProfileInputError({field: "Choose a currency from the list."})
    return currency_with_rate(text, latest_rates(session), field)


def _apply_investment(session: Session, profile: EntrepreneurProfile, data: Data) -> None:
    seeking = bool(data.get("seeking_investment"))
    if seeking:
        amount = data.get("investment_amount")
        if amount is None:
            raise ProfileInputError(
                {"investment_amount": "Enter how much you are looking for, for example 5000."}
            )
        if not 0 < amount <= MAX_INVESTMENT_AMOUNT:
            raise ProfileInputError(
                {"investment_amount": f"Enter an amount from 1 to {MAX_INVESTMENT_AMOUNT:,}."}
            )
        currency = _currency(session, data, "investment_currency")
        instruments = _instruments(data, "investment_instruments", "you would accept")
        profile.investment_amount = amount
        profile.investment_currency = currency
        profile.investment_instruments = instruments
    else:
        profile.investment_amount = None
        profile.investment_currency = None
        profile.investment_instruments = []
    profile.seeking_investment = seeking
    profile.is_returnee = bool(data.get("is_returnee"))
    profile.is_women_led = bool(data.get("is_women_led"))
    profile.is_youth_led = bool(data.get("is_youth_led"))


def _apply_contact(session: Session, profile: Profile, data: Data) -> None:
    profile.contact_email = normalize_email(data.get("contact_email"))
    profile.contact_phone = normalize_phone(data.get("contact_phone"))


def _apply_about(session: Session, profile: DiasporaProfile, data: Data) -> None:
    headline = _text(data, "headline")
    if not headline:
        raise ProfileInputError({"headline": "Write one line about what you do."})
    country = _text(data, "residence_country").upper()
    if not taxonomy.is_country(country):
        raise ProfileInputError({"residence_country": "Choose a country from the list."})
    profile.headline = headline
    profile.bio = _text(data, "bio")
    profile.residence_country = country


def _regions(data: Data, field: str) -> list[str]:
    codes = [str(c).upper() for c in dict.fromkeys(data.get(field) or [])]
    if any(not taxonomy.is_region(code) for code in codes):
        raise ProfileInputError({field: "Choose regions from the list."})
    if len(codes) > MAX_REGIONS:
        raise ProfileInputError({field: f"Choose at most {MAX_REGIONS} regions."})
    return codes


def _apply_roots(session: Session, profile: DiasporaProfile, data: Data) -> None:
    origin = _regions(data, "origin_regions")
    if not origin:
        raise ProfileInputError(
            {
                "origin_regions": "Choose at least one region you come from: choose the country, "
                "press “Show regions”, then tick the region."
            }
        )
    interest = _regions(data, "interest_regions")
    profile.origin_regions = origin
    profile.interest_regions = interest


def _apply_offers(session: Session, profile: DiasporaProfile, data: Data) -> None:
    coaching = bool(data.get("offers_coaching"))
    investment = bool(data.get("offers_investment"))
    if not coaching and not investment:
        raise ProfileInputError(
            {"offers_coaching": "Choose coaching, investment or both: what you can offer."}
        )
    capacity, hours = (
        (data.get("mentee_capacity"), data.get("hours_per_month")) if coaching else (0, 0)
    )
    if capacity is None:
        raise ProfileInputError(
            {"mentee_capacity": "Enter how many entrepreneurs you can coach at once."}
        )
    if hours is None:
        raise ProfileInputError({"hours_per_month": "Enter the hours a month you can give."})
    low, high, currency, instruments = None, None, None, []
    if investment:
        low, high = data.get("ticket_min"), data.get("ticket_max")
        if low is None or low <= 0:
            raise ProfileInputError({"ticket_min": "Enter the smallest amount you would invest."})
        if high is None or high <= 0:
            raise ProfileInputError({"ticket_max": "Enter the largest amount you would invest."})
        if low > high:
            raise ProfileInputError(
                {"ticket_max": "The largest amount must be at least the smallest amount."}
            )
        currency = _currency(session, data, "ticket_currency")
        instruments = _instruments(data, "investment_instruments", "you would offer")
    profile.offers_coaching, profile.mentee_capacity, profile.hours_per_month = (
        coaching,
        capacity,
        hours,
    )
    profile.offers_investment = investment
    profile.ticket_min, profile.ticket_max, profile.ticket_currency = low, high, currency
    profile.investment_instruments = instruments


Applier = Callable[[Session, Any, Data], None]


@dataclass(frozen=True)
class _Kind:
    model: type[EntrepreneurProfile] | type[DiasporaProfile]
    steps: tuple[Step, ...]
    appliers: dict[str, Applier]
    blank: dict[str, str]


ENTREPRENEUR_APPLIERS: dict[str, Applier] = {
    "business": _apply_business,
    "where": _apply_where,
    "value-chains": _apply_value_chains,
    "needs": _apply_skills_and_languages,
    "investment": _apply_investment,
    "contact": _apply_contact,
}
DIASPORA_APPLIERS: dict[str, Applier] = {
    "about": _apply_about,
    "roots": _apply_roots,
    "value-chains": _apply_value_chains,
    "skills": _apply_skills_and_languages,
    "offers": _apply_offers,
    "contact": _apply_contact,
}

_KINDS = {
    Role.ENTREPRENEUR: _Kind(
        EntrepreneurProfile,
        ENTREPRENEUR_STEPS,
        ENTREPRENEUR_APPLIERS,
        {"business_name": "", "country_code": ""},
    ),
    Role.DIASPORA: _Kind(
        DiasporaProfile,
        DIASPORA_STEPS,
        DIASPORA_APPLIERS,
        {"headline": "", "residence_country": ""},
    ),
}
