"""Import and export in the coordinator's pages: Jean uploads a field survey, the worker
checks it, Jean imports the valid rows; exports are spreadsheet-safe, complete and logged."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from sqlalchemy import func, select

from mentormatch.db import session_scope
from mentormatch.models import (
    EntrepreneurProfile,
    ExportLog,
    ImportJob,
    ImportState,
    PairingState,
    ReviewStatus,
    User,
)
from mentormatch.transfers import jobs
from mentormatch.transfers.exports import spreadsheet_safe
from tests.pairing_builders import pairing_in_state
from tests.test_importer import csv_bytes, entrepreneur


@pytest.fixture
def jean(auth, people):
    auth.login("jean@example.org")
    return people.jean


def upload(client, post_form, data: bytes, filename="survey.csv", **fields):
    html = client.get("/coordinator/import").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    token = token or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert token, html
    payload = {
        "csrf_token": token.group(1),
        "kind": "",
        "review_status": "approved",
        **fields,
        "file": (io.BytesIO(data), filename),
    }
    return client.post("/coordinator/import", data=payload, content_type="multipart/form-data")


def run_worker(app) -> str:
    with app.app_context(), session_scope() as session:
        return jobs.run_next(session)


def job_of(db) -> ImportJob:
    db.expire_all()
    return db.scalars(select(ImportJob)).one()


def imported_count(db) -> int:
    return (
        db.scalar(
            select(func.count())
            .select_from(EntrepreneurProfile)
            .join(User)
            .where(User.email.like("farmer%"))
        )
        or 0
    )


def test_a_survey_with_one_bad_row_is_checked_shown_row_by_row_and_the_rest_imported(
    app, client, db, jean, post_form
):
    data = csv_bytes(entrepreneur(1), entrepreneur(2, value_chains="poltry"), entrepreneur(3))
    response = upload(client, post_form, data, review_status="pending")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and "Waiting for the worker" in page
    assert imported_count(db) == 0

    assert "checked 3 rows, 1 with problems" in run_worker(app)
    page = client.get(response.location).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page
    assert "1 row with problems" in page
    assert "poltry" in page and "Did you mean" in page and "poultry" in page
    assert "Import the 2 valid rows, skip 1" in page
    assert "Import all" not in page

    job = job_of(db)
    confirm = post_form(
        f"/coordinator/imports/{job.id}/confirm", {"rows": "valid"}, page=response.location
    )
    assert confirm.status_code == 302
    # A second click on the stale page changes nothing.
    again = post_form(
        f"/coordinator/imports/{job.id}/confirm", {"rows": "valid"}, page=response.location
    )
    assert again.status_code == 409
    assert "2 profiles imported" in run_worker(app)
    assert imported_count(db) == 2
    job = job_of(db)
    assert (job.state, job.created, job.content) == (ImportState.IMPORTED, 2, None)
    statuses = set(db.scalars(select(EntrepreneurProfile.review_status)).all())
    assert ReviewStatus.PENDING in statuses  # the importer's choice
    registered = db.scalars(select(User).where(User.email == "farmer1@example.org")).one()
    assert registered.registered_by_id == jean.id and registered.phone == "+2348035550001"
    assert "2 profiles imported" in client.get(response.location).get_data(as_text=True)


def test_all_rows_cannot_be_chosen_when_a_row_has_a_problem(app, client, db, jean, post_form):
    upload(client, post_form, csv_bytes(entrepreneur(1), entrepreneur(2, languages="Hausaa")))
    run_worker(app)
    job = job_of(db)
    answer = post_form(
        f"/coordinator/imports/{job.id}/confirm",
        {"rows": "all"},
        page=f"/coordinator/imports/{job.id}",
    )
    assert answer.status_code == 409
    assert job_of(db).state is ImportState.CHECKED and imported_count(db) == 0


def test_an_xlsx_workbook_imports_like_a_csv(app, client, db, jean, post_form):
    book = openpyxl.Workbook()
    sheet = book.active
    rows = list(csv.reader(io.StringIO(csv_bytes(entrepreneur(1), entrepreneur(2)).decode())))
    for row in rows:
        sheet.append(row)
    sheet["L2"] = 3500000  # a number typed as a number
    out = io.BytesIO()
    book.save(out)
    assert upload(client, post_form, out.getvalue(), "survey.xlsx").status_code == 302
    assert "0 with problems" in run_worker(app)
    job = job_of(db)
    post_form(
        f"/coordinator/imports/{job.id}/confirm",
        {"rows": "all"},
        page=f"/coordinator/imports/{job.id}",
    )
    run_worker(app)
    assert imported_count(db) == 2


def xlsx(*sheets: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for number, rows in enumerate(sheets):
        sheet = book.create_sheet(f"Sheet{number + 1}")
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = list(entrepreneur(1))


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"%PDF-1.7\n%binary", "survey.csv", "This is not a CSV or XLSX file (it is a PDF)."),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "survey.xls",
            "old Excel file (.xls)",
        ),
        (
            xlsx([HEADER, [*entrepreneur(1).values()][:-1] + ["=1+1"]]),
            "survey.xlsx",
            "has formulas in 1 cells: O2 (=1+1)",
        ),
        (
            csv_bytes(entrepreneur(1, description='=HYPERLINK("http://x")')),
            "survey.csv",
            "1 cells start with “=”",
        ),
        (
            xlsx([HEADER, list(entrepreneur(1).values())], [["headline"], ["x"]]),
            "s.xlsx",
            "2 sheets with data",
        ),
        (
            b"full_name,business_name,headline,email\nA,B,C,a@example.org\n",
            "mixed.csv",
            "separate files",
        ),
    ],
    ids=["pdf", "xls", "xlsx formula", "csv formula", "two sheets", "mixed kinds"],
)
def test_a_file_that_cannot_be_imported_is_refused_on_the_spot(
    client, db, jean, post_form, data, filename, message
):
    response = upload(client, post_form, data, filename)
    html = response.get_data(as_text=True).replace("&#34;", '"')
    assert response.status_code == 400
    assert "This file cannot be imported" in html and message in html
    assert db.scalar(select(func.count()).select_from(ImportJob)) == 0
    assert imported_count(db) == 0


def test_a_fifty_megabyte_file_gets_a_clear_message(client, db, jean, post_form):
    big = csv_bytes(entrepreneur(1)) + b"x" * (50 * 1024 * 1024)
    response = upload(client, post_form, big)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "The file is 50.0 MB; at most 20 MB" in html and "Split it" in html
    assert db.scalar(select(func.count()).select_from(ImportJob)) == 0


def test_duplicate_people_are_never_written(app, client, db, jean, post_form):
    data = csv_bytes(entrepreneur(1), entrepreneur(2, phone="+234 803 555 0001"))
    upload(client, post_form, data)
    run_worker(app)
    job = job_of(db)
    assert job.valid_rows == 0
    page = client.get(f"/coordinator/imports/{job.id}").get_data(as_text=True)
    assert "is also in row 3: one row per person" in page and "No row can be imported" in page


def test_progress_is_recorded_while_a_large_file_is_checked(app, db, jean, monkeypatch):
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 2)
    seen: list[int] = []
    original = jobs._Progress.__call__

    def spy(self, items, description):
        for item in original(self, items, description):
            seen.append(self.job.rows_done)
            yield item

    monkeypatch.setattr(jobs._Progress, "__call__", spy)
    with app.app_context(), session_scope() as session:
        data = csv_bytes(*(entrepreneur(n) for n in range(1, 8)))
        jobs.store_upload(
            session, session.get(User, jean.id), "big.csv", data, None, ReviewStatus.APPROVED
        )
    run_worker(app)
    assert seen[:6] == [0, 0, 2, 2, 4, 4] and job_of(db).rows_done == 7


def test_discarding_an_upload_keeps_nothing(app, client, db, jean, post_form):
    upload(client, post_form, csv_bytes(entrepreneur(1)))
    run_worker(app)
    job = job_of(db)
    assert (
        post_form(
            f"/coordinator/imports/{job.id}/discard", {}, page=f"/coordinator/imports/{job.id}"
        ).status_code
        == 302
    )
    job = job_of(db)
    assert (job.state, job.content) == (ImportState.DISCARDED, None)
    assert run_worker(app) == "" and imported_count(db) == 0


# --- export -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+2348031234567", "'+2348031234567"),
        ("-5+3", "'-5+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Amina Poultry", "Amina Poultry"),
        (" =not a formula", " =not a formula"),
        (5000, 5000),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert spreadsheet_safe(value) == expected


@pytest.fixture
def dangerous_amina(db, people):
    amina = people.amina
    amina.business_name = '=HYPERLINK("http://evil.example","Amina")'
    amina.user.full_name = "@Amina Bello"
    amina.description = "-1+1"
    db.commit()
    return amina


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def test_people_export_as_csv_is_spreadsheet_safe_and_without_contacts_by_default(
    client, db, jean, dangerous_amina
):
    response = download(client, "/coordinator/export/people.csv?role=entrepreneur")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    [row] = rows
    assert row["full_name"] == "'@Amina Bello"
    assert row["business_or_headline"] == '\'=HYPERLINK("http://evil.example","Amina")'
    assert (row["country"], row["region"], row["value_chains"]) == ("Nigeria", "Kano", "poultry")
    assert "email" not in row and "phone" not in row
    assert "amina@example.org" not in response.get_data(as_text=True)


def test_contact_details_are_exported_only_when_the_programme_allows(
    app, client, db, jean, dangerous_amina
):
    app.config["EXPORT_CONTACT_DETAILS"] = True
    response = download(client, "/coordinator/export/people.xlsx?role=entrepreneur")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    row = dict(zip(header, rows[0], strict=True))
    assert row["email"] == "amina@example.org" and row["phone"] == "'+234 803 123 4567"
    assert row["business_or_headline"].startswith("'=")  # text, never a formula
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


def test_filters_choose_who_is_exported(client, db, jean, people):
    response = download(client, "/coordinator/export/people.csv?country=FR")
    names = [
        row["full_name"]
        for row in csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    ]
    assert names == ["Fatou Diop"]
    response = download(client, "/coordinator/export/people.csv?value_chain=coffee")
    names = [
        row["full_name"]
        for row in csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    ]
    assert names == ["Tesfaye Bekele"]


def test_pairings_export_with_their_history_and_a_sheet_of_events(client, db, jean, people):
    pairing = pairing_in_state(db, people, PairingState.APPROVED)
    response = download(client, "/coordinator/export/pairings.xlsx?state=approved")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Pairings", "History"]
    header, *rows = [list(r) for r in book["Pairings"].iter_rows(values_only=True)]
    [row] = [dict(zip(header, r, strict=True)) for r in rows]
    assert (row["pairing_id"], row["state"], row["entrepreneur"]) == (
        pairing.id,
        "approved",
        "Amina Bello",
    )
    assert (
        "request by Amina Bello" in row["history"] and "approve by Jean Mukendi" in row["history"]
    )
    events = list(book["History"].iter_rows(values_only=True))[1:]
    assert [event[2] for event in events] == ["request", "accept", "approve"]
    response = download(client, "/coordinator/export/pairings.csv?state=declined")
    assert len(list(csv.reader(io.StringIO(response.get_data(as_text=True))))) == 1  # header only


def test_every_export_is_logged_with_who_when_and_the_filters(client, db, jean, people):
    download(client, "/coordinator/export/people.csv?country=NG&returnee=y")
    download(client, "/coordinator/export/pairings.xlsx?kind=coaching")
    logs = db.scalars(select(ExportLog).order_by(ExportLog.id)).all()
    assert [(log.user_id, log.subject, log.file_format) for log in logs] == [
        (jean.id, "people", "csv"),
        (jean.id, "pairings", "xlsx"),
    ]
    assert logs[0].filters == {"country": "NG", "returnee": True} and logs[0].rows == 1
    assert logs[1].filters == {"kind": "coaching"} and not logs[0].with_contacts
    page = client.get("/coordinator/export").get_data(as_text=True)
    assert "country: NG; returnee: True" in page and "Jean Mukendi" in page


def test_a_bad_filter_exports_nothing(client, db, jean, people):
    response = client.get("/coordinator/export/people.csv?country=Narnia")
    assert response.status_code == 400
    assert db.scalar(select(func.count()).select_from(ExportLog)) == 0
