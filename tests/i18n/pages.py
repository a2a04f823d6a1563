"""Reading a page's visible text the way a person does (and a screen reader's labels), to
find English source messages left on a page in another language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser

from babel.messages.catalog import Catalog

from tests.i18n.catalogues import catalogue_path, msgid, read_catalogue, template, where

# Inline elements continue the line of text they sit in; every other element starts one.
INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "em", "i", "kbd", "mark", "q",
    "s", "small", "span", "strong", "sub", "sup", "time", "u", "var",
}  # fmt: skip
HIDDEN = {"script", "style", "template"}
# Attributes people read (or hear from a screen reader).
READ_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
_SPACES = re.compile(r"\s+")
_PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcu]")


def squeeze(text: str) -> str:
    """Whitespace as a reader sees it: runs of spaces and line breaks as one space."""
    return _SPACES.sub(" ", text).strip()


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self._hidden += 1
        if tag not in INLINE:
            self.lines.append("")
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.lines.extend([value, ""])
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.lines.extend([dict(attrs).get("value") or "", ""])

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        if tag not in INLINE:
            self.lines.append("")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.lines[-1] += data


def visible_lines(html: str) -> list[str]:
    """The page's text, one entry per block (paragraph, list item, cell, button, option)."""
    parser = _VisibleText()
    parser.feed(html)
    return [line for line in (squeeze(text) for text in parser.lines) if line]


@dataclass
class English:
    """A source message whose translation differs from it, as a pattern to find on a page."""

    text: str
    origin: str
    pattern: re.Pattern[str] = field(repr=False)
    whole_line_only: bool


@cache
def english_messages(language: str) -> tuple[English, ...]:
    """The messages a page in `language` must not show in English: every msgid whose
    translation is not the same text (an untranslated entry counts: gettext falls back to
    the English)."""
    translated: Catalog = read_catalogue(catalogue_path(language))
    found = []
    for source in template():
        if not source.id:
            continue
        text = squeeze(msgid(source))
        message = translated.get(source.id, source.context)
        strings = [] if message is None else message.string
        translation = strings[0] if isinstance(strings, tuple | list) else strings
        if translation and squeeze(translation) == text:
            continue  # the same in both languages ("MentorMatch", "OK")
        pieces = _PLACEHOLDER.split(text)
        if not re.search(r"[A-Za-z]{2}", "".join(pieces)):
            continue  # nothing but placeholders and signs
        pattern = ".+?".join(re.escape(piece) for piece in pieces)
        # One word ("Yes", "Region") is English only as a whole line; a sentence anywhere.
        whole_line_only = len(re.findall(r"[A-Za-z]+", "".join(pieces))) < 2
        found.append(English(text, where(source), re.compile(pattern), whole_line_only))
    return tuple(found)


def english_left(html: str, language: str, typed: list[str] = ()) -> list[str]:  # type: ignore[assignment]
    """The English source messages still visible on a page meant to be in `language`;
    text people typed (`typed`) is theirs and left out first."""
    left = []
    lines = []
    for line in visible_lines(html):
        for text in typed:
            line = line.replace(text, " ")
        if line.strip():
            lines.append(line)
    for message in english_messages(language):
        for line in lines:
            hit = (
                message.pattern.fullmatch(line)
                if message.whole_line_only
                else message.pattern.search(line)
            )
            if hit:
                left.append(f"{message.text!r} (from {message.origin})")
                break
    return left


# Words that mark a line as English prose: people's and places' names rarely hold them.
ENGLISH_WORDS = frozenset((
    "the", "and", "your", "you", "to", "of", "for", "with", "is", "are", "this", "that", "be",
    "in", "on", "by", "an", "or", "not", "no", "yes", "what", "who", "when", "where", "how",
    "will", "can", "has", "have", "was", "were", "it", "its", "from", "at", "as", "there",
    "their", "please", "more", "see", "all", "any", "each", "none", "here",
))  # fmt: skip
_WORDS = re.compile(r"[A-Za-z]+")


def unmarked_english(html: str, english_page: str, typed: list[str]) -> list[str]:
    """Lines of English prose on a page meant to be in another language that the English
    page shows word for word: text never marked for translation. Lines made of what people
    typed (`typed`: names, descriptions, messages) are theirs and left out."""
    in_english = set(visible_lines(english_page))
    found = []
    for line in dict.fromkeys(visible_lines(html)):  # each line once, in page order
        if line not in in_english:
            continue
        rest = line
        for text in typed:
            rest = rest.replace(text, " ")
        words = [word.lower() for word in _WORDS.findall(rest)]
        if any(word in ENGLISH_WORDS for word in words) and len(words) >= 2:
            found.append(line)
    return found
