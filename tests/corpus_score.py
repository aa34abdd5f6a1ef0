"""Score what the reader recognises in the real corpus against the human ground truth.

The measures are those issue 12 is judged on: the tracker / not-a-tracker decision, each
table's sheet + header row + row count, each column's field, and the project's identity.
:func:`observe` turns today's reader output into the same shape as the truth
(:mod:`tests.corpus_truth`); a reader that reports more (several tables of one kind, new
kinds) only needs a new ``observe`` to be scored the same way.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from addin.core.cells import column_index, column_letter
from addin.core.findings import FileStatus
from addin.core.settings import Settings
from addin.engine.validate import read_and_check
from tests.corpus_truth import Column, FileTruth, Table

AS_OF = dt.date(2026, 11, 25)


class Observed(NamedTuple):
    """What a reader made of one file, in the truth's shape (``header`` texts may be blank)."""

    is_tracker: bool
    identity: str | None
    tables: tuple[Table, ...]


def observe(path: Path, settings: Settings | None = None) -> Observed:
    """Read one workbook with today's reader and describe the result like the truth."""
    result, report = read_and_check(path, settings or Settings(), as_of=AS_OF)
    tables = tuple(
        Table(
            kind,
            part.sheet,
            part.header_row + 1,
            part.rows,
            0,
            0,
            _columns(part.columns),
        )
        for kind, info in report.tables.items()
        for part in (info.parts or (info,))
    )
    name = result.tracker.project.project_name
    tracker = report.status not in (FileStatus.NOT_A_TRACKER, FileStatus.UNREADABLE)
    return Observed(tracker, name if name and name.strip() else None, tables)


def _letters(ref: str) -> list[str]:
    """The column letters of a reference: ``D`` -> [D]; a wide plan's span ``D:K`` -> [D .. K]."""
    first, _, last = ref.partition(":")
    if not last or not (first.isalpha() and last.isalpha()):
        return [ref]
    a, b = column_index(first), column_index(last)
    return [column_letter(c) for c in range(a, b + 1)] if a <= b else [ref]


def _columns(columns: Mapping[str, str]) -> tuple[Column, ...]:
    """The reader's columns in the truth's shape, one per letter.

    A wide plan reports its period columns as one span (``Period: D:K``) that may also hold
    its amounts (``Planned: D:K``); the truth names each such column by what its header
    holds, a period, so there Period wins.
    """
    out: dict[str, str] = {}
    for name, ref in columns.items():
        for letter in _letters(ref):
            if out.get(letter) != "Period":
                out[letter] = name
    return tuple(Column(ref, "", name) for ref, name in out.items())


def fold(text: str) -> str:
    """Letters and digits only, case-folded: how two spellings of one name are compared."""
    norm = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in norm if ch.isalnum())


def identity_right(truth: FileTruth, name: str | None, stem: str) -> bool:
    """True when the reader's project name is the one a human states (or, failing a name in
    the file, one derived from the file name)."""
    if not name or not fold(name):
        return False
    if truth.identity_source == "filename":
        return fold(name) in fold(stem)
    wanted = {fold(n) for n in (truth.identity or "", *truth.also_named) if n}
    return fold(name) in wanted


def _pair(truth: Iterable[Table], seen: Iterable[Table]) -> list[tuple[Table, Table | None]]:
    """Pair each truth table with at most one observed table of the same kind and sheet:
    a header inside the truth's band first, else the nearest header row."""
    free = list(seen)
    pairs: list[tuple[Table, Table | None]] = []
    for t in truth:
        same = [o for o in free if o.kind == t.kind and o.sheet == t.sheet]
        same.sort(
            key=lambda o: (o.header_row not in t.header_band, abs(o.header_row - t.header_row))
        )
        hit = same[0] if same else None
        if hit is not None:
            free.remove(hit)
        pairs.append((t, hit))
    return pairs


@dataclass
class Score:
    """Counts behind the four measures, plus what went wrong where (for issue 12)."""

    files: int = 0
    decisions_right: int = 0
    tables: int = 0
    tables_right: int = 0
    columns: int = 0
    columns_right: int = 0
    trackers: int = 0
    without_identity: int = 0
    identity_right: int = 0
    false_tables: int = 0
    misses: list[str] = field(default_factory=list)

    @staticmethod
    def _pct(n: int, d: int) -> float:
        return round(100.0 * n / d, 1) if d else 100.0

    @property
    def decisions_pct(self) -> float:
        """Files whose tracker / not-a-tracker decision is right, in %."""
        return self._pct(self.decisions_right, self.files)

    @property
    def tables_pct(self) -> float:
        """Truth tables found on the right sheet, header row and row count, in %."""
        return self._pct(self.tables_right, self.tables)

    @property
    def columns_pct(self) -> float:
        """Columns whose field is right (a column mapped that a human leaves unmapped is a
        miss too), in %."""
        return self._pct(self.columns_right, self.columns)

    def summary(self) -> str:
        """One line with every measure."""
        return (
            f"decisions {self.decisions_right}/{self.files} ({self.decisions_pct} %), "
            f"tables {self.tables_right}/{self.tables} ({self.tables_pct} %), "
            f"columns {self.columns_right}/{self.columns} ({self.columns_pct} %), "
            f"trackers without identity {self.without_identity}/{self.trackers}, "
            f"identity right {self.identity_right}/{self.trackers}, "
            f"tables a human would not take {self.false_tables}"
        )


def _score_columns(t: Table, o: Table | None) -> tuple[int, int, list[str]]:
    want = {c.ref: c.field for c in t.columns if c.field}
    got = {c.ref: c.field for c in o.columns if c.field} if o is not None else {}
    units = sorted(set(want) | set(got))
    right = [r for r in units if want.get(r) == got.get(r)]
    wrong = [f"{r} read as {got.get(r)}, is {want.get(r)}" for r in units if r not in right]
    return len(units), len(right), wrong


def score(truth: Mapping[str, FileTruth], observed: Mapping[str, Observed]) -> Score:
    """Score observed reader results against the truth, file by file (same keys)."""
    s = Score()
    for name in sorted(truth):
        t, o = truth[name], observed[name]
        s.files += 1
        if t.is_tracker == o.is_tracker:
            s.decisions_right += 1
        else:
            said = "a tracker" if o.is_tracker else "not a tracker"
            s.misses.append(f"{name}: read as {said}, a human says the opposite")
        pairs = _pair(t.tables, o.tables)
        taken = {id(p) for _, p in pairs if p is not None}
        for tt, ot in pairs:
            s.tables += 1
            where = f"{name}: {tt.kind} '{tt.sheet}'!{tt.header_row}"
            if ot is not None and ot.header_row in tt.header_band and ot.rows == tt.rows:
                s.tables_right += 1
            elif ot is None:
                s.misses.append(f"{where} not found")
            else:
                s.misses.append(
                    f"{where} read at row {ot.header_row} with {ot.rows} rows for {tt.rows}"
                )
            units, right, wrong = _score_columns(tt, ot)
            s.columns += units
            s.columns_right += right
            if wrong and ot is not None:
                s.misses.append(f"{where} columns: " + "; ".join(wrong))
        for ot in o.tables:
            if id(ot) not in taken:
                s.false_tables += 1
                s.misses.append(f"{name}: {ot.kind} '{ot.sheet}'!{ot.header_row} not a table")
        if t.is_tracker:
            s.trackers += 1
            if not o.identity:
                s.without_identity += 1
            if identity_right(t, o.identity, Path(name).stem):
                s.identity_right += 1
            elif o.identity:
                s.misses.append(f"{name}: named {o.identity!r} for {t.identity!r}")
    return s
