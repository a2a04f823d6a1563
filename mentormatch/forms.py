"""What every blueprint's forms share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from wtforms import SelectChoice, SelectField
from wtforms.validators import ValidationError


def choices(pairs: Iterable[tuple[object, str]], blank: str | None = None) -> list[SelectChoice]:
    """SelectChoice options from (value, label) pairs, with an optional empty first option."""
    options = [SelectChoice(value="", label=blank)] if blank is not None else []
    return options + [SelectChoice(value=value, label=label) for value, label in pairs]


class ListSelectField(SelectField):
    """A select whose refused value gets a message naming the list, not "Not a valid choice"."""

    def pre_validate(self, form: Any) -> None:
        """Refuse a value that is not among the options (only a hand-edited URL sends one)."""
        try:
            super().pre_validate(form)
        except ValidationError as exc:
            # The field's own label names the list ("Choose a country from the list.").
            raise ValidationError(
                _("Choose a %(name)s from the list.", name=str(self.label.text).lower())
            ) from exc
