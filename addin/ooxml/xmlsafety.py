"""Refuse workbook XML that declares a DTD or entities, before any parser expands them.

Excel never writes a DTD. A DTD can only stand in a part's prolog (before the root
element), so :func:`xml_part_reason` reads only that much of each part when a file is
sniffed, and the sheet scan (:mod:`addin.ooxml.sheetscan`) looks for :data:`DTD` in the
head of each sheet it reads.
"""

from __future__ import annotations

import re
import zipfile

from addin.ooxml.member import StoredPart, open_part

DTD_REASON = "refused: workbook XML declares a DTD/entities (possible XML attack)"

#: Bytes of a part read first to check its prolog; up to :data:`_PROLOG_MAX` when needed.
_PROLOG_PEEK = 4096
_PROLOG_MAX = 64 * 1024
#: Bytes after the prolog enough to tell what starts there (``<!DOCTYPE``, ``<!ENTITY``).
_PROLOG_TAIL = 16
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)
#: The start of a DTD or entity declaration.
DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)\b", re.I)


def _as_utf8(head: bytes) -> bytes | None:
    """The start of a part as (roughly) UTF-8 when it looks like XML, else None."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    elif head.startswith((b"\xff\xfe", b"<\x00")):
        body = head[2:] if head.startswith(b"\xff\xfe") else head
        head = body[: len(body) // 2 * 2].decode("utf-16-le", "ignore").encode("utf-8")
    elif head.startswith((b"\xfe\xff", b"\x00<")):
        body = head[2:] if head.startswith(b"\xfe\xff") else head
        head = body[: len(body) // 2 * 2].decode("utf-16-be", "ignore").encode("utf-8")
    return head if head.lstrip().startswith(b"<") else None


def _prolog_end(text: bytes) -> int:
    m = _PROLOG.match(text)
    return m.end() if m else 0


def xml_part_reason(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, stored: StoredPart | None = None
) -> str | None:
    """Refuse an XML part that declares a DTD or entities, before any parser expands them.

    A DTD can only stand in the prolog (before the root element), so only the prolog
    is read: a few KB of each part. Calamine does not expand entities (it stops with
    an obscure error), but openpyxl and other tools may; either way such a workbook
    was not written by Excel and is refused with a clear reason. ``stored``: the part's
    bytes already read from the archive (:func:`~addin.ooxml.member.stored_part`), read
    from memory with the same checks.
    """
    with stored.open() if stored is not None else open_part(zf, info) as fh:
        head = fh.read(_PROLOG_PEEK)
        while True:
            text = _as_utf8(head)
            if text is None:
                return None
            rest = text[_prolog_end(text) :]
            # The prolog is over once something else starts: a DOCTYPE or the root element.
            # What was read may instead end inside it (a comment or declaration cut short,
            # or too few bytes to tell): read on, up to a limit.
            if len(rest) >= _PROLOG_TAIL and not rest.startswith((b"<!--", b"<?")):
                break
            if len(head) >= _PROLOG_MAX:
                return (
                    f"refused: {info.filename} starts with over {_PROLOG_MAX // 1024} KB of XML "
                    "comments or declarations (possible XML attack)"
                )
            more = fh.read(_PROLOG_MAX - len(head))
            if not more:
                break
            head += more
    if DTD.match(rest):
        return f"{DTD_REASON}: {info.filename}"
    return None
