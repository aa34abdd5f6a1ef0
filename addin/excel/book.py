"""What the ribbon handlers work against: a :class:`Host` and the :class:`Book` it has open.

The handlers in :mod:`addin.excel.ribbon` never touch Excel or a file format
directly. They ask a host for its active book, read the book's sheets as grids
(a book is a :class:`~addin.read.GridSource`, so :func:`~addin.read.read_source`
reads it like a file), write validation marks through it (a book is an
:class:`~addin.outputs.annotate.Target`, so :func:`~addin.outputs.annotate.apply` marks it exactly
as ``pmo validate --annotate`` marks a file), and tell the host to show a message
or open a file.

Two implementations:

* :class:`FileHost` / :class:`FileBook` (here) - a workbook file, read with
  python-calamine exactly as the command line reads it and written with
  openpyxl through :class:`~addin.outputs.annotate.FileTarget`. Tests and scripts use
  them; nothing here needs Excel.
* :class:`~addin.excel.xw_book.XwHost` / :class:`~addin.excel.xw_book.XwBook` -
  a live workbook in Excel, through xlwings (imported only when Excel calls).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from addin.app.settings import CONFIG_ENV, resolve_settings, settings_file
from addin.core.settings import LimitSettings, Settings
from addin.outputs.annotate.file_target import FileTarget
from addin.outputs.annotate.marks import Mark, Target
from addin.read import Grid, GridSource, Workbook

__all__ = [
    "CONFIG_ENV",
    "Book",
    "FileBook",
    "FileHost",
    "Host",
    "free_path",
    "settings_file",
    "settings_for",
    "written_by_pmo",
]


#: Workbook suffixes Excel opens (the host opens anything else with the system's default app).
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".xlam")


@runtime_checkable
class Book(GridSource, Target, Protocol):
    """A workbook the handlers read (a grid source) and mark (an annotate target)."""

    def configure(self, settings: Settings) -> None:
        """Use the effective settings: reader limits, the template's sheet password."""

    @property
    def path(self) -> Path | None:
        """The workbook's file, or None when it has never been saved."""

    @property
    def name(self) -> str:
        """The workbook's name as Excel shows it (``Tracker.xlsx``)."""

    def save(self) -> Path | None:
        """Keep the marks: a file is written back (None when the user saves, as in Excel)."""

    def close(self) -> None:
        """Done with the book: release the file, restore any sheet protection lifted to mark."""


class Host(Protocol):
    """Where the handlers run: shows messages, opens files, knows the active workbook."""

    def message(self, text: str) -> None:
        """Show a message to the user (a message box in Excel)."""

    def status(self, text: str) -> None:
        """Show progress in the status bar; ``""`` hands the bar back."""

    def open(self, path: Path) -> None:
        """Open a file: workbooks in Excel, anything else with the system's default app."""

    def active_book(self) -> Book | None:
        """The workbook the user is looking at, or None when there is none."""


# --- where settings come from ----------------------------------------------------------------


def settings_for(folder: Path | None) -> tuple[Settings, Path | None]:
    """The effective settings for a folder's workbooks, and the file they came from.

    The order every entry point uses (:func:`addin.app.settings.resolve_settings`):
    ``pmo.toml`` in the folder, else ``$PMO_CONFIG``, else the defaults.

    Raises:
        ConfigError: the settings file is invalid (the message names it).
    """
    return resolve_settings(folder=folder), settings_file(folder=folder)


def written_by_pmo(path: Path) -> bool:
    """True for a portfolio or dashboard workbook this add-in wrote (never a tracker).

    Both say so in a custom document property (see :mod:`addin.core.ours`); trackers do not.
    """
    from addin.core.ours import written_by_pmo as ours

    return ours(path)


# --- the file backend --------------------------------------------------------------------------


class FileBook:
    """A workbook file as a :class:`Book`: read as the command line reads it, marked with openpyxl.

    Reading goes through :class:`addin.read.Workbook` (python-calamine), the same
    path ``pmo validate`` takes, so findings are identical. Marks go through
    :class:`addin.outputs.annotate.FileTarget`, the same writer as ``pmo validate
    --annotate``. :meth:`save` writes the file back in place after a
    timestamped backup, and refuses (keeping the file as it was) when the
    workbook holds parts openpyxl would drop, like ``--annotate --in-place``.
    """

    def __init__(self, path: Path, limits: LimitSettings | None = None) -> None:
        """Use the workbook at ``path``; nothing is opened until a sheet is read or marked."""
        self._path = Path(path)
        self.limits = limits or LimitSettings()
        self._reader: Workbook | None = None
        self._target: FileTarget | None = None

    def configure(self, settings: Settings) -> None:
        """Read with the settings' row and column limits (sheet protection does not stop files)."""
        self.limits = settings.limits

    @property
    def path(self) -> Path:
        """The workbook file."""
        return self._path

    @property
    def name(self) -> str:
        """The file name."""
        return self._path.name

    # -- reading (GridSource) --

    def _book(self) -> Workbook:
        if self._reader is None:
            self._reader = Workbook(self._path, self.limits)
        return self._reader

    @property
    def sheet_names(self) -> list[str]:
        """All sheet names, in workbook order."""
        return list(self._book().sheet_names)

    @property
    def worksheets(self) -> list[str]:
        """Names of the sheets that hold cells."""
        return self._book().worksheets

    def grid(self, name: str) -> Grid:
        """One sheet's used range."""
        return self._book().grid(name)

    def merged_ranges(self, name: str) -> Sequence[tuple[tuple[int, int], tuple[int, int]]]:
        """Merged ranges of a sheet, 0-based."""
        return self._book().merged_ranges(name)

    # -- writing (Target) --

    def _writer(self) -> FileTarget:
        if self._target is None:
            self._target = FileTarget(self._path)
        return self._target

    def clear(self) -> None:
        """Remove a previous validation's marks, notes and Validation sheet."""
        self._writer().clear()

    def mark(self, mark: Mark) -> None:
        """Highlight one cell and attach its note."""
        self._writer().mark(mark)

    def write_sheet(self, rows: Sequence[Sequence[str]], links: Sequence[str | None]) -> None:
        """Write the Validation sheet."""
        self._writer().write_sheet(rows, links)

    def save(self) -> Path | None:
        """Write the marked workbook over the file, after a timestamped backup beside it.

        Returns None when nothing was marked.

        Raises:
            OutputError: the workbook holds parts openpyxl would drop, or no backup
                could be made; the file is left as it was.
        """
        self.close()
        if self._target is None:
            return None
        return self._target.save_in_place(refused="marks not saved")

    def close(self) -> None:
        """Release the file for reading (a marked workbook stays in memory until saved)."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None


class FileHost:
    """A host without Excel: records messages, "opens" files by making them the active book.

    Attributes:
        active: The active workbook's path (None: no workbook open).
        messages: Every message shown, in order.
        statuses: Every status-bar text, in order.
        opened: Every file opened, in order.
    """

    def __init__(self, active: Path | None = None) -> None:
        """Start with ``active`` as the active workbook (or none)."""
        self.active = Path(active) if active is not None else None
        self.messages: list[str] = []
        self.statuses: list[str] = []
        self.opened: list[Path] = []

    def message(self, text: str) -> None:
        """Record a message."""
        self.messages.append(text)

    def status(self, text: str) -> None:
        """Record a status-bar text."""
        self.statuses.append(text)

    def open(self, path: Path) -> None:
        """Record the file; a workbook becomes the active book, as in Excel."""
        self.opened.append(path)
        if path.suffix.lower() in EXCEL_SUFFIXES:
            self.active = path

    def active_book(self) -> FileBook | None:
        """The active workbook as a :class:`FileBook`."""
        return FileBook(self.active) if self.active is not None else None


def free_path(folder: Path, stem: str, *, reuse_ours: bool = False) -> Path:
    """``stem.xlsx`` in ``folder``, else ``stem (2).xlsx`` ... - never someone else's file.

    With ``reuse_ours`` an existing file this add-in wrote (a previous portfolio or
    dashboard) is replaced; a tracker or any other file never is.
    """
    n = 1
    while True:
        candidate = folder / (f"{stem}.xlsx" if n == 1 else f"{stem} ({n}).xlsx")
        if not candidate.exists() or (reuse_ours and written_by_pmo(candidate)):
            return candidate
        n += 1
