"""What the steering dashboard shows, as plain data computed from a :class:`PortfolioRun`.

:func:`summarise` is pure: it reads the Projects rows (whose RAGs, flags and
metrics the RAG engine computed), the Milestones and RAID rows, the findings and
the load log, and returns a :class:`DashboardData`. It never recomputes a RAG or
a project metric; it counts, sums, sorts and selects. The portfolio's VAC % is
:func:`addin.rag.vac_pct`, RAG order is :data:`addin.core.domain.RAG_ORDER` (Red, No
data, Amber, Green: a project nothing is known about comes before a known Amber), open risks
and their effective severity come from :func:`addin.engine.consolidate.open_risks`.
Per-milestone slippage and overdue status come from the engine (addin.rag) through
:func:`slippage_days` (its per-project maximum is the engine's Max Slippage).

The data classes live in :mod:`addin.outputs.dashboard.data`; the workbook writer
(:mod:`addin.outputs.dashboard.writer`) only lays them out, so tests can assert the
workbook against them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from addin.core.domain import Rag, rag_rank
from addin.core.settings import Settings
from addin.core.words import printable
from addin.engine.run import PortfolioRun, ProjectStatus
from addin.engine.trend import TrendData
from addin.outputs.dashboard.ahead import milestones_ahead, slippages, top_risks
from addin.outputs.dashboard.data import (
    AHEAD_DAYS,
    ARROW_BETTER,
    ARROW_NEW,
    ARROW_SAME,
    ARROW_WORSE,
    DashboardData,
    ExceptionRow,
    MatrixRow,
    ProgrammeRow,
    QualityRow,
    Tile,
    Trend,
    TrendRow,
    UnloadedFile,
)
from addin.outputs.dashboard.lessons import lessons_summary
from addin.outputs.dashboard.resource_data import resource_page
from addin.rag import vac_pct
from addin.resources import load_of

#: How many milestone slippages the chart shows.
WORST_SLIPPAGES = 10
#: Label of projects without a programme.
NO_PROGRAMME = "(no programme)"
#: Label of projects without a project manager.
NO_MANAGER = "(no project manager)"

RAGS = (Rag.RED.value, Rag.AMBER.value, Rag.GREEN.value, Rag.NO_DATA.value)
NO_DATA = Rag.NO_DATA.value


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value != value:  # NaN
        return None
    return float(value)


# --- computing it ----------------------------------------------------------------------------


def _share(n: int, total: int) -> float:
    return n / total if total else 0.0


def _sum(rows: Iterable[ProjectStatus], key: str) -> float:
    return sum(v for v in (_number(getattr(r, key)) for r in rows) if v is not None)


def _tiles(portfolio: PortfolioRun, programmes: int) -> tuple[Tile, ...]:
    projects = portfolio.projects
    n = len(projects)
    count = {rag: sum(1 for p in projects if p.overall_rag == rag) for rag in RAGS}
    budget = _sum(projects, "budget")
    eac = _sum(projects, "eac")
    missing_eac = sum(1 for p in projects if p.eac is None)
    both = [p for p in projects if p.eac is not None and p.budget]
    variance = vac_pct(_sum(both, "eac"), _sum(both, "budget")) if both else None
    if missing_eac:
        eac_note = f"no EAC for {missing_eac} project{'s' if missing_eac > 1 else ''}"
    elif variance is not None:
        eac_note = f"{variance * 100:+.1f}% vs budget"
    else:
        eac_note = ""
    stale = sum(1 for p in projects if p.stale)
    optimism = sum(1 for p in projects if p.optimism)
    return (
        Tile(
            "projects",
            "Projects",
            n,
            note=f"in {programmes} programme{'s' if programmes != 1 else ''}",
            link="RAG Matrix",
        ),
        Tile(
            "red", "Red", count["Red"], share=_share(count["Red"], n), link="Exceptions", rag="Red"
        ),
        Tile(
            "amber",
            "Amber",
            count["Amber"],
            share=_share(count["Amber"], n),
            link="RAG Matrix",
            rag="Amber",
        ),
        Tile(
            "green",
            "Green",
            count["Green"],
            share=_share(count["Green"], n),
            link="RAG Matrix",
            rag="Green",
        ),
        Tile(
            "no_data",
            NO_DATA,
            count[NO_DATA],
            share=_share(count[NO_DATA], n),
            link="Exceptions",
            rag=NO_DATA,
        ),
        Tile("budget", "Total budget", budget, kind="money", note="budget at completion"),
        Tile("eac", "Total EAC", eac, kind="money", note=eac_note),
        Tile(
            "overdue_milestones",
            "Overdue milestones",
            sum(p.overdue_milestones for p in projects),
            note="before status date",
            link="Milestones ahead",
        ),
        Tile(
            "open_high_critical",
            "Open High/Critical",
            sum(p.open_high_risks for p in projects),
            note="risks and issues",
            link="Top risks",
        ),
        Tile("stale", "Stale reports", stale, share=_share(stale, n), link="Exceptions"),
        Tile("optimism", "Optimism flags", optimism, share=_share(optimism, n), link="Exceptions"),
    )


def _programmes(projects: Sequence[ProjectStatus]) -> tuple[ProgrammeRow, ...]:
    groups: dict[str, list[ProjectStatus]] = defaultdict(list)
    for p in projects:
        groups[_text(p.programme).strip() or NO_PROGRAMME].append(p)
    out = []
    for name in sorted(groups, key=lambda g: (g == NO_PROGRAMME, g.casefold())):
        rows = groups[name]
        out.append(
            ProgrammeRow(
                programme=name,
                projects=len(rows),
                red=sum(1 for p in rows if p.overall_rag == "Red"),
                amber=sum(1 for p in rows if p.overall_rag == "Amber"),
                green=sum(1 for p in rows if p.overall_rag == "Green"),
                no_data=sum(1 for p in rows if p.overall_rag == NO_DATA),
                budget=_sum(rows, "budget"),
                eac=_sum(rows, "eac"),
            )
        )
    return tuple(out)


def _ranked(projects: Sequence[ProjectStatus]) -> list[tuple[MatrixRow, ProjectStatus]]:
    """Each project's matrix row beside the project, worst first.

    Kept in pairs so that a list built from the matrix (Exceptions) takes each project's
    own reasons, even when several projects share a Project ID or have none.
    """
    pairs = [
        (
            MatrixRow(
                project_id=_text(p.project_id),
                project_name=_text(p.project_name),
                programme=_text(p.programme),
                project_manager=_text(p.project_manager),
                schedule=p.schedule_rag,
                cost=p.cost_rag,
                risk=p.risk_rag,
                overall=p.overall_rag,
                reported=_text(p.reported_rag),
                stale=p.stale,
                optimism=p.optimism,
                top_reason=(p.reasons[0] if p.reasons else ""),
            ),
            p,
        )
        for p in projects
    ]
    pairs.sort(
        key=lambda pair: (
            -rag_rank(pair[0].overall),
            -rag_rank(pair[0].schedule),
            -rag_rank(pair[0].cost),
            -rag_rank(pair[0].risk),
            pair[0].project_id,
        )
    )
    return pairs


def _no_data(m: MatrixRow) -> bool:
    return NO_DATA in (m.overall, m.schedule, m.cost, m.risk)


def _no_data_reasons(p: ProjectStatus) -> tuple[str, ...]:
    """The reasons that say what is missing (``Cost No data: ...``, ``Stale: no Status Date``)."""
    marker = f" {NO_DATA}: "
    return tuple(r for r in p.reasons if marker in r or r == "Stale: no Status Date")


#: Exception groups in the order the sheet lists them.
EXCEPTION_KINDS = ("Red", NO_DATA, "Optimism", "Stale")


def _exceptions(
    as_of: dt.date, ranked: Sequence[tuple[MatrixRow, ProjectStatus]]
) -> tuple[ExceptionRow, ...]:
    """Red projects, projects with a dimension of No data, optimism flags, stale reports.

    A project of the No data group lists only the reasons that say what is missing.
    """
    out: list[ExceptionRow] = []
    for kind in EXCEPTION_KINDS:
        for m, p in ranked:
            hit = {
                "Red": m.overall == "Red",
                NO_DATA: _no_data(m),
                "Optimism": m.optimism,
                "Stale": m.stale,
            }[kind]
            if not hit:
                continue
            status = p.status_date
            out.append(
                ExceptionRow(
                    kind=kind,
                    project_id=m.project_id,
                    project_name=m.project_name,
                    programme=m.programme,
                    project_manager=m.project_manager,
                    reported=m.reported,
                    overall=m.overall,
                    status_date=status,
                    age_days=(as_of - status).days if status is not None else None,
                    reasons=_no_data_reasons(p) if kind == NO_DATA else p.reasons,
                )
            )
    return tuple(out)


def _league(rows: Iterable[QualityRow]) -> tuple[QualityRow, ...]:
    return tuple(sorted(rows, key=lambda q: (-q.errors, -q.warnings, -q.files, q.name)))


def _quality(
    portfolio: PortfolioRun,
) -> tuple[tuple[QualityRow, ...], tuple[QualityRow, ...], tuple[UnloadedFile, ...]]:
    files: dict[str, int] = defaultdict(int)
    for entry in portfolio.load_log:
        files[entry.project_id] += 1
    projects = []
    managers: dict[str, list[QualityRow]] = defaultdict(list)
    for p in portfolio.projects:
        pid = _text(p.project_id)
        row = QualityRow(
            name=pid,
            detail=_text(p.project_name),
            errors=p.errors,
            warnings=p.warnings,
            files=max(files.get(pid, 0), 1) if pid else 1,
        )
        projects.append(row)
        managers[_text(p.project_manager).strip() or NO_MANAGER].append(row)
    pms = [
        QualityRow(
            name=pm,
            detail=", ".join(r.name for r in rows),
            errors=sum(r.errors for r in rows),
            warnings=sum(r.warnings for r in rows),
            files=sum(r.files for r in rows),
        )
        for pm, rows in managers.items()
    ]
    loaded = {p.source_file for p in portfolio.projects}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for f in portfolio.findings:
        counts[(f.file, str(f.severity))] += 1
    unloaded = tuple(
        UnloadedFile(
            file=printable(e.file),
            status=str(e.status),
            reason=printable(e.reason),
            errors=counts[(e.file, "error")],
            warnings=counts[(e.file, "warning")],
        )
        for e in portfolio.load_log
        if printable(e.file) not in loaded
    )
    return _league(projects), _league(pms), unloaded


def _arrow(before: str | None, now: str) -> str:
    if before is None:
        return ARROW_NEW
    was, is_ = rag_rank(before), rag_rank(now)
    if is_ > was:
        return ARROW_WORSE
    if is_ < was:
        return ARROW_BETTER
    return ARROW_SAME


def _trend(portfolio: PortfolioRun, previous: PortfolioRun, matrix: Sequence[MatrixRow]) -> Trend:
    before = {_text(p.project_id): p.overall_rag for p in previous.projects}
    rows = tuple(
        TrendRow(
            project_id=m.project_id,
            project_name=m.project_name,
            programme=m.programme,
            before=before.get(m.project_id),
            now=m.overall,
            arrow=_arrow(before.get(m.project_id), m.overall),
        )
        for m in matrix
    )
    now_ids = {m.project_id for m in matrix}
    return Trend(
        previous_as_of=previous.as_of,
        rows=rows,
        new_reds=tuple(r for r in rows if r.now == "Red" and r.before != "Red"),
        recovered=tuple(r for r in rows if r.before == "Red" and r.now != "Red"),
        dropped=tuple(sorted(pid for pid in before if pid not in now_ids)),
    )


def summarise(
    portfolio: PortfolioRun,
    settings: Settings,
    previous: PortfolioRun | None = None,
    *,
    trends: TrendData | None = None,
    ahead_days: int = AHEAD_DAYS,
    worst_slippages: int = WORST_SLIPPAGES,
) -> DashboardData:
    """Compute everything the dashboard shows from a portfolio (pure; no I/O).

    Args:
        portfolio: The consolidated portfolio (its Projects rows carry the engine's RAGs).
        settings: Settings (severity scores for open risks, currency).
        previous: The previous portfolio, for the trend; None for no trend.
        trends: The trend over the history's last snapshots (the Trends page), or None.
        ahead_days: Milestones forecast within this many days of as-of are listed.
        worst_slippages: How many milestone slippages the chart shows.
    """
    programmes = _programmes(portfolio.projects)
    ranked = _ranked(portfolio.projects)
    matrix = tuple(m for m, _ in ranked)
    quality_projects, quality_managers, unloaded = _quality(portfolio)
    return DashboardData(
        name=portfolio.name or settings.portfolio_name,
        as_of=portfolio.as_of,
        tiles=_tiles(portfolio, len(programmes)),
        programmes=programmes,
        slippages=slippages(portfolio, worst_slippages),
        matrix=matrix,
        exceptions=_exceptions(portfolio.as_of, ranked),
        milestones=milestones_ahead(portfolio, ahead_days),
        top_risks=top_risks(portfolio, settings),
        quality_projects=quality_projects,
        quality_managers=quality_managers,
        unloaded=unloaded,
        trend=_trend(portfolio, previous, matrix) if previous is not None else None,
        trends=trends,
        lessons=lessons_summary(portfolio, settings),
        resources=resource_page(load, settings) if (load := load_of(portfolio)) else None,
        currency=settings.currency,
        ahead_days=ahead_days,
        generated=portfolio.generated,
    )
