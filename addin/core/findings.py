"""Findings are data: what is wrong, where (file, sheet, cell), under which rule.

A :class:`Finding` counts rows and columns from 0 inside and converts to A1 only
at the edge (:attr:`Finding.cell`, :meth:`Finding.to_dict`). A
:class:`FileReport` collects the findings of one workbook with its status; a
:class:`Report` collects many files. Nothing here raises on a bad tracker.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from addin.core.cells import a1, column_letter
from addin.core.chunked import Chunked
from addin.core.quick_state import quick_state
from addin.core.rule_ids import RuleId
from addin.core.severity import Severity as Severity  # re-exported: findings carry one
from addin.core.shared_values import ValuePool
from addin.core.words import counted, one_line, printable


class FileStatus(StrEnum):
    """The outcome of reading one file.

    ``skipped`` is a file ``pmo`` wrote itself (a portfolio, a dashboard; in a folder
    scan also an annotated copy or a backup): left out on purpose, with the reason, and
    never a finding (see :mod:`addin.core.ours`).
    """

    VALID = "valid"
    INVALID = "invalid"
    UNREADABLE = "unreadable"
    NOT_A_TRACKER = "not_a_tracker"
    SKIPPED = "skipped"

    @property
    def read_as_tracker(self) -> bool:
        """True when the file was read as a tracker (valid or not)."""
        return self in (FileStatus.VALID, FileStatus.INVALID)


def display_value(value: Any) -> str:
    """Render a cell value for a message or the JSON ``value`` field (dates ISO, no ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "..."


class Finding(NamedTuple):
    """One problem in one place.

    A named tuple, immutable: a messy portfolio holds hundreds of thousands, made in the
    workers and unpickled in the run's process (from the workers, and from the cache on
    every re-run). A tuple is made and unpickled by the interpreter itself; a frozen
    dataclass took a Python call a finding to unpickle and nine to make (1,000 messy
    trackers' findings unpickled: 0.27 -> 0.14 s).

    Attributes:
        rule: Stable rule id, e.g. ``task.finish_before_start`` (see :mod:`addin.core.rules`).
        severity: ``error`` or ``warning`` (after any re-levelling in settings).
        message: What is wrong, in PMO words.
        file: The workbook's path as given to the reader.
        sheet: The sheet's real name in that workbook ("" for file-level findings).
        row: 0-based row index, or None when the finding is about a sheet or file.
        col: 0-based column index, or None.
        field: The spec field's canonical header ("" when none).
        value: The value seen, as text ("" when none).
    """

    rule: str
    severity: Severity
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    col: int | None = None
    field: str = ""
    value: str = ""

    @property
    def cell(self) -> str:
        """The A1 reference (``F17``), or "" when the finding has no single cell."""
        if self.row is None or self.col is None:
            return ""
        return a1(self.row, self.col)

    @property
    def excel_row(self) -> int | None:
        """The row number as Excel shows it (1-based)."""
        return None if self.row is None else self.row + 1

    @property
    def column(self) -> str:
        """The column letters (``F``), or ""."""
        return "" if self.col is None else column_letter(self.col)

    @property
    def location(self) -> str:
        """``Sheet!F17``, ``Sheet`` or "" (the file) for display."""
        if not self.sheet:
            return ""
        sheet = one_line(self.sheet)  # a sheet name may hold a line break
        return f"{sheet}!{self.cell}" if self.cell else sheet

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of one finding (see ``pmo validate --format json``)."""
        return {
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.excel_row,
            "column": self.column,
            "field": self.field,
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "value": self.value,
        }


@quick_state
@dataclass(frozen=True, slots=True)
class TableInfo:
    """Where one spec table was found in a workbook."""

    sheet: str
    header_row: int
    rows: int
    columns: dict[str, str] = field(default_factory=dict)
    extra_columns: tuple[str, ...] = ()
    parts: tuple[TableInfo, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``header_row`` is 1-based as Excel shows it; columns map header -> letter.

        A kind fed by several sheets describes its first sheet, counts the rows of all,
        and lists each sheet under ``sheets``.
        """
        out: dict[str, Any] = {
            "sheet": self.sheet,
            "header_row": self.header_row + 1,
            "rows": self.rows,
            "columns": dict(self.columns),
            "extra_columns": list(self.extra_columns),
        }
        if self.parts:
            out["sheets"] = [p.to_dict() for p in self.parts]
        return out


_SEVERITY = operator.attrgetter("severity")


def errors_in(findings: Iterable[Finding]) -> int:
    """How many of ``findings`` are errors (counted in C: a messy run holds 230,000)."""
    return operator.countOf(severities(findings), Severity.ERROR)


def severities(findings: Iterable[Finding]) -> Iterable[Severity]:
    """The severity of each of ``findings``, in order.

    Findings held packed (:class:`~addin.core.packed_findings.PackedFindings`, alone or
    as the chunks of a :class:`~addin.core.chunked.Chunked`) give their severities
    without making each finding again.
    """
    if isinstance(findings, Chunked):
        return itertools.chain.from_iterable(map(severities, findings.chunks))
    packed = getattr(type(findings), "severities", None)  # (packed_findings imports this module)
    if packed is not None:
        values: list[Severity] = packed(findings)
        return values
    return map(_SEVERITY, findings)


@quick_state
@dataclass(slots=True)
class FileReport:
    """Everything validation says about one file."""

    file: str
    status: FileStatus = FileStatus.VALID
    reason: str = ""
    tables: dict[str, TableInfo] = field(default_factory=dict)
    findings: Sequence[Finding] = field(default_factory=list)
    project_id: str = ""
    #: The project's name (the Project block's, else inferred: ``identity.inferred``).
    project_name: str = ""
    #: What ``pmo`` output this file says it is by content (see :mod:`addin.core.ours`), or "".
    pmo_output: str = ""
    #: (file name, SHA-256) of the tracker ``pmo adopt`` made this one from, or None.
    adopted_from: tuple[str, str] | None = None
    #: Where in :attr:`findings` (ascending) stand those the run added to the file's own
    #: (a stale Status Date, a Project ID claimed twice): see ``engine.pipeline.finish``.
    added_at: tuple[int, ...] = field(default=(), compare=False)

    @property
    def errors(self) -> int:
        """Number of error-severity findings."""
        return errors_in(self.findings)

    @property
    def warnings(self) -> int:
        """Number of warning-severity findings."""
        return operator.countOf(severities(self.findings), Severity.WARNING)

    def settle(self) -> None:
        """Set :attr:`status` and :attr:`reason` from the findings, when still ``valid``.

        An error makes the file ``invalid`` and the reason names the first one; a valid
        file with a sheet cut at the row or column limit keeps a reason saying so.
        """
        if self.status is not FileStatus.VALID:
            return
        errors = self.errors  # counted once: a messy tracker holds hundreds of findings
        if errors:
            self.status = FileStatus.INVALID
            first = self.findings[operator.indexOf(severities(self.findings), Severity.ERROR)]
            where = f"{first.location}: " if first.location else ""
            self.reason = f"{counted(errors, 'error')}; first: {where}{first.message}"
            if errors == 1:
                self.reason = f"1 error: {where}{first.message}"
        else:  # valid, but not all of it was read: the Load Log says so
            cut = next((f for f in self.findings if f.rule == RuleId.SHEET_TRUNCATED), None)
            if cut is not None:
                self.reason = f"partly read: {cut.location}: {cut.message}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of one file (see ``pmo validate --format json``)."""
        return {
            "file": printable(self.file),
            "status": str(self.status),
            "reason": printable(self.reason),
            "project_id": self.project_id,
            "project_name": self.project_name,
            "tables": {key: info.to_dict() for key, info in self.tables.items()},
            "findings": [f.to_dict() for f in self.findings],
        }


@quick_state
@dataclass(slots=True)
class Report:
    """The findings of many files."""

    files: list[FileReport] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Error-severity findings over all files."""
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        """Warning-severity findings over all files."""
        return sum(f.warnings for f in self.files)

    def count(self, status: FileStatus) -> int:
        """Number of files with ``status``."""
        return sum(1 for f in self.files if f.status is status)

    def summary(self) -> dict[str, int]:
        """Counts of files by status and of findings by severity."""
        return {
            "files": len(self.files),
            "valid": self.count(FileStatus.VALID),
            "invalid": self.count(FileStatus.INVALID),
            "unreadable": self.count(FileStatus.UNREADABLE),
            "not_a_tracker": self.count(FileStatus.NOT_A_TRACKER),
            "skipped": self.count(FileStatus.SKIPPED),
            "errors": self.errors,
            "warnings": self.warnings,
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``pmo validate --format json``."""
        return {"files": [f.to_dict() for f in self.files], "summary": self.summary()}


def _scan_order(sheet_order: Sequence[str]) -> Callable[[Finding], tuple[Any, ...]]:
    """The key :func:`sort_findings` orders by, for a workbook of sheets ``sheet_order``."""
    order = {name: i for i, name in enumerate(sheet_order)}

    def key(f: Finding) -> tuple[Any, ...]:
        return (
            f.file,
            f.sheet != "",
            order.get(f.sheet, len(order)),
            f.sheet,
            -1 if f.row is None else f.row,
            -1 if f.col is None else f.col,
            f.rule,
        )

    return key


#: The fields of a :class:`Finding` that are texts made per finding (message and value).
_REPEATED_TEXTS = (Finding._fields.index("message"), Finding._fields.index("value"))


def sort_findings(findings: Iterable[Finding], sheet_order: Sequence[str] = ()) -> list[Finding]:
    """Order findings as a reader scans a workbook: file, sheet, row, column, rule."""
    return sorted(findings, key=_scan_order(sheet_order))


def held_once(findings: Sequence[Finding], pool: ValuePool | None = None) -> Sequence[Finding]:
    """The same findings, in order, with equal messages (and equal values) held by one string.

    A check formats a message for each cell it flags, so a tracker's findings repeat a
    few texts as many strings: the 239 findings of a messy bench tracker hold 41 messages
    and 40 values in 239 and 87 strings. Held once, each text is pickled once (to the
    run, into the cache: 41 -> 28 KB an entry), unpickled once and kept once in the
    run's memory. Rebuilt column-wise, without a Python call a finding.

    Without ``pool``, within these findings (a tracker's, in its worker, before they are
    pickled). With one, across a large run's trackers, in the run's process: each text
    becomes the first equal one ``pool`` has seen (:class:`~addin.core.shared_values.ValuePool`,
    which stops pooling texts that hardly repeat); the findings are given back as they
    are when nothing was shared.
    """
    if not findings or (pool is None and len(findings) < 2):
        return findings
    columns: list[Sequence[Any]] = list(zip(*findings, strict=True))
    if pool is None:
        texts: dict[str, str] = {}
        share = texts.setdefault
        try:
            for at in _REPEATED_TEXTS:
                columns[at] = tuple(map(share, columns[at], columns[at]))
        except TypeError:  # a value that is no text (and cannot be a key): left as it is
            return findings
    else:
        changed = False
        for at in _REPEATED_TEXTS:
            held = list(columns[at])
            pool.share(("#finding", at), held)
            changed = changed or not all(map(operator.is_, held, columns[at]))
            columns[at] = held
        if not changed:
            return findings
    return list(map(tuple.__new__, itertools.repeat(Finding), zip(*columns, strict=True)))


def merge_findings(
    ordered: Sequence[Finding], added: Iterable[Finding], sheet_order: Sequence[str] = ()
) -> list[Finding]:
    """``sort_findings([*ordered, *added])`` for findings ``ordered`` already sorted so.

    Each added finding is set in where the sort would put it (after every finding of
    the same key, as the sort is stable), so a tracker's hundreds of findings, sorted
    once where they were found, are not sorted again for the few a run adds.
    """
    out = list(ordered)
    for f in sort_findings(added, sheet_order):
        out.insert(place_of(out, f, sheet_order), f)
    return out


def place_of(ordered: Sequence[Finding], probe: Finding, sheet_order: Sequence[str] = ()) -> int:
    """Where sorting sets ``probe`` among ``ordered`` (sorted): how many stay before it."""
    key = _scan_order(sheet_order)
    return bisect.bisect_right(ordered, key(probe), key=key)
