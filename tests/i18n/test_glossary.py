"""One word per product term: every translation follows docs/glossary.md.

The glossary's table is read here (nothing is copied into the test): for each term, the
English words that name it in a message, the word each language uses, and the words it
rules out. A translation of a message naming the term that uses a ruled-out word fails,
wherever the message comes from, so a new message written with the old word fails too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

import pytest
from babel.messages.catalog import Catalog

from mentormatch.config import PROJECT_ROOT
from tests.i18n import catalogues
from tests.i18n.catalogues import TRANSLATED, forms

GLOSSARY = PROJECT_ROOT / "docs" / "glossary.md"

# What a message says, without what is not words: placeholders, markup.
_NOT_WORDS = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcu]|<[^>]*>|\{\{.*?\}\}")


@dataclass(frozen=True)
class Term:
    """A row of the glossary: a product term and the words each language may use."""

    concept: str
    english: tuple[str, ...]
    chosen: dict[str, tuple[str, ...]]
    ruled_out: dict[str, tuple[str, ...]]
    only_with: tuple[str, ...] = ()
    not_with: tuple[str, ...] = ()
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_pattern", _words_pattern(self.english))

    def is_named_in(self, english: str) -> bool:
        """True when an English message names this term (in the glossary's sense)."""
        text = _NOT_WORDS.sub(" ", english)
        if not self._pattern.search(text):
            return False
        if self.only_with and not _words_pattern(self.only_with).search(text):
            return False
        return not (self.not_with and _words_pattern(self.not_with).search(text))


@cache
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def _list(cell: str, separator: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(separator) if part.strip())


def read_glossary(text: str) -> tuple[list[str], list[Term]]:
    """The languages the glossary has a column for, and its terms, from its table."""
    rows = [line for line in text.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    languages = header[2 : header.index("Ruled out")]
    terms = []
    for row in rows[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        concept, english, *columns = cells
        words, *qualifiers = english.split(";")
        narrowing = {"only with": (), "not with": ()}
        for qualifier in qualifiers:
            kind, _, listed = qualifier.partition(":")
            narrowing[kind.strip()] = _list(listed, ",")
        ruled_out: dict[str, tuple[str, ...]] = {}
        for part in _list(columns[len(languages)], "·"):
            language, _, listed = part.partition(":")
            ruled_out[language.strip()] = _list(listed, ",")
        terms.append(
            Term(
                concept=concept,
                english=_list(words, ","),
                chosen={code: _list(columns[i], " / ") for i, code in enumerate(languages)},
                ruled_out=ruled_out,
                only_with=narrowing["only with"],
                not_with=narrowing["not with"],
            )
        )
    return languages, terms


@cache
def glossary() -> tuple[list[str], list[Term]]:
    """docs/glossary.md as committed."""
    return read_glossary(GLOSSARY.read_text(encoding="utf-8"))


def _pairs(catalogue: Catalog) -> Iterator[tuple[str, str]]:
    """(English, translation) of every translated message; plurals give both forms'
    English and each form's translation."""
    for message in catalogue:
        if not message.id:
            continue
        english = " ".join(message.id) if message.pluralizable else str(message.id)
        for text in forms(message):
            if text:
                yield english, text


def departures(language: str, pairs: Iterable[tuple[str, str]], terms: list[Term]) -> list[str]:
    """Every translation that uses a word the glossary rules out for a term its English
    names, unless another term the message names chose that word."""
    found = []
    for english, text in pairs:
        named = [term for term in terms if term.is_named_in(english)]
        said = _NOT_WORDS.sub(" ", text).casefold()
        for term in named:
            for word in term.ruled_out.get(language, ()):
                if word.casefold() not in said:
                    continue
                excused = any(
                    word.casefold() in chosen.casefold()
                    for other in named
                    if other is not term
                    for chosen in other.chosen.get(language, ())
                )
                if not excused:
                    found.append(
                        f"{term.concept}: {word!r} instead of "
                        f"{' / '.join(term.chosen[language])!r} in {text!r} "
                        f"(for {english!r})"
                    )
    return found


def test_the_glossary_has_a_column_for_every_translated_language() -> None:
    languages, terms = glossary()
    assert sorted(languages) == sorted(TRANSLATED)
    assert len(terms) >= 20
    for term in terms:
        assert all(term.chosen[code] for code in languages), term.concept
        assert set(term.ruled_out) <= set(languages), term.concept


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_translation_uses_the_glossarys_word_for_each_term(language: str) -> None:
    _, terms = glossary()
    catalogue = catalogues.read_catalogue(catalogues.catalogue_path(language))
    found = departures(language, _pairs(catalogue), terms)
    assert not found, (
        f"{len(found)} translations in {language} use a word docs/glossary.md rules out:\n"
        + "\n".join(found)
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_terms_word_is_the_one_the_catalogue_uses(language: str) -> None:
    """A glossary whose chosen word appears nowhere would rule nothing in: every term
    named by some message is said, at least once, with one of its chosen forms."""
    _, terms = glossary()
    catalogue = catalogues.read_catalogue(catalogues.catalogue_path(language))
    pairs = list(_pairs(catalogue))
    unused = []
    for term in terms:
        texts = [text.casefold() for english, text in pairs if term.is_named_in(english)]
        if texts and not any(
            chosen.casefold() in text for text in texts for chosen in term.chosen[language]
        ):
            unused.append(term.concept)
    assert not unused, f"{language}: no message uses the glossary's word for {unused}"


# --- the check itself catches what it promises (small examples written here) ---------------

SAMPLE = """
| Concept | English | fr | es | Ruled out | Why |
| --- | --- | --- | --- | --- | --- |
| Safety report | report, reports; not with: money | signalement | denuncia | es: report | why |
| Proposal | proposal | proposition | propuesta | fr: suggestion | why |
| Suggestion | suggestion, suggestions | suggestion | sugerencia | fr: proposition | why |
"""


def test_a_ruled_out_word_for_a_term_is_caught_and_other_senses_are_not() -> None:
    languages, terms = read_glossary(SAMPLE)
    assert languages == ["fr", "es"]
    pairs = [
        ("Send the report", "Enviar el reporte"),  # the variant: caught
        ("Send the report", "Enviar la denuncia"),  # the glossary's word
        ("Money is reported on investment introductions only.", "Se reporta"),  # money
        ("%(reporter)s wrote", "%(reporter)s escribió"),  # a placeholder is not a word
        ("Reporting a problem", "Reportar"),  # another word: not the term
    ]
    assert departures("es", pairs, terms) == [
        "Safety report: 'report' instead of 'denuncia' in 'Enviar el reporte' "
        "(for 'Send the report')"
    ]


def test_a_word_another_term_of_the_message_chose_is_allowed() -> None:
    _, terms = read_glossary(SAMPLE)
    both = ("This proposal beside each one's top suggestion", "Cette proposition et la suggestion")
    only = ("No suggestions yet.", "Pas encore de propositions.")
    assert departures("fr", [both], terms) == []
    assert len(departures("fr", [only], terms)) == 1
