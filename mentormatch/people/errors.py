"""Refusals of a coordinator's action on a person or a report: the message and the status."""

from __future__ import annotations


class ActionRefused(Exception):
    """An action that is refused; the message says why, for a person to read. Nothing was
    changed (the caller rolls back)."""

    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(ActionRefused):
    status = 403


class NotFound(ActionRefused):
    status = 404


class MovedOn(ActionRefused):
    """The page was stale, or the same button was pressed twice."""

    status = 409


class InvalidInput(ActionRefused):
    status = 400
