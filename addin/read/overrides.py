"""Which ``[[mapping]]`` entries of ``pmo.toml`` apply to a file, and their column overrides.

:func:`file_mapping` merges every entry whose glob matches the file (later entries win key
by key, see :mod:`addin.core.settings.mapping`). A column override is applied to each
header match the reader makes (:func:`apply_columns`): the column it names maps to its
field whatever detection thought, and the field's header text is also given to the
header index as a synonym (:func:`mapped_settings`), so a sheet detection would have
passed over is found. Sheets and header rows are applied in :mod:`addin.read.mapped`.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from addin.core.kinds import kind
from addin.core.settings import Settings
from addin.core.settings.mapping import IGNORE, FileMapping, field_name, kind_key
from addin.read.header_text import header_keys
from addin.read.headers import HeaderMatch

#: Strength of a column the mapping names (above a canonical header's 3).
MAPPED = 4

_SEP = re.compile(r"[\\/]+")


def header_key(text: str) -> str:
    """The folded form a mapping's header and a header cell are compared in."""
    return header_keys(text)[0]


def glob_matches(glob: str, path: str) -> bool:
    """True when ``glob`` matches the file's name or the last parts of its path (any case).

    A glob with no folder matches the file name; ``Finance/*RAID*.xlsx`` matches a file in
    any folder named Finance; an absolute glob matches the whole path.
    """
    pattern = [p.casefold() for p in _SEP.split(glob.strip()) if p]
    parts = [p.casefold() for p in _SEP.split(str(Path(path).absolute())) if p]
    if not pattern:
        return False
    if "**" in pattern:  # any depth: the whole path against the glob, * crossing folders
        return fnmatch.fnmatchcase("/".join(parts), "*" + "/".join(pattern).replace("**/", "*"))
    absolute = glob.strip()[:1] in ("/", "\\") or re.match(r"^[A-Za-z]:", glob.strip())
    if absolute and len(parts) != len(pattern):
        return False
    if len(pattern) > len(parts):
        return False
    tail = parts[len(parts) - len(pattern) :]
    return all(fnmatch.fnmatchcase(p, g) for p, g in zip(tail, pattern, strict=True))


@dataclass(frozen=True)
class Mapped:
    """The mapping that applies to one file: every matching entry, merged.

    Attributes:
        label: How findings name the entries (``[[mapping]] #2 (files = "...")``).
        sheets: Sheet name as written in pmo.toml -> kind key, or ``ignore``.
        header_rows: Sheet name as written -> 0-based header row.
        columns: Kind -> folded header text -> field name, or ``ignore``.
        written: Kind -> folded header text -> the header as written in pmo.toml.
    """

    label: str
    sheets: dict[str, str] = field(default_factory=dict)
    header_rows: dict[str, int] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    written: dict[str, dict[str, str]] = field(default_factory=dict)


def merge(entries: list[tuple[int, FileMapping]]) -> Mapped:
    """One file's entries (number, entry) as one mapping, later entries winning key by key."""
    out = Mapped(label="; ".join(f"[[mapping]] #{n} ({entry.label})" for n, entry in entries))
    for _, entry in entries:
        for sheet, target in entry.sheets.items():
            out.sheets[sheet] = kind_key(target) or IGNORE
        out.header_rows.update({s: r - 1 for s, r in entry.header_rows.items()})
        for key_text, headers in entry.columns.items():
            key = kind_key(key_text) or key_text
            for header, target in headers.items():
                folded = header_key(header)
                out.columns.setdefault(key, {})[folded] = field_name(key, target) or IGNORE
                out.written.setdefault(key, {})[folded] = header
    return out


def file_mapping(settings: Settings, path: str) -> Mapped | None:
    """The mapping of ``pmo.toml`` that applies to ``path``, or None when no entry matches."""
    if not settings.mapping or not path:
        return None
    found = [
        (n, entry)
        for n, entry in enumerate(settings.mapping, start=1)
        if any(glob_matches(g, path) for g in entry.globs)
    ]
    return merge(found) if found else None


@lru_cache(maxsize=32)
def _with_synonyms(settings: Settings, added: tuple[tuple[str, str, str], ...]) -> Settings:
    known = settings.reader.header_synonyms
    extra = {k: {h: list(v) for h, v in d.items()} for k, d in known.items()}
    for key, header, text in added:
        extra.setdefault(key, {}).setdefault(header, []).append(text)
    return settings.with_changes({"reader.header_synonyms": extra})


def mapped_settings(settings: Settings, mapped: Mapped) -> Settings:
    """The settings with the mapping's column headers added as header synonyms (to find them)."""
    added = tuple(
        (key, kind(key).field(name).header, mapped.written[key][folded])
        for key, columns in mapped.columns.items()
        for folded, name in columns.items()
        if name != IGNORE
    )
    return _with_synonyms(settings, added) if added else settings


def apply_columns(mapped: Mapped | None, key: str, match: HeaderMatch) -> None:
    """Make a header match map the columns the mapping names, whatever detection chose."""
    wanted = mapped.columns.get(key) if mapped is not None else None
    if not wanted:
        return
    named = {col: t for col, text in match.headers.items() if (t := wanted.get(header_key(text)))}
    chosen: dict[str, int] = {}  # one column a field: detection's among those named, else leftmost
    for col, target in sorted(named.items()):
        if target != IGNORE and target not in chosen:
            same = [c for c, t in named.items() if t == target]
            chosen[target] = match.columns[target] if match.columns.get(target) in same else col
    for col, target in named.items():
        if target != IGNORE and chosen[target] != col:
            continue  # the same header twice: the other column is the field's
        text = match.headers[col]
        for name, used in list(match.columns.items()):
            if used == col and name != target:  # the field's next best column, if any
                rest = [cs for cs in match.candidates.get(name, []) if cs[0] not in named]
                match.pick(name, max(rest, key=lambda cs: (cs[1], -cs[0]))[0] if rest else None)
        if target == IGNORE:
            match.extras[col] = text
            continue
        match.extras.pop(col, None)
        match.candidates.setdefault(target, []).append((col, MAPPED))
        match.pick(target, col)
