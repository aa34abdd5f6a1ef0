"""The ``pmo`` command line: a thin shell over the use cases in :mod:`addin.app`."""

from addin.cli.app import (
    EXIT_FINDINGS,
    EXIT_NOT_WRITTEN,
    EXIT_OK,
    EXIT_UNREADABLE,
    EXIT_USAGE,
    app,
    main,
)

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_NOT_WRITTEN",
    "EXIT_OK",
    "EXIT_UNREADABLE",
    "EXIT_USAGE",
    "app",
    "main",
]
