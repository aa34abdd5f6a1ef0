"""Open a workbook safely and hand out its sheets as grids of raw values.

Before any parser sees a file, :func:`~addin.read.sniffing.sniff` checks what it really
is (by its bytes, not its name) and refuses, with a one-line reason, what we cannot or
must not read. :class:`Workbook` then reads sheets with python-calamine (fast;
``.xlsx``, ``.xlsm`` and legacy ``.xls``), bounded by the configured row and column
limits.

Calamine builds a whole sheet in memory, as a dense rectangle from the first to the last
cell holding a value, before anything can be cut; one value in ``XFD1048576`` asks it for
17 billion cells and aborts the process. So the cells of an ``.xlsx`` sheet are first
scanned as XML text (streamed, never parsed into a tree; :mod:`addin.ooxml.sheetscan`): the
scan finds where the cells are, which formulas have no cached value, and whether anything
lies beyond ``limits.max_rows`` or ``limits.max_columns``. A sheet within the limits goes
to calamine as it is; a sheet beyond them is cut first (reading stops at the first row past
the limit) and calamine reads the cut copy. A file that changes while it is read is
reported, not half-read.

Calamine reads an ``.xlsx`` from a lean copy made in memory when the workbook is opened
(:mod:`addin.ooxml.lean_copy`): its sheets stored, not deflated, and their trailing rows
of formatted empty cells cut. The sheets' XML is inflated once, for the copy, and the
scan reads it from there. Where the copy cannot be made, or calamine cannot open it, the
file itself is read, as before.
"""

from __future__ import annotations

import contextlib
import io
import os
import zipfile
import zlib
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import IO, Any

import python_calamine as calamine
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as ET

import addin.core.timing as timing
from addin.core.errors import UnreadableFileError
from addin.core.ours import TEMPLATE_PROPERTY, custom_properties, kind_by_content
from addin.core.provenance import provenance_of
from addin.core.settings import LimitSettings
from addin.ooxml.fills import Area, CellFills, cell_fills
from addin.ooxml.lean_copy import lean_copy
from addin.ooxml.member import open_part
from addin.ooxml.parts import styles_part, workbook_parts
from addin.ooxml.sheetscan import BadSheet, SheetScan, walk_sheet
from addin.ooxml.xmlsafety import DTD_REASON
from addin.read.grid import Grid, cover
from addin.read.sniffing import BAD_CHECKSUM, NOT_INFLATING, file_stamp, sniff

CHANGED_REASON = "file changed while being read; try again"


#: The extensions calamine reads, by its path, as the kind the file's bytes are.
_SUFFIXES = {"xlsx": (".xlsx", ".xlsm", ".xltx", ".xltm", ".xlam"), "xls": (".xls", ".xlt", ".xla")}


def _is_panic(exc: BaseException) -> bool:
    """True for a Rust panic inside the parser, which pyo3 raises as a ``BaseException``."""
    return type(exc).__name__ == "PanicException"


def _damaged(exc: Exception) -> str:
    """Why a sheet's part could not be read from the archive, in words a person acts on."""
    if isinstance(exc, zlib.error):
        why = "the sheet does not decompress"
    elif isinstance(exc, EOFError):
        why = "the sheet is cut short"
    elif "CRC" in str(exc):
        why = "the sheet fails its checksum"
    else:
        why = " ".join(str(exc).split())[:160]
    return f"damaged workbook archive ({why}): ask for a new copy"


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if _is_panic(exc):
        return f"cannot parse workbook (the parser failed: {text[:160]})"
    if isinstance(exc, calamine.PasswordError):
        return "password-protected (encrypted) workbook: ask its owner for an unprotected copy"
    if "larger than its declared" in text:
        return "refused: a part holds more data than the archive declares (possible zip bomb)"
    if isinstance(exc, calamine.ZipError):
        return f"damaged workbook archive ({text[:160]})"
    # A part that calamine inflates itself (its shared strings, its styles) and that was
    # damaged past the head the safety scan read: the words of the scan's own reasons.
    if "corrupt deflate stream" in text:
        return NOT_INFLATING
    if "Invalid checksum" in text:
        return BAD_CHECKSUM
    if isinstance(exc, calamine.XmlError):
        return f"damaged or unsafe workbook XML ({text[:160]})"
    return f"cannot parse workbook ({type(exc).__name__}: {text[:160]})"


class Workbook:
    """A workbook opened for reading; sheets are read lazily and cached."""

    def __init__(self, path: Path, limits: LimitSettings) -> None:
        """Sniff and open ``path``; raise :class:`UnreadableFileError` with a reason on failure."""
        self.path = path
        self.limits = limits
        sniffed = sniff(path, limits, keep_open=True)
        self.kind = sniffed.kind
        self._stamp = sniffed.stamp
        self._handle: IO[bytes] | None = None
        #: The archive the safety scan read: its central directory is parsed once.
        self._zip: zipfile.ZipFile | None = sniffed.archive
        self._parts: dict[str, str | None] = {}
        self._shared: list[str] = []
        #: Sheets' XML read for the parser's copy, kept for the sheet scan: see _scan.
        self._held: dict[str, bytes] = {}
        self._grids: dict[str, Grid] = {}
        self._merged: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
        try:
            with timing.phase("open"):
                lean = None
                if self.kind == "xlsx":
                    if self._zip is None:  # pragma: no cover - sniff keeps it open
                        self._zip = zipfile.ZipFile(path)
                    self._parts, self._shared = workbook_parts(self._zip)
                    with timing.phase("lean copy"):
                        sheets = {p for p in self._parts.values() if p}
                        lean = lean_copy(self._zip, sheets, sniffed.parts)
                    if lean is not None:
                        self._held = lean.sheets
                self._book = self._open(None if lean is None else lean.data)
                meta = self._book.sheets_metadata
            self._check_unchanged()
        except UnreadableFileError:
            self.close()
            raise
        except DefusedXmlException:
            self.close()
            raise UnreadableFileError(str(path), DTD_REASON) from None
        except (OSError, zipfile.BadZipFile, ET.ParseError, KeyError) as exc:
            self.close()
            self._check_unchanged()
            raise UnreadableFileError(
                str(path), f"damaged workbook ({type(exc).__name__}: {exc})"
            ) from None
        except BaseException as exc:  # calamine raises several unrelated types, and panics
            if not isinstance(exc, Exception) and not _is_panic(exc):
                raise
            self.close()
            self._check_unchanged()
            raise UnreadableFileError(str(path), _reason(exc)) from None
        self.sheet_names: list[str] = [m.name for m in meta]
        self._hidden = {m.name for m in meta if "Visible" not in str(m.visible)}
        self._worksheets = {m.name for m in meta if "WorkSheet" in str(m.typ)}

    def _open(self, copy: bytes | None) -> Any:
        """Calamine's workbook: from the lean ``copy`` where it opens, else from the file.

        Opened from bytes, calamine guesses the format, and a workbook it cannot open reads
        "cannot detect file format": the file itself then says what is wrong, as ever.
        """
        if copy is not None:
            try:
                return calamine.CalamineWorkbook.from_filelike(io.BytesIO(copy))
            except BaseException as exc:  # calamine raises several unrelated types, and panics
                if not isinstance(exc, Exception) and not _is_panic(exc):
                    raise
        name = os.fspath(self.path)
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:  # a name that is not valid UTF-8: calamine cannot open it
            named = False
        else:
            # By its path, calamine reads a file as its extension says; a file is what its
            # bytes are (an .xls saved under an .xlsx name): from its bytes, it looks.
            named = self.path.suffix.lower() in _SUFFIXES[self.kind]
        if not named:
            self._handle = self.path.open("rb")
            return calamine.CalamineWorkbook.from_filelike(self._handle)
        return calamine.CalamineWorkbook.from_path(name)

    def _check_unchanged(self) -> None:
        """Raise when the file is no longer the version sniffed (rewritten, replaced, removed)."""
        try:
            now = file_stamp(self.path.stat())
        except OSError:
            now = None
        if now != self._stamp:
            raise UnreadableFileError(str(self.path), CHANGED_REASON)

    @cached_property
    def _properties(self) -> dict[str, str]:
        """The workbook's custom document properties, read once ({} for an .xls)."""
        with timing.phase("open"):
            return custom_properties(self._zip) if self._zip is not None else {}

    def template_version(self) -> str:
        """The template version the workbook says it was made from, or "" (not made by us)."""
        return self._properties.get(TEMPLATE_PROPERTY, "")

    def adopted_from(self) -> tuple[str, str] | None:
        """The (file name, SHA-256) of the tracker ``pmo adopt`` made this one from, or None."""
        found = provenance_of(self._properties)
        return None if found is None else (found.name, found.digest)

    def pmo_output(self) -> str:
        """What ``pmo`` output the workbook says it is (``portfolio`` ...), or "" (not ours)."""
        kind = kind_by_content(self._zip, self._properties) if self._zip is not None else None
        return "" if kind is None else kind.value

    @property
    def worksheets(self) -> list[str]:
        """Names of the sheets that hold cells (chart sheets and macro sheets left out)."""
        return [n for n in self.sheet_names if n in self._worksheets]

    def uncalculated(self, name: str) -> set[tuple[int, int]]:
        """0-based (row, col) of a sheet's formula cells that have no cached value."""
        return set(self.grid(name).uncalculated)

    def _scan(self, name: str) -> SheetScan:
        """Scan an .xlsx sheet's XML; when it exceeds the limits, also make the cut copy."""
        assert self._zip is not None
        part = self._parts.get(name)
        if part is None:
            raise BadSheet("its cells are missing from the workbook archive")
        held = self._held.pop(part, None)  # as read for the lean copy: not inflated again
        source = open_part(self._zip, part) if held is None else io.BytesIO(held)
        with timing.phase("sheet scan"), source as fh:
            scan = walk_sheet(fh, self.limits, emit=False)
        if scan.verbatim_end is not None:  # every row before the cut is kept as it is
            with open_part(self._zip, part) as fh:
                scan.xml = fh.read(scan.verbatim_end) + scan.closing
        elif scan.cut:
            with open_part(self._zip, part) as fh:
                scan = walk_sheet(fh, self.limits, emit=True)
        return scan

    def _cut_book(self, name: str, xml: bytes) -> Any:
        """A one-sheet copy of the workbook holding the cut sheet, opened with calamine."""
        assert self._zip is not None
        part = self._parts[name]
        data = io.BytesIO()
        with zipfile.ZipFile(data, "w", zipfile.ZIP_STORED) as out:
            for shared in self._shared:
                out.writestr(shared, self._zip.read(shared))
            out.writestr(str(part), xml)
        data.seek(0)
        return calamine.CalamineWorkbook.from_filelike(data)

    def grid(self, name: str, *, keep: bool = True) -> Grid:
        """Read one sheet (once), bounded by the row and column limits.

        ``keep=False`` for a sheet read only once: its cells are not held for another call
        (a portfolio's sheets, 600,000 rows of risks at 20,000 projects, are read in turn).
        """
        cached = self._grids.get(name)
        if cached is not None:
            return cached
        limits = self.limits
        scan = SheetScan()
        cut_book = None
        try:
            if self._zip is not None:
                scan = self._scan(name)
            with timing.phase("parse"):  # calamine parses the sheet's XML when it is got
                if scan.xml is not None:
                    cut_book = self._cut_book(name, scan.xml)
                    scan.xml = None
                    sheet = cut_book.get_sheet_by_name(name)
                else:
                    sheet = self._book.get_sheet_by_name(name)
                rows = sheet.to_python(nrows=limits.max_rows + 1)
            start = sheet.start
            merged = list(sheet.merged_cell_ranges or ())
            del sheet
        except BadSheet as exc:
            self._check_unchanged()
            raise UnreadableFileError(
                str(self.path), f"sheet '{name}': damaged sheet XML ({exc})"
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # our scan reading the part
            self._check_unchanged()
            raise UnreadableFileError(str(self.path), f"sheet '{name}': {_damaged(exc)}") from None
        except BaseException as exc:  # calamine's own errors, and its panics
            if not isinstance(exc, Exception) and not _is_panic(exc):
                raise
            self._check_unchanged()
            why = _reason(exc)
            if self.kind == "xlsx" and type(exc) is calamine.CalamineError:
                # a cell the sheet scan let through (a text index past the shared strings, a
                # type or an error value Excel never writes): as damaged as what it refuses
                why = f"damaged sheet XML ({' '.join(str(exc).split())[:160]})"
            raise UnreadableFileError(str(self.path), f"sheet '{name}': {why}") from None
        finally:
            if cut_book is not None:
                with contextlib.suppress(Exception):
                    cut_book.close()
        self._check_unchanged()
        top, left = start if start is not None else (0, 0)
        truncated_rows = scan.truncated_rows or len(rows) > limits.max_rows
        if len(rows) > limits.max_rows:
            rows = rows[: limits.max_rows]
        truncated_cols = scan.truncated_cols or (bool(rows) and len(rows[0]) > limits.max_columns)
        if rows and len(rows[0]) > limits.max_columns:
            rows = [r[: limits.max_columns] for r in rows]
        if scan.uncalculated:
            rows, top, left = cover(rows, top, left, scan.uncalculated)
        grid = Grid(
            name,
            rows,
            top,
            left,
            truncated_rows,
            truncated_cols,
            name in self._hidden,
            frozenset(scan.uncalculated),
            tuple(merged),
        )
        if keep:
            self._grids[name] = grid
        self._merged[name] = merged
        return grid

    def fills(self, name: str, area: Area) -> CellFills | None:
        """The cell fills of an area of a sheet, read on demand (:mod:`addin.ooxml.fills`).

        None when they cannot be known: not an ``.xlsx``, or its styles cannot be read.
        """
        part = self._parts.get(name)
        if self._zip is None or part is None:
            return None
        with timing.phase("fills"):
            try:
                styles = styles_part(self._zip)
            except (ET.ParseError, DefusedXmlException, KeyError, OSError, zipfile.BadZipFile):
                return None
            return cell_fills(self._zip, styles, part, area)

    def merged_ranges(self, name: str) -> Sequence[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged cell ranges of a sheet as ((row, col), (row, col)), 0-based, where known."""
        try:
            self.grid(name)
        except UnreadableFileError:
            return ()
        return self._merged.get(name, [])

    def close(self) -> None:
        """Release the file."""
        book = getattr(self, "_book", None)
        if book is not None:
            with contextlib.suppress(Exception):
                book.close()
        for handle in (self._zip, self._handle):
            if handle is not None:
                with contextlib.suppress(Exception):
                    handle.close()
        self._zip = None
        self._handle = None
        self._held = {}

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
