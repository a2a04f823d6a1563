"""What a person registered by someone else is asked to agree to, word for word.

The registrar reads the statements out (or shows them) in a language the person
understands and ticks those the person agreed to; the record keeps the version, the
keys and the whole text, so what was agreed stays known when the wording changes.
A change of wording is a new VERSION. The statements are shown, and kept, in the language
of the registrar's page (the words they read out), so the record says what was read.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

VERSION = "2026-11"

STATEMENTS: dict[str, LazyString] = {
    "register": _l(
        "MentorMatch keeps my name, my phone number and what I said about my business, "
        "to suggest mentors and investors who could help me."
    ),
    "share": _l(
        "The programme's coordinators, mentors and investors may see my profile, without "
        "my phone number; a mentor or investor gets my phone number only after a "
        "coordinator approves an introduction."
    ),
    "sms": _l("MentorMatch may send me text messages about my account and my introductions."),
}
# Without these there is no registration; the text messages are the person's choice.
REQUIRED = ("register", "share")


def consent_text(keys: list[str]) -> str:
    """The statements agreed to, as one text to keep with the record."""
    return "\n".join(f"- {STATEMENTS[key]}" for key in STATEMENTS if key in keys)
