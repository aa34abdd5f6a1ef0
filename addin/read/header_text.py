"""What one header cell names: folded header text -> (field, strength), per kind.

:func:`build_index` merges a kind's declared headers, the settings' extra synonyms and
the language packs' words into one dictionary, once per settings (cached by value in
:func:`addin.read.headers.header_indexes`). :meth:`HeaderIndex.hit` then costs a
dictionary lookup for every header it knows; the weak clues (a part of a ``A / B``
header, a last word, a one-letter typo) are tried only for headers it does not, and
each header text is settled once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from addin.core.kinds import SheetKind, normalise
from addin.core.lang import Vocabulary, fold, plain

#: Strength of a canonical header, a synonym, and a weak clue.
CANONICAL, SYNONYM, WEAK = 3, 2, 1

_PAREN = re.compile(r"\s*[\(\[][^)\]]*[\)\]]\s*$")
_PARTS = re.compile(r"\s*(?:/|\\|\||\s[-–—]\s|,|;)\s*")
_MEMO_LIMIT = 20_000


def _norm(text: str) -> str:
    return normalise(text).rstrip("=?").strip()


@lru_cache(maxsize=8192)  # the same headers and labels recur in every tracker
def header_keys(text: str) -> tuple[str, ...]:
    """The folded forms a header cell may match: as written, then without a trailing ``(...)``.

    Accents and zero-width characters are dropped (``Tâche`` is ``tache``). Cached: the
    same header texts come back in every tracker of a portfolio.
    """
    flat = plain(text)
    folded = _norm(flat)
    cut = flat.rstrip(":*.=? ")
    if "(" in cut or "[" in cut:
        cut = _PAREN.sub("", cut)
    bare = folded if cut == flat else _norm(cut)  # most headers: nothing cut, nothing to fold
    return (folded,) if bare == folded or not bare else (folded, bare)


def _within_one(a: str, b: str, limit: int) -> bool:
    """True when ``a`` and ``b`` differ by at most ``limit`` edits (insert, delete, replace)."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        if min(cur) > limit:
            return False
        prev = cur
    return prev[-1] <= limit


class HeaderIndex:
    """Folded header text -> (field name, strength), for one kind.

    Attributes:
        sheet: The kind's key.
        names: Folded header -> (field, strength).
        tails: Folded last word of a header -> field (a weak clue).
        kind_words: Folded words that, inside a header, name the kind itself.
    """

    def __init__(
        self,
        sheet: str,
        names: dict[str, tuple[str, int]],
        tails: Mapping[str, str],
        kind_words: frozenset[str],
    ) -> None:
        self.sheet = sheet
        self.names = names
        self.tails = dict(tails)
        self.kind_words = kind_words
        self._memo: dict[str, tuple[str, int] | None] = {}
        self._kinded: dict[str, bool] = {}
        self._by_first: dict[str, list[str]] | None = None

    def match(self, text: Any) -> str | None:
        """Return the field a header cell names, or None."""
        found = self.hit(text)
        return None if found is None else found[0]

    def hit(self, text: Any) -> tuple[str, int] | None:
        """Return (field, strength) for a header cell, or None when it names no field."""
        if not isinstance(text, str):
            return None
        try:
            return self._memo[text]
        except KeyError:
            pass
        found = self._settle(text) if text.strip() and len(text) <= 120 else None
        if len(self._memo) > _MEMO_LIMIT:
            self._memo.clear()
            self._kinded.clear()
        self._memo[text] = found
        return found

    def label(self, text: Any) -> str | None:
        """The field a label cell names by a synonym or its canonical header, or None.

        No weak header (``Name``, ``Title``) and no clue: a label stands alone, with no
        column of values to confirm it.
        """
        if not isinstance(text, str) or not text.strip() or len(text) > 120:
            return None
        found = [hit for k in header_keys(text) if (hit := self.names.get(k)) is not None]
        best = max(found, key=lambda h: h[1]) if found else None
        return best[0] if best is not None and best[1] >= SYNONYM else None

    def mentions_kind(self, text: str) -> bool:
        """True when a header's words name the kind (``Risk Owner``, ``Task ID``)."""
        found = self._kinded.get(text)
        if found is None:
            found = self._kinded[text] = self._mentions(text)
        return found

    def _mentions(self, text: str) -> bool:
        folded = fold(text)
        words = set(folded.replace("/", " ").replace("-", " ").split())
        if words & self.kind_words:
            return True
        return any(not w.isascii() and len(w) > 1 and w in folded for w in self.kind_words)

    def _settle(self, text: str) -> tuple[str, int] | None:
        keys = header_keys(text)
        found = [hit for k in keys if (hit := self.names.get(k)) is not None]
        if found:
            return max(found, key=lambda h: h[1])
        for k in keys:  # one part of "Comments / Resolution", "TODO - OWNER"
            parts = [p for p in _PARTS.split(k) if p]
            if len(parts) < 2:
                continue
            hits = [hit for p in parts if (hit := self.names.get(p)) is not None]
            if hits:
                return max(hits, key=lambda h: h[1])[0], WEAK
        words = keys[-1].split()
        if len(words) > 1 and words[-1] in self.tails:
            return self.tails[words[-1]], WEAK
        return self._near(keys[-1])

    def _near(self, key: str) -> tuple[str, int] | None:
        """A known header one edit away (two for long ones): a typo, at most a synonym."""
        if len(key) < 7 or not any(ch.isalpha() for ch in key):
            return None
        if self._by_first is None:
            self._by_first = {}
            for k in self.names:
                if len(k) >= 6:
                    self._by_first.setdefault(k[0], []).append(k)
        limit = 2 if len(key) >= 14 else 1
        for k in self._by_first.get(key[0], ()):
            if _within_one(key, k, limit):
                name, strength = self.names[k]
                return name, min(strength, SYNONYM)
        return None


def build_index(spec: SheetKind, extra: Mapping[str, list[str]], vocab: Vocabulary) -> HeaderIndex:
    """One kind's index: canonical headers, then synonyms, then weak ones.

    Synonyms are declared, from settings or from language packs; a header two fields claim
    keeps the stronger claim (the first on a tie).
    """
    names: dict[str, tuple[str, int]] = {}

    def add(text: str, name: str, strength: int) -> None:
        key = header_keys(text)[0]
        if not key:
            return
        current = names.get(key)
        if current is None or strength > current[1]:
            names[key] = (name, strength)

    packs = vocab.headers.get(spec.key, {})
    weak_packs = vocab.weak.get(spec.key, {})
    for f in spec.fields:
        add(f.header, f.name, CANONICAL)
    for f in spec.fields:
        weak = {header_keys(w)[0] for w in f.weak}
        for synonym in (*f.synonyms, *extra.get(f.header, ())):
            add(synonym, f.name, WEAK if header_keys(synonym)[0] in weak else SYNONYM)
    for f in spec.fields:
        for synonym in packs.get(f.name, ()):
            add(synonym, f.name, SYNONYM)
    for f in spec.fields:
        for synonym in (*f.weak, *weak_packs.get(f.name, ())):
            add(synonym, f.name, WEAK)
    words = vocab.kind_words.get(spec.key, frozenset()) | {fold(spec.key)}
    return HeaderIndex(spec.key, names, vocab.tails.get(spec.key, {}), frozenset(words))
