"""CSV import of what field records give: a country and a town, placed by the profile rule."""

from __future__ import annotations

from sqlalchemy import select

from mentormatch.importer import import_profiles
from mentormatch.models import EntrepreneurProfile, RegionSource
from tests.test_importer import EXAMPLES, csv_bytes, entrepreneur, messages

COLUMNS = [
    "full_name",
    "email",
    "business_name",
    "country",
    "locality",
    "value_chains",
    "languages",
]


def row(n: int, country: str, locality: str) -> dict[str, str]:
    """A field record with only a country and a locality as its place."""
    return {
        "full_name": f"Farmer {n}",
        "email": f"farmer{n}@example.org",
        "business_name": f"Farm {n}",
        "country": country,
        "locality": locality,
        "value_chains": "pigs",
        "languages": "eng",
    }


def imported(db) -> dict[str, EntrepreneurProfile]:
    profiles = db.scalars(select(EntrepreneurProfile)).all()
    return {p.business_name: p for p in profiles}


def test_a_file_with_only_country_and_locality_imports_and_says_where_each_row_went(db):
    data = csv_bytes(
        row(1, "PH", "Liloan, Cebu"),
        row(2, "PH", "Catmon"),
        row(3, "KE", "Qwzxy Plains"),
        row(4, "KH", "ភ្នំពេញ"),
        columns=COLUMNS,
    )
    result = import_profiles(db, data)
    assert (messages(result), result.created) == ([], 4)
    notes = [str(note) for note in result.notes]
    assert notes[0].startswith(
        "row 2, locality: “Liloan, Cebu” placed in Central Visayas (Region VII) (PH-07), "
        "confidence "
    )
    assert notes[1:] == [
        "row 3, locality: “Catmon” could be in Central Visayas (Region VII) (PH-07) or "
        "Eastern Visayas (Region VIII) (PH-08), imported at country level (Philippines): "
        "write the region to choose.",
        "row 4, locality: “Qwzxy Plains” was not found in Kenya, imported at country level: "
        "write the region to place it.",
        "row 5, locality: “ភ្នំពេញ” is not in Latin letters, imported at country level "
        "(Cambodia): write the region, or the town in Latin letters.",
    ]
    farms = imported(db)
    placed = farms["Farm 1"]
    assert (placed.region_code, placed.region_source) == ("PH-07", RegionSource.RESOLVED)
    assert 0.5 <= placed.region_confidence <= 1 and placed.locality == "Liloan, Cebu"
    for name in ("Farm 2", "Farm 3", "Farm 4"):
        assert (farms[name].region_code, farms[name].region_source) == (
            None,
            RegionSource.UNRESOLVED,
        )


def test_a_region_written_in_the_file_wins_over_the_locality(db):
    result = import_profiles(db, csv_bytes(entrepreneur(1, region="Kano", locality="Ikeja, Lagos")))
    assert result.created == 1 and result.notes == []
    profile = db.scalars(select(EntrepreneurProfile)).one()
    assert (profile.region_code, profile.region_source) == ("NG-KN", RegionSource.CHOSEN)
    assert profile.region_confidence is None


def test_an_unknown_country_is_still_a_row_error(db):
    result = import_profiles(db, csv_bytes(row(1, "Qqqqq", "Catmon"), columns=COLUMNS))
    assert result.created == 0
    assert messages(result) == ['row 2, column country: "Qqqqq" is not a known country.']


def test_the_command_prints_each_placement(runner, db, tmp_path):
    path = tmp_path / "survey.csv"
    path.write_bytes(csv_bytes(row(1, "PH", "Liloan, Cebu"), columns=COLUMNS))
    result = runner.invoke(args=["import-profiles", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 1 entrepreneur from" in result.output
    assert "row 2, locality: “Liloan, Cebu” placed in Central Visayas (Region VII) (PH-07)" in (
        result.output
    )


def test_the_example_file_with_only_country_and_locality_imports(db):
    path = EXAMPLES / "entrepreneurs_localities_example.csv"
    result = import_profiles(db, path.read_bytes())
    assert (messages(result), result.created) == ([], 4)
    regions = {p.locality: p.region_code for p in imported(db).values()}
    assert regions == {
        "Liloan, Cebu": "PH-07",
        "Catmon": None,
        "Kitale": "KE-42",
        "Battambang province, Ek Phnom district": "KH-2",
    }
