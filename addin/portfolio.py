"""The portfolio workbook: its sheets and columns (a contract) and its writer.

People build pivots and Power BI on this file, so sheet names and headers are
stable: ``Projects`` (one row per project, the columns of
:data:`PROJECT_COLUMNS`), ``Tasks``, ``Milestones``, ``Budget`` and ``RAID``
(every row of every tracker: Project ID, the spec fields, Source Cell),
``Findings``, ``Load Log`` and ``About``. A table longer than a sheet continues on
``Tasks (2)``, ``Tasks (3)`` ... (:mod:`addin.sheet_pages`), and the About sheet says so.

:func:`write_portfolio` builds the workbook with XlsxWriter (tables, formats,
conditional formats, frozen headers) and splices the big data sheets' rows,
pre-rendered by :mod:`addin.sheetxml`, into their ``<sheetData>``; with
``fast=False`` it writes every cell through XlsxWriter instead, which is the
reference the fast path is tested against. The file is written to a temporary
name and renamed, so a failed run never leaves a half-written portfolio.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from addin import __version__
from addin.atomic import atomic_path, temp_sibling
from addin.cells import column_letter
from addin.config import LimitSettings, Settings
from addin.errors import OutputError, PmoError, UnreadableFileError
from addin.model import Kind
from addin.ours import OUTPUT_PROPERTY, OutputKind
from addin.palette import HEADER_FILL, HEADER_FONT, RAG_COLOURS, TITLE_FONT
from addin.read.source import Workbook
from addin.schema import TABLE_KEYS, sheet
from addin.sheet_pages import continued, note, paged, split, split_chunks, titles
from addin.sheetxml import MAX_CELL_CHARS, Style, assemble


@dataclass(frozen=True)
class PortfolioColumn:
    """One column of a portfolio sheet: header, JSON key, style slot, width."""

    header: str
    key: str
    style: Style = Style.TEXT
    width: int = 12


def _c(header: str, key: str, style: Style = Style.TEXT, width: int = 12) -> PortfolioColumn:
    return PortfolioColumn(header, key, style, width)


#: Columns of the ``Projects`` sheet, in order (the contract).
PROJECT_COLUMNS: tuple[PortfolioColumn, ...] = (
    _c("Project ID", "project_id", width=13),
    _c("Project Name", "project_name", width=32),
    _c("Programme", "programme", width=22),
    _c("Sponsor", "sponsor", width=18),
    _c("Project Manager", "project_manager", width=18),
    _c("Phase", "phase", width=11),
    _c("Status Date", "status_date", Style.DATE, 12),
    _c("Baseline Finish", "baseline_finish", Style.DATE, 12),
    _c("Forecast Finish", "forecast_finish", Style.DATE, 12),
    _c("Finish Slip (days)", "finish_slip_days", Style.INTEGER, 10),
    _c("Budget", "budget", Style.MONEY, 14),
    _c("AC", "ac", Style.MONEY, 14),
    _c("EAC", "eac", Style.MONEY, 14),
    _c("VAC %", "vac_pct", Style.PERCENT, 9),
    _c("% Complete", "pct_complete", Style.PERCENT, 10),
    _c("SPI", "spi", Style.NUMBER, 7),
    _c("CPI", "cpi", Style.NUMBER, 7),
    _c("Max Slippage (days)", "max_slippage_days", Style.INTEGER, 11),
    _c("Overdue Milestones", "overdue_milestones", Style.INTEGER, 11),
    _c("Open High Risks", "open_high_risks", Style.INTEGER, 10),
    _c("Schedule RAG", "schedule_rag", width=10),
    _c("Cost RAG", "cost_rag", width=10),
    _c("Risk RAG", "risk_rag", width=10),
    _c("Overall RAG", "overall_rag", width=10),
    _c("Reported RAG", "reported_rag", width=10),
    _c("Optimism", "optimism", width=10),
    _c("Stale", "stale", width=8),
    _c("Errors", "errors", Style.INTEGER, 8),
    _c("Warnings", "warnings", Style.INTEGER, 9),
    _c("RAG Reasons", "rag_reasons", width=60),
    _c("Source File", "source_file", width=40),
)

#: The RAG columns of ``Projects`` (coloured by conditional formatting).
RAG_KEYS = ("schedule_rag", "cost_rag", "risk_rag", "overall_rag", "reported_rag")

FINDING_COLUMNS: tuple[PortfolioColumn, ...] = (
    _c("File", "file", width=40),
    _c("Project ID", "project_id", width=13),
    _c("Sheet", "sheet", width=14),
    _c("Cell", "cell", width=7),
    _c("Field", "field", width=18),
    _c("Rule", "rule", width=30),
    _c("Severity", "severity", width=9),
    _c("Message", "message", width=70),
    _c("Value", "value", width=20),
)

LOAD_LOG_COLUMNS: tuple[PortfolioColumn, ...] = (
    _c("File", "file", width=50),
    _c("Status", "status", width=14),
    _c("Reason", "reason", width=70),
    _c("Project ID", "project_id", width=13),
    _c("Rows Read", "rows_read", Style.INTEGER, 10),
    _c("Seconds", "seconds", Style.NUMBER, 9),
)

_KIND_STYLE = {
    Kind.DATE: Style.DATE,
    Kind.PERCENT: Style.PERCENT,
    Kind.NUMBER: Style.MONEY,
    Kind.INTEGER: Style.INTEGER,
}


def _snake(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.lower().replace("%", "pct")).strip("_")


def table_columns(key: str) -> tuple[PortfolioColumn, ...]:
    """Columns of a data sheet (``Tasks`` ...): Project ID, the spec fields, Source Cell."""
    spec = sheet(key)
    fields = tuple(
        PortfolioColumn(f.header, f.name, _KIND_STYLE.get(f.kind, Style.TEXT), f.column.width)
        for f in spec.fields
    )
    return (
        _c("Project ID", "project_id", width=13),
        *fields,
        _c("Source Cell", "source_cell", width=16),
    )


@dataclass
class DataTable:
    """The rows of one data sheet, either pre-rendered (fast) or as values (reference)."""

    columns: tuple[PortfolioColumn, ...]
    fragments: list[Sequence[bytes]] = field(default_factory=list)
    rows: list[Sequence[Any]] | None = None

    @property
    def count(self) -> int:
        """Number of data rows."""
        if self.rows is not None:
            return len(self.rows)
        return sum(len(f) for f in self.fragments)

    def pages(self) -> list[DataTable]:
        """This table cut into one table per sheet (see :mod:`addin.sheet_pages`)."""
        count = self.count
        fragments = split_chunks(self.fragments, count)
        if self.rows is None:
            return [DataTable(self.columns, f) for f in fragments]
        rows = split(self.rows)
        return [DataTable(self.columns, f, list(r)) for f, r in zip(fragments, rows, strict=True)]


@dataclass
class Portfolio:
    """What the portfolio workbook shows, as plain data (also what dashboards read).

    Rows are dicts keyed by the columns' JSON keys (:data:`PROJECT_COLUMNS` ...).
    """

    name: str
    as_of: dt.date
    projects: list[dict[str, Any]] = field(default_factory=list)
    milestones: list[dict[str, Any]] = field(default_factory=list)
    raid: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    load_log: list[dict[str, Any]] = field(default_factory=list)
    generated: str = ""


# --- writing ---------------------------------------------------------------------------------


class _Formats:
    """The workbook's formats, by style slot and purpose."""

    def __init__(self, wb: xlsxwriter.Workbook, settings: Settings) -> None:
        self.header = wb.add_format(
            {
                "bold": True,
                "font_color": HEADER_FONT,
                "bg_color": HEADER_FILL,
                "text_wrap": True,
                "valign": "top",
                "border": 1,
            }
        )
        self.title = wb.add_format({"bold": True, "font_size": 14, "font_color": TITLE_FONT})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.by_style: dict[Style, Format | None] = {
            Style.TEXT: None,
            Style.DATE: wb.add_format({"num_format": settings.date_format}),
            Style.PERCENT: wb.add_format({"num_format": "0.0%"}),
            Style.MONEY: wb.add_format({"num_format": "#,##0.00"}),
            Style.NUMBER: wb.add_format({"num_format": "0.00"}),
            Style.INTEGER: wb.add_format({"num_format": "0"}),
        }
        self.rag = {
            name: wb.add_format({"bg_color": fill, "font_color": font, "bold": True})
            for name, (fill, font) in RAG_COLOURS.items()
        }

    def style_index(self) -> dict[Style, int]:
        """Style slot -> xf index, known once the workbook is closed."""
        out: dict[Style, int] = {}
        for style, fmt in self.by_style.items():
            if fmt is not None:
                if fmt.xf_index is None:
                    raise OutputError(f"internal: style {style.name} was never used by the writer")
                out[style] = int(fmt.xf_index)
        return out


def _write_value(ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None) -> None:
    """Write one value through XlsxWriter without ever creating a formula or link."""
    if value is None or value == "":
        return
    if isinstance(value, str):
        # XlsxWriter escapes control characters and literal _xHHHH_ itself; only cut to size.
        ws.write_string(row, col, value[:MAX_CELL_CHARS])
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt)
    elif isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            return
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value)[:MAX_CELL_CHARS])


def _table(
    wb: xlsxwriter.Workbook,
    fmts: _Formats,
    title: str,
    columns: Sequence[PortfolioColumn],
    count: int,
    *,
    freeze_cols: int = 1,
) -> Worksheet:
    ws = wb.add_worksheet(title)
    last = len(columns) - 1
    ws.add_table(
        0,
        0,
        max(count, 1),
        last,
        {
            "name": table_name(title),
            "style": "Table Style Light 9",
            "columns": [{"header": c.header, "header_format": fmts.header} for c in columns],
        },
    )
    for i, c in enumerate(columns):
        ws.set_column(i, i, c.width, fmts.by_style[c.style])
    ws.freeze_panes(1, freeze_cols)
    ws.set_row(0, 30)
    # Printing: landscape A4, header row on every page, as wide as a page or two allows.
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(0)
    ws.fit_to_pages(2 if len(columns) > 20 else 1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header(f"&L&8{title}&R&8&D")
    ws.set_footer("&L&8Generated by pmo-addin&R&8Page &P of &N")
    return ws


def table_name(title: str) -> str:
    """The Excel table (ListObject) name of a portfolio sheet, e.g. ``tblLoadLog``."""
    return "tbl" + re.sub(r"\W", "", title)


def _write_dict_rows(
    ws: Worksheet,
    fmts: _Formats,
    columns: Sequence[PortfolioColumn],
    rows: Iterable[dict[str, Any]],
) -> None:
    for r, row in enumerate(rows, 1):
        for c, col in enumerate(columns):
            _write_value(ws, r, c, row.get(col.key), fmts.by_style[col.style])


def _about(
    wb: xlsxwriter.Workbook,
    fmts: _Formats,
    portfolio: Portfolio,
    settings: Settings,
    continued_sheets: str = "",
) -> None:
    ws = wb.add_worksheet("About")
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 60)
    ws.write_string(0, 0, portfolio.name, fmts.title)
    rag = settings.rag
    facts: list[tuple[str, Any]] = [
        ("Portfolio", portfolio.name),
        ("As Of", portfolio.as_of),
        ("Generated", portfolio.generated),
        ("Engine", f"pmo-addin {__version__}"),
        ("Projects", len(portfolio.projects)),
        ("Files Read", len(portfolio.load_log)),
        ("Stale After (days)", rag.stale_days),
        ("SPI Red / Amber Below", f"{rag.schedule.spi_red:g} / {rag.schedule.spi_amber:g}"),
        ("CPI Red / Amber Below", f"{rag.cost.cpi_red:g} / {rag.cost.cpi_amber:g}"),
        ("VAC % Red / Amber Above", f"{rag.cost.vac_red:.0%} / {rag.cost.vac_amber:.0%}"),
        (
            "Slippage Red / Amber Above (days)",
            f"{rag.schedule.slippage_red_days} / {rag.schedule.slippage_amber_days}",
        ),
    ]
    if continued_sheets:
        facts.append(("Continued Sheets", continued_sheets))
    for i, (label, value) in enumerate(facts, 2):
        ws.write_string(i, 0, label)
        _write_value(
            ws, i, 1, value, fmts.by_style[Style.DATE] if isinstance(value, dt.date) else None
        )


def _rag_formats(ws: Worksheet, fmts: _Formats, count: int) -> None:
    keys = [c.key for c in PROJECT_COLUMNS]
    for key in RAG_KEYS:
        col = column_letter(keys.index(key))
        rng = f"{col}2:{col}{max(count, 1) + 1}"
        for name, fmt in fmts.rag.items():
            ws.conditional_format(
                rng, {"type": "cell", "criteria": "==", "value": f'"{name}"', "format": fmt}
            )


def write_portfolio(
    path: Path,
    portfolio: Portfolio,
    tables: dict[str, DataTable],
    settings: Settings,
    *,
    fast: bool = True,
) -> Path:
    """Write the portfolio workbook atomically.

    A table longer than a sheet continues on ``Tasks (2)`` ... (never a row lost).

    Args:
        path: The output ``.xlsx``; its previous version stays intact if writing fails.
        portfolio: Projects, findings and load log rows.
        tables: The data sheets' rows by key (``Tasks``, ``Milestones``, ``Budget``, ``RAID``).
        settings: Date format, portfolio name.
        fast: Splice pre-rendered rows (default); False writes every cell through XlsxWriter.

    Raises:
        OutputError: the file could not be written (the reason names the file).
    """
    try:
        with atomic_path(path) as final:
            if fast:
                skeleton = temp_sibling(path)
                try:
                    fmts, spliced = _build(skeleton, portfolio, tables, settings, fast=True)
                    _splice(skeleton, final, spliced, fmts.style_index())
                finally:
                    skeleton.unlink(missing_ok=True)
            else:
                _build(final, portfolio, tables, settings, fast=False)
    except OutputError:
        raise
    except (OSError, zipfile.BadZipFile, xlsxwriter.exceptions.XlsxWriterException) as exc:
        raise OutputError(
            f"{path}: could not write the portfolio ({exc}); the previous file is intact"
        ) from exc
    return path


@dataclass(frozen=True)
class _Spliced:
    """A data sheet whose rows :func:`_splice` inserts: its table's name, its rows."""

    table: str
    rows: DataTable


def _build(
    target: Path,
    portfolio: Portfolio,
    tables: dict[str, DataTable],
    settings: Settings,
    *,
    fast: bool,
) -> tuple[_Formats, dict[str, _Spliced]]:
    """Write the workbook (in fast mode without the data sheets' rows).

    Returns:
        The formats, and the data sheets left for :func:`_splice` by zip part name.
    """
    wb = xlsxwriter.Workbook(
        str(target),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "use_future_functions": False,
        },
    )
    wb.set_properties(
        {
            "title": f"{portfolio.name} - portfolio",
            "subject": f"Portfolio as of {portfolio.as_of.isoformat()}",
            "comments": "Generated by pmo-addin from project trackers; do not edit by hand.",
            "created": dt.datetime(
                portfolio.as_of.year, portfolio.as_of.month, portfolio.as_of.day
            ),
        }
    )
    wb.set_custom_property("PMO As Of", portfolio.as_of.isoformat())
    wb.set_custom_property(OUTPUT_PROPERTY, OutputKind.PORTFOLIO.value)  # never read as a tracker
    fmts = _Formats(wb, settings)
    spliced: dict[str, _Spliced] = {}
    for title, rows in paged("Projects", portfolio.projects):
        ws = _table(wb, fmts, title, PROJECT_COLUMNS, len(rows))
        _write_dict_rows(ws, fmts, PROJECT_COLUMNS, rows)
        _rag_formats(ws, fmts, len(rows))

    for key in TABLE_KEYS:
        table = tables[key]
        for title, page in zip(titles(key, table.count), table.pages(), strict=True):
            # XlsxWriter visits every cell of a table's range (seconds for a big sheet); in
            # fast mode the table is declared over its first row and widened in _splice.
            ws = _table(wb, fmts, title, table.columns, 1 if fast else page.count)
            part = f"xl/worksheets/sheet{len(wb.worksheets())}.xml"
            spliced[part] = _Spliced(table_name(title), page)
            if not fast and page.rows is not None:
                styles = [fmts.by_style[c.style] for c in table.columns]
                for r, values in enumerate(page.rows, 1):
                    for c, value in enumerate(values):
                        _write_value(ws, r, c, value, styles[c])

    lengths = {"Projects": len(portfolio.projects), **{k: tables[k].count for k in TABLE_KEYS}}
    for name, columns, dicts in (
        ("Findings", FINDING_COLUMNS, portfolio.findings),
        ("Load Log", LOAD_LOG_COLUMNS, portfolio.load_log),
    ):
        lengths[name] = len(dicts)
        for title, rows in paged(name, dicts):
            ws = _table(wb, fmts, title, columns, len(rows), freeze_cols=0)
            _write_dict_rows(ws, fmts, columns, rows)
    _about(wb, fmts, portfolio, settings, note(lengths))
    wb.close()
    return fmts, spliced


#: zlib level of the written workbook: 1 is several times faster than 6 on three
#: million cells for a file about a quarter larger.
COMPRESS_LEVEL = 1

_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')
_REF = re.compile(rb'(<(?:table|autoFilter)\b[^>]*?\bref=")A1:([A-Z]+)\d+(")')
#: A sheet part this large needs ZIP64 (zipfile refuses to stream past 2 GiB without it).
_ZIP64_BYTES = 2**31 - 2**24


def _splice(
    skeleton: Path, target: Path, spliced: dict[str, _Spliced], styles: dict[Style, int]
) -> None:
    """Copy the skeleton workbook to ``target``, inserting the data sheets' rows."""
    names = {b'name="%s"' % s.table.encode(): s.rows for s in spliced.values()}
    with (
        zipfile.ZipFile(skeleton) as src,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            sheet = spliced.get(info.filename)
            if sheet is None:
                if info.filename.startswith("xl/tables/"):
                    data = _widen_table(data, names)
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            table = sheet.rows
            head, sep, tail = data.partition(b"</sheetData>")
            if not sep:
                raise OutputError(f"internal: no sheetData in {info.filename}")
            last = column_letter(len(table.columns) - 1)
            head = _DIMENSION.sub(
                b'<dimension ref="A1:%s%d"/>' % (last.encode(), table.count + 1), head, 1
            )
            size = sum(len(row) + 24 for fragment in table.fragments for row in fragment)
            with dst.open(info.filename, "w", force_zip64=size > _ZIP64_BYTES) as out:
                out.write(head)
                first = 2
                for fragment in table.fragments:
                    chunk, n = assemble(fragment, first, styles)
                    out.write(chunk)
                    first += n
                out.write(sep + tail)


def _widen_table(xml: bytes, names: dict[bytes, DataTable]) -> bytes:
    """Set a data sheet's table (and its autofilter) to span all its rows."""
    for marker, table in names.items():
        if marker in xml:
            last = str(max(table.count, 1) + 1).encode()
            return _REF.sub(rb"\g<1>A1:\g<2>" + last + rb"\g<3>", xml)
    return xml


# --- reading back -------------------------------------------------------------------------------


def _typed(value: Any, style: Style) -> Any:
    if value == "" or value is None:
        return None
    if style is Style.INTEGER and isinstance(value, float) and value.is_integer():
        return int(value)
    if style is Style.DATE and isinstance(value, dt.datetime):
        return value.date()
    return value


def _sheet_rows(book: Workbook, name: str) -> list[list[Any]]:
    """A sheet's values from A1 (blank rows and columns before the first value kept)."""
    grid = book.grid(name)
    pad = [""] * grid.left
    return [[] for _ in range(grid.top)] + [[*pad, *r] for r in grid.rows]


def _sheet_dicts(
    book: Workbook, name: str, columns: Sequence[PortfolioColumn]
) -> list[dict[str, Any]]:
    """The rows of table ``name``, joined from its continuation sheets (``Tasks (2)`` ...)."""
    if name not in book.sheet_names:
        raise OutputError(f"not a portfolio workbook: no '{name}' sheet")
    out: list[dict[str, Any]] = []
    for title in continued(name, book.sheet_names):
        out.extend(_one_sheet_dicts(book, title, columns))
    return out


def _one_sheet_dicts(
    book: Workbook, name: str, columns: Sequence[PortfolioColumn]
) -> list[dict[str, Any]]:
    rows = _sheet_rows(book, name)
    if not rows:
        return []
    header = [str(h).strip() for h in rows[0]]
    index = {h: i for i, h in enumerate(header)}
    missing = [c.header for c in columns if c.header not in index]
    if missing:
        raise OutputError(
            f"not a portfolio workbook: sheet '{name}' lacks column(s) {', '.join(missing)}"
        )
    out = []
    for raw in rows[1:]:
        if all(v == "" for v in raw):
            continue
        out.append({c.key: _typed(raw[index[c.header]], c.style) for c in columns})
    return out


#: A portfolio sheet may fill every row Excel has; nothing of it is cut.
_EXCEL_ROWS = 1_048_576


def read_portfolio(path: Path, limits: LimitSettings | None = None) -> Portfolio:
    """Read a portfolio workbook written by :func:`write_portfolio` back into a :class:`Portfolio`.

    The file is read like any input, through the reader's safety layer
    (:class:`~addin.read.source.Workbook`: the file sniffed, zip bombs and DTDs refused,
    cells beyond the limits never loaded), with every row Excel allows.

    Args:
        path: The portfolio workbook.
        limits: The per-file limits (default: the defaults of the settings).

    Raises:
        OutputError: the file is not a readable portfolio workbook (a one-line reason).
    """
    limits = (limits or LimitSettings()).model_copy(update={"max_rows": _EXCEL_ROWS})
    try:
        with Workbook(path, limits) as book:
            about: dict[str, Any] = {}
            if "About" in book.sheet_names:
                for row in book.grid("About").rows:
                    if len(row) >= 2 and isinstance(row[0], str):
                        about[row[0]] = row[1]
            as_of = _typed(about.get("As Of"), Style.DATE)
            portfolio = Portfolio(
                name=str(about.get("Portfolio") or "Portfolio"),
                as_of=as_of if isinstance(as_of, dt.date) else dt.date.today(),
                generated=str(about.get("Generated") or ""),
            )
            portfolio.projects = _sheet_dicts(book, "Projects", PROJECT_COLUMNS)
            portfolio.milestones = _sheet_dicts(book, "Milestones", table_columns("Milestones"))
            portfolio.raid = _sheet_dicts(book, "RAID", table_columns("RAID"))
            portfolio.findings = _sheet_dicts(book, "Findings", FINDING_COLUMNS)
            portfolio.load_log = _sheet_dicts(book, "Load Log", LOAD_LOG_COLUMNS)
    except UnreadableFileError as exc:
        raise OutputError(f"{path}: cannot read the portfolio ({exc.reason})") from None
    return portfolio


def _read_in_worker(job: tuple[Path, LimitSettings]) -> Portfolio | str:
    try:
        return read_portfolio(*job)
    except PmoError as exc:
        return str(exc)


def read_portfolio_bounded(path: Path, limits: LimitSettings) -> Portfolio:
    """:func:`read_portfolio` in a worker process held to the limits' time and memory.

    A portfolio that would take the machine's memory or hang the reader costs the
    worker, never the run: it becomes a one-line :class:`OutputError`.
    """
    from addin.workers import run_bounded

    outcome = next(run_bounded([(path, limits)], _read_in_worker, limits, jobs=1))
    if isinstance(outcome.value, Portfolio):
        return outcome.value
    reason = outcome.value or f"{path}: cannot read the portfolio ({outcome.error})"
    raise OutputError(reason)
