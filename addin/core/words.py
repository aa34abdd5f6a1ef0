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


#: What must never reach a terminal or a log as itself: C0 controls (ESC starts the
#: sequences that set window titles, make OSC 8 links, clear the screen; CR rewrites a
#: line), DEL, C1 controls (0x9B is an 8-bit CSI), lone surrogates, and the invisible
#: format characters (Unicode Cf, Zl, Zp: bidi overrides such as U+202E that reverse
#: what follows, zero-width spaces and joiners, line and paragraph separators, tags).
_UNSAFE = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\ud800-\udfff\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_UNSAFE_IN_LINES = re.compile(f"[{_UNSAFE}]")  # keeps tab and line feed
_UNSAFE_IN_FIELD = re.compile(f"[\t\n{_UNSAFE}]")


def _escape_unsafe(m: re.Match[str]) -> str:
    code = ord(m[0])
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # as a JSON string spells it: a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def terminal_safe(text: str, *, lines: bool = False) -> str:
    r"""Text that is safe to print: every control or invisible format character shown as ``\uXXXX``.

    What a tracker or a file name holds can never act on the terminal or a log viewer
    (escape sequences, bidi overrides, carriage returns) and stays identifiable:
    ``esc\u001b]0;x.xlsx``. The escapes are JSON's own, so JSON text stays valid JSON
    that decodes to the original; text without such characters is returned unchanged.

    Args:
        text: One value (a file name, a message), or with ``lines`` a whole block of output.
        lines: Keep line feeds and tabs (a block of output lines, or JSON); otherwise they
            are escaped too, so one value cannot fake a line of its own, and a file name's
            stray bytes show as ``\xNN`` (see :func:`printable`).
    """
    if lines:
        pattern = _UNSAFE_IN_LINES
    else:
        pattern, text = _UNSAFE_IN_FIELD, printable(text)
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape_unsafe, text)
