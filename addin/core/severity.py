"""How bad a finding is."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is. Errors fail validation; warnings are advice."""

    ERROR = "error"
    WARNING = "warning"
