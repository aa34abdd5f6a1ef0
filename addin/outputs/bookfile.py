"""A workbook file opened with openpyxl to be changed and saved without losing anything.

The annotated copy (``pmo validate --annotate``) and the upgraded tracker
(``pmo upgrade-tracker``) both load a tracker with openpyxl, change it, and save it. A
:class:`BookFile` does the part they share: it names what an openpyxl round trip would
not keep before a byte is written (:func:`addin.ooxml.roundtrip.unsupported`), saves
atomically, copies the formula results back (:func:`addin.ooxml.cached_values.restore`),
compares the saved copy with the original (:func:`addin.ooxml.roundtrip.lost`), and
replaces the file itself only after a verified backup and only when nothing is lost.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from addin.core.errors import OutputError, io_reason


class BookFile:
    """A workbook file loaded with openpyxl (``.xlsx``, or ``.xlsm`` with its VBA).

    Attributes:
        path: The file.
        original: Its bytes as loaded: what an in-place save backs up.
        missing: What the workbook holds that a saved copy would not carry over.
        replaced: Sheets of the original replaced on purpose (not compared).
        ignored: Sheet -> 0-based (row, col) of cells changed or added on purpose (not
            compared).
        marker: Where our part of a note starts (what follows it may change).
        what: What the change is, for messages ("annotation", "upgrade").
    """

    #: What a change is called in messages, and what a changed file is.
    what = "annotation"
    done = "annotated"

    def __init__(self, path: Path, *, marker: str = "") -> None:
        """Load ``path`` (``.xlsx`` or ``.xlsm``) to change it."""
        import openpyxl

        from addin.ooxml.roundtrip import describe, unsupported
        from addin.ooxml.text import exact_text
        from addin.read.sniffing import archive_damage

        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            raise OutputError(
                f"{path}: only .xlsx and .xlsm can take an {self.what}; save it as .xlsx first"
            )
        self.path = path
        self.keep_vba = path.suffix.lower() == ".xlsm"
        self.replaced: set[str] = set()
        self.ignored: dict[str, set[tuple[int, int]]] = {}
        self.marker = marker
        self.backup: Path | None = None
        self._lost: list[str] = []
        try:
            self.original = path.read_bytes()
            self.unsupported = unsupported(self.original, macros=self.keep_vba)
            self.missing = describe(self.unsupported)
            with exact_text():
                self.book = openpyxl.load_workbook(
                    io.BytesIO(self.original),
                    keep_vba=self.keep_vba,
                    keep_links=True,
                    rich_text=True,
                )
        except Exception as exc:  # openpyxl raises many types for damaged files
            # A part the reader never inflated whole (a sheet it does not read, the
            # theme) can be damaged in a file it read: say so as it would have.
            damage = archive_damage(exc)
            if damage is not None:
                raise OutputError(f"{path}: not {self.done}: {damage}") from None
            raise OutputError(
                f"{path}: cannot open for {self.what} ({type(exc).__name__}: {exc})"
            ) from None

    def save(self, out: Path) -> tuple[Path, list[str]]:
        """Save a changed copy atomically to ``out``; return it and what it did not keep.

        Formula results are copied back from the original, then the copy is compared
        with the original (:func:`addin.ooxml.roundtrip.lost`).
        """
        return self._save(out, in_place=False), self._lost

    def save_in_place(self, *, refused: str = "not annotated in place") -> Path:
        """Replace the file itself, after a verified backup, if nothing would be lost.

        Args:
            refused: How the refusal starts ("not annotated in place").

        Raises:
            OutputError: the workbook holds something the annotation would lose, no backup
                could be made, the file changed meanwhile, or it could not be written. The
                file is left as it was.
        """
        from addin.outputs.atomic import write_target
        from addin.outputs.backup import make_backup

        if self.missing:
            raise OutputError(self.refusal(refused, self.missing))
        self.backup = make_backup(write_target(self.path), self.original)
        return self._save(self.path, in_place=True, refused=refused)

    def refusal(self, refused: str, missing: Sequence[str]) -> str:
        """The one-line refusal of an in-place save that would lose ``missing``."""
        return (
            f"{self.path}: {refused}: it holds {'; '.join(missing)} that the {self.what} would "
            f"lose; the file was left as it was (without --in-place you get an {self.done} copy)"
        )

    def _save(self, out: Path, *, in_place: bool, refused: str = "") -> Path:
        from addin.ooxml.cached_values import restore
        from addin.ooxml.text import exact_text
        from addin.outputs.atomic import atomic_path
        from addin.outputs.backup import digest

        try:
            with atomic_path(out) as tmp:
                with exact_text():
                    self.book.save(tmp)
                restore(tmp, self.path)
                self._lost = self._compare(tmp)
                if in_place and self._lost:
                    raise OutputError(self.refusal(refused, self._lost))
                if in_place and digest(self.path.read_bytes()) != digest(self.original):
                    raise OutputError(
                        f"{self.path}: {refused}: it changed while it was being changed; "
                        "the file was left as it was"
                    )
        except Exception as exc:  # lxml, which openpyxl saves with, has its own IO errors
            why = io_reason(exc) or (str(exc) if isinstance(exc, zipfile.BadZipFile) else None)
            if why is None:
                raise
            raise OutputError(
                f"{out}: could not save the {self.done} workbook ({why}); "
                "the file was left as it was"
            ) from None
        return out

    def _compare(self, saved: Path) -> list[str]:
        """What the original holds that ``saved`` does not, with what was known before."""
        from addin.ooxml.roundtrip import describe, lost

        try:
            gone = lost(
                self.original,
                saved,
                skip_sheets=self.replaced,
                marker=self.marker,
                ignore=self.ignored,
            )
        except Exception as exc:  # a copy we cannot check is not known to be complete
            gone = {f"a check that it is complete (it failed: {type(exc).__name__})": set()}
        return describe(self.unsupported, gone)
