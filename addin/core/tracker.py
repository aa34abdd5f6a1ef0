"""One project's tracker as data: the Project block and a columnar table per kind.

A :class:`Table` holds the rows of one kind as typed columns (field name -> values),
with each row's sheet and 0-based sheet row, because the engine works a column at a
time: coercion, checks, metrics and the portfolio writer all walk columns. Records
(:class:`~addin.core.kinds.spec.Record`) are built from a table only where code wants
one row at a time (templates, samples, tests).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from addin.core.kinds import Project, Record, kind, table_kinds
from addin.core.quick_state import quick_state


@quick_state
@dataclass(slots=True)
class Table:
    """The rows of one kind read from one tracker, as typed columns.

    Attributes:
        kind: The kind's key (``Tasks`` ...).
        columns: Field name -> one value per row, for every field of the kind (None where a
            cell was blank or its column absent).
        rows: 0-based sheet row of each record (None when built in code).
        sheets: The real sheet name of each record ("" when built in code).
        extra: Per record, the pass-through columns (header text -> value); None when the
            sheets had no columns beyond the spec's.
        cols: Per record, the 0-based sheet column of its own cell, for records read from
            a matrix (a wide plan's period cell); None when every record is a row of a
            table (its cell is the table's first column).
    """

    kind: str
    columns: dict[str, Sequence[Any]]
    rows: Sequence[int | None]
    sheets: Sequence[str]
    extra: list[Mapping[str, Any]] | None = None
    cols: list[int | None] | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def col(self, name: str) -> Sequence[Any]:
        """The values of one field, one per row."""
        return self.columns[name]

    @classmethod
    def empty(cls, key: str) -> Table:
        """A table of ``key`` with no rows."""
        return cls(key, {f.name: [] for f in kind(key).fields}, [], [])

    @classmethod
    def of(cls, key: str, records: Iterable[Record]) -> Table:
        """A table made from records (built in code, or read one at a time)."""
        items = list(records)
        names = [f.name for f in kind(key).fields]
        extra = [r.extra for r in items]
        return cls(
            key,
            {name: [getattr(r, name) for r in items] for name in names},
            [r.row for r in items],
            [r.sheet for r in items],
            extra if any(extra) else None,
        )

    def records(self) -> list[Record]:
        """The rows as records of the kind's record class."""
        spec = kind(self.kind)
        names = [f.name for f in spec.fields]
        extras: Iterable[Mapping[str, Any]] = (
            self.extra if self.extra is not None else [{}] * len(self.rows)
        )
        make = spec.record
        return [
            make(row=row, sheet=sheet, extra=dict(extra), **dict(zip(names, values, strict=True)))
            for row, sheet, extra, *values in zip(
                self.rows, self.sheets, extras, *(self.columns[n] for n in names), strict=True
            )
        ]

    def select(self, keep: Sequence[int]) -> Table:
        """A table of the rows at the indexes in ``keep``, in that order."""
        return Table(
            self.kind,
            {name: [values[i] for i in keep] for name, values in self.columns.items()},
            [self.rows[i] for i in keep],
            [self.sheets[i] for i in keep],
            None if self.extra is None else [self.extra[i] for i in keep],
            None if self.cols is None else [self.cols[i] for i in keep],
        )

    @classmethod
    def concat(cls, key: str, parts: Sequence[Table]) -> Table:
        """One table holding the rows of several (sheets of one kind), in order."""
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return cls.empty(key)
        extra: list[Mapping[str, Any]] | None = None
        if any(p.extra is not None for p in parts):
            extra = [e for p in parts for e in (p.extra or [{}] * len(p))]
        cols: list[int | None] | None = None
        if any(p.cols is not None for p in parts):
            cols = [c for p in parts for c in (p.cols or [None] * len(p))]
        return cls(
            key,
            {name: [v for p in parts for v in p.columns[name]] for name in parts[0].columns},
            [r for p in parts for r in p.rows],
            [s for p in parts for s in p.sheets],
            extra,
            cols,
        )


@quick_state
@dataclass(frozen=True, slots=True)
class Tracker:
    """One project's tracker: the Project block and a table per kind it holds.

    Build one from records with :meth:`build`; a kind the tracker lacks reads as an
    empty table.
    """

    project: Project = field(default_factory=Project)
    tables: Mapping[str, Table] = field(default_factory=dict)

    def table(self, key: str) -> Table:
        """The table of a kind (empty when the tracker has none)."""
        found = self.tables.get(key)
        return found if found is not None else Table.empty(key)

    def rows(self, key: str) -> list[Record]:
        """The records of a kind."""
        return self.table(key).records()

    @property
    def tasks(self) -> list[Any]:
        """The Tasks records."""
        return self.rows("Tasks")

    @property
    def milestones(self) -> list[Any]:
        """The Milestones records."""
        return self.rows("Milestones")

    @property
    def budget(self) -> list[Any]:
        """The Budget records."""
        return self.rows("Budget")

    @property
    def raid(self) -> list[Any]:
        """The RAID records."""
        return self.rows("RAID")

    @classmethod
    def build(cls, project: Project | None = None, **records: Iterable[Record]) -> Tracker:
        """A tracker from records, by kind: ``Tracker.build(p, tasks=[...], raid=[...])``.

        Keyword names are the kinds' keys in lower case (``tasks``, ``milestones``,
        ``budget``, ``raid``, and any later kind's key the same way).
        """
        keys = {k.key.lower(): k.key for k in table_kinds()}
        unknown = sorted(set(records) - set(keys))
        if unknown:
            raise TypeError(f"no tracker kind {unknown[0]!r}; expected one of {sorted(keys)}")
        tables = {keys[name]: Table.of(keys[name], rs) for name, rs in records.items()}
        return cls(project or Project(), tables)

    def replace(self, project: Project | None = None, **records: Iterable[Record]) -> Tracker:
        """A copy with the Project block and/or some kinds' records replaced."""
        changed = Tracker.build(self.project if project is None else project, **records)
        return Tracker(changed.project, {**self.tables, **changed.tables})


T = TypeVar("T", bound="Record | Tracker")


def replace(item: T, **changes: Any) -> T:
    """A copy of a record, or of a tracker, with some fields (or kinds' records) changed.

    ``replace(task, owner="Ann")``; ``replace(tracker, tasks=[...], project=p)``.
    """
    if isinstance(item, Tracker):
        project = changes.pop("project", None)
        return item.replace(project, **changes)  # type: ignore[return-value]
    return dataclasses.replace(item, **changes)
