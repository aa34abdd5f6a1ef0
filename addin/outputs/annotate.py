"""Write validation findings into a workbook, so a project manager sees them in Excel.

Two halves, kept apart so the ribbon's Validate button (a live workbook through
xlwings) and ``pmo validate --annotate`` (a file through openpyxl) mark the same
cells:

* *what to mark* - :func:`plan` turns findings into :class:`Mark` s (one per
  cell, all its messages in one note) and the rows of a ``Validation`` sheet;
* *how to write it* - a :class:`Target` applies a plan. :class:`FileTarget`
  works on a file with openpyxl.

Marks never overwrite what the project manager made: the highlight is a
conditional-format rule (the cell's own fill is untouched), a note is added
beside any existing comment text, and both are recognisable, so re-annotating
first removes the previous run's marks instead of stacking them.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from addin.core.cells import a1, quote_sheet
from addin.core.errors import OutputError
from addin.core.findings import FileReport, FileStatus, Finding, Severity
from addin.core.ours import OutputKind, mark_openpyxl
from addin.core.settings import LimitSettings
from addin.core.words import counted
from addin.ooxml.sheetxml import clean_text
from addin.outputs.palette import FINDING_FILL, HEADER_FILL, HEADER_FONT

VALIDATION_SHEET = "Validation"
#: Title in A1 of our Validation sheet; how we recognise a sheet we wrote.
VALIDATION_TITLE = "PMO validation"
#: Author of our notes; their text follows this marker so it can be removed again.
NOTE_AUTHOR = "PMO validation"
NOTE_MARKER = "--- PMO validation ---"
#: The always-true formula of our highlight rules; how we recognise them.
MARK_FORMULA = '"PMO"="PMO"'
WARNING_FILL = "#FFF2CC"
VALIDATION_HEADERS = ("Severity", "Sheet", "Cell", "Field", "Rule", "Message", "Value")


@dataclass(frozen=True)
class Mark:
    """One cell to highlight, with the note that explains it."""

    sheet: str
    row: int
    col: int
    severity: Severity
    note: str

    @property
    def cell(self) -> str:
        """A1 reference of the cell."""
        return a1(self.row, self.col)


@dataclass(frozen=True)
class Plan:
    """Everything an annotation writes: cell marks and the Validation sheet's rows."""

    marks: tuple[Mark, ...]
    rows: tuple[tuple[str, ...], ...]
    links: tuple[str | None, ...]


def plan(findings: Iterable[Finding]) -> Plan:
    """Decide what to mark: one mark per cell (worst severity, all messages), a row per finding."""
    by_cell: dict[tuple[str, int, int], list[Finding]] = defaultdict(list)
    rows: list[tuple[str, ...]] = []
    links: list[str | None] = []
    for f in findings:
        rows.append((str(f.severity), f.sheet, f.cell, f.field, f.rule, f.message, f.value))
        if f.sheet and f.row is not None and f.col is not None:
            by_cell[(f.sheet, f.row, f.col)].append(f)
            links.append(f"{quote_sheet(f.sheet)}!{f.cell}")
        elif f.sheet:
            links.append(f"{quote_sheet(f.sheet)}!A1")
        else:
            links.append(None)
    marks = []
    for (sheet, row, col), group in by_cell.items():
        severity = (
            Severity.ERROR if any(f.severity is Severity.ERROR for f in group) else Severity.WARNING
        )
        note = "\n".join(f"{f.severity}: {f.message} [{f.rule}]" for f in group)
        marks.append(Mark(sheet, row, col, severity, note))
    return Plan(tuple(marks), tuple(rows), tuple(links))


def validation_caption(count: int, when: dt.datetime | None = None) -> str:
    """The line under the Validation sheet's title: ``4 findings, 2026-11-30 09:15. ...``."""
    stamp = when or dt.datetime.now()
    return f"{counted(count, 'finding')}, {stamp:%Y-%m-%d %H:%M}. Re-run to refresh."


class Target(Protocol):
    """Where a plan is written: a file (openpyxl) or a live workbook (xlwings)."""

    def clear(self) -> None:
        """Remove every mark, note and Validation sheet a previous annotation made."""

    def mark(self, mark: Mark) -> None:
        """Highlight one cell and attach its note."""

    def write_sheet(self, rows: Sequence[Sequence[str]], links: Sequence[str | None]) -> None:
        """Write the Validation sheet: a header, then one row per finding linking to its cell."""


def apply(target: Target, findings: Iterable[Finding]) -> Plan:
    """Replace any previous annotation in ``target`` with the findings' marks and sheet."""
    p = plan(findings)
    target.clear()
    for m in p.marks:
        target.mark(m)
    target.write_sheet(p.rows, p.links)
    return p


def strip_note(text: str) -> str:
    """Remove our part from a note's text, leaving the project manager's own words."""
    head, _, _ = text.partition(NOTE_MARKER)
    return head.rstrip()


# --- the openpyxl file backend ------------------------------------------------------------------


class FileTarget:
    """Annotate a workbook file with openpyxl.

    Formulas, styles, data validations, conditional formats, defined names, tables
    and VBA (``.xlsm``) are kept. What openpyxl cannot keep is named before anything is
    written (:attr:`missing`, see :mod:`addin.ooxml.roundtrip`), and every save is
    compared with the original before it replaces anything.

    Attributes:
        original: The file's bytes as loaded: what an in-place save backs up.
        missing: What the workbook holds that an annotated copy would not carry over.
    """

    def __init__(self, path: Path) -> None:
        """Load ``path`` for annotation (``.xlsx`` or ``.xlsm``)."""
        import openpyxl

        from addin.ooxml.roundtrip import describe, unsupported
        from addin.ooxml.text import exact_text

        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            raise OutputError(
                f"{path}: only .xlsx and .xlsm can be annotated; save it as .xlsx first"
            )
        self.path = path
        self.keep_vba = path.suffix.lower() == ".xlsm"
        self.replaced: set[str] = set()
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
            raise OutputError(
                f"{path}: cannot open for annotation ({type(exc).__name__}: {exc})"
            ) from None

    def clear(self) -> None:
        """Remove our highlight rules, notes and Validation sheet."""
        from openpyxl.formatting.formatting import ConditionalFormattingList

        for ws in self.book.worksheets:
            kept = ConditionalFormattingList()
            for rng in ws.conditional_formatting:
                for rule in rng.rules:
                    if MARK_FORMULA not in (rule.formula or []):
                        kept.add(str(rng.sqref), rule)
            ws.conditional_formatting = kept
            for row in ws.iter_rows():
                for cell in row:
                    comment = cell.comment
                    if comment is None or NOTE_MARKER not in comment.text:
                        continue
                    own = strip_note(comment.text)
                    cell.comment = None if not own else _comment(own, comment.author or "")
        for ws in list(self.book.worksheets):
            if ws.title.startswith(VALIDATION_SHEET) and ws["A1"].value == VALIDATION_TITLE:
                self.replaced.add(ws.title)
                self.book.remove(ws)

    def mark(self, mark: Mark) -> None:
        """Add a highlight rule and a note on one cell."""
        from openpyxl.formatting.rule import FormulaRule
        from openpyxl.styles import PatternFill

        if mark.sheet not in self.book.sheetnames:
            return
        ws = self.book[mark.sheet]
        colour = (FINDING_FILL if mark.severity is Severity.ERROR else WARNING_FILL).lstrip("#")
        fill = PatternFill(start_color=colour, end_color=colour, fill_type="solid")
        rule = FormulaRule(formula=[MARK_FORMULA], fill=fill, stopIfTrue=False)  # type: ignore[no-untyped-call]
        ws.conditional_formatting.add(mark.cell, rule)
        cell = ws.cell(row=mark.row + 1, column=mark.col + 1)
        existing = cell.comment
        own = strip_note(existing.text) if existing is not None else ""
        text = f"{own}\n\n{NOTE_MARKER}\n{mark.note}" if own else f"{NOTE_MARKER}\n{mark.note}"
        cell.comment = _comment(
            text, existing.author if existing is not None and own else NOTE_AUTHOR
        )

    def write_sheet(self, rows: Sequence[Sequence[str]], links: Sequence[str | None]) -> None:
        """Add the Validation sheet (last): one row per finding, linked to its cell."""
        from openpyxl.styles import Font, PatternFill
        from openpyxl.worksheet.hyperlink import Hyperlink

        name = VALIDATION_SHEET
        n = 2
        while name in self.book.sheetnames:
            name = f"{VALIDATION_SHEET} ({n})"
            n += 1
        ws = self.book.create_sheet(name)
        ws["A1"] = VALIDATION_TITLE
        ws["A1"].font = Font(bold=True, size=13)
        ws["A2"] = validation_caption(len(rows))
        if self.missing:
            lacks = "; ".join(self.missing)
            ws["A3"] = clean_text(f"Not carried over from {self.path.name}: {lacks}")
            ws["A3"].data_type = "s"
        header_fill = PatternFill(
            start_color=HEADER_FILL.lstrip("#"),
            end_color=HEADER_FILL.lstrip("#"),
            fill_type="solid",
        )
        for j, h in enumerate(VALIDATION_HEADERS, 1):
            c = ws.cell(row=4, column=j, value=h)
            c.font = Font(bold=True, color=HEADER_FONT.lstrip("#"))
            c.fill = header_fill
        for i, (row, link) in enumerate(zip(rows, links, strict=True), 5):
            for j, value in enumerate(row, 1):
                c = ws.cell(row=i, column=j)
                c.value = clean_text(value) if value else None
                c.data_type = "s"  # tracker text is never a formula here
            if link:
                # the Cell column links to the cell; a sheet-level finding links from its Sheet
                c = ws.cell(row=i, column=3 if row[2] else 2)
                c.hyperlink = Hyperlink(ref=c.coordinate, location=link, display=str(c.value or ""))
                c.font = Font(color="0563C1", underline="single")
        for j, width in enumerate((9, 16, 7, 18, 30, 80, 20), 1):
            ws.column_dimensions[ws.cell(row=4, column=j).column_letter].width = width
        ws.freeze_panes = "A5"
        if rows:
            ws.auto_filter.ref = f"A4:G{4 + len(rows)}"
        # Printing: landscape, one page wide, the header row on every page.
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "4:4"

    def save(self, out: Path) -> tuple[Path, list[str]]:
        """Save an annotated copy atomically to ``out``; return it and what it did not keep.

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
            f"{self.path}: {refused}: it holds {'; '.join(missing)} that the annotation would "
            "lose; the file was left as it was (without --in-place you get an annotated copy)"
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
                        f"{self.path}: {refused}: it changed while it was being annotated; "
                        "the file was left as it was"
                    )
        except (OSError, zipfile.BadZipFile) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise OutputError(
                f"{out}: could not save the annotated workbook ({why}); the file was left as it was"
            ) from None
        return out

    def _compare(self, saved: Path) -> list[str]:
        """What the original holds that ``saved`` does not, with what was known before."""
        from addin.ooxml.roundtrip import describe, lost

        try:
            gone = lost(self.original, saved, skip_sheets=self.replaced, marker=NOTE_MARKER)
        except Exception as exc:  # a copy we cannot check is not known to be complete
            gone = {f"a check that it is complete (it failed: {type(exc).__name__})": set()}
        return describe(self.unsupported, gone)


def _comment(text: str, author: str) -> Any:
    from openpyxl.comments import Comment

    comment = Comment(text[:32_000], author or NOTE_AUTHOR)
    comment.width, comment.height = 320, 140
    return comment


def checked_path(path: Path) -> Path:
    """Where a non-in-place annotation goes: ``name.checked.xlsx`` (``.xlsm`` kept) beside it."""
    return path.with_name(f"{path.stem}.checked{path.suffix.lower()}")


@dataclass(frozen=True)
class Annotation:
    """A file annotated: where it was written, and what of the original it does not carry."""

    path: Path
    missing: tuple[str, ...] = ()
    backup: Path | None = None


def annotate_workbook(
    path: Path, findings: Sequence[Finding], *, in_place: bool = False, out: Path | None = None
) -> Annotation:
    """Annotate a tracker file with its findings.

    By default writes ``<name>.checked.xlsx`` beside it (or ``out``) and leaves the
    tracker untouched; what the copy could not carry over (a chart, Power Query ...) is
    named in :attr:`Annotation.missing` and on the copy's Validation sheet. With
    ``in_place`` the tracker itself is replaced atomically, after a verified backup,
    only if nothing would be lost; otherwise it is refused and left as it was. A link is
    written through: the file it points at is annotated, the link stays.

    Raises:
        OutputError: the file cannot be annotated safely; the reason says why.
    """
    target = FileTarget(path)
    if in_place and target.missing:  # refused before any mark is made or backup taken
        raise OutputError(target.refusal("not annotated in place", target.missing))
    apply(target, [f for f in findings if f.file in ("", str(path))])
    # A copy is marked as ours (a folder scan skips it); a tracker annotated in place is not.
    mark_openpyxl(target.book, None if in_place else OutputKind.CHECKED)
    if in_place:
        return Annotation(target.save_in_place(), (), target.backup)
    written, missing = target.save(out or checked_path(path))
    return Annotation(written, tuple(missing))


def annotate_file(
    path: Path, findings: Sequence[Finding], *, in_place: bool = False, out: Path | None = None
) -> Path:
    """Annotate a tracker file (see :func:`annotate_workbook`); return the file written.

    Raises:
        OutputError: the file cannot be annotated safely; the reason says why.
    """
    return annotate_workbook(path, findings, in_place=in_place, out=out).path


def annotate_task(task: tuple[str, Sequence[Finding], bool]) -> tuple[str, str, str]:
    """Annotate one file for :func:`addin.engine.workers.run_isolated`; never raises for a bad file.

    Args:
        task: (path, its findings, in place?).

    Returns:
        ``("written", path written, what it did not carry over)`` or
        ``("failed", one-line reason, "")``.
    """
    path, findings, in_place = task
    try:
        done = annotate_workbook(Path(path), findings, in_place=in_place)
        return "written", str(done.path), "; ".join(done.missing)
    except OutputError as exc:
        return "failed", " ".join(str(exc).split()), ""
    except MemoryError:
        pass  # handled below, once the handler has let go of the workbook that filled the memory
    except Exception as exc:  # openpyxl and the workbook's own oddities raise many types
        why = " ".join(str(exc).split())[:200]
        return "failed", f"{path}: could not annotate ({type(exc).__name__}: {why})", ""
    gc.collect()  # openpyxl's reference cycles may still hold it
    return "failed", f"{path}: not annotated: ran out of memory (workbook too large?)", ""


@dataclass(frozen=True)
class AnnotationResult:
    """What became of one tracker's annotation: the file written, or why none was."""

    file: str
    written: str = ""
    reason: str = ""
    #: What the written copy did not carry over from the tracker ("" = everything).
    missing: str = ""


def annotate_reports(
    reports: Iterable[FileReport], limits: LimitSettings, *, in_place: bool, jobs: int | None
) -> list[AnnotationResult]:
    """Annotate every readable tracker of a validation report, each in a worker process.

    Each file is bounded like a reader (``limits.timeout_seconds`` and
    ``limits.worker_memory_mb``): a tracker with a million rows must not hang or exhaust
    the run. A tracker that cannot be annotated is left as it was, with a one-line reason;
    the others are still annotated.

    Returns:
        One :class:`AnnotationResult` per readable tracker, in the order of ``reports``.
    """
    from addin.engine.workers import run_bounded

    tasks = [
        (fr.file, fr.findings, in_place)
        for fr in reports
        if fr.status in (FileStatus.VALID, FileStatus.INVALID)
    ]
    outcomes = run_bounded(tasks, annotate_task, limits, jobs=jobs, activity="annotating")
    out: list[AnnotationResult] = []
    for outcome in sorted(outcomes, key=lambda o: o.index):
        file = tasks[outcome.index][0]
        kind, text, missing = outcome.value or (
            "failed",
            f"{file}: not annotated: {outcome.error}",
            "",
        )
        written = kind == "written"
        out.append(
            AnnotationResult(file, text if written else "", "" if written else text, missing)
        )
    return out
