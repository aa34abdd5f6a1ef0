"""Use case: validate trackers (files, or the workbook open in Excel) and annotate them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from addin.core.findings import FileReport, Report
from addin.core.rules import RuleBook
from addin.core.settings import LimitSettings, Settings
from addin.engine.pipeline import check_source, finish
from addin.engine.validate import check_files
from addin.read import GridSource

if TYPE_CHECKING:  # the annotator (XlsxWriter) only when --annotate asks for it
    from addin.outputs.annotate.files import AnnotationResult


def validate(
    files: Sequence[Path | str],
    settings: Settings,
    *,
    as_of: dt.date | None = None,
    fail_fast: bool = False,
    jobs: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    skipped: Sequence[tuple[Path, str]] = (),
    named: Collection[str] = (),
) -> Report:
    """Validate many trackers, each in a bounded worker; one report per file, in order.

    ``skipped`` and ``named`` come from discovery: files left out on purpose (reported
    ``skipped``), and the files the user named (an annotated copy named is validated).
    """
    return check_files(
        files,
        settings,
        as_of=as_of,
        fail_fast=fail_fast,
        jobs=jobs,
        progress=progress,
        skipped=skipped,
        named=named,
    )


def validate_book(
    book: GridSource, name: str, settings: Settings, *, as_of: dt.date | None = None
) -> FileReport:
    """Validate a workbook that is open (in Excel): the same pipeline, the same findings."""
    rules = RuleBook(dict(settings.rules))
    result = check_source(book, name, settings, rules)
    return finish(result, settings, as_of or dt.date.today(), rules)


def annotate(
    report: Report, limits: LimitSettings, *, in_place: bool = False, jobs: int | None = None
) -> list[AnnotationResult]:
    """Write each readable tracker's findings into it (a checked copy, or in place)."""
    from addin.outputs.annotate.files import annotate_reports

    return annotate_reports(report.files, limits, in_place=in_place, jobs=jobs)
