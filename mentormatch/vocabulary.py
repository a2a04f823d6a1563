"""Turning what people type (codes or labels, any case) into taxonomy codes.

Profile forms and the CSV import both go through these functions, so a value that is
accepted or refused in one is accepted or refused in the other, with the same message
and the same "did you mean" suggestion.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy.orm import Session

from mentormatch import taxonomy
from mentormatch.models import Instrument, Stage

LIST_SEPARATOR = ";"


class VocabularyError(ValueError):
    """A value that is not in the vocabulary; the message says what to write instead."""


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of (code, label) pairs that accepts either, case-insensitively."""

    noun: str
    entries: tuple[tuple[str, str], ...]

    @cached_property
    def _index(self) -> dict[str, str]:
        # Built once per vocabulary: an import parses tens of thousands of cells.
        index: dict[str, str] = {}
        for code, label in self.entries:
            index[code.casefold()] = code
            index[label.casefold()] = code
            # "Cereals: maize, wheat, sorghum, millet" is also "Cereals".
            short, _, examples = label.partition(": ")
            if examples:
                index.setdefault(short.casefold(), code)
        return index

    def parse(self, text: str) -> str:
        """Return the code for a code or a label; raise VocabularyError with a suggestion."""
        key = text.strip().casefold()
        code = self._index.get(key)
        if code is not None:
            return code
        raise VocabularyError(self.unknown_message(text.strip()))

    def parse_list(self, text: str | Iterable[str]) -> list[str]:
        """Parse a ';'-separated string (or a list) into codes, without duplicates, in order."""
        return _parse_each(text, self.parse)

    def suggestion(self, text: str) -> str | None:
        candidates = {label.casefold(): label for _, label in self.entries}
        candidates.update({code.casefold(): code for code, _ in self.entries})
        close = difflib.get_close_matches(text.casefold(), list(candidates), n=1, cutoff=0.6)
        return candidates[close[0]] if close else None

    def unknown_message(self, text: str) -> str:
        shown = text if len(text) <= 40 else text[:40] + "…"
        hint = self.suggestion(text)
        if hint:
            return f'"{shown}" is not a known {self.noun}. Did you mean "{hint}"?'
        return f'"{shown}" is not a known {self.noun}.'

    def label(self, code: str) -> str:
        return dict(self.entries).get(code, code)


def value_chains(session: Session) -> Vocabulary:
    """The value chains, by code or label."""
    return Vocabulary(
        "value chain", tuple((c, label) for c, label, _ in taxonomy.value_chain_choices(session))
    )


def skills(session: Session) -> Vocabulary:
    """The skills, by code or label."""
    return Vocabulary("skill", tuple(taxonomy.skill_choices(session)))


def countries() -> Vocabulary:
    """The countries, by code or name."""
    return Vocabulary("country", tuple(taxonomy.countries()))


def languages() -> Vocabulary:
    """The languages, by code or name."""
    return Vocabulary("language", tuple(taxonomy.languages()))


def stages() -> Vocabulary:
    """The business stages, by code or name."""
    return Vocabulary("stage", tuple((s.value, s.value.capitalize()) for s in Stage))


def instruments() -> Vocabulary:
    """The kinds of investment money, by code or label."""
    return Vocabulary("instrument", tuple((i.value, i.label) for i in Instrument))


def currencies() -> Vocabulary:
    """The currencies, by code or name."""
    return Vocabulary("currency", tuple(taxonomy.currencies()))


def regions(country_code: str) -> Vocabulary:
    """First-level regions of one country, by ISO 3166-2 code or by name."""
    return Vocabulary(
        f"region of {taxonomy.country_name(country_code)}",
        tuple(taxonomy.regions_for(country_code)),
    )


def _parse_each(text: str | Iterable[str], parse: Callable[[str], str]) -> list[str]:
    """Parse each item of a ';'-separated string (or a list) into codes, without duplicates,
    in order; every item's error is collected into one VocabularyError."""
    items = text.split(LIST_SEPARATOR) if isinstance(text, str) else list(text)
    codes: list[str] = []
    errors: list[str] = []
    for item in items:
        item = item.strip()
        if not item:
            continue
        try:
            code = parse(item)
        except VocabularyError as exc:
            errors.append(str(exc))
            continue
        if code not in codes:
            codes.append(code)
    if errors:
        raise VocabularyError(" ".join(errors))
    return codes


def parse_language_list(text: str | Sequence[str]) -> list[str]:
    """Languages by ISO 639-1/639-3 code or English name -> ISO 639-3 codes."""
    vocabulary = languages()

    def parse(item: str) -> str:
        found = taxonomy.lookup_language(item)
        if found is None:
            raise VocabularyError(vocabulary.unknown_message(item))
        return found[0]

    return _parse_each(text, parse)


def parse_region_list(text: str | Sequence[str]) -> list[str]:
    """ISO 3166-2 first-level region codes ('ET-OR'), or 'Country: Region' names."""
    return _parse_each(text, _parse_region)


def _parse_region(item: str) -> str:
    if taxonomy.is_region(item.upper()):
        return item.upper()
    if ":" in item:
        country_text, _, region_text = item.partition(":")
        return regions(countries().parse(country_text)).parse(region_text)
    raise VocabularyError(
        f'"{item[:40]}" is not a region code. Write an ISO 3166-2 code such as '
        f'"ET-OR", or "Country: Region" such as "Ethiopia: Oromia".'
    )
