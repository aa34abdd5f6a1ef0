"""Read one workbook into a :class:`~addin.model.Tracker`, keeping every value's cell.

The reader maps what maps and reports what does not. It finds each spec sheet
by name (canonical or synonym) and, failing that, by content; finds the header
row; maps columns; reads data rows up to the last one holding data; coerces
values per field; and checks each record against its model. Every problem is a
:class:`~addin.findings.Finding` that names its sheet and cell. It never raises
for a bad workbook: an unreadable file comes back with status ``unreadable``
and a one-line reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import repeat
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from addin.cells import column_letter
from addin.config import Settings
from addin.errors import UnreadableFileError
from addin.findings import FileStatus, Finding, TableInfo, display_value
from addin.model import (
    Kind,
    PlainType,
    Project,
    Record,
    Tracker,
    build_checked,
    build_checked_many,
    plain_types,
    rejected,
)
from addin.ours import skip_reason
from addin.read import coerce
from addin.read.headers import (
    ANCHORS,
    HeaderIndex,
    HeaderMatch,
    find_header,
    header_indexes,
    is_gantt_header,
)
from addin.read.source import Grid, GridSource, Workbook
from addin.rules import RuleBook
from addin.schema import SheetSpec, normalise, sheet, sheets
from addin.words import one_line

#: Rows scanned for Project labels.
_PROJECT_SCAN_ROWS = 80
#: Columns scanned for Project labels (one-page reports spread them wide).
_PROJECT_SCAN_COLS = 60
#: Labels needed to accept a sheet found by content as the Project block.
_PROJECT_MIN_LABELS = 3
#: Labels needed on a sheet *named* like the Project sheet (one lone match is noise).
_PROJECT_MIN_NAMED = 2


@dataclass(frozen=True)
class TableLayout:
    """Where a table's fields live: sheet, header row and field -> column (0-based)."""

    key: str
    sheet: str
    header_row: int
    columns: Mapping[str, int]

    def where(self, field_name: str, row: int | None) -> tuple[int | None, int | None]:
        """Return the 0-based (row, col) of a field in a record's row (col None if unmapped)."""
        return row, self.columns.get(field_name)


@dataclass(frozen=True)
class ProjectLayout:
    """Where the Project block's values live: field -> (row, col) of its value cell."""

    sheet: str
    cells: Mapping[str, tuple[int, int]]
    key: str = "Project"

    def where(self, field_name: str, row: int | None = None) -> tuple[int | None, int | None]:
        """Return the 0-based (row, col) of a Project value cell, or (None, None)."""
        pos = self.cells.get(field_name)
        return (None, None) if pos is None else pos


Layout = TableLayout | ProjectLayout


@dataclass
class ReadResult:
    """What reading one file produced.

    Attributes:
        file: The path as given.
        status: ``valid`` until validation settles it; ``unreadable`` or ``not_a_tracker``
            when reading failed.
        reason: One line when the status is not valid.
        tracker: The records read (empty when unreadable).
        layouts: Sheet key -> where its fields live, for every sheet found.
        tables: Sheet key -> what was found, for reports.
        findings: Problems met while reading (structure, coercion, model ranges).
        sheet_order: Real sheet names in workbook order.
        pmo_output: What ``pmo`` output the workbook says it is (``portfolio`` ...), or ""
            (see :mod:`addin.ours`); a portfolio or dashboard is ``skipped``, not read.
    """

    file: str
    status: FileStatus = FileStatus.VALID
    reason: str = ""
    tracker: Tracker = field(default_factory=Tracker)
    layouts: dict[str, Layout] = field(default_factory=dict)
    tables: dict[str, TableInfo] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    sheet_order: list[str] = field(default_factory=list)
    pmo_output: str = ""

    def where(
        self, sheet_key: str, field_name: str, row: int | None = None
    ) -> tuple[str, int | None, int | None]:
        """Return (real sheet name, row, col) of a field, for findings."""
        layout = self.layouts.get(sheet_key)
        if layout is None:
            return "", None, None
        r, c = layout.where(field_name, row)
        return layout.sheet, r, c


class _Context:
    """Per-file state shared by the reading steps."""

    def __init__(self, path: str, settings: Settings, rules: RuleBook) -> None:
        self.file = path
        self.settings = settings
        self.rules = rules
        self.findings: list[Finding] = []
        self.indexes = header_indexes(settings)

    def add(self, rule: str, **kwargs: Any) -> None:
        f = self.rules.finding(rule, file=self.file, **kwargs)
        if f is not None:
            self.findings.append(f)


def _sheet_names_for(spec: SheetSpec, settings: Settings) -> list[str]:
    extra = settings.reader.sheet_synonyms.get(spec.key, [])
    return [normalise(n) for n in (spec.key, *spec.synonyms, *extra)]


def _assign_by_name(names: Sequence[str], settings: Settings) -> dict[str, str]:
    """Map spec sheet keys to real sheet names by name: canonical first, then synonyms."""
    folded = {name: normalise(name) for name in names}
    assigned: dict[str, str] = {}
    used: set[str] = set()
    for rank in range(2):  # pass 0: canonical names; pass 1: synonyms in their order
        for spec in sheets():
            if spec.key in assigned:
                continue
            wanted = _sheet_names_for(spec, settings)
            candidates = wanted[:1] if rank == 0 else wanted[1:]
            for want in candidates:
                hit = next((n for n in names if folded[n] == want and n not in used), None)
                if hit is not None:
                    assigned[spec.key] = hit
                    used.add(hit)
                    break
    return assigned


# --- tables ---------------------------------------------------------------------------------


def _choice_indexes(settings: Settings) -> dict[str, dict[str, str]]:
    out = {}
    for key in type(settings.allowed).model_fields:
        out[key] = coerce.choice_index(settings.allowed.of(key), settings.values.of(key))
    return out


_CHOICES_CACHE: dict[int, tuple[Settings, dict[str, dict[str, str]]]] = {}


def choice_indexes(settings: Settings) -> dict[str, dict[str, str]]:
    """Folded spelling -> canonical value, per choice list (cached per settings object)."""
    hit = _CHOICES_CACHE.get(id(settings))
    if hit is None or hit[0] is not settings:
        hit = (settings, _choice_indexes(settings))
        _CHOICES_CACHE.clear()
        _CHOICES_CACHE[id(settings)] = hit
    return hit[1]


def _blank(v: Any) -> bool:
    return v is None or v == "" or (type(v) is str and not v.strip())


def _coerce_fields(
    ctx: _Context, spec: SheetSpec, columns: Mapping[str, Sequence[Any]]
) -> tuple[dict[str, list[Any]], dict[str, coerce.Problems]]:
    choices = choice_indexes(ctx.settings)
    day_first = ctx.settings.reader.day_first
    values: dict[str, list[Any]] = {}
    problems: dict[str, coerce.Problems] = {}
    for f in spec.fields:
        raw = columns.get(f.name)
        if raw is None:
            continue
        fn = coerce.coercer(f.kind, day_first=day_first, index=choices.get(f.column.choices or ""))
        values[f.name], bad = fn(raw)
        if bad:
            problems[f.name] = bad
    return values, problems


_RANGE_WORDS = {
    "greater_than_equal": ("ge", "must be at least {}"),
    "greater_than": ("gt", "must be more than {}"),
    "less_than_equal": ("le", "must be at most {}"),
    "less_than": ("lt", "must be less than {}"),
}


def _bound_text(spec_field: Any, error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind in _RANGE_WORDS:
        word, template = _RANGE_WORDS[kind]
        bound = error.get("ctx", {}).get(word)
        if spec_field is not None and spec_field.kind is Kind.PERCENT:
            return template.format(f"{float(bound) * 100:g} %")
        return template.format(display_value(bound))
    return "is out of range"


def _build_record(
    ctx: _Context,
    spec: SheetSpec,
    data: dict[str, Any],
    raw: Mapping[str, Any],
    where: Any,
    sheet_name: str,
) -> Record:
    model = spec.model
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            name = str(err["loc"][0]) if err["loc"] else ""
            if name not in data:
                continue
            f = spec.field(name) if any(x.name == name for x in spec.fields) else None
            row, col = where(name)
            header = f.header if f else name
            value = data[name]
            shown = (
                f"{value * 100:g} %"
                if f is not None and f.kind is Kind.PERCENT and isinstance(value, float)
                else display_value(raw.get(name, value))
            )
            if err["type"] in _RANGE_WORDS:
                ctx.add(
                    "value.out_of_range",
                    sheet=sheet_name,
                    row=row,
                    col=col,
                    field=header,
                    value=shown,
                    bound=_bound_text(f, err),
                )
            else:
                ctx.add(
                    "value.not_a_number",
                    sheet=sheet_name,
                    row=row,
                    col=col,
                    field=header,
                    value=shown,
                )
            data[name] = None
        return model.model_validate(data)


def _kept_rows(
    ctx: _Context,
    spec: SheetSpec,
    grid: Grid,
    js: Sequence[int],
    anchor_col: int,
    header_texts: Mapping[int, str],
    start: int,
    match: HeaderMatch,
) -> list[tuple[int, list[Any]]]:
    """The data rows of a table whose rows all hold every field column (see _read_table)."""
    kept: list[tuple[int, list[Any]]] = []
    rows, top = grid.rows, grid.top
    headings = len(js) > 2
    anchor = ANCHORS[spec.key][0]
    tp = type
    # A repeated header is text in every field column: look at date and number columns first,
    # whose cells are rarely text, so most rows are ruled out without folding any text.
    textual = {
        match.columns[f.name] - grid.left
        for f in spec.fields
        if f.name in match.columns and f.kind in (Kind.TEXT, Kind.CHOICE)
    }
    probe = sorted(js, key=lambda k: k in textual)
    first = probe[0]
    for i in range(start, len(rows)):
        row = rows[i]
        j = js[0]
        for j in js:  # stop at the first field that is not blank
            v = row[j]
            if not (v is None or v == "" or (tp(v) is str and not v.strip())):
                break
        else:
            continue  # every field blank
        # Only the anchor filled (the first filled field is the anchor, and no other is).
        if headings and j == anchor_col and all(_blank(row[k]) for k in js if k != anchor_col):
            ctx.add(
                "row.section_heading",
                sheet=grid.name,
                row=top + i,
                col=match.columns[anchor],
                field=spec.field(anchor).header,
                value=display_value(row[anchor_col]),
                row_number=top + i + 1,
            )
            continue
        if isinstance(row[first], str) and all(
            isinstance(row[k], str) and normalise(row[k]) == header_texts[k] for k in probe
        ):
            continue  # the header repeated inside the table (a second block, a print artefact)
        kept.append((top + i, row))
    return kept


#: Extra-column headers become dict keys the model checks as text.
_HEADER_TEXT = PlainType(str, strip=True)


@cache
def _blank_defaults(model: type[Record]) -> bool:
    """True when every field defaults to None, but ``extra`` (a new empty dict)."""
    fields = model.model_fields
    return "extra" in fields and all(
        info.default_factory is dict
        if name == "extra"
        else info.default is None and info.default_factory is None
        for name, info in fields.items()
    )


def _checked_rows(
    model: type[Record],
    values: Mapping[str, Sequence[Any]],
    kept: Sequence[tuple[int, list[Any]]],
    extra_cols: Sequence[tuple[str, int]],
) -> set[int]:
    """Rows whose every value the model would keep unchanged (the others are validated).

    Coercion already produced typed values; :func:`~addin.model.rejected` proves, column by
    column, which of them the model accepts as they are (exact type, in range, nothing to
    strip), so building those records without validation gives the same records and findings.
    """
    plain = plain_types(model)
    if (
        not plain
        or "row" not in plain
        or not _blank_defaults(model)
        or rejected(_HEADER_TEXT, [t for t, _ in extra_cols])
    ):
        return set()
    refused = set(rejected(plain["row"], [r for r, _ in kept]))
    for name, column in values.items():
        refused.update(rejected(plain.get(name), column))
    return set(range(len(kept))) - refused


def _read_table(
    ctx: _Context, spec: SheetSpec, grid: Grid, match: HeaderMatch
) -> tuple[list[Record], TableInfo]:
    limits = ctx.settings.limits
    if grid.truncated_rows:
        ctx.add("sheet.truncated", sheet=grid.name, limit=f"{limits.max_rows:,}", what="rows")
    if grid.truncated_cols:
        ctx.add("sheet.truncated", sheet=grid.name, limit=f"{limits.max_columns:,}", what="columns")
    for name, used, ignored in match.duplicates:
        ctx.add(
            "column.duplicate",
            sheet=grid.name,
            row=match.row,
            col=ignored,
            field=spec.field(name).header,
            used=f"column {column_letter(used)}",
            ignored=f"column {column_letter(ignored)}",
        )
    for f in spec.fields:
        if f.required and f.name not in match.columns:
            ctx.add(
                "column.missing",
                sheet=grid.name,
                row=match.row,
                col=min(match.columns.values()),
                field=f.header,
                header_row=match.row + 1,
            )

    left = grid.left
    field_cols = [(name, col - left) for name, col in match.columns.items()]
    extra_cols = [
        (text, col - left)
        for col, text in match.extras.items()
        if not is_gantt_header(grid.value(match.row, col)) and text
    ]
    header_texts = {j: normalise(match.headers.get(j + left, "")) for _, j in field_cols}

    kept: list[tuple[int, list[Any]]] = []
    start = match.row - grid.top + 1
    anchor = ANCHORS[spec.key][0]
    anchor_col = match.columns[anchor] - left
    uncalculated = grid.uncalculated
    js = [j for _, j in field_cols]
    # Calamine's grids are rectangular: when every row holds every field column and no formula
    # is pending, the rows are sorted without bounds checks (same decisions as the loop below).
    rectangular = not uncalculated and min(map(len, grid.rows[start:]), default=0) > max(js)
    if rectangular:
        kept = _kept_rows(ctx, spec, grid, js, anchor_col, header_texts, start, match)
    for i in range(start, start if rectangular else len(grid.rows)):
        row = grid.rows[i]
        n = len(row)
        # A formula with no cached value reads as blank but is not: its row is kept.
        pending = bool(uncalculated) and any(
            (grid.top + i, j + left) in uncalculated for _, j in field_cols
        )
        if not pending and all(_blank(row[j]) if j < n else True for _, j in field_cols):
            continue
        if (
            not pending
            and len(field_cols) > 2
            and all((j == anchor_col) != (_blank(row[j]) if j < n else True) for _, j in field_cols)
        ):
            ctx.add(
                "row.section_heading",
                sheet=grid.name,
                row=grid.top + i,
                col=match.columns[anchor],
                field=spec.field(anchor).header,
                value=display_value(row[anchor_col]),
                row_number=grid.top + i + 1,
            )
            continue
        if all(
            (isinstance(row[j], str) and normalise(row[j]) == header_texts[j]) if j < n else False
            for _, j in field_cols
        ):
            continue  # the header repeated inside the table (a second block, a print artefact)
        kept.append((grid.top + i, row))

    raw_columns: dict[str, Sequence[Any]]
    if rectangular and kept:
        # The kept rows as columns (as long as the shortest row, which holds every field).
        table = list(zip(*[r for _, r in kept], strict=False))
        raw_columns = {name: table[j] for name, j in field_cols}
    else:
        raw_columns = {
            name: [r[j] if j < len(r) else "" for _, r in kept] for name, j in field_cols
        }
    if uncalculated:
        for name, j in field_cols:
            for sheet_row, _ in kept:
                if (sheet_row, j + left) in uncalculated:
                    ctx.add(
                        "value.not_calculated",
                        sheet=grid.name,
                        row=sheet_row,
                        col=j + left,
                        field=spec.field(name).header,
                    )
    values, problems = _coerce_fields(ctx, spec, raw_columns)
    for name, bad in problems.items():
        f = spec.field(name)
        col = match.columns[name]
        allowed = ", ".join(ctx.settings.allowed.of(f.column.choices)) if f.column.choices else ""
        for i, rule in bad.items():
            ctx.add(
                rule,
                sheet=grid.name,
                row=kept[i][0],
                col=col,
                field=f.header,
                value=display_value(raw_columns[name][i]),
                allowed=allowed,
            )

    records: list[Record] = []
    names = list(values)
    columns = match.columns
    model = spec.model
    checked = _checked_rows(model, values, kept, extra_cols)
    fields_set = {*names, "row"}
    with_extra = {*fields_set, "extra"}
    # Each record's fields in declaration order (as validation orders them), None when not read.
    order = tuple(model.model_fields)
    given_columns = {**values, "row": [r for r, _ in kept], "extra": [{} for _ in kept]}
    row_values = zip(
        *(given_columns[k] if k in given_columns else repeat(None) for k in order), strict=False
    )
    if len(checked) == len(kept) and not extra_cols:  # the usual table: nothing to validate
        given = list(map(dict, map(zip, repeat(order), row_values)))  # field -> value, per row
        return _table_result(spec, grid, match, build_checked_many(model, given, fields_set), ())
    for i, ((sheet_row, row), field_values) in enumerate(zip(kept, row_values, strict=True)):
        if i in checked:  # every value is one the model keeps as is: no need to validate
            given_row = dict(zip(order, field_values, strict=True))
            extra = (
                {text: row[j] for text, j in extra_cols if j < len(row) and not _blank(row[j])}
                if extra_cols
                else None
            )
            if extra:
                given_row["extra"] = extra
            records.append(
                build_checked(model, given_row, (with_extra if extra else fields_set).copy())
            )
            continue
        data: dict[str, Any] = {name: values[name][i] for name in names}
        data["row"] = sheet_row
        if extra_cols:
            n = len(row)
            extra = {text: row[j] for text, j in extra_cols if j < n and not _blank(row[j])}
            if extra:
                data["extra"] = extra
        try:
            records.append(spec.model.model_validate(data))
        except ValidationError:
            raw = {name: raw_columns[name][i] for name in names}
            records.append(
                _build_record(
                    ctx, spec, data, raw, lambda f, r=sheet_row: (r, columns.get(f)), grid.name
                )
            )
    return _table_result(spec, grid, match, records, extra_cols)


def _table_result(
    spec: SheetSpec,
    grid: Grid,
    match: HeaderMatch,
    records: list[Record],
    extra_cols: Sequence[tuple[str, int]],
) -> tuple[list[Record], TableInfo]:
    info = TableInfo(
        sheet=grid.name,
        header_row=match.row,
        rows=len(records),
        columns={spec.field(name).header: column_letter(c) for name, c in match.columns.items()},
        extra_columns=tuple(text for text, _ in extra_cols),
    )
    return records, info


# --- the Project block --------------------------------------------------------------------------

_LABEL_VALUE = re.compile(r"^\s*([^:]{2,40}):\s*(.+?)\s*$", re.DOTALL)


@dataclass
class _ProjectHit:
    sheet: str
    cells: dict[str, tuple[int, int]]
    raw: dict[str, Any]
    uncalculated: frozenset[tuple[int, int]] = frozenset()

    @property
    def score(self) -> int:
        return len(self.cells)


def _merged_right_edge(
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]], row: int, col: int
) -> int:
    for (r0, c0), (r1, c1) in merged:
        if r0 <= row <= r1 and c0 <= col <= c1:
            return c1
    return col


def _scan_project(wb: GridSource, grid: Grid, index: HeaderIndex) -> _ProjectHit:
    cells: dict[str, tuple[int, int]] = {}
    raw: dict[str, Any] = {}
    consumed: set[tuple[int, int]] = set()
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]] | None = None
    for i, row in enumerate(grid.rows[:_PROJECT_SCAN_ROWS]):
        r = grid.top + i
        for j, v in enumerate(row[:_PROJECT_SCAN_COLS]):
            c = grid.left + j
            if (r, c) in consumed or not isinstance(v, str) or not v.strip():
                continue
            name = index.match(v)
            if name is None:
                m = _LABEL_VALUE.match(v)
                if m:
                    inline = index.match(m[1])
                    if inline is not None and inline not in cells:
                        cells[inline] = (r, c)
                        raw[inline] = m[2]
                continue
            if name in cells:
                continue
            value_col = c + 1
            if _blank(grid.value(r, value_col)):
                if merged is None:
                    merged = wb.merged_ranges(grid.name)
                value_col = _merged_right_edge(merged, r, c) + 1
            cells[name] = (r, value_col)
            raw[name] = grid.value(r, value_col)
            consumed.add((r, value_col))
    return _ProjectHit(grid.name, cells, raw, grid.uncalculated)


def _read_project(ctx: _Context, hit: _ProjectHit) -> Project:
    spec = sheet("Project")
    columns = {name: [hit.raw[name]] for name in hit.cells}
    for name, cell in hit.cells.items():
        if cell in hit.uncalculated:
            ctx.add(
                "value.not_calculated",
                sheet=hit.sheet,
                row=cell[0],
                col=cell[1],
                field=spec.field(name).header,
            )
    values, problems = _coerce_fields(ctx, spec, columns)
    for name, bad in problems.items():
        f = spec.field(name)
        r, c = hit.cells[name]
        allowed = ", ".join(ctx.settings.allowed.of(f.column.choices)) if f.column.choices else ""
        for _, rule in bad.items():
            ctx.add(
                rule,
                sheet=hit.sheet,
                row=r,
                col=c,
                field=f.header,
                value=display_value(hit.raw[name]),
                allowed=allowed,
            )
    data: dict[str, Any] = {name: vals[0] for name, vals in values.items()}
    record = _build_record(
        ctx,
        spec,
        data,
        {n: hit.raw[n] for n in hit.cells},
        lambda f: hit.cells.get(f, (None, None)),
        hit.sheet,
    )
    assert isinstance(record, Project)
    return record


# --- the whole workbook -----------------------------------------------------------------------


def _sheet_words(spec: SheetSpec, settings: Settings) -> str:
    names = [spec.key, *spec.synonyms[:4], *settings.reader.sheet_synonyms.get(spec.key, [])]
    return ", ".join(names)


def read_tracker(path: str | Path, settings: Settings, rules: RuleBook | None = None) -> ReadResult:
    """Read a tracker workbook; never raises for a bad file.

    Args:
        path: The workbook (``.xlsx``, ``.xlsm`` or ``.xls``).
        settings: Effective settings (synonyms, date order, limits, allowed values).
        rules: The run's rule book (severity overrides); defaults to the settings' rules.

    Returns:
        A :class:`ReadResult` with the tracker, where each sheet was found, and the
        findings met while reading. ``status`` is ``unreadable`` or ``not_a_tracker``
        (with a one-line ``reason``) when nothing could be read.
    """
    name = str(path)
    rules = rules or RuleBook(dict(settings.rules))
    result = ReadResult(file=name)
    try:
        wb = Workbook(Path(path), settings.limits)
    except UnreadableFileError as exc:
        result.status, result.reason = FileStatus.UNREADABLE, exc.reason
        return result
    with wb:
        kind = wb.pmo_output()
        reason = skip_reason(kind, named=True)
        if reason is not None:  # a portfolio or dashboard we wrote: never a tracker
            result.status, result.reason, result.pmo_output = FileStatus.SKIPPED, reason, kind
            return result
        result = read_source(wb, name, settings, rules)
        result.pmo_output = kind
        return result


def read_source(
    source: GridSource, name: str, settings: Settings, rules: RuleBook | None = None
) -> ReadResult:
    """Read a tracker from any grid source (see :func:`read_tracker`); never raises for bad data.

    Args:
        source: The sheets to read, e.g. a live workbook's used ranges.
        name: What to call the workbook in findings (its path).
        settings: Effective settings.
        rules: The run's rule book; defaults to the settings' rules.
    """
    rules = rules or RuleBook(dict(settings.rules))
    result = ReadResult(file=name)
    try:
        _read_workbook(source, settings, rules, result)
    except UnreadableFileError as exc:
        result = ReadResult(file=name, status=FileStatus.UNREADABLE, reason=exc.reason)
    return result


def _read_workbook(wb: GridSource, settings: Settings, rules: RuleBook, result: ReadResult) -> None:
    ctx = _Context(result.file, settings, rules)
    result.sheet_order = list(wb.sheet_names)
    names = wb.worksheets
    by_name = _assign_by_name(names, settings)
    scan = settings.reader.header_scan_rows

    tables: dict[str, list[Record]] = {}
    used: set[str] = set()
    pending: list[SheetSpec] = []
    misses: dict[str, str] = {}
    for spec in sheets():
        if spec.layout != "table":
            continue
        sheet_name = by_name.get(spec.key)
        if sheet_name is None:
            pending.append(spec)
            continue
        grid = wb.grid(sheet_name)
        match = find_header(
            ctx.indexes[spec.key], grid.rows, top=grid.top, left=grid.left, scan=scan
        )
        if match is None:
            misses[spec.key] = sheet_name
            pending.append(spec)
            continue
        used.add(sheet_name)
        tables[spec.key], result.tables[spec.key] = _read_table(ctx, spec, grid, match)
        result.layouts[spec.key] = TableLayout(spec.key, sheet_name, match.row, dict(match.columns))

    for spec in pending:  # not found by name (or no header there): look for the table by content
        best: tuple[Grid, HeaderMatch] | None = None
        for sheet_name in names:
            if sheet_name in used:
                continue
            grid = wb.grid(sheet_name)
            match = find_header(
                ctx.indexes[spec.key], grid.rows, top=grid.top, left=grid.left, scan=scan
            )
            if match is not None and (best is None or match.score > best[1].score):
                best = (grid, match)
        what = ANCHORS[spec.key][2]
        if best is None:
            if spec.key in misses:
                ctx.add(
                    "sheet.no_header",
                    sheet=misses[spec.key],
                    reason=(
                        f"no header row with {what} found in the first {scan} rows of sheet "
                        f"'{misses[spec.key]}'"
                    ),
                )
            else:
                ctx.add(
                    "sheet.missing",
                    reason=(
                        f"no {spec.key} sheet: no sheet named {_sheet_words(spec, settings)}, "
                        f"and no header row with {what} in the first {scan} rows of any sheet"
                    ),
                )
            continue
        grid, match = best
        used.add(grid.name)
        tables[spec.key], result.tables[spec.key] = _read_table(ctx, spec, grid, match)
        result.layouts[spec.key] = TableLayout(spec.key, grid.name, match.row, dict(match.columns))

    # The Project block: its named sheet, else the sheet with the most Project labels.
    project_index = ctx.indexes["Project"]
    hit: _ProjectHit | None = None
    named = by_name.get("Project")
    if named is not None:
        hit = _scan_project(wb, wb.grid(named), project_index)
        if hit.score < _PROJECT_MIN_NAMED:
            hit = None
    if hit is None:
        for sheet_name in names:
            candidate = _scan_project(wb, wb.grid(sheet_name), project_index)
            if candidate.score >= _PROJECT_MIN_LABELS and (
                hit is None or candidate.score > hit.score
            ):
                hit = candidate
    project = Project()
    if hit is None:
        if not tables:
            result.status = FileStatus.NOT_A_TRACKER
            result.reason = _not_a_tracker_reason(names, scan)
            return
        ctx.add(
            "sheet.missing",
            reason=(
                "no Project sheet: "
                f"no sheet named {_sheet_words(sheet('Project'), settings)}, "
                "and no block of Project labels "
                "(Project ID, Project Name, Status Date ...) in any sheet"
            ),
        )
    else:
        result.layouts["Project"] = ProjectLayout(hit.sheet, dict(hit.cells))
        project = _read_project(ctx, hit)
        result.tables["Project"] = TableInfo(
            sheet=hit.sheet,
            header_row=min(r for r, _ in hit.cells.values()),
            rows=1,
            columns={
                sheet("Project").field(n).header: f"{column_letter(c)}{r + 1}"
                for n, (r, c) in hit.cells.items()
            },
        )

    parts: dict[str, Any] = {
        "project": project,
        "tasks": tables.get("Tasks", []),
        "milestones": tables.get("Milestones", []),
        "budget": tables.get("Budget", []),
        "raid": tables.get("RAID", []),
    }
    result.tracker = Tracker.model_construct(**parts)
    result.findings = ctx.findings


def _not_a_tracker_reason(names: Sequence[str], scan: int) -> str:
    shown = ", ".join(f"'{one_line(n)}'" for n in names[:6]) + (" ..." if len(names) > 6 else "")
    return (
        f"not a project tracker: no Project block and no table with a task name and a date, "
        f"a milestone and a date, a budget period or a RAID title in the first {scan} rows of "
        f"any sheet ({len(names)} sheet{'s' if len(names) != 1 else ''}: {shown or 'none'})"
    )
