"""Reading pages the way a person does."""

from __future__ import annotations


def plain(html: str) -> str:
    """The text with non-breaking spaces as plain ones: amounts keep "NGN" and "7,000,000"
    on one line with a no-break space, which reads as a space."""
    return html.replace("\u00a0", " ")
