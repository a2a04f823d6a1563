"""Free text to controlled skills, from content words only, with the words kept as evidence.

People describe what they need in their own words ("to buy fertilizer and seeds and to pay
plowing fees"); each skill of seed_data/taxonomy/skills.csv lists the words and short
phrases that point to it. A text earns a skill when one of its *content* words (stop words
of the writer's languages removed) matches one of the skill's keywords, after both are
folded the same way: accents stripped, lower-cased, stemmed with the Snowball English
stemmer (the stemmer only trims endings, so French or Spanish keywords still match their
own plurals). Misspellings of long words ("herbizides") match when rapidfuzz finds a
keyword at least MIN_SIMILARITY similar.

Why not TF-IDF cosine against keyword documents, as before: a word like "to" shared with a
skill label ("Access to finance") was enough to earn a skill, and nobody could see which
words a match came from. Here every credit names the words that earned it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import pycountry
import snowballstemmer
from numpy.typing import NDArray
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from stop_words import LANGUAGE_MAPPING, get_stop_words

# A misspelt word counts when it is at least this similar (rapidfuzz ratio, 0-100) to a
# keyword, and only for words this long: short words are too easily one letter apart.
MIN_SIMILARITY = 88.0
MIN_FUZZY_LENGTH = 7
# Longest keyword phrase, in content words.
MAX_PHRASE = 3

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_STEMMER = snowballstemmer.stemmer("english")
# English always: the forms and most field records are in English.
BASE_LANGUAGE = "en"


def fold(word: str) -> str:
    """Accents stripped and lower-cased: 'Élevage' -> 'elevage'."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The folded, stemmed form of one word ('Fertilizers' -> 'fertil')."""
    return str(_STEMMER.stemWord(fold(word).replace("’", "'")))


@cache
def _stop_words_of(alpha_2: str) -> frozenset[str]:
    if alpha_2 == "en":
        return frozenset(fold(w) for w in ENGLISH_STOP_WORDS)
    if alpha_2 not in LANGUAGE_MAPPING:
        return frozenset()
    return frozenset(fold(w) for w in get_stop_words(alpha_2))


@cache
def stop_words(languages: frozenset[str]) -> frozenset[str]:
    """Folded stop words of English and of these languages (ISO 639-1 or 639-3 codes)."""
    words = set(_stop_words_of(BASE_LANGUAGE))
    for code in languages:
        alpha_2 = code if len(code) == 2 else _alpha_2(code)
        if alpha_2:
            words |= _stop_words_of(alpha_2)
    return frozenset(words)


@cache
def _alpha_2(alpha_3: str) -> str | None:
    language = pycountry.languages.get(alpha_3=alpha_3)
    return getattr(language, "alpha_2", None) if language is not None else None


@dataclass(frozen=True)
class Token:
    """One content word: as written, where it is in the text, and as matched."""

    written: str
    key: str
    start: int
    end: int


def content_words(text: str, languages: Iterable[str] = ()) -> list[Token]:
    """The words of `text` that carry meaning, in order: stop words and numbers dropped."""
    stops = stop_words(frozenset(languages))
    tokens = []
    for match in _WORD.finditer(text):
        written = match.group()
        folded = fold(written)
        if folded in stops or folded.isdigit() or len(folded) < 2:
            continue
        tokens.append(Token(written, stem(written), match.start(), match.end()))
    return tokens


@dataclass(frozen=True)
class Evidence:
    """The skills a text points to, each with the words (as written) that point to it."""

    words: Mapping[str, tuple[str, ...]]

    @property
    def skills(self) -> tuple[str, ...]:
        return tuple(self.words)


class SkillText:
    """Maps free text onto the controlled skills through each skill's keywords.

    `keywords` maps a skill code to its keywords and phrases (as in skills.csv, separated by
    ';'); a keyword should belong to one skill only (a test checks the shipped list).
    """

    def __init__(self, keywords: Mapping[str, str], skills: Sequence[str]) -> None:
        self.skills = list(skills)
        self._column = {code: i for i, code in enumerate(self.skills)}
        self._keywords = {
            code: [k.strip() for k in keywords.get(code, "").split(";") if k.strip()]
            for code in self.skills
        }
        # Caches live on the instance, so a refitted index frees them with the old one.
        self._phrase_cache: dict[frozenset[str], dict[tuple[str, ...], str]] = {}
        self._evidence_cache: dict[tuple[str, frozenset[str]], Evidence] = {}

    def _phrases(self, languages: frozenset[str]) -> dict[tuple[str, ...], str]:
        """Keyword phrases as tuples of stems (stop words of `languages` dropped) -> skill."""
        phrases = self._phrase_cache.get(languages)
        if phrases is None:
            phrases = {}
            for code, keywords in self._keywords.items():
                for keyword in keywords:
                    key = tuple(t.key for t in content_words(keyword, languages))
                    if key and len(key) <= MAX_PHRASE:
                        phrases.setdefault(key, code)
            self._phrase_cache[languages] = phrases
        return phrases

    def _single_words(self, languages: frozenset[str]) -> dict[str, str]:
        return {key[0]: code for key, code in self._phrases(languages).items() if len(key) == 1}

    def _fuzzy(self, key: str, languages: frozenset[str]) -> str | None:
        """The keyword a long, unknown word is a misspelling of, if any."""
        if len(key) < MIN_FUZZY_LENGTH:
            return None
        return _closest(key, frozenset(self._single_words(languages)))

    def evidence(self, text: str, languages: Iterable[str] = ()) -> Evidence:
        """The skills `text` points to, with the words that point to each, in text order."""
        langs = frozenset(languages)
        phrases, singles = self._phrases(langs), self._single_words(langs)
        tokens = content_words(text, langs)
        found: dict[str, list[str]] = {}
        used = [False] * len(tokens)
        # Longest phrases first, so "farm inputs" is one piece of evidence, not two.
        for size in range(MAX_PHRASE, 0, -1):
            for start in range(len(tokens) - size + 1):
                if any(used[start : start + size]):
                    continue
                key = tuple(t.key for t in tokens[start : start + size])
                code = phrases.get(key)
                if code is None and size == 1:
                    close = self._fuzzy(key[0], langs)
                    code = singles.get(close) if close else None
                if code is None:
                    continue
                used[start : start + size] = [True] * size
                # As written, stop words inside a phrase included ("mano de obra").
                words = text[tokens[start].start : tokens[start + size - 1].end]
                found.setdefault(code, [])
                if words.casefold() not in (w.casefold() for w in found[code]):
                    found[code].append(words)
        ordered = sorted(found, key=lambda c: self._column.get(c, len(self.skills)))
        return Evidence({code: tuple(found[code]) for code in ordered})

    def credit(
        self,
        texts: Sequence[str],
        languages: Sequence[Iterable[str]] | None = None,
        value: float = 1.0,
    ) -> NDArray[np.float32]:
        """Per text (rows) and skill (columns), `value` where the text points to the skill."""
        out = np.zeros((len(texts), len(self.skills)), dtype=np.float32)
        for row, text in enumerate(texts):
            if not text:
                continue
            langs = frozenset(languages[row] if languages is not None else ())
            # Many people write the same few sentences ("to buy fertilizer"): reuse them.
            found = self._evidence_cache.get((text, langs))
            if found is None:
                found = self._evidence_cache[(text, langs)] = self.evidence(text, langs)
            for code in found.words:
                out[row, self._column[code]] = value
        return out


@lru_cache(maxsize=65536)
def _closest(key: str, candidates: frozenset[str]) -> str | None:
    # Sorted so that equally close keywords always resolve the same way.
    best = process.extractOne(
        key, sorted(candidates), scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY
    )
    return best[0] if best else None
