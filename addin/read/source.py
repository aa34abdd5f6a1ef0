"""Open a workbook safely and hand out its sheets as grids of raw values.

Before any parser sees a file, :func:`sniff` checks what it really is (by its
bytes, not its name) and refuses, with a one-line reason, what we cannot or must
not read: empty files, encrypted workbooks, ``.xlsb``/``.ods``/CSV under an Excel
name, oversized files and zip bombs. :class:`Workbook` then reads sheets with
python-calamine (fast; ``.xlsx``, ``.xlsm`` and legacy ``.xls``), bounded by the
configured row and column limits.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import python_calamine as calamine

from addin.config import LimitSettings
from addin.errors import UnreadableFileError

#: Extensions the reader accepts when scanning folders.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MB = 1024 * 1024


def is_lock_file(path: Path) -> bool:
    """True for Excel's owner/lock files (``~$Budget.xlsx``), which hold no data."""
    return path.name.startswith("~$")


@dataclass(frozen=True)
class Sniffed:
    """What a file really is."""

    kind: str  # "xlsx" (any OOXML zip workbook) or "xls"
    size: int


def _zip_reason(path: Path, limits: LimitSettings) -> str | None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
    except zipfile.BadZipFile:
        return "damaged or truncated workbook (not a valid zip archive): ask for a new copy"
    except (OSError, ValueError) as exc:  # pragma: no cover - odd filesystems
        return f"cannot read the workbook archive ({exc})"
    if "xl/workbook.bin" in names:
        return "binary workbook (.xlsb) is not supported: save it as .xlsx"
    if "content.xml" in names and "mimetype" in names:
        return "OpenDocument spreadsheet (.ods) under an Excel name: save it as .xlsx"
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            return "Word document under an Excel name, not a workbook"
        return "zip archive but not an Excel workbook (no xl/workbook.xml)"
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1 * _MB and info.compress_size > 0:
            ratio = info.file_size / info.compress_size
            if ratio > limits.max_compression_ratio:
                return (
                    f"refused: part {info.filename} expands {ratio:,.0f}x "
                    f"(limit {limits.max_compression_ratio:,.0f}x; possible zip bomb)"
                )
    if total > limits.max_uncompressed_mb * _MB:
        return (
            f"refused: workbook expands to {total / _MB:,.0f} MB "
            f"(limit {limits.max_uncompressed_mb:,.0f} MB; possible zip bomb)"
        )
    return None


def _ole_reason(path: Path) -> str | None:
    """Return the reason to refuse an OLE compound file, or None for a legacy .xls."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                return (
                    "password-protected (encrypted) workbook: it cannot be read without "
                    "the password; ask its owner for an unprotected copy"
                )
            if ole.exists("Workbook") or ole.exists("Book"):
                return None
            return "OLE file but not an Excel workbook"
    except OSError as exc:
        return f"damaged compound file ({exc})"


_TEXTY = re.compile(rb"^[\x09\x0a\x0d\x20-\x7e\x80-\xff]*$")


def sniff(path: Path, limits: LimitSettings) -> Sniffed:
    """Check a file before parsing; raise :class:`UnreadableFileError` with a one-line reason."""
    name = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise UnreadableFileError(name, "file not found") from None
    except PermissionError:
        raise UnreadableFileError(name, "permission denied: cannot read this file") from None
    except OSError as exc:
        raise UnreadableFileError(name, f"cannot read this file ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise UnreadableFileError(name, "is a folder, not a workbook")
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableFileError(name, "not a regular file")
    if st.st_size == 0:
        raise UnreadableFileError(
            name, "empty file (0 bytes): probably an interrupted save or upload"
        )
    if st.st_size > limits.max_file_mb * _MB:
        raise UnreadableFileError(
            name,
            f"refused: file is {st.st_size / _MB:,.0f} MB (limit {limits.max_file_mb:,.0f} MB)",
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except PermissionError:
        raise UnreadableFileError(name, "permission denied: cannot read this file") from None
    except OSError as exc:
        raise UnreadableFileError(name, f"cannot read this file ({exc.strerror or exc})") from None
    if head.startswith(_ZIP_MAGIC):
        reason = _zip_reason(path, limits)
        if reason:
            raise UnreadableFileError(name, reason)
        return Sniffed("xlsx", st.st_size)
    if head.startswith(_OLE_MAGIC):
        reason = _ole_reason(path)
        if reason:
            raise UnreadableFileError(name, reason)
        return Sniffed("xls", st.st_size)
    lowered = head.lower().lstrip()
    if lowered.startswith((b"<html", b"<!doctype html", b"<?xml", b"<table")):
        raise UnreadableFileError(name, "HTML or XML file under an Excel name, not a workbook")
    if _TEXTY.match(head):
        raise UnreadableFileError(
            name, "text (CSV?) file under an Excel name, not a workbook: save it as .xlsx"
        )
    raise UnreadableFileError(name, "not an Excel workbook (unrecognised file format)")


@dataclass
class Grid:
    """One sheet's values as read.

    Attributes:
        name: The sheet's real name.
        rows: Raw values; ``rows[i][j]`` is the cell at sheet row ``top + i``, column ``left + j``.
        top: 0-based sheet row of ``rows[0]``.
        left: 0-based sheet column of the first value of each row.
        truncated_rows: True when the sheet had more rows than the limit.
        truncated_cols: True when the sheet had more columns than the limit.
        hidden: True for hidden or very hidden sheets.
    """

    name: str
    rows: list[list[Any]]
    top: int = 0
    left: int = 0
    truncated_rows: bool = False
    truncated_cols: bool = False
    hidden: bool = False

    def value(self, row: int, col: int) -> Any:
        """Return the raw value at a 0-based sheet position ("" outside the grid)."""
        i, j = row - self.top, col - self.left
        if 0 <= i < len(self.rows):
            r = self.rows[i]
            if 0 <= j < len(r):
                return r[j]
        return ""


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if isinstance(exc, calamine.PasswordError):
        return "password-protected (encrypted) workbook: ask its owner for an unprotected copy"
    if isinstance(exc, calamine.ZipError):
        return f"damaged workbook archive ({text[:160]})"
    if isinstance(exc, calamine.XmlError):
        return f"damaged or unsafe workbook XML ({text[:160]})"
    return f"cannot parse workbook ({type(exc).__name__}: {text[:160]})"


class GridSource(Protocol):
    """Anything the reader can read a tracker from: a file, or a live workbook in Excel."""

    @property
    def sheet_names(self) -> list[str]:
        """All sheet names, in workbook order."""

    @property
    def worksheets(self) -> list[str]:
        """Names of the sheets that hold cells."""

    def grid(self, name: str) -> Grid:
        """One sheet's values."""

    def merged_ranges(self, name: str) -> Sequence[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged ranges of a sheet as ((row, col), (row, col)), 0-based."""


def grid_from_values(name: str, values: Sequence[Sequence[Any]], limits: LimitSettings) -> Grid:
    """Make a :class:`Grid` from a rectangle of values starting at A1 (e.g. a used range).

    Blank cells may be None or ""; the row and column limits apply as for files.
    """
    rows = [
        ["" if v is None else v for v in row[: limits.max_columns]]
        for row in values[: limits.max_rows]
    ]
    return Grid(
        name,
        rows,
        truncated_rows=len(values) > limits.max_rows,
        truncated_cols=any(len(r) > limits.max_columns for r in values[:1]),
    )


class Workbook:
    """A workbook opened for reading; sheets are read lazily and cached."""

    def __init__(self, path: Path, limits: LimitSettings) -> None:
        """Sniff and open ``path``; raise :class:`UnreadableFileError` with a reason on failure."""
        self.path = path
        self.limits = limits
        self.kind = sniff(path, limits).kind
        try:
            self._book = calamine.CalamineWorkbook.from_path(os.fspath(path))
            meta = self._book.sheets_metadata
        except Exception as exc:  # calamine raises several unrelated types
            raise UnreadableFileError(str(path), _reason(exc)) from None
        self.sheet_names: list[str] = [m.name for m in meta]
        self._hidden = {m.name for m in meta if "Visible" not in str(m.visible)}
        self._worksheets = {m.name for m in meta if "WorkSheet" in str(m.typ)}
        self._grids: dict[str, Grid] = {}

    @property
    def worksheets(self) -> list[str]:
        """Names of the sheets that hold cells (chart sheets and macro sheets left out)."""
        return [n for n in self.sheet_names if n in self._worksheets]

    def grid(self, name: str) -> Grid:
        """Read one sheet (once), bounded by the row and column limits."""
        cached = self._grids.get(name)
        if cached is not None:
            return cached
        limits = self.limits
        try:
            sheet = self._book.get_sheet_by_name(name)
            start = sheet.start
            rows = sheet.to_python(nrows=limits.max_rows + 1)
        except Exception as exc:
            raise UnreadableFileError(str(self.path), f"sheet '{name}': {_reason(exc)}") from None
        top, left = start if start is not None else (0, 0)
        truncated_rows = len(rows) > limits.max_rows
        if truncated_rows:
            rows = rows[: limits.max_rows]
        truncated_cols = bool(rows) and len(rows[0]) > limits.max_columns
        if truncated_cols:
            rows = [r[: limits.max_columns] for r in rows]
        grid = Grid(name, rows, top, left, truncated_rows, truncated_cols, name in self._hidden)
        self._grids[name] = grid
        return grid

    def merged_ranges(self, name: str) -> Sequence[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged cell ranges of a sheet as ((row, col), (row, col)), 0-based, where known."""
        try:
            ranges = self._book.get_sheet_by_name(name).merged_cell_ranges
        except Exception:
            return ()
        return list(ranges or ())

    def close(self) -> None:
        """Release the file."""
        with contextlib.suppress(Exception):
            self._book.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
