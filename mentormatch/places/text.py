"""Place names as people write them, reduced to comparable words.

"Bacolod City, Negros Occidental" and "BACOLOD, Negros Occ." should meet on the same
words: accents and case go, punctuation becomes spaces, and the words that say what
kind of place it is (city, province, district…) are dropped, because people add or
leave them out at will.
"""

from __future__ import annotations

import re
import unicodedata

# Words that name the kind of place, not the place. Dropped everywhere, on both sides.
GENERIC_WORDS = frozenset(
    (
        "province", "provincia", "prov", "region", "regional", "district", "distrito", "dist",
        "city", "ciudad", "town", "village", "municipality", "municipio", "municipal", "mun",
        "department", "departamento", "dept", "county", "state", "brgy", "barangay", "barrio",
        "poblacion", "subcounty", "sector", "canton", "area",
    )
)  # fmt: skip
# Words too common in place names to stand alone as a place ("San", "de").
CONNECTOR_WORDS = frozenset(
    (
        "de", "del", "la", "las", "los", "el", "le", "les", "da", "das", "do", "dos", "du", "des",
        "di", "san", "santa", "santo", "sao", "st", "saint", "y", "e", "and", "the",
    )
)  # fmt: skip
# "Provincia de Lima", "Province of Cebu": the link after a generic word goes with it.
LINKING_WORDS = frozenset(("de", "del", "of", "du", "des", "d"))
_APOSTROPHES = re.compile(r"['’‘`ʻʼ]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Where a locality splits into parts: commas, slashes, semicolons, brackets, and a dash
# with a space on either side ("Pisac - Calca - Cusco"); "Tursun-zoda" stays one part.
_PART_BREAK = re.compile(r"[,/;()\[\]|]+|\s+[-–—]+\s*|\s*[-–—]+\s+")


def fold(text: str) -> str:
    """Lower-case ASCII letters and digits, single spaces: 'Parañaque City' -> 'paranaque city'."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = _APOSTROPHES.sub("", text.casefold())
    return _NOT_WORD.sub(" ", stripped).strip()


def words(text: str) -> tuple[str, ...]:
    """The meaningful words of a place name: folded, without generic words like 'province'
    ('Provincia de Lima' -> ('lima',))."""
    kept: list[str] = []
    after_generic = False
    for word in fold(text).split():
        if word in GENERIC_WORDS or (after_generic and word in LINKING_WORDS):
            after_generic = True
            continue
        after_generic = False
        kept.append(word)
    return tuple(kept)


def key(name_words: tuple[str, ...]) -> str:
    """The lookup key of some words: joined without spaces, so 'Tursun-zoda' meets 'Tursunzoda'."""
    return "".join(name_words)


def split_parts(text: str) -> list[str]:
    """'Pisac - Calca - Cusco' -> ['Pisac', 'Calca', 'Cusco']; empty parts are dropped."""
    return [part.strip() for part in _PART_BREAK.split(text) if part.strip()]


def can_stand_alone(span: tuple[str, ...]) -> bool:
    """True when some word of the span could name a place by itself (not 'San', not '2')."""
    return any(len(w) >= 3 and not w.isdigit() and w not in CONNECTOR_WORDS for w in span)


def has_other_script(text: str) -> bool:
    """True when the text has letters outside the Latin script (Khmer, Arabic, Cyrillic…)."""
    if text.isascii():
        return False
    for ch in text:
        if ch.isalpha() and not ch.isascii():
            name = unicodedata.name(ch, "")
            if "LATIN" not in name:
                return True
    return False
