"""Use case ``pmo demo``: the main job, end to end, on the bundled sample portfolio.

The sample trackers are regenerated from their seeded generator (:mod:`addin.demo`;
byte-for-byte the files in ``workbooks/samples``), so the demo works from any install.
Then, through the same use cases the command line calls: validate them, annotate one
that has errors, write the sample capacity list and consolidate against it into the
portfolio workbook (with its Capacity sheet), build the dashboard (with its Resources
page), the steering pack (``steering.pptx``, with its trends and resource hot spots) and
one status report per tracker, upgrade a template-1.0 copy of a sample to the current
template, and write a fresh tracker from the template. The history database beside the
portfolio gets the samples' last few weeks (:mod:`addin.demo.weeks`) and today's run, so
the dashboard has a Trends page, the pack its trends and movers, and ``pmo history`` and
``pmo lessons search`` have data.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from addin.app.consolidate import Outputs, consolidate, write_outputs
from addin.app.find import find_trackers
from addin.app.history import history_url, open_history, remember, saved_line, trend
from addin.app.new_tracker import new_tracker
from addin.app.pack import steering_pack
from addin.app.report import report_paths, status_reports
from addin.app.resources import capacity_list
from addin.app.upgrade import upgrade
from addin.app.validate import validate
from addin.core.findings import FileStatus
from addin.core.settings import Settings
from addin.demo import SAMPLES_AS_OF, sample_trackers, write_samples
from addin.demo.staffing import CAPACITY_NAME, write_sample_capacity
from addin.demo.weeks import HISTORY_WEEKS, week_as_of, write_week
from addin.engine.run import PortfolioRun
from addin.history import Store
from addin.outputs.annotate.files import annotate_file, checked_path
from addin.outputs.dashboard.resource_data import resource_page
from addin.outputs.template import write_tracker
from addin.resources import load_of

Echo = Callable[[str], None]
#: The sample written as a template-1.0 tracker and upgraded, to show ``pmo upgrade-tracker``.
UPGRADE_SAMPLE = "EST-0403_Fire_Safety_Works"


def _say_resources(run: PortfolioRun, settings: Settings, echo: Echo) -> None:
    load = load_of(run)
    if load is None:
        return
    page = resource_page(load, settings)
    people: dict[str, list[str]] = {}
    for c in page.conflicts:
        people.setdefault(c.person, []).append(f"{c.period} {c.utilisation:.0%}")
    echo(f"resources: {len(people)} people over-allocated in the next {len(page.periods)} months")
    for person, when in people.items():
        projects = next(c.projects for c in page.conflicts if c.person == person)
        echo(f"  {person}: {', '.join(when)} ({projects})")


def past_weeks(store: Store, outdir: Path, settings: Settings, echo: Echo = print) -> None:
    """Store the samples' last :data:`HISTORY_WEEKS` weeks in the history (the demo's past).

    Each week's trackers are written to a temporary folder, consolidated as of that week
    and stored as its snapshot; the folder is removed.
    """
    with tempfile.TemporaryDirectory(prefix="pmo-demo-weeks-", dir=outdir) as tmp:
        for weeks in range(HISTORY_WEEKS, 0, -1):
            folder = Path(tmp) / f"week-{weeks}"
            files = write_week(folder, weeks, settings)
            past = consolidate(files, settings, as_of=week_as_of(weeks), for_workbook=False)
            remember(
                store,
                past,
                settings,
                source=f"demo: the samples {weeks} week{'s' if weeks > 1 else ''} earlier",
            )
    echo(f"history: {HISTORY_WEEKS} earlier weekly snapshots of the samples in {store.url}")


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

    capacity_file = write_sample_capacity(outdir / CAPACITY_NAME)
    outputs["capacity list"] = capacity_file
    capacity = capacity_list(settings, capacity_file)
    portfolio, dashboard = outdir / "portfolio.xlsx", outdir / "dashboard.xlsx"
    store = None
    if settings.history.enabled:
        url = history_url(None, settings, portfolio=portfolio)
        store = open_history(url, settings)
        past_weeks(store, outdir, settings, echo)
    try:
        run = consolidate(files, settings, as_of=SAMPLES_AS_OF, capacity=capacity, spill=outdir)
        trends = trend(store, run) if store is not None else None
        write_outputs(
            run, settings, Outputs(portfolio=portfolio, dashboard=dashboard), trends=trends
        )
        outputs["portfolio"], outputs["dashboard"] = portfolio, dashboard
        reds = [p.project_id or "" for p in run.projects if p.overall_rag == "Red"]
        echo(f"consolidate: {len(run.projects)} projects, Red: {', '.join(reds) or 'none'}")
        _say_resources(run, settings, echo)
        outputs["steering pack"] = steering_pack(
            run, outdir / "steering.pptx", settings, history=trends
        )
        if store is not None:
            echo(saved_line(remember(store, run, settings, source="demo"), store.url))
            echo(
                "  try: pmo history list; pmo history show DWP-0102; "
                'pmo lessons search "supplier delay"   (in ' + str(outdir) + ")"
            )
            if store.url.path is not None:
                outputs["history"] = store.url.path
    finally:
        if store is not None:
            store.close()
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
    old = write_tracker(
        outdir / "v1.0_Tracker.xlsx",
        dict(sample_trackers())[UPGRADE_SAMPLE],
        settings,
        version="1.0",
    )
    done = upgrade([old], settings, capacity=capacity)[0].done
    if done is not None and done.written is not None:
        outputs["upgraded tracker"] = done.written
        echo(
            f"upgrade-tracker: {old.name} (template 1.0) -> {done.written.name}: "
            + "; ".join(done.changes)
        )
    outputs["new tracker"] = new_tracker(
        outdir / "New_Tracker.xlsx", settings, project_id="PRJ-0001", name="My new project"
    )
    outputs["sample trackers"] = trackers
    return outputs
