"""Mapping overrides: how a PMO tells the reader what detection got wrong, per file glob.

One ``[[mapping]]`` entry of ``pmo.toml``::

    [[mapping]]
    files = "Finance/*RAID*.xlsx"      # a glob, or a list of globs
    [mapping.sheets]
    "Risk Log 2026" = "RAID"           # sheet -> kind, or "ignore"
    [mapping.header_rows]
    "Risk Log 2026" = 4                # 1-based, as Excel shows it
    [mapping.columns.RAID]
    "Likelihood (1-5)" = "Probability" # header text -> field header (or name), or "ignore"

A glob is matched, case-insensitively, against the file's name and the last parts of its
path (``Finance/*RAID*.xlsx`` matches ``/shared/Finance/2026 RAID.xlsx``). Every entry
that matches a file applies, later entries winning key by key. The shape is checked here,
when the settings are loaded: an unknown kind or field is one line naming the entry and
the key. What only the workbook can tell (a sheet it does not have) is a finding at the
file (see :mod:`addin.read.mapped`).
"""

from __future__ import annotations

import json
from typing import Any, Self

from addin.core.settings.section import Section, model_validator

#: The word that leaves a sheet or a column out.
IGNORE = "ignore"
#: The last row a sheet can have.
_MAX_ROW = 1_048_576


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def kind_key(text: str) -> str | None:
    """The kind a mapping names (``raid`` -> ``RAID``), :data:`IGNORE`, or None when unknown."""
    from addin.core.kinds import KINDS

    if _folded(text) == IGNORE:
        return IGNORE
    return next((k.key for k in KINDS if _folded(k.key) == _folded(text)), None)


def field_name(key: str, text: str) -> str | None:
    """The field of kind ``key`` a mapping names, by header or name; :data:`IGNORE`; or None."""
    from addin.core.kinds import kind

    if _folded(text) == IGNORE:
        return IGNORE
    for f in kind(key).fields:
        if _folded(text) in (_folded(f.header), _folded(f.name)):
            return f.name
    return None


def _choices(words: list[str]) -> str:
    return ", ".join(words) + f', or "{IGNORE}"'


class FileMapping(Section):
    """One ``[[mapping]]`` entry: the files it is for and what it says about their sheets."""

    files: str | tuple[str, ...]
    """A glob (or a list of globs) matched against the file's name and the end of its path,
    case-insensitively: ``"Finance/*RAID*.xlsx"``, ``"*.xlsx"``."""
    sheets: dict[str, str] = {}
    """Sheet name -> the kind it holds (``Tasks``, ``RAID`` ...), or ``"ignore"``."""
    header_rows: dict[str, int] = {}
    """Sheet name -> its header row, 1-based as Excel shows it."""
    columns: dict[str, dict[str, str]] = {}
    """Kind -> header text as written -> the field it holds (its header or name), or
    ``"ignore"`` to leave the column unread."""

    @property
    def globs(self) -> tuple[str, ...]:
        """The entry's globs."""
        return (self.files,) if isinstance(self.files, str) else self.files

    @property
    def label(self) -> str:
        """``files = "Finance/*RAID*.xlsx"``: how messages name the entry."""
        shown = ", ".join(f'"{g}"' for g in self.globs)
        return f"files = {shown if len(self.globs) == 1 else '[' + shown + ']'}"

    @model_validator(mode="before")
    @classmethod
    def _globs(cls, data: Any) -> Any:
        files = data.get("files") if isinstance(data, dict) else None
        good = isinstance(files, str) or (
            isinstance(files, list | tuple) and all(isinstance(g, str) for g in files)
        )
        if files is not None and not good:
            got = json.dumps(files, default=str)[:40]
            raise ValueError(f"files must be a glob (text) or a list of globs, got {got}")
        return data

    @model_validator(mode="after")
    def _known(self) -> Self:
        from addin.core.kinds import KINDS, kind, table_kinds

        def bad(what: str) -> ValueError:
            return ValueError(f"({self.label}) {what}")

        if not self.globs or any(not g.strip() for g in self.globs):
            raise bad('files must name at least one glob, e.g. "Finance/*.xlsx"')
        for sheet, target in self.sheets.items():
            if kind_key(target) is None:
                words = [k.key for k in KINDS]
                raise bad(
                    f'sheets."{sheet}" = "{target}" is not a kind; expected {_choices(words)}'
                )
        for sheet, row in self.header_rows.items():
            if not 1 <= row <= _MAX_ROW:
                raise bad(f'header_rows."{sheet}" = {row} is not a row (1 to {_MAX_ROW:,})')
        tables = [k.key for k in table_kinds()]
        for key, headers in self.columns.items():
            found = kind_key(key)
            if found is None or found not in tables:
                raise bad(f"columns.{key} is not a table kind; expected {', '.join(tables)}")
            for header, target in headers.items():
                if field_name(found, target) is None:
                    known = [f.header for f in kind(found).fields]
                    raise bad(
                        f'columns.{key}."{header}" = "{target}" is not a {found} field; '
                        f"expected {_choices(known)}"
                    )
        return self
