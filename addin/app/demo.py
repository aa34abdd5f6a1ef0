"""Use case ``pmo demo``: the main job, end to end, on the bundled sample portfolio.

The sample trackers are regenerated from their seeded generator (:mod:`addin.demo`;
byte-for-byte the files in ``workbooks/samples``), so the demo works from any install.
Then, through the same use cases the command line calls: validate them, annotate one
that has errors, consolidate them into the portfolio workbook, build the dashboard, the
steering pack (``steering.pptx``) and one status report per tracker, and write a fresh
tracker from the template.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from addin.app.consolidate import Outputs, consolidate, find_trackers, write_outputs
from addin.app.new_tracker import new_tracker
from addin.app.pack import steering_pack
from addin.app.report import report_paths, status_reports
from addin.app.validate import validate
from addin.core.findings import FileStatus
from addin.core.settings import Settings
from addin.demo import SAMPLES_AS_OF, write_samples
from addin.outputs.annotate.files import annotate_file, checked_path

Echo = Callable[[str], None]


def run_demo(
    outdir: Path, *, settings: Settings | None = None, echo: Echo = print
) -> dict[str, Path]:
    """Run the demo into ``outdir``; return a label -> path map of what it wrote."""
    settings = settings or Settings()
    outdir.mkdir(parents=True, exist_ok=True)
    trackers = outdir / "trackers"
    trackers.mkdir(exist_ok=True)
    write_samples(trackers)
    files = find_trackers([trackers]).files
    echo(
        f"sample portfolio: {len(files)} trackers in {trackers} (as of {SAMPLES_AS_OF.isoformat()})"
    )

    report = validate(files, settings, as_of=SAMPLES_AS_OF)
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

    run = consolidate(files, settings, as_of=SAMPLES_AS_OF)
    portfolio, dashboard = outdir / "portfolio.xlsx", outdir / "dashboard.xlsx"
    write_outputs(run, settings, Outputs(portfolio=portfolio, dashboard=dashboard))
    outputs["portfolio"], outputs["dashboard"] = portfolio, dashboard
    reds = [p.project_id or "" for p in run.projects if p.overall_rag == "Red"]
    echo(f"consolidate: {len(run.projects)} projects, Red: {', '.join(reds) or 'none'}")
    outputs["steering pack"] = steering_pack(run, outdir / "steering.pptx", settings)
    reports = outdir / "status reports"
    reports.mkdir(exist_ok=True)
    made = status_reports(
        files, report_paths(files, reports, "pptx", folder=True), settings, as_of=SAMPLES_AS_OF
    )
    written = [o for o in made if o.output is not None]
    echo(f"status reports: {len(written)} of {len(files)} trackers, in {reports}")
    for o in made:
        if o.output is None:
            echo(f"  {Path(o.source).name}: {o.reason}")
    outputs["status reports"] = reports
    outputs["new tracker"] = new_tracker(
        outdir / "New_Tracker.xlsx", settings, project_id="PRJ-0001", name="My new project"
    )
    outputs["sample trackers"] = trackers
    return outputs
