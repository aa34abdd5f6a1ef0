"""``pmo demo``: the main job, end to end, on the bundled sample portfolio.

The sample trackers are regenerated from their seeded generator
(:mod:`addin.demo.samples`; byte-for-byte the files in ``workbooks/samples``), so the
demo works from any install. Then: validate them, annotate one that has errors,
consolidate them into the portfolio workbook, build the dashboard, and write a
fresh tracker from the template.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from addin.core.findings import FileStatus
from addin.core.settings import Settings
from addin.demo.samples import SAMPLES_AS_OF, write_samples

Echo = Callable[[str], None]


def run_demo(
    outdir: Path, *, settings: Settings | None = None, echo: Echo = print
) -> dict[str, Path]:
    """Run the demo into ``outdir``; return a label -> path map of what it wrote."""
    from addin.checks.validate import check_files
    from addin.engine.consolidate import consolidate
    from addin.engine.discover import discover
    from addin.outputs.annotate import annotate_file, checked_path
    from addin.outputs.dashboard import write_dashboard
    from addin.outputs.portfolio import write_portfolio
    from addin.outputs.template import new_tracker

    settings = settings or Settings()
    outdir.mkdir(parents=True, exist_ok=True)
    trackers = outdir / "trackers"
    trackers.mkdir(exist_ok=True)
    write_samples(trackers)
    files = discover([trackers]).files
    echo(
        f"sample portfolio: {len(files)} trackers in {trackers} (as of {SAMPLES_AS_OF.isoformat()})"
    )

    report = check_files(files, settings, as_of=SAMPLES_AS_OF)
    summary = report.summary()
    echo(
        f"validate: {summary['valid']} valid, {summary['invalid']} invalid; "
        f"{summary['errors']} errors, {summary['warnings']} warnings"
    )
    for fr in report.files:
        if fr.status is FileStatus.INVALID:
            echo(f"  {Path(fr.file).name}: {fr.reason}")
    outputs: dict[str, Path] = {}
    first_invalid = next((fr for fr in report.files if fr.status is FileStatus.INVALID), None)
    if first_invalid is not None:
        source = Path(first_invalid.file)
        outputs["annotated tracker"] = annotate_file(
            source, first_invalid.findings, out=outdir / checked_path(source).name
        )

    result = consolidate(files, settings, as_of=SAMPLES_AS_OF, cache_path=None)
    outputs["portfolio"] = write_portfolio(
        outdir / "portfolio.xlsx", result.portfolio, result.tables, settings
    )
    reds = [p["project_id"] for p in result.portfolio.projects if p["overall_rag"] == "Red"]
    echo(
        f"consolidate: {len(result.portfolio.projects)} projects, Red: {', '.join(reds) or 'none'}"
    )
    outputs["dashboard"] = write_dashboard(outdir / "dashboard.xlsx", result.portfolio, settings)
    outputs["new tracker"] = new_tracker(
        outdir / "New_Tracker.xlsx", settings, project_id="PRJ-0001", name="My new project"
    )
    outputs["sample trackers"] = trackers
    return outputs
