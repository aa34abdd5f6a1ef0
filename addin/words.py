"""Small helpers for messages in plain English."""

from __future__ import annotations


def counted(n: int, one: str, many: str | None = None) -> str:
    """``counted(1, "error")`` -> ``1 error``; ``counted(2, "error")`` -> ``2 errors``."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
