"""The Findings sheet's rows, rendered in the workers like the data sheets' rows.

A messy portfolio holds hundreds of thousands of findings; building and rendering their
rows in the main process was its largest cost (2-3 s at 1,000 trackers). A tracker's own
findings do not depend on the day of the run, so its worker renders them
(:func:`finding_block`) in the order :func:`~addin.engine.pipeline.finish` sorts them,
and the cache keeps them with its other rows. The run's report of a file holds the same
findings unless the day or the other files added some (a stale Status Date, a Project ID
claimed twice): :func:`finding_blocks` takes the worker's block when the counts agree,
renders only the added rows and sets them among the worker's when the report says where
they stand (``FileReport.added_at``), and renders that file's rows itself otherwise, so
the sheet is the same either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from addin.core.findings import FileReport, Finding
from addin.core.words import printable
from addin.engine.pipeline import TrackerResult
from addin.engine.run import PortfolioRun
from addin.ooxml.sheetxml import render_columns
from addin.outputs.portfolio.columns import FINDING_COLUMNS
from addin.outputs.portfolio.prerender import RowBlock

#: The key of a tracker's Findings block among its prepared blocks (no kind is named so).
FINDINGS = "Findings"
_STYLES = [c.style for c in FINDING_COLUMNS]


def finding_cells(findings: Iterable[Finding], project_of: dict[str, str]) -> list[list[Any]]:
    """The Findings sheet's cells for ``findings`` (``project_of``: file -> its Project ID)."""
    return [
        [
            printable(f.file),
            project_of.get(f.file, ""),
            f.sheet,
            f.cell,
            f.field,
            str(f.rule),
            str(f.severity),
            printable(f.message),
            f.value,
        ]
        for f in findings
    ]


_OPEN, _CLOSE, _BETWEEN = b"<row>", b"</row>", b"</row><row>"


def _rendered(rows: Sequence[Sequence[Any]]) -> list[bytes]:
    return render_columns([list(c) for c in zip(*rows, strict=True)], _STYLES)


def _block(rows: Sequence[Sequence[Any]]) -> RowBlock:
    return _joined(_rendered(rows))


def _joined(rendered: list[bytes]) -> RowBlock:
    return RowBlock.of(_OPEN + _BETWEEN.join(rendered) + _CLOSE, len(rendered), ())


def _with_added(own: RowBlock, report: FileReport, project_of: dict[str, str]) -> RowBlock | None:
    """The worker's rows of a file with the rows of the findings the run added set among them.

    None when the block does not split into its count of rows (then it is rendered anew).
    A cell's text is escaped, so ``</row><row>`` only ever stands between two rows.
    """
    xml = own.xml
    if not (xml.startswith(_OPEN) and xml.endswith(_CLOSE)):
        return None
    rows = xml[len(_OPEN) : -len(_CLOSE)].split(_BETWEEN)
    if len(rows) != own.count:
        return None
    added = _rendered(finding_cells([report.findings[i] for i in report.added_at], project_of))
    for at, row in zip(report.added_at, added, strict=True):
        rows.insert(at, row)  # ascending: each lands where the report has it
    return _joined(rows)


def finding_block(result: TrackerResult) -> RowBlock | None:
    """A tracker's own findings as Findings rows, in its report's order (None: it has none)."""
    if not result.findings:
        return None  # the result holds them sorted already (see TrackerResult.findings)
    return _block(finding_cells(result.findings, {result.file: result.project_id}))


def finding_blocks(run: PortfolioRun) -> list[RowBlock]:
    """Every finding of the run as blocks, in order: the workers' when they hold the report's.

    The run's findings are its reports' findings, file by file, then any the run added
    after (resource loads); a run read back from a workbook has no reports.
    """
    project_of = run.project_of()
    findings = run.findings
    out: list[RowBlock] = []
    at = 0
    for report in run.reports:
        n = len(report.findings)
        if not n:
            continue
        if findings[at : at + n] != report.findings:
            break  # not laid out file by file: the rest is rendered here
        made = run.prepared.get(report.file)
        block = made.get(FINDINGS) if isinstance(made, dict) else None
        if isinstance(block, RowBlock) and block.count + len(report.added_at) == n:
            # the worker's rows, as they are when nothing was added on the day
            block = _with_added(block, report, project_of) if report.added_at else block
        else:
            block = None
        out.append(block or _block(finding_cells(report.findings, project_of)))
        at += n
    if at < len(findings):
        out.append(_block(finding_cells(findings[at:], project_of)))
    return out
