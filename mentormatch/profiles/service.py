"""Profile pages' side of the profile rules: the wizard's steps, saving a step,
completeness, visibility.

What an answer must be lives in mentormatch.profiles.rules (shared with the import and
assisted registration); this module says which rules each wizard step runs and writes
the result, or nothing when a rule is broken.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch import places, taxonomy
from mentormatch.models import (
    DiasporaProfile,
    EntrepreneurProfile,
    RegionSource,
    Role,
    Skill,
    User,
    ValueChain,
)
from mentormatch.money.rates import BASE, Rates
from mentormatch.people import vetting
from mentormatch.profiles import rules
from mentormatch.profiles.rules import (  # noqa: F401  (their old home; callers import them here)
    MAX_INVESTMENT_AMOUNT,
    MAX_REGIONS,
    MAX_VALUE_CHAINS,
    ProfileInputError,
    Whereabouts,
    currency_with_rate,
    locate,
    no_rate_message,
)

# Self-registered profiles wait for a coordinator's review once finished (people/vetting.py).
NEW_PROFILE_STATUS = vetting.NEW_PROFILE_STATUS

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

Profile = EntrepreneurProfile | DiasporaProfile


@dataclass(frozen=True)
class Step:
    """One short page of the profile wizard."""

    name: str
    title: str | LazyString  # translated when shown


ENTREPRENEUR_STEPS = (
    Step("business", _l("Your business")),
    Step("where", _l("Where you work")),
    Step("value-chains", _l("What you grow, raise or make")),
    Step("needs", _l("What you need")),
    Step("investment", _l("Investment")),
    Step("contact", _l("Contact details")),
)
DIASPORA_STEPS = (
    Step("about", _l("About you")),
    Step("roots", _l("Your regions")),
    Step("value-chains", _l("Value chains")),
    Step("skills", _l("Skills and languages")),
    Step("offers", _l("What you offer")),
    Step("contact", _l("Contact details")),
)


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
    vocabs = rules.Vocabularies(session)
    if profile is None:
        if step != kind.steps[0].name:
            raise ProfileMissing(step)
        # NOT NULL columns of later steps (an entrepreneur's country) start empty.
        profile = kind.model(**kind.blank)
        kind.appliers[step](session, vocabs, profile, data)
        # Linked to the user only once the step is valid, so a refused step leaves no row.
        profile.user = user
        session.add(profile)
    else:
        invested = bool(getattr(profile, "offers_investment", False))
        kind.appliers[step](session, vocabs, profile, data)
        # Finished: sent for review (again after changes, or as a new investor); the
        # mentor's places kept for the approval queue.
        vetting.profile_saved(
            session, profile, user, is_complete(profile, user.role), offered_investment=invested
        )
    session.flush()
    return profile


def _checked(section: rules.Section, data: Data, vocabs: rules.Vocabularies) -> dict[str, Any]:
    """The section's clean values; ProfileInputError (nothing changed) on any problem."""
    problems = rules.Problems()
    values = section(data, vocabs, problems)
    problems.check()
    return values


def _text(data: Data, key: str) -> str:
    return str(data.get(key) or "").strip()


def _set(profile: Profile, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        setattr(profile, name, value)


def apply_taxonomy(session: Session, profile: Profile, values: dict[str, Any]) -> None:
    """Set every value, the value-chain and skill codes in `values` as rows."""
    codes = {
        name: values.pop(name)
        for name in ("value_chains", "skills_needed", "skills_offered")
        if name in values
    }
    _set(profile, values)
    # The look-ups must not flush a new profile before its other columns are set.
    with session.no_autoflush:
        if "value_chains" in codes:
            found = {
                c.code: c
                for c in session.scalars(
                    select(ValueChain).where(ValueChain.code.in_(codes["value_chains"]))
                )
            }
            profile.value_chains = [found[code] for code in codes["value_chains"]]
        for field in ("skills_needed", "skills_offered"):
            if field in codes:
                skills = {
                    s.code: s
                    for s in session.scalars(select(Skill).where(Skill.code.in_(codes[field])))
                }
                setattr(profile, field, [skills[code] for code in codes[field]])


def _apply_business(
    session: Session, vocabs: rules.Vocabularies, profile: EntrepreneurProfile, data: Data
) -> None:
    _set(profile, _checked(rules.business, data, vocabs))


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


def where_answers(profile: EntrepreneurProfile | None, data: Data) -> dict[str, Any]:
    """The wizard's 'where' answers as the rules read them: the region chosen in the list
    or among the places a town could be in; our earlier guess is not a choice."""
    region = _text(data, "region_code") or _text(data, "suggested_region")
    locality = _text(data, "locality")
    if (
        profile is not None
        and profile.region_source is RegionSource.RESOLVED
        and region.upper() == (profile.region_code or "")
        and locality != profile.locality
    ):
        # The page showed our guess in the region list; with a new town it is not a choice.
        region = ""
    return {
        "country_code": _text(data, "country_code"),
        "region_code": region,
        "locality": locality,
    }


def apply_where(profile: EntrepreneurProfile, where: rules.Whereabouts) -> None:
    """Set where the business is, as the rules worked it out."""
    profile.country_code = where.country_code
    profile.region_code = where.region_code
    profile.region_source = where.region_source
    profile.region_confidence = where.region_confidence
    profile.locality = where.locality


def _apply_where(
    session: Session, vocabs: rules.Vocabularies, profile: EntrepreneurProfile, data: Data
) -> None:
    problems = rules.Problems()
    where = rules.where(where_answers(profile, data), vocabs, problems, place_required=True)
    problems.check()
    assert where is not None  # no problem means a place
    apply_where(profile, where)


def _apply_value_chains(
    session: Session, vocabs: rules.Vocabularies, profile: Profile, data: Data
) -> None:
    answers = dict(data)
    if isinstance(profile, DiasporaProfile):
        answers.setdefault("preferred_stages", [])
    else:
        answers.pop("preferred_stages", None)
    apply_taxonomy(session, profile, _checked(rules.value_chains, answers, vocabs))


def _apply_skills_and_languages(
    session: Session, vocabs: rules.Vocabularies, profile: Profile, data: Data
) -> None:
    """The skills an entrepreneur needs or a diaspora member offers, and their languages."""
    field = "skills_offered" if isinstance(profile, DiasporaProfile) else "skills_needed"
    values = _checked(lambda a, v, p: rules.skills_and_languages(a, v, p, field), data, vocabs)
    apply_taxonomy(session, profile, values)


def _apply_investment(
    session: Session, vocabs: rules.Vocabularies, profile: EntrepreneurProfile, data: Data
) -> None:
    _set(profile, _checked(rules.investment, data, vocabs))


def _apply_contact(
    session: Session, vocabs: rules.Vocabularies, profile: Profile, data: Data
) -> None:
    country = rules.home_country(
        {"country_code": getattr(profile, "country_code", None)}
        if isinstance(profile, EntrepreneurProfile)
        else {"residence_country": profile.residence_country}
    )
    _set(profile, _checked(lambda a, v, p: rules.contact(a, v, p, country), data, vocabs))


def _apply_about(
    session: Session, vocabs: rules.Vocabularies, profile: DiasporaProfile, data: Data
) -> None:
    _set(profile, _checked(rules.about, data, vocabs))


def _apply_roots(
    session: Session, vocabs: rules.Vocabularies, profile: DiasporaProfile, data: Data
) -> None:
    _set(profile, _checked(rules.roots, data, vocabs))


def _apply_offers(
    session: Session, vocabs: rules.Vocabularies, profile: DiasporaProfile, data: Data
) -> None:
    _set(profile, _checked(rules.offers, data, vocabs))


Applier = Callable[[Session, rules.Vocabularies, Any, Data], None]


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
