"""What every blueprint's forms share."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup
from wtforms import Choice, SelectChoice, SelectField
from wtforms.validators import ValidationError
from wtforms.widgets import Select


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


class RememberedOptions(Select):
    """A select that remembers the HTML of each option it has written: the suggestions
    page's filters list about fifty value chains and the countries on every page."""

    @classmethod
    def render_option(cls, choice: Choice, **kwargs: Any) -> Markup:
        """The option's HTML, written once per value, label and selection."""
        if kwargs or choice.render_kw:
            return Markup(super().render_option(choice, **kwargs))
        return _option_html(choice.value, str(choice.label or choice.value), bool(choice.selected))


@lru_cache(maxsize=4096)  # options of a few lists in four languages
def _option_html(value: Any, label: str, selected: bool) -> Markup:
    return Markup(Select.render_option(Choice(value, label, selected, {})))
