"""People's names as trackers write them: one key per person, and near matches for typos.

A person is named the same way across trackers, the capacity list being the
reference. Names are compared folded (case, spaces, dots and commas); a name that is
not in the list gets its near matches: the same surname with the same initial
(``J. Smith``, ``Smith, John`` for ``John Smith``), or a close spelling.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from functools import lru_cache

_SPLIT = re.compile(r"\s*(?:;|/|&|\+|\band\b)\s*", re.IGNORECASE)


@lru_cache(maxsize=65_536)  # the same names come back in every tracker of a portfolio
def name_key(name: str) -> str:
    """The folded form two spellings of one name share (``"J.  Smith"`` -> ``"j smith"``)."""
    return " ".join(name.replace(".", " ").replace(",", " ").split()).casefold()


def _tokens(name: str) -> list[str]:
    return name_key(name).split()


def _reordered(name: str) -> str:
    """``Smith, John`` -> ``john smith`` (a surname written first, with a comma)."""
    if "," in name:
        last, _, first = name.partition(",")
        return name_key(f"{first} {last}")
    return name_key(name)


def _initials_match(a: list[str], b: list[str]) -> bool:
    """True when one name abbreviates the other: same surname, same first initials."""
    if len(a) < 2 or len(b) < 2 or a[-1] != b[-1]:
        return False
    short, full = (a, b) if sum(map(len, a)) <= sum(map(len, b)) else (b, a)
    pairs = zip(short[:-1], full[: len(short) - 1], strict=True)
    return all((len(s) == 1 and f.startswith(s)) or s == f for s, f in pairs)


def near_matches(name: str, known: Sequence[str], limit: int = 3) -> list[str]:
    """Names of ``known`` that ``name`` probably means, best first (at most ``limit``).

    Args:
        name: A name as a tracker writes it.
        known: The capacity list's names, as written there.
        limit: Most names returned.
    """
    tokens = _tokens(name)
    reordered = _reordered(name)
    by_key = {name_key(k): k for k in known}
    out: list[str] = []
    if reordered in by_key and reordered != name_key(name):
        out.append(by_key[reordered])
    out += [k for k in known if _initials_match(tokens, _tokens(k)) and k not in out]
    close = difflib.get_close_matches(name_key(name), list(by_key), n=limit, cutoff=0.8)
    out += [by_key[c] for c in close if by_key[c] not in out]
    return out[:limit]


def split_owners(text: str, known: Collection[str] = ()) -> list[str]:
    """The people an Owner cell names: ``"Ann; Bob"`` -> ``["Ann", "Bob"]``.

    A cell that is one name the capacity list knows (``known``: their :func:`name_key`)
    is never split; otherwise it is split on ``;``, ``/``, ``&``, ``+`` and ``and`` (a
    comma may be part of one name).
    """
    whole = text.strip()
    if name_key(whole) in known or not _SPLIT.search(whole):
        return [whole]
    parts = [p.strip() for p in _SPLIT.split(whole) if p.strip()]
    return parts or [whole]
