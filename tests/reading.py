"""Reading pages the way a person does."""

from __future__ import annotations

import re

# <bdi> keeps a figure in one direction inside Arabic text; nobody sees the tag itself.
_ISOLATES = re.compile(r"</?bdi>")


def plain(html: str) -> str:
    """The text with non-breaking spaces as plain ones: amounts keep "NGN" and "7,000,000"
    on one line with a no-break space, which reads as a space; <bdi> tags are invisible."""
    return _ISOLATES.sub("", html).replace("\u00a0", " ")
