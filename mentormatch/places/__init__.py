"""Places from what people write: a country and a town or district -> an ISO 3166-2 region.

Pure Python (pycountry, rapidfuzz, csv): no Flask, no SQLAlchemy. The gazetteer is read
lazily, once per process. The profile rules (mentormatch.profiles.service) call it for
the wizard and the CSV import alike.
"""

from mentormatch.places.resolver import (
    Candidate,
    Placement,
    Status,
    country_name,
    region_name,
    resolve,
    resolve_many,
)

__all__ = [
    "Candidate",
    "Placement",
    "Status",
    "country_name",
    "region_name",
    "resolve",
    "resolve_many",
]
