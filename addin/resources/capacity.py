"""Read the PMO's capacity list (``--capacity FILE`` / ``[resources] capacity``).

The file goes through the reader's safety layer like any tracker. Its ``Capacity``
sheet (or the first sheet whose header row names a Person column) lists the people;
a ``Holidays`` sheet, when there is one, the days nobody works. A file that cannot be
read, or holds no Capacity table, is a :class:`~addin.core.errors.ConfigError` with one
line; a bad value in a row (an FTE of 300 %, a date that is not one) is a finding at
its cell, and the row takes the default (full time, no end) so the run goes on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from addin.core.capacity import CAPACITY, HOLIDAYS
from addin.core.errors import ConfigError, UnreadableFileError
from addin.core.findings import Finding
from addin.core.kinds import SheetKind, normalise
from addin.core.rules import RuleBook
from addin.core.settings import Settings
from addin.read import Grid, Workbook
from addin.read.fields import Context, type_columns
from addin.resources.names import name_key


@dataclass(frozen=True)
class Member:
    """One person of the capacity list, with the defaults applied."""

    name: str
    role: str | None = None
    team: str | None = None
    fte: float = 1.0
    start: dt.date | None = None
    end: dt.date | None = None
    non_project: float = 0.0
    row: int | None = None

    @property
    def key(self) -> str:
        """The folded name that identifies the person."""
        return name_key(self.name)


@dataclass(frozen=True)
class CapacityList:
    """The PMO's capacity list: people, holidays, and what was wrong in the file.

    Attributes:
        path: The file it was read from ("" when built in code).
        people: Every person, in the file's order (the first row wins for a name listed twice).
        holidays: Days nobody works.
        findings: Bad values met while reading, each at its cell.
    """

    path: str = ""
    people: tuple[Member, ...] = ()
    holidays: tuple[dt.date, ...] = ()
    findings: tuple[Finding, ...] = ()
    by_key: Mapping[str, Member] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, Member] = {}
        for m in self.people:
            index.setdefault(m.key, m)
        object.__setattr__(self, "by_key", index)


def _find_header(grid: Grid, spec: SheetKind, scan: int) -> tuple[int, dict[str, int]] | None:
    """The first row naming the kind's anchor and one other field: (row, field -> column)."""
    names: dict[str, str] = {}
    for f in spec.fields:
        names.setdefault(normalise(f.header), f.name)
    for f in spec.fields:
        for synonym in f.synonyms:
            names.setdefault(normalise(synonym), f.name)
    assert spec.anchor is not None
    for i, row in enumerate(grid.rows[:scan]):
        found: dict[str, int] = {}
        for j, v in enumerate(row):
            name = names.get(normalise(v)) if isinstance(v, str) and v.strip() else None
            if name is not None and name not in found:
                found[name] = grid.left + j
        if spec.anchor.field in found and (found.keys() & spec.anchor.others or len(found) > 1):
            return grid.top + i, found
    return None


def _table(
    ctx: Context, grid: Grid, spec: SheetKind, header: tuple[int, dict[str, int]]
) -> tuple[dict[str, list[Any]], list[int]]:
    row, cols = header
    anchor = cols[spec.anchor.field] if spec.anchor else min(cols.values())
    rows: list[int] = []
    raw: dict[str, list[Any]] = {name: [] for name in cols}
    for i in range(row - grid.top + 1, len(grid.rows)):
        r = grid.top + i
        if all(grid.value(r, c) in ("", None) for c in cols.values()):
            continue
        if grid.value(r, anchor) in ("", None):
            continue
        rows.append(r)
        for name, c in cols.items():
            raw[name].append(grid.value(r, c))
    typed = type_columns(ctx, spec, raw, grid.name, lambda name, i: (rows[i], cols[name]))
    return typed, rows


def _sheet(
    book: Workbook, spec: SheetKind, scan: int
) -> tuple[Grid, tuple[int, dict[str, int]]] | None:
    names = sorted(book.worksheets, key=lambda n: normalise(n) != normalise(spec.key))
    for name in names:
        grid = book.grid(name)
        header = _find_header(grid, spec, scan)
        if header is not None:
            return grid, header
    return None


def members(columns: Mapping[str, Sequence[Any]], rows: Sequence[int | None]) -> list[Member]:
    """People from typed Capacity columns (defaults for blank or refused values)."""

    def col(name: str) -> Sequence[Any]:
        return columns.get(name) or [None] * len(rows)

    out: list[Member] = []
    for person, role, team, fte, start, end, np, row in zip(
        col("person"),
        col("role"),
        col("team"),
        col("fte"),
        col("start"),
        col("end"),
        col("non_project"),
        rows,
        strict=True,
    ):
        if not person:
            continue
        out.append(
            Member(
                str(person),
                role,
                team,
                1.0 if fte is None else float(fte),
                start,
                end,
                0.0 if np is None else float(np),
                row,
            )
        )
    return out


def read_capacity(path: Path, settings: Settings) -> CapacityList:
    """Read a capacity list workbook (see the module docstring).

    Raises:
        ConfigError: the file cannot be read, or has no Capacity table (one line).
    """
    ctx = Context(str(path), settings, RuleBook(dict(settings.rules)))
    scan = settings.reader.header_scan_rows
    try:
        with Workbook(path, settings.limits) as book:
            found = _sheet(book, CAPACITY, scan)
            if found is None:
                raise ConfigError(
                    f"capacity list {path}: no sheet with a Person column in its first {scan} "
                    "rows (make one with `pmo new-capacity`)"
                )
            columns, rows = _table(ctx, found[0], CAPACITY, found[1])
            holidays: list[dt.date] = []
            if any(normalise(n) == "holidays" for n in book.worksheets):
                days = _sheet(book, HOLIDAYS, scan)
                if days is not None:
                    typed, _ = _table(ctx, days[0], HOLIDAYS, days[1])
                    holidays = [d for d in typed.get("date", []) if d is not None]
    except UnreadableFileError as exc:
        raise ConfigError(f"capacity list {path}: {exc.reason}") from None
    people = members(columns, rows)
    if not people:
        raise ConfigError(f"capacity list {path}: the Capacity table lists nobody")
    return CapacityList(str(path), tuple(people), tuple(sorted(set(holidays))), tuple(ctx.findings))


def unknown_file(path: Path) -> str:
    """The one line for a capacity list that does not exist."""
    return f"capacity list {path}: file not found (make one with `pmo new-capacity {path}`)"
