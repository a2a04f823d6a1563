"""Records of the people the matching tests talk about, and a way to vary them."""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

from mentormatch.config import PROJECT_ROOT
from mentormatch.matching import DiasporaRecord, EntrepreneurRecord, Taxonomy

PLACE_NAMES = {
    "ET": "Ethiopia", "ET-OR": "Oromia", "ET-AM": "Amhara", "KE": "Kenya", "KE-30": "Nairobi",
    "NG": "Nigeria", "NG-KN": "Kano", "NG-LA": "Lagos", "SN": "Senegal", "SN-TH": "Thiès",
    "SN-ZG": "Ziguinchor", "GH": "Ghana", "GH-AA": "Greater Accra",
}  # fmt: skip
LANGUAGE_NAMES = {"amh": "Amharic", "orm": "Oromo", "eng": "English", "hau": "Hausa",
                  "fra": "French", "wol": "Wolof", "swa": "Swahili"}  # fmt: skip


@cache
def taxonomy() -> Taxonomy:
    return Taxonomy.from_csv(
        PROJECT_ROOT / "seed_data" / "taxonomy",
        place_names=PLACE_NAMES,
        language_names=LANGUAGE_NAMES,
    )


def farmer(**changes: Any) -> EntrepreneurRecord:
    """Almaz, a coffee farmer in Oromia who needs export certification; speaks Amharic."""
    base = EntrepreneurRecord(
        id=1,
        user_id=101,
        active=True,
        country_code="ET",
        region_code="ET-OR",
        value_chains=("coffee",),
        stage="growing",
        skills_needed=("export_certification",),
        skills_needed_text="",
        languages=("amh",),
        seeking_investment=True,
        investment_amount_usd=5000.0,
        investment_instruments=("loan",),
    )
    return dataclasses.replace(base, **changes)


def mentor(**changes: Any) -> DiasporaRecord:
    """Tesfaye, from Oromia, coffee and export certification, 2 mentees at most; also invests."""
    base = DiasporaRecord(
        id=1,
        user_id=201,
        active=True,
        residence_country="US",
        origin_regions=("ET-OR",),
        interest_regions=(),
        value_chains=("coffee",),
        skills_offered=("export_certification",),
        skills_offered_text="",
        languages=("amh", "eng"),
        preferred_stages=(),
        offers_coaching=True,
        mentee_capacity=2,
        current_mentees=0,
        offers_investment=True,
        ticket_min_usd=1000.0,
        ticket_max_usd=20000.0,
        investment_instruments=("loan",),
    )
    return dataclasses.replace(base, **changes)
