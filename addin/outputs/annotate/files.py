"""Annotate tracker files: one at a time, or every readable tracker of a report in workers.

A copy (``name.checked.xlsx``) is written by default; in place only when nothing would
be lost, after a verified backup.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from addin.core.errors import OutputError
from addin.core.findings import FileReport, FileStatus, Finding
from addin.core.ours import OutputKind, mark_openpyxl
from addin.core.settings import LimitSettings
from addin.outputs.annotate.file_target import FileTarget
from addin.outputs.annotate.marks import apply


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
