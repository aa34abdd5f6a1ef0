"""Language packs: the words trackers use for sheets, headers and values, per language.

Each language is one data module (:mod:`.de`, :mod:`.fr` ...) holding a
:class:`~addin.core.lang.pack.LanguagePack`; :data:`PACKS` registers them once. The
reader asks for the :class:`Vocabulary` of the languages the settings switch on
(``[reader] languages``, all of them by default), merged and folded once and cached by
value, so a wider vocabulary costs dictionary lookups, not loops.

To add a language: write ``<code>.py`` with a ``PACK`` and add it to :data:`PACKS`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from addin.core.lang import de, en, es, fr, it, ja, nl, pt, ru
from addin.core.lang.pack import LanguagePack

#: Every registered pack, by code.
PACKS: dict[str, LanguagePack] = {
    p.code: p
    for p in (en.PACK, de.PACK, fr.PACK, es.PACK, pt.PACK, it.PACK, nl.PACK, ja.PACK, ru.PACK)
}

#: The languages a reader uses unless ``[reader] languages`` says otherwise: all of them.
DEFAULT_LANGUAGES: tuple[str, ...] = tuple(PACKS)

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def plain(text: str) -> str:
    """Text without zero-width characters, and Latin letters without their accents.

    ``Tâche`` -> ``Tache``, ``Probabilità`` -> ``Probabilita``, ``LOW`` + U+200B -> ``LOW``;
    compatibility forms are folded too (``Ｎｏ`` -> ``No``). Marks on other scripts stay
    (``ガ`` is not ``カ``).
    """
    if text.isascii():
        return text
    text = text.translate(_ZERO_WIDTH)
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch) and out and out[-1].isascii():
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def fold(text: str) -> str:
    """A word as compared: :func:`plain`, case-folded, spaces collapsed."""
    return " ".join(plain(text).replace("_", " ").split()).casefold()


@dataclass(frozen=True)
class Vocabulary:
    """The merged words of some languages, folded (see :func:`fold`) where they are words.

    Attributes:
        languages: The pack codes merged, in order.
        sheets: Kind key -> sheet names (as written).
        headers: Kind key -> field -> headers (as written).
        weak: Kind key -> field -> weak headers (as written).
        tails: Kind key -> folded last word of a header -> field.
        values: Choice list key -> word (as written) -> canonical value.
        scale: Folded scale word -> 1-5.
        raid_types: Folded sheet-name word -> RAID Type.
        closed: Folded sheet-name words that mark RAID rows closed.
        kind_words: Kind key -> folded words that tie a header to the kind.
        title_words: Folded words that name no project.
        examples: Folded sheet-name words of example and template sheets.
    """

    languages: tuple[str, ...]
    sheets: Mapping[str, tuple[str, ...]]
    headers: Mapping[str, Mapping[str, tuple[str, ...]]]
    weak: Mapping[str, Mapping[str, tuple[str, ...]]]
    tails: Mapping[str, Mapping[str, str]]
    values: Mapping[str, Mapping[str, str]]
    scale: Mapping[str, int]
    raid_types: Mapping[str, str]
    closed: frozenset[str]
    kind_words: Mapping[str, frozenset[str]]
    title_words: frozenset[str]
    examples: frozenset[str]


def _merge_headers(
    packs: Iterable[LanguagePack], attr: str
) -> dict[str, dict[str, tuple[str, ...]]]:
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for p in packs:
        for kind, fields in getattr(p, attr).items():
            into = out.setdefault(kind, {})
            for name, words in fields.items():
                into[name] = (*into.get(name, ()), *words)
    return out


@lru_cache(maxsize=16)
def vocabulary(languages: tuple[str, ...]) -> Vocabulary:
    """The merged vocabulary of these languages (unknown codes are ignored); cached.

    Args:
        languages: Pack codes, e.g. ``("en", "de")``; earlier packs win where two give one
            word different meanings.
    """
    packs = [PACKS[c] for c in languages if c in PACKS]
    sheets: dict[str, tuple[str, ...]] = {}
    values: dict[str, dict[str, str]] = {}
    scale: dict[str, int] = {}
    raid_types: dict[str, str] = {}
    kind_words: dict[str, set[str]] = {}
    tails: dict[str, dict[str, str]] = {}
    for p in packs:
        for kind, names in p.sheets.items():
            sheets[kind] = (*sheets.get(kind, ()), *names)
        for key, words in p.values.items():
            merged = values.setdefault(key, {})
            for word, canonical in words.items():
                merged.setdefault(word, canonical)
        for word, n in p.scale.items():
            scale.setdefault(fold(word), n)
        for word, type_ in p.raid_types.items():
            raid_types.setdefault(fold(word), type_)
        for kind, kwords in p.kind_words.items():
            kind_words.setdefault(kind, set()).update(fold(w) for w in kwords)
        for kind, fields in p.tails.items():
            for name, twords in fields.items():
                for w in twords:
                    tails.setdefault(kind, {}).setdefault(fold(w), name)
    return Vocabulary(
        languages=tuple(p.code for p in packs),
        sheets=sheets,
        headers=_merge_headers(packs, "headers"),
        weak=_merge_headers(packs, "weak"),
        tails=tails,
        values=values,
        scale=scale,
        raid_types=raid_types,
        closed=frozenset(fold(w) for p in packs for w in p.closed),
        kind_words={k: frozenset(v) for k, v in kind_words.items()},
        title_words=frozenset(fold(w) for p in packs for w in p.title_words),
        examples=frozenset(fold(w) for p in packs for w in p.examples),
    )


__all__ = [
    "DEFAULT_LANGUAGES",
    "PACKS",
    "LanguagePack",
    "Vocabulary",
    "fold",
    "plain",
    "vocabulary",
]
