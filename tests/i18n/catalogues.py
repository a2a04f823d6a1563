"""Reading the gettext catalogues the way the coverage tests need them: every language's
.po file, the template messages.pot, and a fresh extraction from the code."""

from __future__ import annotations

import re
import shlex
import subprocess
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from mentormatch.config import PROJECT_ROOT
from mentormatch.i18n import DEFAULT_LANGUAGE, LANGUAGES, TRANSLATIONS

TEMPLATE = Path(TRANSLATIONS) / "messages.pot"
# Every language but the one the code is written in has a catalogue: a fifth language
# appended to LANGUAGES is checked without touching the tests.
TRANSLATED = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]

# %(name)s, %(num)d, %s, %d, ... (%% is a literal percent sign, not a placeholder).
_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcu%]")


def catalogue_path(language: str) -> Path:
    """Where a language's catalogue lives."""
    return Path(TRANSLATIONS) / language / "LC_MESSAGES" / "messages.po"


def read_catalogue(path: Path) -> Catalog:
    """A .po or .pot file as Babel reads it."""
    with path.open("rb") as po_file:
        return read_po(po_file)


@cache
def template() -> Catalog:
    """messages.pot as committed."""
    return read_catalogue(TEMPLATE)


def placeholders(text: str) -> list[str]:
    """The format placeholders of a message, in order: names for %(name)s, the
    conversion for positional ones ("%s"); literal %% left out."""
    found = []
    for match in _PLACEHOLDER.finditer(text):
        if match.group(0) == "%%":
            continue
        found.append(match.group(1) or match.group(0)[-1:])
    return found


def where(message: Message) -> str:
    """Where a message comes from in the code, as the catalogue's #: comments say."""
    places = sorted({f"{path}:{line}" if line else path for path, line in message.locations})
    return ", ".join(places) or "(no location)"


def forms(message: Message) -> list[str]:
    """A message's translations: one, or one per plural form."""
    if isinstance(message.string, tuple | list):
        return list(message.string)
    return [message.string or ""]


def msgid(message: Message) -> str:
    """The source text of a message (the singular of a plural one)."""
    return message.id[0] if isinstance(message.id, tuple | list) else str(message.id)


def problems_of(language: str) -> list[str]:
    """Every message of messages.pot that `language` lacks or gets wrong: missing, fuzzy,
    untranslated, a plural with the wrong number of forms, or different placeholders."""
    path = catalogue_path(language)
    shown = str(path.relative_to(PROJECT_ROOT))
    if not path.exists():
        return [f"{shown}: no catalogue for {language} (pybabel init -l {language})"]
    catalogue = read_catalogue(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[str] = []

    def report(message: Message, what: str, line: int | None) -> None:
        found.append(f"{shown}:{line or '?'}: {what}: {msgid(message)!r} (from {where(message)})")

    for source in template():
        if not source.id:
            continue
        message = catalogue.get(source.id, source.context)
        if message is None:
            report(source, "missing (run make messages)", None)
            continue
        line = message.lineno
        if message.fuzzy:
            report(source, "fuzzy", line)
        translations = forms(message)
        if source.pluralizable:
            # Babel pads missing forms and drops extra ones: count what the file says.
            written = _forms_written(lines, line)
            if written != catalogue.num_plurals:
                report(
                    source,
                    f"{written} plural forms, {language} needs {catalogue.num_plurals}",
                    line,
                )
                continue
        if any(not text.strip() for text in translations):
            report(source, "untranslated", line)
            continue
        expected = placeholders(" ".join(source.id) if source.pluralizable else source.id)
        for text in translations:
            wrong = _placeholder_problem(expected, placeholders(text), source.pluralizable)
            if wrong:
                report(source, f"placeholders differ ({wrong}) in {text!r}", line)
                break
    return found


def _forms_written(lines: list[str], msgid_line: int | None) -> int:
    """How many msgstr[n] lines the entry starting at `msgid_line` (1-based) has."""
    count = 0
    for text in lines[(msgid_line or 1) - 1 :]:
        if not text.strip():
            break
        count += text.startswith("msgstr[")
    return count


# The count of a plural may be left out of a form ("une demande", "طلب واحد").
_COUNTS = {"num", "count", "d"}


def _placeholder_problem(expected: list[str], got: list[str], plural: bool) -> str | None:
    if plural:
        extra = set(got) - set(expected)
        lacking = set(expected) - _COUNTS - set(got)
        if extra or lacking:
            return f"source has {sorted(set(expected))}, translation has {sorted(set(got))}"
        return None
    if sorted(got) != sorted(expected):
        return f"source has {sorted(expected)}, translation has {sorted(got)}"
    return None


def extraction_command(output: Path) -> list[str]:
    """`make messages`' own pybabel extract command, writing to `output` instead: the
    options stay in one place, the Makefile."""
    dry_run = subprocess.run(
        ["make", "--always-make", "--dry-run", "messages"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    joined = dry_run.replace("\\\n", " ")
    [line] = [line for line in joined.splitlines() if "pybabel extract" in line]
    words = shlex.split(line)
    words[words.index("-o") + 1] = str(output)
    return words


def extracted(output: Path) -> Catalog:
    """The messages the code marks today, extracted as `make messages` does."""
    subprocess.run(
        extraction_command(output), cwd=PROJECT_ROOT, check=True, capture_output=True, text=True
    )
    return read_catalogue(output)
