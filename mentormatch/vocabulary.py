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

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from wtforms import SelectChoice

from mentormatch import taxonomy
from mentormatch.models import Instrument, Stage

LIST_SEPARATOR = ";"

# Business stages and kinds of money as people read them (the codes are what is stored).
STAGE_LABELS = {
    Stage.IDEA: _l("Idea: not yet producing or selling"),
    Stage.STARTING: _l("Starting: first season or first sales"),
    Stage.GROWING: _l("Growing: selling regularly, want to expand"),
    Stage.ESTABLISHED: _l("Established: several years of steady business"),
}
INSTRUMENT_LABELS = {
    Instrument.GRANT: _l("Grant"),
    Instrument.LOAN: _l("Loan"),
    Instrument.EQUITY: _l("Equity"),
    Instrument.IN_KIND: _l("In kind"),
}


def stage_label(code: str) -> str:
    """A business stage in the reader's language: 'Starting: first season or first sales'."""
    label = STAGE_LABELS.get(Stage(code)) if code in Stage._value2member_map_ else None
    return str(label) if label is not None else code


def stage_short_label(code: str) -> str:
    """A business stage's name alone, in the reader's language: 'Starting'."""
    return stage_label(code).partition(":")[0].strip()


def instrument_label(code: str) -> str:
    """A kind of money in the reader's language: 'Loan'."""
    known = code in Instrument._value2member_map_
    return str(INSTRUMENT_LABELS[Instrument(code)]) if known else code


def stage_choices() -> list[SelectChoice]:
    """The stages as radio buttons or checkboxes (labels translated when shown)."""
    return [SelectChoice(value=s.value, label=STAGE_LABELS[s]) for s in Stage]


def instrument_choices() -> list[SelectChoice]:
    """The kinds of money as checkboxes (labels translated when shown)."""
    return [SelectChoice(value=i.value, label=INSTRUMENT_LABELS[i]) for i in Instrument]


def _unknown(noun: str, shown: str, hint: str | None, country: str) -> str:
    """'"Poltry" is not a known value chain. Did you mean "Poultry"?', one whole sentence
    per kind of vocabulary so that every language can say it its own way."""
    if noun == "region":
        name = taxonomy.country_name(country)
        if hint:
            return _(
                '"%(text)s" is not a known region of %(country)s. Did you mean "%(hint)s"?',
                text=shown,
                country=name,
                hint=hint,
            )
        return _('"%(text)s" is not a known region of %(country)s.', text=shown, country=name)
    sentences = {
        "value chain": (
            _('"%(text)s" is not a known value chain.', text=shown),
            _('"%(text)s" is not a known value chain. Did you mean "%(hint)s"?'),
        ),
        "skill": (
            _('"%(text)s" is not a known skill.', text=shown),
            _('"%(text)s" is not a known skill. Did you mean "%(hint)s"?'),
        ),
        "country": (
            _('"%(text)s" is not a known country.', text=shown),
            _('"%(text)s" is not a known country. Did you mean "%(hint)s"?'),
        ),
        "language": (
            _('"%(text)s" is not a known language.', text=shown),
            _('"%(text)s" is not a known language. Did you mean "%(hint)s"?'),
        ),
        "stage": (
            _('"%(text)s" is not a known stage.', text=shown),
            _('"%(text)s" is not a known stage. Did you mean "%(hint)s"?'),
        ),
        "instrument": (
            _('"%(text)s" is not a known instrument.', text=shown),
            _('"%(text)s" is not a known instrument. Did you mean "%(hint)s"?'),
        ),
        "currency": (
            _('"%(text)s" is not a known currency.', text=shown),
            _('"%(text)s" is not a known currency. Did you mean "%(hint)s"?'),
        ),
    }
    plain, with_hint = sentences.get(noun, sentences["value chain"])
    return with_hint % {"text": shown, "hint": hint} if hint else plain


class VocabularyError(ValueError):
    """A value that is not in the vocabulary; the message says what to write instead."""


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of (code, label) pairs that accepts either, case-insensitively."""

    noun: str
    entries: tuple[tuple[str, str], ...]
    # The country of a vocabulary of regions, named in its messages.
    country: str = ""

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
        """What to say about a value not in the vocabulary, with the closest one if any."""
        shown = text if len(text) <= 40 else text[:40] + "…"
        return _unknown(self.noun, shown, self.suggestion(text), self.country)

    def not_known(self, shown: str) -> str:
        """What to say about a value not in the vocabulary, without looking for a hint."""
        return _unknown(self.noun, shown, None, self.country)

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
    return Vocabulary("instrument", tuple((i.value, i.english_label) for i in Instrument))


def currencies() -> Vocabulary:
    """The currencies, by code or name."""
    return Vocabulary("currency", tuple(taxonomy.currencies()))


def regions(country_code: str) -> Vocabulary:
    """First-level regions of one country, by ISO 3166-2 code or by name."""
    return Vocabulary("region", tuple(taxonomy.regions_for(country_code)), country_code)


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
        _(
            '"%(text)s" is not a region code. Write an ISO 3166-2 code such as "ET-OR", '
            'or "Country: Region" such as "Ethiopia: Oromia".',
            text=item[:40],
        )
    )
