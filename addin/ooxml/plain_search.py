"""The two searches that judge a sheet's segment plain, run by RE2 where it is installed.

The sheet scan (:mod:`addin.ooxml.sheetscan`) judges nearly every segment of a tracker's
sheets from two searches that find nothing: :func:`odd_tag` (a tag other than the four a
plain segment is made of) and :func:`odd_reference` (a reference spelled another way, or
one that may lie past the limits). Python's ``re`` tries its lookahead at every ``<``
and every ``r``: about 1 ms a bench tracker, a tenth of its worker's time. RE2 (the
``google-re2`` package, installed with us where it has wheels) runs the same questions
as one automaton over the bytes, about four times as fast.

RE2 has no lookahead, so its patterns say the same thing positively: "``<`` not followed
by ``/``" becomes "``<`` followed by the end, or by a byte other than ``/``" (see
:func:`_not_followed_by`). The ``re`` patterns here are the definitions; the tests hold
RE2's to finding something exactly where they do. Where RE2 cannot be imported (no wheel,
or another package's ``re2`` module), the ``re`` patterns run.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Protocol

try:
    import re2 as _re2

    _OPTIONS: Any = _re2.Options()
    _OPTIONS.encoding = _re2.Options.Encoding.LATIN1  # a byte is a character, any byte
except (ImportError, AttributeError):  # no wheel here, or some other "re2" module
    _re2 = None
    _OPTIONS = None


class Search(Protocol):
    """A compiled search: ``re.Pattern``'s ``search``, whatever engine runs it."""

    def search(self, data: bytes, /) -> object | None:
        """Something when the pattern occurs in ``data``, else None."""
        ...


#: The four tags a plain segment is made of: ``<row r="``, ``<c r="``, ``<v>`` and a
#: closing tag. Anything else starting with ``<`` is odd.
_PLAIN_TAGS = (b"/", b"v>", b'c r="', b'row r="')
#: The definition: ``<(?!/|v>|c r="|row r=")``.
ODD_TAG = re.compile(b"<(?!" + b"|".join(map(re.escape, _PLAIN_TAGS)) + b")")


#: Python's ``\s`` for bytes, spelled out (RE2's ``\s`` has no ``\v``).
_SPACE = rb"[ \t\n\r\x0b\x0c]"
#: What keeps a segment from being judged by counting its rows and cells: a comment, CDATA
#: or processing instruction (text that could look like a tag), a prefixed tag, a formula,
#: an ``r`` attribute, or a tag whose name starts with ``row`` and goes on. No lookaround:
#: RE2 compiles the same pattern.
NOT_COUNTED = (
    rb"<[!?]|<[A-Za-z_][A-Za-z0-9_.\-]*:|<f(?:%(s)s|[/>])|%(s)sr%(s)s*=|<row[^ \t\n\r\x0b\x0c/>]"
    % {b"s": _SPACE}
)


def not_counted() -> Search:
    """The search for :data:`NOT_COUNTED`: RE2's where installed, else ``re``'s."""
    if _re2 is None:
        return re.compile(NOT_COUNTED)
    return _compile(NOT_COUNTED)


def odd_reference_re(digits: int) -> re.Pattern[bytes]:
    """An ``r`` followed by a space, or by ``=`` and anything but a short reference.

    Short: ``"``, at most one column letter, one to ``digits`` row digits, ``"``.
    """
    return re.compile(rb'r(?=\s|=)(?!="[A-Za-z]?\d{1,%d}")' % digits)


class Whole(Protocol):
    """A compiled pattern asked whether it matches a whole span: ``re.Pattern.fullmatch``."""

    def fullmatch(self, data: bytes, pos: int, endpos: int, /) -> object | None:
        """Something when ``data[pos:endpos]`` is wholly a match, else None."""
        ...


def whole_match(pattern: bytes) -> Whole:
    r"""``pattern`` compiled by RE2 where it is installed, else by ``re``.

    For a pattern both engines read alike: no lookaround, no backreference, and no class
    such as ``\s`` that they define differently (spell it out).
    """
    if _re2 is None:
        return re.compile(pattern)
    found: Whole = _re2.compile(pattern, _OPTIONS)
    return found


def backend() -> str:
    """Which engine runs the searches here: ``"re2"`` or ``"re"``."""
    return "re" if _re2 is None else "re2"


def odd_tag() -> Search:
    """The search for a tag a plain segment is not made of (:data:`ODD_TAG`).

    Compiled once, when the sheet scan is imported.
    """
    if _re2 is None:
        return ODD_TAG
    return _compile(b"<" + _not_followed_by(_PLAIN_TAGS))


def odd_reference(digits: int) -> Search:
    """The search :func:`odd_reference_re` defines, for references of up to ``digits`` digits."""
    return _odd_reference(digits, _re2 is not None)


@lru_cache(maxsize=16)
def _odd_reference(digits: int, use_re2: bool) -> Search:
    if not use_re2:
        return odd_reference_re(digits)
    space = _SPACE
    # Not "1 to `digits` digits, then a quote": the end; no digit; too many digits; or
    # few enough, then the end or a byte other than a digit or a quote.
    no_row = rb'(?:\z|[^0-9]|[0-9]{%d}|[0-9]{1,%d}(?:\z|[^0-9"]))' % (digits + 1, digits)
    # After the quote: the end, a byte neither letter nor digit, a letter and no row
    # number after it, or the row number's own failures (a digit starts it).
    no_cell = rb'(?:\z|[^A-Za-z0-9]|[A-Za-z]%s|[0-9]{%d}|[0-9]{1,%d}(?:\z|[^0-9"]))' % (
        no_row,
        digits + 1,
        digits,
    )
    return _compile(rb'r(?:%s|=(?:\z|[^"]|"%s))' % (space, no_cell))


def _not_followed_by(literals: tuple[bytes, ...]) -> bytes:
    """RE2 for "here none of ``literals`` starts": what ``(?!a|b)`` says in ``re``.

    From the literals' common prefixes (a trie), at each step: the end of the data; a
    byte that continues no literal; or a byte that continues some, and then none of
    their rests starts. A literal wholly present is not a match.
    """
    firsts: dict[int, list[bytes]] = {}
    for literal in literals:
        firsts.setdefault(literal[0], []).append(literal[1:])
    others = b"".join(b"\\x%02x" % byte for byte in sorted(firsts))
    options = [rb"\z", b"[^" + others + b"]"]
    for byte, rests in sorted(firsts.items()):
        if any(not rest for rest in rests):
            continue  # this byte completes a literal: nothing after it can be odd
        options.append(b"\\x%02x" % byte + _not_followed_by(tuple(rests)))
    return b"(?:" + b"|".join(options) + b")"


def _compile(pattern: bytes) -> Search:
    assert _re2 is not None
    found: Search = _re2.compile(pattern, _OPTIONS)
    return found
