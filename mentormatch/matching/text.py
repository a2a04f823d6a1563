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
from typing import NamedTuple

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
# Texts whose evidence a SkillText keeps (then it starts afresh).
RECENT_TEXTS = 4096

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_STEMMER = snowballstemmer.stemmer("english")
# English always: the forms and most field records are in English.
BASE_LANGUAGE = "en"


@lru_cache(maxsize=131072)
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


class Token(NamedTuple):
    """One word: as written, where it is in the text, folded, and as matched (stemmed)."""

    written: str
    key: str
    start: int
    end: int
    folded: str


@lru_cache(maxsize=262144)
def _word(written: str) -> tuple[str, str] | None:
    """(folded, stem) of a word, or None for numbers and one-letter words."""
    folded = fold(written)
    if folded.isdigit() or len(folded) < 2:
        return None
    return folded, stem(written)


def words(text: str) -> list[Token]:
    """Every word of `text`, in order (numbers and one-letter words left out)."""
    tokens = []
    for match in _WORD.finditer(text):
        written = match.group()
        known = _word(written)
        if known is not None:
            tokens.append(Token(written, known[1], match.start(), match.end(), known[0]))
    return tokens


def content_words(text: str, languages: Iterable[str] = ()) -> list[Token]:
    """The words of `text` that carry meaning, in order: stop words of English and of
    `languages` dropped, and numbers."""
    stops = stop_words(frozenset(languages))
    return [t for t in words(text) if t.folded not in stops]


# Stop words of every language the product serves: glue inside a keyword phrase ("mano de
# obra", "aliment du bétail") whatever language the writer speaks.
GLUE_LANGUAGES = frozenset({"fra", "spa", "por", "ara", "rus"})


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
    A single word counts only when it is not a stop word of the writer's languages; the
    words of a phrase are matched with the glue words of every served language skipped.
    """

    def __init__(self, keywords: Mapping[str, str], skills: Sequence[str]) -> None:
        self.skills = list(skills)
        self._column = {code: i for i, code in enumerate(self.skills)}
        self._glue = stop_words(GLUE_LANGUAGES)
        self.phrases: dict[tuple[str, ...], str] = {}
        for code in self.skills:
            for keyword in (k.strip() for k in keywords.get(code, "").split(";")):
                every = words(keyword)
                # A keyword that is all glue somewhere ("hay") keeps its words.
                key = tuple(t.key for t in every if t.folded not in self._glue) or tuple(
                    t.key for t in every
                )
                if key and len(key) <= MAX_PHRASE:
                    self.phrases.setdefault(key, code)
        self.singles = {key[0]: code for key, code in self.phrases.items() if len(key) == 1}
        self._candidates = frozenset(self.singles)
        self._phrase_heads = {key[0] for key in self.phrases if len(key) > 1}
        self._words: dict[str, tuple[str, int, bool] | None | object] = {}
        self._recent: dict[tuple[str, frozenset[str]], Evidence] = {}

    def _fuzzy(self, key: str) -> str | None:
        """The single-word keyword a long, unknown word is a misspelling of, if any."""
        if len(key) < MIN_FUZZY_LENGTH:
            return None
        close = _closest(key, self._candidates)
        return self.singles.get(close) if close else None

    def evidence(self, text: str, languages: Iterable[str] = ()) -> Evidence:
        """The skills `text` points to, with the words that point to each, in text order
        (remembered for the last texts asked about: a page words ten reasons from one
        person's text)."""
        langs = frozenset(languages)
        found = self._recent.get((text, langs))
        if found is None:
            if len(self._recent) >= RECENT_TEXTS:
                self._recent.clear()
            found = self._recent[(text, langs)] = self._evidence(text, langs)
        return found

    def _evidence(self, text: str, languages: frozenset[str]) -> Evidence:
        stops = stop_words(languages)
        # Phrases run over the words that are not glue in any served language.
        tokens = [t for t in words(text) if t.folded not in self._glue or t.folded not in stops]
        glue = [t.folded in self._glue for t in tokens]
        kept = [t for t, g in zip(tokens, glue, strict=True) if not g]
        found: dict[str, list[str]] = {}
        used = [False] * len(kept)

        def note(code: str, said: str) -> None:
            found.setdefault(code, [])
            if said.casefold() not in (w.casefold() for w in found[code]):
                found[code].append(said)

        # Longest phrases first, so "farm inputs" is one piece of evidence, not two.
        for size in range(MAX_PHRASE, 1, -1):
            for start in range(len(kept) - size + 1):
                if any(used[start : start + size]):
                    continue
                code = self.phrases.get(tuple(t.key for t in kept[start : start + size]))
                if code is not None:
                    used[start : start + size] = [True] * size
                    # As written, glue words inside the phrase included ("mano de obra").
                    note(code, text[kept[start].start : kept[start + size - 1].end])
        # Single words: content words of the writer's languages only.
        for position, token in enumerate(kept):
            if used[position] or token.folded in stops:
                continue
            code = self.singles.get(token.key) or self._fuzzy(token.key)
            if code is not None:
                note(code, token.written)
        # A word that is glue elsewhere but content for this writer ("hay" in English).
        for token, is_glue in zip(tokens, glue, strict=True):
            if is_glue and token.folded not in stops:
                code = self.singles.get(token.key)
                if code is not None:
                    note(code, token.written)
        ordered = sorted(found, key=lambda c: self._column.get(c, len(self.skills)))
        return Evidence({code: tuple(found[code]) for code in ordered})

    def credit(
        self,
        texts: Sequence[str],
        languages: Sequence[Iterable[str]] | None = None,
        value: float = 1.0,
    ) -> NDArray[np.float32]:
        """Per text (rows) and skill (columns), `value` where the text points to the skill.

        The same skills as evidence() gives, faster: each distinct word is looked at once
        (fold, stem, keyword, misspelling), then a text is a few dictionary look-ups; a
        text holding the first word of a phrase keyword takes the full evidence() path.
        """
        out = np.zeros((len(texts), len(self.skills)), dtype=np.float32)
        seen: dict[tuple[str, frozenset[str]], tuple[int, ...]] = {}
        for row, text in enumerate(texts):
            if not text:
                continue
            langs = frozenset(languages[row] if languages is not None else ())
            # Many people write the same few sentences ("to buy fertilizer"): reuse them.
            columns = seen.get((text, langs))
            if columns is None:
                columns = seen[(text, langs)] = self._columns_of(text, langs)
            out[row, list(columns)] = value
        return out

    def _columns_of(self, text: str, languages: frozenset[str]) -> tuple[int, ...]:
        stops = stop_words(languages)
        found: set[int] = set()
        for written in _WORD.findall(text):
            info = self._word_info(written)
            if info is None:
                continue
            folded, column, heads_phrase = info
            if heads_phrase:
                return tuple(self._column[c] for c in self._evidence(text, languages).words)
            if column >= 0 and folded not in stops:
                found.add(column)
        return tuple(sorted(found))

    def _word_info(self, written: str) -> tuple[str, int, bool] | None:
        """(folded, skill column or -1, starts a phrase keyword) of a word, once per word."""
        info = self._words.get(written, _UNSEEN)
        if info is _UNSEEN:
            known = _word(written)
            if known is None:
                info = None
            else:
                folded, key = known
                code = self.singles.get(key) or self._fuzzy(key)
                column = self._column[code] if code is not None else -1
                info = (folded, column, key in self._phrase_heads)
            self._words[written] = info
        return info  # type: ignore[return-value]


_UNSEEN = object()


@lru_cache(maxsize=65536)
def _closest(key: str, candidates: frozenset[str]) -> str | None:
    # Sorted so that equally close keywords always resolve the same way.
    best = process.extractOne(
        key, sorted(candidates), scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY
    )
    return best[0] if best else None
