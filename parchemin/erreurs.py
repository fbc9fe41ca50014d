"""Domain errors: raised by services when a business rule refuses an action.

The message is French and meant for the person who asked; views show it as it is.
"""

from __future__ import annotations


class ErreurMetier(Exception):
    """A rule refused the action; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AccesRefuse(ErreurMetier):
    """The actor is not allowed to do this."""
