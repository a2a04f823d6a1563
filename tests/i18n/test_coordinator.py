"""The coordinator's workspace in the reader's language, and decisions about a person in
theirs: the coordinator home in Spanish, results with French month names and chart
titles (the CSV staying English), a deactivation notice in Arabic while the coordinator
reads English, a round's reasons in each reader's language, times in the reader's zone."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentormatch.matches import service as matches
from mentormatch.models import Notification, PairingState, User
from mentormatch.people import vetting
from mentormatch.safety import service as safety
from tests.builders import People, make_diaspora
from tests.conftest import AuthActions, csrf_token_from
from tests.pairing_builders import another_entrepreneur, pairing_in_state
from tests.workspace_builders import money_report, waiting_entrepreneur


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    matches.clear_cache()
    yield
    matches.clear_cache()


def _page(client: FlaskClient, url: str, language: str) -> str:
    response = client.get(url, headers={"Accept-Language": language})
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _notifications(db: Session, user: User) -> list[Notification]:
    db.expire_all()
    return list(
        db.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def test_the_coordinator_home_in_spanish(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    pairing_in_state(db, people, PairingState.ACCEPTED)
    # Filed on a fixed day, so the month name below does not depend on when the test runs.
    money_report(db, people, now=datetime(2026, 11, 20, 9, 30, tzinfo=UTC))
    db.commit()
    auth.login("jean@example.org")
    home = _page(client, "/coordinator", "es-GT")
    assert '<html lang="es"' in home
    for text in (
        "Lo que hay que atender hoy",
        "Denuncias de seguridad por revisar (1)",
        '<span class="count">1</span> denuncia de seguridad abierta',
        '<span class="count">1</span> presentación en espera de aprobación',
        '<span class="count">0</span> perfiles en espera de revisión',
        "Buscar a una persona",
    ):
        assert text in home, text
    # The report's date is Babel's Spanish, not an English strftime with "UTC".
    assert "denunciado el" in home and " nov " in home
    assert "UTC" not in home and "What needs action today" not in home


def test_the_results_page_has_french_month_names_and_chart_titles_and_an_english_csv(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    pairing_in_state(db, people, PairingState.APPROVED)
    db.commit()
    auth.login("jean@example.org")
    # This year, which holds the people and the introduction just made.
    year = datetime.now(UTC).year
    url = f"/coordinator/results?start={year}-01-01&end={year}-12-31"
    page = _page(client, url, "fr")
    for text in (
        "Résultats du programme",
        "Mises en relation par mois, selon leur état actuel",  # chart title
        "Entrepreneurs touchés par pays",
        "Mentors selon leur charge d&#39;accompagnement par rapport à leur capacité",
        f"janv. {year}",  # the months, as French writes them, in the axis and the table
        f"déc. {year}",
        "Entrepreneurs inscrits",  # an indicator's name, and its definition
        "Parmi eux, les profils approuvés par un coordinateur.",
        "Le fichier CSV garde ses noms de tableaux et de colonnes en anglais",
    ):
        assert text in page, text
    assert f"Jan {year}" not in page and "Introductions by month" not in page
    # The screen readers' description of the chart is French too.
    assert "Mises en relation par mois, selon leur état actuel : 12 colonnes" in page
    assert len(page.encode()) <= 60_000

    download = client.get(
        url.replace("/results?", "/results.csv?"), headers={"Accept-Language": "fr"}
    )
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert rows[0] == ["table", "row", "column", "value"]
    assert ["indicators", "Entrepreneurs registered", "All", "1"] in rows
    assert not any("Entrepreneurs inscrits" in cell for row in rows for cell in row)


def _deactivate(client: FlaskClient, user_id: int, language: str, **fields: str) -> Any:
    html = _page(client, f"/coordinator/people/{user_id}", language)
    version = html.split('name="deactivate-version"')[1].split('value="')[1].split('"')[0]
    data = {"csrf_token": csrf_token_from(html), "deactivate-version": version}
    data.update({f"deactivate-{k}": v for k, v in fields.items()})
    return client.post(
        f"/coordinator/people/{user_id}/deactivate",
        data=data,
        headers={"Accept-Language": language},
        follow_redirects=True,
    )


def test_a_deactivation_notice_is_in_arabic_for_him_while_the_coordinator_reads_english(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    people.tesfaye.user.language = "ar"
    db.commit()
    auth.login("jean@example.org")
    response = _deactivate(
        client, people.tesfaye.user_id, "en", reason="left_programme", message="Thank you."
    )
    page = response.get_data(as_text=True)
    # Jean's own page and message are in English...
    assert '<html lang="en"' in page
    assert "Tesfaye Bekele&#39;s account is deactivated" in page
    # ...Tesfaye's notice is in Arabic, with the reason in Arabic and Jean's words as typed.
    notice = _notifications(db, people.tesfaye.user)[-1]
    assert notice.subject == "تم إغلاق حسابك في MentorMatch"
    assert "أغلق منسق البرنامج حسابك في MentorMatch: غادر البرنامج." in notice.body
    assert "إذا كنت ترى أن هذا خطأ" in notice.body and "Thank you." in notice.body
    assert "closed your MentorMatch account" not in notice.body


def test_changes_requested_reach_the_person_in_their_language_not_the_coordinators(
    client: FlaskClient, db: Session, auth: AuthActions, people: People, post_form: Any
) -> None:
    hauwa = waiting_entrepreneur(db)
    hauwa.user.language = "fr"
    db.commit()
    auth.login("jean@example.org")
    url = f"/coordinator/people/{hauwa.user_id}"
    html = _page(client, url, "es")
    version = html.split('name="request_changes-version"')[1].split('value="')[1].split('"')[0]
    response = client.post(
        f"{url}/review/request_changes",
        data={
            "csrf_token": csrf_token_from(html),
            "request_changes-version": version,
            "request_changes-message": "Ajoutez le nombre de poules.",
        },
        headers={"Accept-Language": "es"},
        follow_redirects=True,
    )
    # The coordinator reads Spanish; Hauwa is told in French.
    assert "El perfil de Hauwa Sani ahora está «Cambios solicitados»" in response.get_data(
        as_text=True
    )
    notice = _notifications(db, hauwa.user)[-1]
    assert notice.subject == "Merci de modifier votre profil"
    assert notice.body.startswith("Un coordinateur du programme vous demande de modifier")
    assert "Ajoutez le nombre de poules." in notice.body


def test_a_report_closed_in_english_thanks_a_spanish_reporter_in_spanish(
    app: Any, db: Session, people: People
) -> None:
    people.amina.user.language = "es"
    report = money_report(db, people)
    db.commit()
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        safety.close_report(db, report, people.jean, outcome="warned", message="Gracias.")
        db.commit()
    notice = _notifications(db, people.amina.user)[-1]
    assert notice.subject == "Su denuncia fue revisada"
    assert "Gracias por avisarnos." in notice.body and "Su mensaje:\nGracias." in notice.body


def test_a_suspension_is_told_in_the_persons_language_even_outside_a_page(
    app: Any, db: Session, people: People
) -> None:
    """A decision made by a job (no request) still reaches the person in their language."""
    people.fatou.user.language = "fr"
    db.commit()
    with app.app_context():
        vetting.decide(db, people.fatou, people.jean, "suspend", message="")
        db.commit()
    assert _notifications(db, people.fatou.user)[-1].subject == "Votre profil est suspendu"


def test_a_rounds_reasons_are_in_each_readers_language(
    client: FlaskClient, db: Session, auth: AuthActions, people: People, post_form: Any
) -> None:
    """The round keeps why an entrepreneur was left out as a code, so a French coordinator
    reads the reason in French on a round an English-speaking one ran."""
    another_entrepreneur(db, "Kwame Mensah", "kwame@example.org", languages=["hau"])
    make_diaspora(
        db, full_name="Musa Danjuma", email="musa@example.org", value_chains=("poultry",),
        skills_offered=("bookkeeping",), origin_regions=["NG-KN"], interest_regions=[],
        languages=["hau", "eng"], mentee_capacity=1,
    )  # fmt: skip
    pairing_in_state(db, people, PairingState.ACCEPTED)  # Amina already has one
    db.commit()
    auth.login("jean@example.org")
    response = post_form(
        "/coordinator/rounds", {"kind": "coaching", "country": "NG", "women_led": "50"}
    )
    assert response.status_code == 302
    english = _page(client, response.location, "en")
    assert "Already has a coaching introduction waiting for an answer" in english
    french = _page(client, response.location, "fr")
    for text in (
        "Tour de mise en relation 1 : accompagnement",
        "A déjà une mise en relation d&#39;accompagnement en attente de réponse",
        "Entreprises dirigées par des femmes",  # the quota's group
    ):
        assert text in french, text
    # The quota's share as French writes a percentage (a narrow space before the sign).
    assert re.search(r"<td>50\s%</td>", french)


def test_times_are_shown_in_the_readers_time_zone_without_a_utc_suffix(
    client: FlaskClient, db: Session, auth: AuthActions, people: People
) -> None:
    report = money_report(db, people)
    report.created_at = datetime(2026, 11, 29, 22, 30, tzinfo=UTC)
    people.jean.time_zone = "Asia/Dubai"  # UTC+4: 22:30 UTC is 02:30 the next day
    db.commit()
    auth.login("jean@example.org")
    page = _page(client, f"/coordinator/reports/{report.id}", "en")
    assert "Nov 30, 2026, 2:30:00" in page
    assert "29 Nov 2026" not in page and "UTC" not in page
