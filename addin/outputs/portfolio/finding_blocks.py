"""The Findings sheet's rows, rendered in the workers like the data sheets' rows.

A messy portfolio holds hundreds of thousands of findings; building and rendering their
rows in the main process was its largest cost (2-3 s at 1,000 trackers). A tracker's own
findings do not depend on the day of the run, so its worker renders them
(:func:`own_blocks`) in the order :func:`~addin.engine.pipeline.finish` gives them, and
the cache keeps them with its other rows. The run's report of a file holds the same
findings unless the day or the other files added some (a stale Status Date, a Project ID
claimed twice): :func:`finding_blocks` takes the worker's blocks when the counts agree,
renders only the added rows and sets them among the worker's when the report says where
they stand (``FileReport.added_at``), and renders that file's rows itself otherwise, so
the sheet is the same either way. The worker cuts a file's rows in two where findings
about its Status Date would stand: the day's usual additions (a Status Date gone stale,
or in the future) then go between the two blocks as they are, and no file's rows are
inflated, split and deflated again for them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from addin.core.chunked import Chunked
from addin.core.findings import FileReport, Finding, Severity, place_of
from addin.core.rule_ids import RuleId
from addin.core.words import printable
from addin.engine.pipeline import TrackerResult
from addin.engine.run import PortfolioRun
from addin.ooxml.sheetxml import render_columns
from addin.outputs.portfolio.columns import FINDING_COLUMNS
from addin.outputs.portfolio.prerender import RowBlock

#: The key of a tracker's Findings block among its prepared blocks (no kind is named so).
FINDINGS = "Findings"
#: The key of the rest of its Findings rows, when they are cut in two (see :func:`own_blocks`).
FINDINGS_AFTER = "Findings after the Status Date"
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


def _added(report: FileReport) -> list[Finding]:
    """The findings the run added to a file's own (read one by one: see PackedWithAdded)."""
    return [report.findings[i] for i in report.added_at]


def _with_added(
    own: Sequence[RowBlock], report: FileReport, project_of: dict[str, str]
) -> RowBlock | None:
    """The worker's rows of a file with the rows of the findings the run added set among them.

    None when the blocks do not split into their count of rows (then it is rendered anew).
    A cell's text is escaped, so ``</row><row>`` only ever stands between two rows.
    """
    xml = b"".join(block.xml for block in own)
    if not (xml.startswith(_OPEN) and xml.endswith(_CLOSE)):
        return None
    rows = xml[len(_OPEN) : -len(_CLOSE)].split(_BETWEEN)
    if len(rows) != sum(block.count for block in own):
        return None
    added = _rendered(finding_cells(_added(report), project_of))
    for at, row in zip(report.added_at, added, strict=True):
        rows.insert(at, row)  # ascending: each lands where the report has it
    return _joined(rows)


def _around(
    own: Sequence[RowBlock], report: FileReport, project_of: dict[str, str]
) -> list[RowBlock] | None:
    """The worker's blocks with the run's rows between two of them, as they are.

    None unless the report has the added findings one after the other, where one of the
    worker's blocks ends (or before the first).
    """
    first, count = report.added_at[0], len(report.added_at)
    ends = [0, *itertools.accumulate(block.count for block in own)]  # rows before each gap
    if report.added_at != tuple(range(first, first + count)) or first not in ends:
        return None
    at = ends.index(first)
    added = finding_cells(_added(report), project_of)
    return [*own[:at], _block(added), *own[at:]]


def own_blocks(result: TrackerResult) -> dict[str, RowBlock]:
    """A tracker's own findings as Findings rows, in its report's order ({}: it has none).

    Cut in two (:data:`FINDINGS`, :data:`FINDINGS_AFTER`) where findings about the Status
    Date cell stand, when that is among them (see the module docstring).
    """
    if not result.findings:
        return {}
    rows = finding_cells(result.findings, {result.file: result.project_id})
    sheet, row, col = result.status_date_at
    if sheet:
        probe = Finding(RuleId.PROJECT_STALE, Severity.WARNING, "", result.file, sheet, row, col)
        cut = place_of(result.findings, probe, result.sheet_order)
        if 0 < cut < len(rows):
            return {FINDINGS: _block(rows[:cut]), FINDINGS_AFTER: _block(rows[cut:])}
    return {FINDINGS: _block(rows)}


def _own(made: object) -> list[RowBlock] | None:
    """The Findings blocks a worker made of a file, in order; None when there are none."""
    if not isinstance(made, dict):
        return None
    blocks = [made.get(FINDINGS), made.get(FINDINGS_AFTER)]
    if not isinstance(blocks[0], RowBlock):
        return None
    return [b for b in blocks if isinstance(b, RowBlock)]


def finding_blocks(run: PortfolioRun) -> list[RowBlock]:
    """Every finding of the run as blocks, in order: the workers' when they hold the report's.

    The run's findings are its reports' findings, file by file, then any the run added
    after (resource loads); a run read back from a workbook has no reports.
    """
    project_of = run.project_of()
    findings = run.findings
    # the files' own findings, one after another, as the run holds them: each file's is
    # known by identity, without reading it (a large run's are packed: read, made again)
    chunks = findings.chunks if isinstance(findings, Chunked) else ()
    out: list[RowBlock] = []
    at = 0
    for k, report in enumerate(r for r in run.reports if r.findings):
        n = len(report.findings)
        if k < len(chunks) and chunks[k] is report.findings:
            pass
        elif findings[at : at + n] != report.findings:
            break  # not laid out file by file: the rest is rendered here
        else:
            chunks = ()  # laid out so, but not as the files' own: compared from here on
        own = _own(run.prepared.get(report.file))
        if own is None or sum(b.count for b in own) + len(report.added_at) != n:
            out.append(_block(finding_cells(report.findings, project_of)))
        elif not report.added_at:
            out.extend(own)  # the worker's rows, as they are when nothing was added on the day
        else:
            around = _around(own, report, project_of)
            if around is None:
                block = _with_added(own, report, project_of)
                around = [block or _block(finding_cells(report.findings, project_of))]
            out.extend(around)
        at += n
    if at < len(findings):
        out.append(_block(finding_cells(findings[at:], project_of)))
    return out
