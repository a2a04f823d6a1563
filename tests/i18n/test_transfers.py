"""The import in the coordinator's language: Jean reads Spanish, so the import page and the
report the worker writes row by row (no request, no browser there) are in Spanish; a
`language` column says which language each imported person is written to in."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mentormatch.models import ImportState, User
from tests.test_importer import csv_bytes, entrepreneur
from tests.test_transfers import job_of, run_worker, upload


@pytest.fixture
def jean_in_spanish(db, auth, people):
    people.jean.language = "es"
    db.commit()
    auth.login("jean@example.org")
    return people.jean


def language_of(db, email: str) -> str | None:
    db.expire_all()
    return db.scalars(select(User.language).where(User.email == email)).one()


def test_the_import_page_and_its_row_by_row_report_are_in_the_uploaders_spanish(
    app, client, db, jean_in_spanish, post_form
):
    page = client.get("/coordinator/import").get_data(as_text=True)
    assert "Importar perfiles desde un archivo" in page and "Import profiles" not in page
    assert "Revisar el archivo" in page

    data = csv_bytes(
        entrepreneur(1, language="ar"),
        entrepreneur(2, language="Français"),
        entrepreneur(3, language=""),
        entrepreneur(4, language="wolof"),
        entrepreneur(5, email="same@example.org"),
        entrepreneur(6, email="same@example.org"),
    )
    response = upload(client, post_form, data)
    assert response.status_code == 302
    assert "El archivo espera su revisión" in client.get(response.location).get_data(as_text=True)

    run_worker(app)  # the worker has no request: the report follows Jean's setting
    problems = {(row, column): message for row, column, message in job_of(db).problems}
    assert problems[(5, "language")].startswith("MentorMatch escribe en inglés (en)")
    assert (
        problems[(6, "email")]
        == "same@example.org también está en la fila 7: una fila por persona."
    )

    page = client.get(response.location).get_data(as_text=True)
    assert "3 filas con problemas" in page
    assert "Importar las 3 filas válidas, omitir 3" in page
    assert "Qué corregir" in page and "What to fix" not in page

    job = job_of(db)
    post_form(f"/coordinator/imports/{job.id}/confirm", {"rows": "valid"}, page=response.location)
    run_worker(app)
    assert job_of(db).state is ImportState.IMPORTED
    assert "3 perfiles importados" in client.get(response.location).get_data(as_text=True)

    # The language column set each person's language; an empty cell leaves it unset.
    assert language_of(db, "farmer1@example.org") == "ar"
    assert language_of(db, "farmer2@example.org") == "fr"
    assert language_of(db, "farmer3@example.org") is None


def test_a_file_refused_on_the_spot_is_explained_in_the_readers_language(
    client, db, jean_in_spanish, post_form
):
    response = upload(client, post_form, b"%PDF-1.4 not a survey", filename="survey.pdf")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Este archivo no se puede importar" in page
    assert "Esto no es un archivo CSV ni XLSX (es un PDF)" in page
