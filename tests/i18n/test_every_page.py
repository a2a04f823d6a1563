"""Every page of the app in every language: no English source message left on a page
in French, Spanish or Arabic (names, businesses and words people typed are theirs and
stay as typed), and no page over 60 KB.

The pages come from the app's URL map: a new page that is not listed below fails
`test_every_page_of_the_app_is_listed_here` until it is given a role and realistic data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch import taxonomy
from mentormatch.auth.reset import make_reset_token
from mentormatch.db import Base, utcnow
from mentormatch.models import (
    ConsentMethod,
    DiasporaProfile,
    EntrepreneurProfile,
    PairingKind,
    ReviewStatus,
    Role,
)
from mentormatch.pairings import service as pairings
from mentormatch.profiles.service import steps_for
from mentormatch.registration import service as registration
from mentormatch.rounds import service as rounds
from mentormatch.transfers import jobs
from tests.builders import People, make_user
from tests.conftest import AuthActions
from tests.i18n.catalogues import TRANSLATED
from tests.i18n.pages import english_left, squeeze, unmarked_english
from tests.pairing_builders import request
from tests.test_importer import csv_bytes, entrepreneur
from tests.test_registration import HAUWA
from tests.workspace_builders import money_report, waiting_mentor

MOST_PAGE_BYTES = 60 * 1024

LOGINS = {
    "amina": "amina@example.org",  # entrepreneur
    "tesfaye": "tesfaye@example.org",  # diaspora mentor
    "fatou": "fatou@example.org",  # diaspora investor
    "jean": "jean@example.org",  # coordinator
    "moussa": "moussa@example.org",  # field officer
}

# Endpoints that answer with a file, JSON or a redirect, never a page to read.
NOT_PAGES = {
    "static",
    "main.healthz",
    "auth.confirm",  # follows the emailed link, then redirects
    "transfers.download",
    "transfers.problems_csv",
    "results.download",
}


def pages() -> list[tuple[str, str, str]]:
    """(endpoint, role, URL with {placeholders}) for every page, seen by who may see it."""
    listed = [
        ("main.index", "anonymous", "/"),
        ("auth.login", "anonymous", "/login"),
        ("auth.signup", "anonymous", "/signup"),
        ("auth.forgot_password", "anonymous", "/password/forgot"),
        ("auth.reset_password", "anonymous", "/password/reset/{reset_token}"),
        ("claims.request_code", "anonymous", "/claim"),
        ("claims.enter_code", "anonymous", "/claim/code"),
        ("main.index", "amina", "/"),
        ("main.index", "jean", "/"),
        ("auth.change_password", "amina", "/account/password"),
        ("i18n.account_language", "tesfaye", "/account/language"),
        ("profiles.mine", "amina", "/profile"),
        ("profiles.mine", "tesfaye", "/profile"),
        ("profiles.entrepreneur", "tesfaye", "/people/entrepreneurs/{amina}"),
        ("profiles.diaspora", "amina", "/people/diaspora/{tesfaye}"),
        ("matches.index", "amina", "/matches?kind=coaching"),
        ("matches.index", "amina", "/matches?kind=investment"),
        ("matches.index", "tesfaye", "/matches?kind=coaching"),
        ("introductions.new", "amina", "/introductions/new?diaspora_id={fatou}&kind=investment"),
        ("introductions.inbox", "amina", "/inbox"),
        ("introductions.inbox", "tesfaye", "/inbox"),
        ("introductions.notifications", "tesfaye", "/notifications"),
        ("introductions.contact_views", "tesfaye", "/contact-views"),
        ("introductions.pairing", "amina", "/pairings/{approved}"),
        ("introductions.pairing", "fatou", "/pairings/{accepted}"),
        ("safety.report_pairing", "amina", "/pairings/{approved}/report"),
        ("safety.report_profile", "amina", "/people/diaspora/{tesfaye}/report"),
        ("coordinator.home", "jean", "/coordinator"),
        ("coordinator.people_list", "jean", "/coordinator/people"),
        ("coordinator.person", "jean", "/coordinator/people/{amina_user}"),
        ("coordinator.propose", "jean",
         "/coordinator/people/{amina_user}/propose?with={fatou}&kind=investment"),
        ("coordinator.vetting_queue", "jean", "/coordinator/vetting"),
        ("coordinator.pairings_list", "jean", "/coordinator/pairings"),
        ("coordinator.review", "jean", "/coordinator/pairings/{accepted}"),
        ("coordinator.review", "jean", "/coordinator/pairings/{approved}"),
        ("coordinator.queue", "jean", "/coordinator/approvals"),
        ("coordinator.reports_list", "jean", "/coordinator/reports"),
        ("coordinator.report", "jean", "/coordinator/reports/{report}"),
        ("results.index", "jean", "/coordinator/results"),
        ("rounds.start", "jean", "/coordinator/rounds"),
        ("rounds.show", "jean", "/coordinator/rounds/{round}"),
        ("registration.register", "moussa", "/coordinator/register"),
        ("registration.registrations", "moussa", "/coordinator/registrations"),
        ("registration.edit", "jean", "/coordinator/registrations/{hauwa}/edit"),
        ("registration.field_officers", "jean", "/coordinator/field-officers"),
        ("transfers.upload", "jean", "/coordinator/import"),
        ("transfers.progress", "jean", "/coordinator/imports/{job}"),
        ("transfers.export_page", "jean", "/coordinator/export"),
    ]  # fmt: skip
    for role, person in ((Role.ENTREPRENEUR, "amina"), (Role.DIASPORA, "tesfaye")):
        listed += [("profiles.edit", person, f"/profile/edit/{s.name}") for s in steps_for(role)]
    return listed


@dataclass
class World:
    """Everyone and everything the pages show, made through the real services."""

    ids: dict[str, object]

    def url(self, template: str) -> str:
        return template.format(**self.ids)


@pytest.fixture
def world(app: Flask, db: Session, people: People) -> World:
    """Amina's approved coaching with Tesfaye (a month old, check-ins due), Fatou's accepted
    investment request waiting for Jean, a safety report, a matching round, Hauwa
    registered by Moussa the field officer, an import checked by the worker, and Abebe's
    profile waiting for review. Amina's request is in CFA francs; Tesfaye lives in Dubai.
    Nobody has set a language, so the browser's Accept-Language chooses each page's."""
    people.amina.investment_amount, people.amina.investment_currency = 7_000_000, "XOF"
    people.tesfaye.user.time_zone = "Asia/Dubai"
    then = utcnow() - timedelta(days=31)
    approved = request(db, people.amina.user, people.amina, people.tesfaye, now=then)
    pairings.accept(db, approved, people.tesfaye.user)
    pairings.approve(db, approved, people.jean, now=then)
    accepted = request(
        db, people.amina.user, people.amina, people.fatou, kind=PairingKind.INVESTMENT.value
    )
    pairings.accept(db, accepted, people.fatou.user)
    report = money_report(db, people)
    waiting_mentor(db)
    moussa = make_user(db, Role.FIELD_OFFICER, "Moussa Traoré", LOGINS["moussa"])
    hauwa = registration.register_entrepreneur(
        db, moussa, HAUWA, registration.Consent(["register", "share"], ConsentMethod.SPOKEN)
    )
    db.commit()
    job = jobs.store_upload(
        db, people.jean, "survey.csv", csv_bytes(entrepreneur(1)), None, ReviewStatus.APPROVED
    )
    db.commit()
    jobs.run_next(db)
    matching_round = rounds.propose(
        db, people.jean, rounds.RoundRequest(kind=PairingKind.COACHING, country="NG")
    )
    db.commit()
    return World(
        {
            "amina": people.amina.id,
            "tesfaye": people.tesfaye.id,
            "fatou": people.fatou.id,
            "amina_user": people.amina.user.id,
            "approved": approved.id,
            "accepted": accepted.id,
            "report": report.id,
            "round": matching_round.id,
            "hauwa": hauwa.id,
            "job": job.id,
            "reset_token": make_reset_token(people.amina.user, app.config["SECRET_KEY"]),
        }
    )


def rendered(
    client: FlaskClient, auth: AuthActions, world: World, *languages: str
) -> Iterator[tuple[str, str, list[bytes]]]:
    """(who, URL, [body in each language]) of every page, each seen by its role."""
    by_role: dict[str, list[tuple[str, str, str]]] = {}
    for endpoint, role, template in pages():
        by_role.setdefault(role, []).append((endpoint, role, template))
    for role, listed in by_role.items():
        if role != "anonymous":
            assert auth.login(LOGINS[role]).status_code == 302, role
            client.get("/")  # the "Welcome back" shown once, in the language logged in with
        for _endpoint, _role, template in listed:
            bodies = []
            for language in languages:
                response = client.get(world.url(template), headers={"Accept-Language": language})
                assert response.status_code == 200, f"{template} as {role}: {response.status_code}"
                bodies.append(response.data)
            yield role, template, bodies
        if role != "anonymous":
            auth.logout()


# What people typed, and messages kept in their recipient's language when they were
# written: shown as they are on a page in any language.
TYPED_COLUMNS = {
    "users": ("full_name", "email", "phone"),
    "entrepreneur_profiles": (
        "business_name", "description", "locality", "skills_needed_text", "contact_email",
    ),
    "diaspora_profiles": ("headline", "bio", "skills_offered_text", "contact_email"),
    "pairings": ("message", "reason_text", "coordinator_note"),
    "pairing_events": ("note", "private_note"),
    "safety_reports": ("description", "message", "private_note"),
    "account_events": ("message", "private_note"),
    "feedback": ("comment",),
    "check_ins": ("what_changed",),
    "import_jobs": ("filename",),
    "exchange_rates": ("source",),
    "notifications": ("subject", "body"),
}  # fmt: skip


def typed_by_people(db: Session) -> list[str]:
    """Every text people typed in the world, longest first (so names inside a sentence
    they typed are taken out with it)."""
    texts: set[str] = set()
    for table_name, columns in TYPED_COLUMNS.items():
        table = Base.metadata.tables[table_name]
        for row in db.execute(select(*(table.c[name] for name in columns))):
            texts.update(squeeze(str(value)) for value in row if value)
    return sorted((text for text in texts if len(text) > 2), key=len, reverse=True)


def untranslated_places(db: Session, language: str) -> list[str]:
    """Names of the world's regions that pycountry has no `language` name for (e.g.
    "Southern Nations, Nationalities and Peoples" in French): proper nouns, shown as the
    standard writes them."""
    countries = set(db.scalars(select(EntrepreneurProfile.country_code)))
    countries |= set(db.scalars(select(DiasporaProfile.residence_country)))
    for member in db.scalars(select(DiasporaProfile)):
        countries |= {code.split("-")[0] for code in member.origin_regions or ()}
    names = []
    for country in countries:
        for code, english in taxonomy.regions_for(country):
            if taxonomy.region_name(code, language=language) == english:
                names.append(squeeze(english))
    return sorted(names, key=len, reverse=True)


def test_every_page_of_the_app_is_listed_here(app: Flask) -> None:
    pages_of_the_app = {
        rule.endpoint for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())
    }
    listed = {endpoint for endpoint, _role, _url in pages()}
    assert pages_of_the_app - NOT_PAGES - listed == set(), "pages never rendered in any language"


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_english_is_left_on_any_page(
    client: FlaskClient, auth: AuthActions, db: Session, world: World, language: str
) -> None:
    kept = typed_by_people(db) + untranslated_places(db, language)
    left = []
    for role, url, [body] in rendered(client, auth, world, language):
        english = english_left(body.decode(), language, kept)
        left += [f"{url} (as {role}): {text}" for text in english]
    assert not left, f"English messages left on {language} pages ({len(left)}):\n" + "\n".join(left)


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_english_sentence_was_left_unmarked(
    client: FlaskClient, auth: AuthActions, db: Session, world: World, language: str
) -> None:
    typed = typed_by_people(db) + untranslated_places(db, language)
    left = []
    for role, url, [english, body] in rendered(client, auth, world, "en", language):
        lines = unmarked_english(body.decode(), english.decode(), typed)
        left += [f"{url} (as {role}): {line!r}" for line in lines]
    assert not left, (
        f"English on {language} pages that is in no catalogue (mark it with _()) "
        f"({len(left)}):\n" + "\n".join(left)
    )


@pytest.mark.parametrize("language", ["en", *TRANSLATED])
def test_every_page_stays_under_60_kb(
    client: FlaskClient, auth: AuthActions, world: World, language: str
) -> None:
    heavy = [
        f"{url} (as {role}): {len(body) / 1024:.1f} KB"
        for role, url, [body] in rendered(client, auth, world, language)
        if len(body) > MOST_PAGE_BYTES
    ]
    assert not heavy, f"pages over 60 KB in {language}:\n" + "\n".join(heavy)
