"""CSV import of field surveys: every row checked first, row-numbered errors, all or nothing."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from mentormatch.config import PROJECT_ROOT
from mentormatch.importer import (
    DIASPORA,
    ENTREPRENEURS,
    ImportFileError,
    decode,
    import_profiles,
    read_table,
)
from mentormatch.models import (
    DiasporaProfile,
    EntrepreneurProfile,
    ReviewStatus,
    Role,
    Skill,
    User,
    ValueChain,
    ValueChainGroup,
)

EXAMPLES = PROJECT_ROOT / "seed_data" / "examples"

AMINA_ROW = {
    "full_name": "Halima Sule",
    "email": "halima.sule@example.org",
    "phone": "+234 803 555 0101",
    "business_name": "Sule Layers",
    "description": "Layer hens near Kano.",
    "country": "NG",
    "region": "NG-KN",
    "value_chains": "poultry",
    "skills_needed": "bookkeeping;supply_chain",
    "languages": "hau;eng",
    "seeking_investment": "yes",
    "investment_amount": "3500000",
    "investment_currency": "NGN",
    "investment_instruments": "loan",
    "is_returnee": "yes",
}
MENTOR_ROW = {
    "full_name": "Abdullahi Garba",
    "email": "abdullahi.garba@example.org",
    "headline": "Veterinarian in Manchester, poultry health",
    "residence_country": "GB",
    "origin_regions": "NG-KN",
    "value_chains": "poultry",
    "skills_offered": "animal_health",
    "languages": "hau;eng",
    "offers_coaching": "yes",
    "mentee_capacity": "3",
}


def csv_bytes(*rows: dict[str, str], columns: list[str] | None = None) -> bytes:
    """A CSV file (UTF-8) with the given rows; columns default to the union of their keys."""
    columns = columns or list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def entrepreneur(n: int, **changes: str) -> dict[str, str]:
    """Halima's row with a distinct email and phone for person n."""
    row = {**AMINA_ROW, "email": f"farmer{n}@example.org", "phone": f"+234 803 555 {n:04d}"}
    row.update(changes)
    return row


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def messages(result) -> list[str]:
    return [str(error) for error in result.errors]


def test_example_files_import_as_approved_profiles_with_accounts_awaiting_a_password(db):
    result = import_profiles(db, (EXAMPLES / "entrepreneurs_example.csv").read_bytes())
    assert result.ok and result.created == 3 and result.kind == ENTREPRENEURS
    result = import_profiles(db, (EXAMPLES / "diaspora_example.csv").read_bytes())
    assert result.ok and result.created == 3 and result.kind == DIASPORA
    db.commit()

    halima = db.scalar(select(User).where(User.email == "halima.sule@example.org"))
    assert halima.role is Role.ENTREPRENEUR
    assert halima.password_hash is None  # she sets one through a password reset
    profile = halima.entrepreneur_profile
    assert profile.review_status is ReviewStatus.APPROVED
    assert (profile.region_code, profile.investment_amount) == ("NG-KN", 3_500_000)
    assert [chain.code for chain in profile.value_chains] == ["poultry"]
    assert profile.contact_phone == "+2348035550101"

    meseret = db.scalar(select(User).where(User.email == "meseret.alemu@example.com"))
    mentor = meseret.diaspora_profile
    assert mentor.origin_regions == ["ET-AM"]
    assert mentor.languages == ["amh", "eng", "swe"]
    assert (mentor.ticket_min, mentor.ticket_max, mentor.ticket_currency) == (2000, 15000, "EUR")


def test_one_bad_row_means_nothing_is_written_and_every_problem_is_reported(db):
    result = import_profiles(db, (EXAMPLES / "entrepreneurs_bad_example.csv").read_bytes())
    db.commit()

    assert result.created == 0
    assert count(db, User) == 0
    assert result.rejected_rows == [3]
    assert messages(result) == [
        'row 3, column value_chains: "poltry" is not a known value chain. Did you mean "poultry"?',
        "row 3, column investment_amount: Enter a whole number, for example 5000.",
        'row 3, column is_youth_led: Answer yes or no (not "maybe").',
    ]


def test_errors_of_every_row_are_collected_with_spreadsheet_row_numbers(db):
    data = csv_bytes(
        entrepreneur(1),
        entrepreneur(2, country="Nigria"),
        entrepreneur(3),
        entrepreneur(4, languages="Hausaa"),
    )
    result = import_profiles(db, data)
    assert result.rejected_rows == [3, 5]
    assert 'row 3, column country: "Nigria" is not a known country. Did you mean "Nigeria"?' in (
        messages(result)
    )
    assert any(m.startswith("row 5, column languages:") and "Hausa" in m for m in messages(result))
    assert count(db, User) == 0


def test_skip_invalid_imports_the_good_rows_and_reports_the_bad_ones(db):
    data = csv_bytes(entrepreneur(1), entrepreneur(2, value_chains="poltry"), entrepreneur(3))
    result = import_profiles(db, data, skip_invalid=True)
    db.commit()
    assert result.created == 2
    assert result.rejected_rows == [3]
    names = set(db.scalars(select(User.email)))
    assert names == {"farmer1@example.org", "farmer3@example.org"}


def test_labels_and_codes_are_accepted_in_any_case(db):
    row = entrepreneur(
        1,
        country="nigeria",
        region="KANO",
        value_chains="POULTRY; Sheep and goats",
        skills_needed="Bookkeeping and accounts;SUPPLY_CHAIN",
        languages="HAUSA;en",
        stage="Growing",
        investment_currency="naira",
        investment_instruments="Loan;in kind",
    )
    result = import_profiles(db, csv_bytes(row))
    assert result.ok, messages(result)
    profile = db.scalar(select(EntrepreneurProfile))
    assert (profile.country_code, profile.region_code) == ("NG", "NG-KN")
    assert [c.code for c in profile.value_chains] == ["poultry", "small_ruminants"]
    assert [s.code for s in profile.skills_needed] == ["bookkeeping", "supply_chain"]
    assert profile.languages == ["hau", "eng"]
    assert profile.stage.value == "growing"
    assert profile.investment_currency == "NGN"
    assert profile.investment_instruments == ["loan", "in_kind"]


def test_spreadsheet_style_headers_are_accepted():
    data = b"Full name,Email,Business name,Country,Value chains,Languages\n"
    data += b"Halima Sule,halima@example.org,Sule Layers,NG,poultry,hau\n"
    table = read_table(decode(data))
    assert table.kind == ENTREPRENEURS
    assert table.rows[0][1]["business_name"] == "Sule Layers"


def test_same_email_or_phone_twice_in_the_file_refuses_every_row_involved(db):
    data = csv_bytes(
        entrepreneur(1),
        entrepreneur(2, email="FARMER1@example.org"),
        entrepreneur(3, phone="0803-555-0001"),  # Nigerian, written as dialled there
        entrepreneur(4),
    )
    result = import_profiles(db, data, skip_invalid=True)
    assert messages(result) == [
        "row 2, column email: farmer1@example.org is also in row 3: one row per person.",
        "row 2, column phone: +2348035550001 is also in row 4: one row per person.",
        "row 3, column email: farmer1@example.org is also in row 2: one row per person.",
        "row 4, column phone: +2348035550001 is also in row 2: one row per person.",
    ]
    # Either row may be the one to keep: neither is written, only the unrelated row 5.
    assert set(db.scalars(select(User.email))) == {"farmer4@example.org"}


def test_email_or_phone_already_registered_is_a_row_error(db, people):
    data = csv_bytes(
        entrepreneur(1, email="Amina@Example.org"),
        entrepreneur(2, phone="+234 803 123 4567"),  # Amina's contact phone is not a login
    )
    result = import_profiles(db, data)
    assert messages(result) == [
        "row 2, column email: amina@example.org is already registered to another account."
    ]


def test_a_person_needs_an_email_or_a_phone(db):
    result = import_profiles(db, csv_bytes(entrepreneur(1, email="", phone="")))
    assert messages(result) == [
        "row 2, column email: Give an email address or a phone number (or both)."
    ]


def test_phone_only_entrepreneur_registered_by_a_coordinator(db, people):
    result = import_profiles(db, csv_bytes(entrepreneur(7, email="")), registered_by=people.jean)
    assert result.ok
    user = db.scalar(select(User).where(User.phone == "+2348035550007"))
    assert user.email is None and user.registered_by_id == people.jean.id


def test_empty_required_cell_is_reported(db):
    result = import_profiles(db, csv_bytes(entrepreneur(1, business_name="  ")))
    assert messages(result) == ["row 2, column business_name: Enter the name of the business."]


def test_a_one_megabyte_cell_is_an_error_not_a_crash(db):
    result = import_profiles(db, csv_bytes(entrepreneur(1, description="x" * 1_048_576)))
    assert messages(result) == [
        "row 2, column description: Keep this to 2,000 characters or fewer; it has 1,048,576."
    ]
    assert count(db, User) == 0


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("investment_amount", "lots", "Enter a whole number, for example 5000."),
        ("investment_amount", "-5", "Enter a whole number from 1 to 2,000,000,000."),
        ("investment_amount", "0", "Enter a whole number from 1 to 2,000,000,000."),
        ("is_returnee", "maybe", 'Answer yes or no (not "maybe").'),
        ("email", "amina@", '"amina@" is not an email address (There must be something after '
                            "the @-sign.) Enter one like name@example.org."),
        ("phone", "0803 123 45", '"0803 123 45" is too short for a phone number in Nigeria: '
                                 "check the digits, for example +234 802 123 4567."),
        ("phone", "+999 803 123 4567", '"+999 803 123 4567" does not start with a known '
                                       "country code; write it like +234 802 123 4567."),
        ("full_name", "   ", "Enter your full name."),
    ],
)  # fmt: skip
def test_wrong_types_are_explained(db, column, value, expected):
    result = import_profiles(db, csv_bytes(entrepreneur(1, **{column: value})))
    assert messages(result) == [f"row 2, column {column}: {expected}"]


def test_amounts_may_have_thousands_separators(db):
    result = import_profiles(db, csv_bytes(entrepreneur(1, investment_amount="3 500 000")))
    assert result.ok
    assert db.scalar(select(EntrepreneurProfile.investment_amount)) == 3_500_000


def test_html_and_script_are_stored_as_plain_text(db):
    script = '<script>alert("x")</script><b>Sule</b> Layers'
    result = import_profiles(db, csv_bytes(entrepreneur(1, business_name=script)))
    assert result.ok
    assert db.scalar(select(EntrepreneurProfile.business_name)) == script


def test_amharic_and_arabic_names_are_accepted(db):
    data = csv_bytes(
        entrepreneur(1, full_name="አልማዝ ታደሰ", business_name="የአልማዝ ቡና", country="ET",
                     region="ET-OR", value_chains="coffee", languages="amh"),
        entrepreneur(2, full_name="فاطمة الزهراء العلوي", business_name="تعاونية أركان",
                     country="MA", region="MA-09", value_chains="shea", languages="ary;ara"),
    )  # fmt: skip
    result = import_profiles(db, data)
    assert result.ok, messages(result)
    names = set(db.scalars(select(User.full_name)))
    assert names == {"አልማዝ ታደሰ", "فاطمة الزهراء العلوي"}


def test_unknown_value_chain_gets_a_suggestion(db):
    result = import_profiles(db, csv_bytes(entrepreneur(1, value_chains="poultry;coffe")))
    assert messages(result) == [
        'row 2, column value_chains: "coffe" is not a known value chain. Did you mean "coffee"?'
    ]


def test_region_must_belong_to_the_country(db):
    result = import_profiles(db, csv_bytes(entrepreneur(1, region="ET-OR")))
    assert len(result.errors) == 1
    assert result.errors[0].column == "region"
    assert "region of Nigeria" in result.errors[0].message


def test_seeking_investment_needs_an_amount_and_its_currency(db):
    result = import_profiles(
        db,
        csv_bytes(
            entrepreneur(1, investment_currency=""),
            entrepreneur(3, investment_amount=""),
        ),
    )
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "investment_currency"),
        (3, "investment_amount"),
    ]


def test_not_seeking_investment_ignores_the_amount_as_the_wizard_does(db):
    result = import_profiles(db, csv_bytes(entrepreneur(2, seeking_investment="no")))
    assert result.ok, messages(result)
    profile = db.scalars(select(EntrepreneurProfile)).one()
    assert (profile.seeking_investment, profile.investment_amount) == (False, None)


def test_control_characters_are_dropped_as_in_the_wizard(db):
    row = entrepreneur(1, full_name="Amina\x07 Bello\u202e", business_name="Sule\x1b Layers")
    result = import_profiles(db, csv_bytes(row))
    assert result.ok, messages(result)
    assert db.scalar(select(User.full_name)) == "Amina Bello"
    assert db.scalar(select(EntrepreneurProfile.business_name)) == "Sule Layers"


def test_diaspora_offers_are_checked(db):
    data = csv_bytes(
        {**MENTOR_ROW, "email": "a@example.org", "mentee_capacity": ""},
        {**MENTOR_ROW, "email": "b@example.org", "offers_coaching": "no"},
        {**MENTOR_ROW, "email": "c@example.org", "offers_coaching": "no",
         "offers_investment": "yes", "ticket_min": "20000", "ticket_max": "2000",
         "ticket_currency": "EUR"},
        columns=[*MENTOR_ROW, "offers_investment", "ticket_min", "ticket_max", "ticket_currency"],
    )  # fmt: skip
    result = import_profiles(db, data)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "mentee_capacity"),
        (3, "offers_coaching"),
        (4, "ticket_max"),
    ]
    assert "at least the smallest amount (20,000)" in str(result.errors[2])


def test_interest_regions_default_to_origin_regions(db):
    result = import_profiles(db, csv_bytes({**MENTOR_ROW, "origin_regions": "Nigeria: Kano"}))
    assert result.ok, messages(result)
    profile = db.scalar(select(DiasporaProfile))
    assert profile.origin_regions == profile.interest_regions == ["NG-KN"]
    assert profile.mentee_capacity == 3


def test_file_that_is_not_utf8_is_refused_with_a_clear_message(db):
    data = csv_bytes(entrepreneur(1, full_name="Fatou Diop")).decode().replace("Fatou", "Fétou")
    with pytest.raises(ImportFileError, match=r"not UTF-8 text .* on line 2.*CSV UTF-8"):
        import_profiles(db, data.encode("latin-1"))


def test_utf8_with_byte_order_mark_is_fine(db):
    result = import_profiles(db, b"\xef\xbb\xbf" + csv_bytes(entrepreneur(1)))
    assert result.ok


def test_missing_and_unknown_columns_are_named(db):
    data = csv_bytes({"full_name": "Halima", "email": "h@example.org", "business_name": "Sule",
                      "value_chain": "poultry", "favourite_colour": "green"})  # fmt: skip
    with pytest.raises(ImportFileError) as caught:
        import_profiles(db, data)
    message = str(caught.value)
    assert "Unknown columns for entrepreneurs: value_chain (did you mean value_chains?)" in message
    assert "favourite_colour" in message
    missing = "Missing required columns for entrepreneurs: country, value_chains, languages."
    assert missing in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The file is empty"),
        (b"  \n\n", "The file is empty"),
        (csv_bytes(entrepreneur(1))[: csv_bytes(entrepreneur(1)).index(b"\n") + 1], "no profiles"),
        (b"full_name;email;business_name\nA;a@example.org;B\n", "separated by ';'"),
        (b"full_name,email\nA,a@example.org\n", "Cannot tell what the file holds"),
        (b"full_name,business_name,headline\n", "separate files"),
    ],
)
def test_files_that_cannot_be_imported_say_why(db, data, expected):
    with pytest.raises(ImportFileError, match=expected):
        import_profiles(db, data)


def test_kind_can_be_forced(db):
    with pytest.raises(ImportFileError, match="Unknown columns for diaspora: business_name"):
        import_profiles(db, csv_bytes(entrepreneur(1)), kind=DIASPORA)


def test_row_with_too_many_cells_is_reported(db):
    data = csv_bytes(entrepreneur(1)) + b"Halima,h@example.org,extra" + b",x" * 30 + b"\n"
    result = import_profiles(db, data)
    assert result.rejected_rows == [3]
    assert "needs double quotes" in str(result.errors[0])


def test_blank_rows_at_the_end_are_ignored(db):
    result = import_profiles(db, csv_bytes(entrepreneur(1)) + b",,,,\n\n")
    assert result.ok and result.created == 1


def test_nothing_is_imported_before_the_taxonomy_is_loaded(db):
    for model in (ValueChain, ValueChainGroup, Skill):
        db.execute(model.__table__.delete())
    with pytest.raises(ImportFileError, match="flask --app mentormatch seed"):
        import_profiles(db, csv_bytes(entrepreneur(1)))


def test_at_most_five_value_chains_as_in_the_profile_form(db):
    chains = "poultry;dairy;pigs;rice;cereals;vegetables"
    result = import_profiles(db, csv_bytes(entrepreneur(1, value_chains=chains)))
    assert messages(result) == [
        "row 2, column value_chains: Choose at most 5 value chains, the main ones."
    ]


def test_a_row_with_only_the_country_imports_at_country_level_with_a_note(db):
    result = import_profiles(db, csv_bytes(entrepreneur(1, region="")))
    assert (messages(result), result.created) == ([], 1)
    assert [str(n) for n in result.notes] == [
        "row 2, region: none given, imported at country level (Nigeria)."
    ]
    profile = db.scalars(select(EntrepreneurProfile)).one()
    assert (profile.country_code, profile.region_code) == ("NG", None)
