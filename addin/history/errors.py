"""The one error of the history store: the database could not be used, in one line."""

from __future__ import annotations

from addin.core.errors import PmoError
from addin.core.words import one_line


class HistoryError(PmoError):
    """The history database could not be opened, read or written; nothing partial was stored.

    The message is one line and never holds a password (see :mod:`addin.history.url`).

    Attributes:
        located: True once the message names the database (it is not prefixed again).
    """

    def __init__(self, message: str, *, located: bool = False) -> None:
        super().__init__(one_line(message))
        self.located = located
