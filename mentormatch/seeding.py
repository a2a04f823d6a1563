"""Load the demo data: taxonomy, exchange rates, the generated profiles in seed_data/, four
demo accounts.

Seeding is importing: the profiles come from seed_data/*.csv through the CSV importer,
and the demo profiles are rows in the same format. Running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentormatch.auth.service import create_user, email_taken, find_user_by_login, set_password
from mentormatch.config import PROJECT_ROOT
from mentormatch.importer import (
    DIASPORA,
    ENTREPRENEURS,
    ImportResult,
    import_profiles,
    import_records,
)
from mentormatch.models import DiasporaProfile, EntrepreneurProfile, Role
from mentormatch.money.store import load_seed_rates
from mentormatch.taxonomy import load_taxonomy

SEED_DIR = PROJECT_ROOT / "seed_data"
SEED_FILES = ((ENTREPRENEURS, "entrepreneurs.csv"), (DIASPORA, "diaspora.csv"))


class SeedError(RuntimeError):
    """The seed files do not import cleanly (the generator or the taxonomy changed)."""


@dataclass(frozen=True)
class DemoAccount:
    """An account to try the product with; its profile is a row in the CSV import format."""

    label: str  # what the account shows off: coordinator, entrepreneur, mentor, investor
    role: Role
    full_name: str
    email: str
    password: str
    kind: str | None = None
    profile: dict[str, str] = field(default_factory=dict)

    @property
    def role_name(self) -> str:
        """What the account shows off, in the reader's language (the demo accounts' table)."""
        return {
            "coordinator": _("coordinator"),
            "entrepreneur": _("entrepreneur"),
            "mentor": _("mentor"),
            "investor": _("investor"),
        }.get(self.label, self.label)


# Chosen so that each demo user sees good matches: Musa coaches poultry in Kano in Hausa,
# Chiamaka's ticket covers Amina's loan.
DEMO_ACCOUNTS = (
    DemoAccount("coordinator", Role.COORDINATOR, "Jean Mukendi", "coordinator@demo.mentormatch.org",
                "mentormatch-coordinator"),
    DemoAccount(
        "entrepreneur", Role.ENTREPRENEUR, "Amina Bello", "entrepreneur@demo.mentormatch.org",
        "mentormatch-entrepreneur", ENTREPRENEURS,
        {
            "business_name": "Amina Poultry",
            "description": "800 layer hens near Kano, selling eggs to local markets. Came back "
                           "from Libya in 2019 and started the farm with savings from abroad.",
            "country": "NG", "region": "NG-KN", "locality": "Dawakin Kudu", "stage": "starting",
            "value_chains": "poultry", "skills_needed": "bookkeeping;supply_chain",
            "skills_needed_text": "Keeping records of feed costs and egg sales; finding a "
                                  "reliable feed supplier.",
            "languages": "hau;eng", "seeking_investment": "yes", "investment_amount": "5000",
            "investment_currency": "USD", "investment_instruments": "loan",
            "is_returnee": "yes", "is_women_led": "yes", "is_youth_led": "yes",
        },
    ),
    DemoAccount(
        "mentor", Role.DIASPORA, "Musa Danjuma", "mentor@demo.mentormatch.org",
        "mentormatch-mentor", DIASPORA,
        {
            "headline": "Veterinarian in Manchester, coaching poultry farmers on health and feed",
            "bio": "Grew up in Kano; fifteen years as a poultry veterinarian in the UK. Advises "
                   "farmers on vaccination, feed sourcing and keeping records.",
            "residence_country": "GB", "origin_regions": "NG-KN",
            "interest_regions": "NG-KN;NG-KD;NG-KT", "value_chains": "poultry;small_ruminants",
            "skills_offered": "animal_health;supply_chain;bookkeeping",
            "skills_offered_text": "vaccination schedules, feed formulation, farm records",
            "languages": "hau;eng", "preferred_stages": "starting;growing",
            "offers_coaching": "yes", "mentee_capacity": "3", "hours_per_month": "6",
        },
    ),
    DemoAccount(
        "investor", Role.DIASPORA, "Chiamaka Okafor", "investor@demo.mentormatch.org",
        "mentormatch-investor", DIASPORA,
        {
            "headline": "Finance manager in Toronto, investing in poultry and food processing",
            "bio": "Left Enugu in 2008; invests in farms run by young people and returnees.",
            "residence_country": "CA", "origin_regions": "NG-EN",
            "interest_regions": "NG-EN;NG-KN;NG-KD;NG-OY",
            "value_chains": "poultry;agro_processing;aquaculture",
            "skills_offered": "access_to_finance;business_planning", "languages": "eng;ibo",
            "offers_investment": "yes", "ticket_min": "1000", "ticket_max": "20000",
            "ticket_currency": "USD", "investment_instruments": "loan;equity",
        },
    ),
)  # fmt: skip


@dataclass
class SeedReport:
    """What `seed` found and did."""

    value_chains: int
    skills: int
    exchange_rates: int
    profiles_before: int
    imported: dict[str, int] = field(default_factory=dict)
    demo_created: list[DemoAccount] = field(default_factory=list)


def count_profiles(session: Session) -> int:
    """Entrepreneur plus diaspora profiles in the database."""
    entrepreneurs = session.scalar(select(func.count()).select_from(EntrepreneurProfile)) or 0
    diaspora = session.scalar(select(func.count()).select_from(DiasporaProfile)) or 0
    return entrepreneurs + diaspora


def seed(session: Session, seed_dir: Path = SEED_DIR, demo_accounts: bool = True) -> SeedReport:
    """Load the taxonomy and exchange rates, import the seed profiles if there are none yet,
    add demo accounts."""
    chains, skills = load_taxonomy(session)
    # Before the profiles: an amount is imported only in a currency that has a rate.
    rates = load_seed_rates(session)
    report = SeedReport(chains, skills, rates, profiles_before=count_profiles(session))
    if report.profiles_before == 0:
        for kind, filename in SEED_FILES:
            result = import_profiles(session, (seed_dir / filename).read_bytes(), kind=kind)
            _raise_unless_ok(result, filename)
            report.imported[kind] = result.created
    if demo_accounts:
        report.demo_created = ensure_demo_accounts(session)
    return report


def ensure_demo_accounts(session: Session) -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet (found by email); returns those."""
    created: list[DemoAccount] = []
    for account in DEMO_ACCOUNTS:
        if email_taken(session, account.email):
            continue
        if account.kind is None:
            create_user(
                session,
                full_name=account.full_name,
                role=account.role,
                email=account.email,
                password=account.password,
            )
        else:
            cells = {"full_name": account.full_name, "email": account.email, **account.profile}
            result = import_records(session, account.kind, [(1, cells)])
            _raise_unless_ok(result, f"demo account {account.email}")
            user = find_user_by_login(session, account.email)
            assert user is not None  # just imported
            set_password(user, account.password)
        created.append(account)
    session.flush()
    return created


def _raise_unless_ok(result: ImportResult, source: str) -> None:
    if not result.ok:
        shown = "; ".join(str(error) for error in result.errors[:5])
        raise SeedError(
            _(
                "%(source)s does not import cleanly (%(count)s errors): %(errors)s",
                source=source,
                count=len(result.errors),
                errors=shown,
            )
        )
