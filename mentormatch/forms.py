"""What every blueprint's forms share."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import SelectChoice


def choices(pairs: Iterable[tuple[object, str]], blank: str | None = None) -> list[SelectChoice]:
    """SelectChoice options from (value, label) pairs, with an optional empty first option."""
    options = [SelectChoice(value="", label=blank)] if blank is not None else []
    return options + [SelectChoice(value=value, label=label) for value, label in pairs]
