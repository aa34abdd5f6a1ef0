"""What a sheet kind is: its fields, how it is laid out, how its sheets are recognised.

A tracker is made of *sheet kinds* (Project, Tasks, Milestones, Budget, RAID ...).
Each kind is declared once, in its own module of this package, as a record class
whose fields carry a :class:`Field` in their ``Annotated`` metadata, plus a
:class:`SheetKind` that says how the kind is laid out in a workbook and how its
sheets and header rows are recognised. The template, the reader, the checks, the
portfolio and the database are all built from these declarations; none of them
lists the kinds itself (see :mod:`addin.core.kinds`).
"""

from __future__ import annotations

import dataclasses
import inspect
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar


class ValueType(StrEnum):
    """How a field's cell values are read, checked and written."""

    TEXT = "text"
    DATE = "date"
    NUMBER = "number"
    PERCENT = "percent"
    INTEGER = "integer"
    CHOICE = "choice"


class Layout(StrEnum):
    """How a kind's data sits on a sheet."""

    #: Labels beside values (the Project block).
    KEYVALUE = "keyvalue"
    #: One header row, one record per row below it.
    TABLE = "table"
    #: One row per person or role, one column per period (a resource plan).
    MATRIX = "matrix"


@dataclass(frozen=True)
class Field:
    """What the spec says about one field: header, synonyms, type, requirement, bounds.

    Attributes:
        header: Canonical header (on the Project sheet: the label) as the template writes it.
        type: How values are coerced, checked and formatted.
        required: True when the spec requires the field unconditionally.
        synonyms: Other headers real trackers use for it (matched case- and space-insensitively).
        choices: For ``ValueType.CHOICE``, the key of its allowed values in the settings.
        width: Column width in the template and the portfolio, in characters.
        note: One line of guidance shown as the template's input message.
        ge: Inclusive lower bound of a number, or None.
        le: Inclusive upper bound of a number, or None.
        since: Tracker spec version that introduced the field (the template writes only the
            fields of its own version).
        fraction: For ``ValueType.PERCENT``, a share whose bare numbers are fractions as
            written (an FTE: ``0.5``, ``3`` = 300 %), never read as percents (``50``).
        weak: Headers (among the synonyms or not) that name the field only when no stronger
            header in the same row does: ``Description`` is a task's name unless a ``Task``
            column is there too.
        unit: For a number of days (``days``): text such as ``8 wks`` or ``3 d`` is read too.
        name: The record attribute (filled in by :func:`fields_of`).
    """

    header: str
    type: ValueType = ValueType.TEXT
    required: bool = False
    synonyms: tuple[str, ...] = ()
    choices: str | None = None
    width: int = 14
    note: str = ""
    ge: float | None = None
    le: float | None = None
    since: str = "1.0"
    fraction: bool = False
    weak: tuple[str, ...] = ()
    unit: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """Common base of the records of every kind: where the record was read.

    Attributes:
        row: 0-based sheet row of the record (None when built in code, or for a key/value kind).
        sheet: The real name of the sheet it was read from ("" when built in code).
        extra: Pass-through columns the spec does not name: header text -> value.
    """

    #: Key of the kind this record belongs to (``Tasks``, ``RAID`` ...).
    kind: ClassVar[str] = ""

    row: int | None = None
    sheet: str = ""
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def data(self, *, exclude: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
        """The record's spec fields and values (not where it was read), in declaration order."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if f.name not in RECORD_META and f.name not in exclude
        }


#: Attributes every record has that are not spec fields.
RECORD_META = ("row", "sheet", "extra")


def fields_of(record: type[Record]) -> tuple[Field, ...]:
    """The spec fields of a record class, in declaration order, each knowing its name."""
    hints = _field_annotations(record)
    out: list[Field] = []
    for f in dataclasses.fields(record):
        if f.name in RECORD_META:
            continue
        meta = [m for m in getattr(hints[f.name], "__metadata__", ()) if isinstance(m, Field)]
        if len(meta) != 1:
            raise TypeError(f"{record.__name__}.{f.name} needs exactly one Field in Annotated[...]")
        out.append(dataclasses.replace(meta[0], name=f.name))
    return tuple(out)


def _field_annotations(record: type[Record]) -> dict[str, Any]:
    """Each field's annotation as an object: as declared, or evaluated when it is text.

    The kind modules keep their annotations as objects (they do not import ``annotations``
    from ``__future__``), so a kind's fields are read without evaluating any text: that
    took ``typing.get_type_hints`` 7 ms on a process's first tracker, 100 ``eval`` calls.
    A record class whose annotations are text is evaluated as before.
    """
    found: dict[str, Any] = {}
    for klass in reversed(record.__mro__):
        found.update(inspect.get_annotations(klass))
    names = [f.name for f in dataclasses.fields(record) if f.name not in RECORD_META]
    if any(isinstance(found.get(name), str) for name in names):
        return typing.get_type_hints(record, include_extras=True)
    return found


@dataclass(frozen=True)
class Anchor:
    """The fields that identify a kind's header row: the anchor and one of the others.

    A header row is the kind's when it names the anchor and one of :attr:`others`; or the
    anchor by one of its own (not weak) headers and one of :attr:`common`; or, on a sheet
    named for the kind or in a row whose headers say the kind (``Risk Owner``), the anchor
    and any of them. So ``Description | Owner | Status`` alone is no RAID log: a task list
    says as much.

    Attributes:
        field: The field that must be found (a task name, a milestone, a period, a title).
        others: Fields only this kind has (a task's dates, a risk's probability).
        words: The pair in words, for messages ("a task name and a date").
        common: Fields several kinds share (owner, status, an ID).
    """

    field: str
    others: frozenset[str]
    words: str
    common: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Matrix:
    """How a kind may also be laid out as a matrix (:attr:`Layout.MATRIX`): a wide plan.

    One row per person (or role), a few key columns at its left, then one column per
    period; each filled period cell is one record.

    Attributes:
        keys: The fields of the key columns (person, role, team); one of ``anchors`` must
            be found in the header row.
        anchors: The key fields that identify a matrix header row (a person or a role).
        period: The field that receives each column's period (its first day).
        values: Unit -> the field a period cell's value goes to (``days`` -> ``planned``,
            ``FTE`` -> ``fte``); hours are turned into days.
        unit_words: Folded word -> unit, looked for in the header row and the title rows
            above it (``fte``, ``%``, ``hours``, ``days``).
        total_words: Folded key texts of rows that are totals, not records.
        measure_words: Folded key texts that name a measure, not a person or role (a
            transposed series: ``Planned``, ``Actual``, ``Requested``).
        name_stems: Parts of a sheet name that say it holds such a plan (``resourc``,
            ``allocation``), beyond the kind's own sheet names.
    """

    keys: tuple[str, ...]
    anchors: frozenset[str]
    period: str
    values: Mapping[str, str]
    unit_words: Mapping[str, str] = dataclasses.field(default_factory=dict)
    total_words: frozenset[str] = frozenset()
    measure_words: frozenset[str] = frozenset()
    name_stems: tuple[str, ...] = ()


@dataclass(frozen=True)
class SheetKind:
    """One kind of sheet in a tracker, declared once.

    Attributes:
        key: The kind's key and canonical sheet name (``Tasks``).
        record: Its record class; the fields come from it (:func:`fields_of`).
        layout: How its data sits on a sheet.
        sheet_names: Other sheet names it is known by (matched like headers).
        anchor: What identifies its header row (table and matrix layouts).
        several: True when several sheets may feed it (every RAID sheet, one plan per workstream).
        type_field: The field whose value a sheet's name supplies when the column is absent
            (RAID Type from a ``Risks`` sheet).
        type_words: Folded sheet-name word -> the value it supplies (``risks`` -> ``Risk``).
        closed_words: Sheet-name words that mark every row of the sheet as closed.
        status_field: The field set to ``closed_value`` on such sheets.
        closed_value: The status of rows on a "Closed ..." sheet.
        sheet_field: The field that receives the sheet's name when several sheets feed the kind
            (Tasks' Workstream).
        required: True when a tracker must have this kind (v1's five); v1.1 kinds are optional.
        portfolio: The portfolio sheet its rows go to ("" for the Project block, which becomes
            the Projects sheet).
        since: Tracker spec version that introduced the kind.
        purpose: One line for the template's Instructions: what the sheet is for.
        template_rows: Blank rows the template's table is pre-sized to (a table on a
            protected sheet cannot grow).
        rule_prefix: The prefix of the kind's own rule ids (``task.``), for the Instructions.
        matrix: When the kind may also be laid out as a matrix (a wide resource plan), how.
    """

    key: str
    record: type[Record]
    layout: Layout
    sheet_names: tuple[str, ...] = ()
    anchor: Anchor | None = None
    several: bool = False
    type_field: str | None = None
    type_words: Mapping[str, str] = dataclasses.field(default_factory=dict)
    closed_words: tuple[str, ...] = ()
    status_field: str | None = None
    closed_value: str | None = None
    sheet_field: str | None = None
    required: bool = True
    portfolio: str = ""
    since: str = "1.0"
    purpose: str = ""
    template_rows: int = 1
    rule_prefix: str = ""
    matrix: Matrix | None = None

    @property
    def fields(self) -> tuple[Field, ...]:
        """The spec fields in template order."""
        return _fields(self.record)

    def field(self, name: str) -> Field:
        """The field called ``name`` (its record attribute)."""
        by_name = _BY_NAME.get(self.record)
        if by_name is None:
            by_name = _BY_NAME[self.record] = {f.name: f for f in self.fields}
        try:
            return by_name[name]
        except KeyError:
            raise KeyError(f"{self.key} has no field {name!r}") from None

    @property
    def headers(self) -> tuple[str, ...]:
        """Canonical headers in template order."""
        return tuple(f.header for f in self.fields)


_FIELDS: dict[type[Record], tuple[Field, ...]] = {}
_BY_NAME: dict[type[Record], dict[str, Field]] = {}


def _fields(record: type[Record]) -> tuple[Field, ...]:
    found = _FIELDS.get(record)
    if found is None:
        found = _FIELDS[record] = fields_of(record)
    return found


def normalise(text: object) -> str:
    """Fold a header, label or sheet name for matching: case, spacing, ``_``, trailing ``:*.``."""
    # split() and join() fold whitespace runs as a regex \s+ would (both use str.isspace).
    s = " ".join(str(text).replace("_", " ").split()).casefold()
    return s.rstrip(":*. ").strip()
