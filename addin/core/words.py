"""Small helpers for messages in plain English."""

from __future__ import annotations

import re


def counted(n: int, one: str, many: str | None = None) -> str:
    """``counted(1, "error")`` -> ``1 error``; ``counted(2, "error")`` -> ``2 errors``."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(m: re.Match[str]) -> str:
    code = ord(m[0])
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    r"""Text that can be written anywhere (UTF-8, JSON, XML): a file name's stray bytes as ``\xNN``.

    Python carries the bytes of a file name that are not valid UTF-8 (a Latin-1 ``café``
    from an old share) as lone surrogates, which no output can encode; they are shown
    as ``caf\xe9.xlsx``, the way a person would search for the file. Other text is
    returned unchanged.
    """
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(_escape_surrogate, text)


def one_line(text: str) -> str:
    """Text on one line: line breaks (a cell's Alt+Enter, a sheet name's newline) become spaces."""
    return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text
