"""What a language pack holds: the words trackers in one language use, as plain data.

A pack never changes a field declaration (:mod:`addin.core.kinds`): it adds words the
reader accepts beside the declared ones. Everything is keyed by the kind's key
(``Tasks``) and the field's record attribute (``planned_finish``), so a pack reads like
the spec it extends; a test checks every key names a real kind, field and choice list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: Kind key -> field attribute -> header texts.
Headers = Mapping[str, Mapping[str, tuple[str, ...]]]


@dataclass(frozen=True)
class LanguagePack:
    """The tracker vocabulary of one language.

    Attributes:
        code: ISO 639-1 code (``de``); what ``[reader] languages`` lists.
        name: The language's English name, for messages and docs.
        sheets: Kind key -> sheet names that hold that kind (``Risiken`` for RAID).
        headers: Kind key -> field -> headers (and Project labels) that name the field.
        weak: Kind key -> field -> headers that name the field only when no stronger
            header in the same row does (``Beschreibung`` is a task's name only when no
            ``Aufgabe`` column exists).
        tails: Kind key -> field -> words that name the field when a header *ends* with
            them (``High Availability Risks`` is a RAID title); always weak.
        values: Choice list key (``task_status``, ``rag`` ...) -> word -> canonical value.
        scale: Words of a 1-5 probability / impact scale -> their number.
        raid_types: Words of a sheet name -> the RAID Type its rows have (``risiken`` -> Risk).
        closed: Words of a sheet name that mark its RAID rows closed (``geschlossen``).
        kind_words: Kind key -> words that, inside a header, say the column belongs to that
            kind (``Aufgaben-ID`` is a task column).
        title_words: Words of a document title that are not part of a project's name
            (``Projektplan``, ``Risikokatalog``): a title made only of them names no project.
        examples: Words of a sheet name that make it an example or a template, not the
            project's data (``Exemple``, ``Vorlage``).
    """

    code: str
    name: str
    sheets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    headers: Headers = field(default_factory=dict)
    weak: Headers = field(default_factory=dict)
    tails: Headers = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    scale: Mapping[str, int] = field(default_factory=dict)
    raid_types: Mapping[str, str] = field(default_factory=dict)
    closed: tuple[str, ...] = ()
    kind_words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    title_words: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
