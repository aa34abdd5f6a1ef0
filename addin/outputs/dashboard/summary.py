"""What the steering dashboard shows, as plain data computed from a :class:`PortfolioRun`.

:func:`summarise` is pure: it reads the Projects rows (whose RAGs, flags and
metrics the RAG engine computed), the Milestones and RAID rows, the findings and
the load log, and returns a :class:`DashboardData`. It never recomputes a RAG or
a project metric; it counts, sums, sorts and selects. The portfolio's VAC % is
:func:`addin.rag.vac_pct`, RAG order is :data:`addin.model.RAG_ORDER`, open risks
and their effective severity come from :func:`addin.engine.consolidate.open_risks`.
Per-milestone slippage and overdue status come from the engine (addin.rag) through
:func:`slippage_days` (its per-project maximum is the engine's Max Slippage).

The data classes live in :mod:`addin.outputs.dashboard.data`; the workbook writer
(:mod:`addin.outputs.dashboard.writer`) only lays them out, so tests can assert the
workbook against them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from addin.core.domain import RAG_ORDER, Rag
from addin.core.settings import Settings
from addin.core.words import printable
from addin.engine.run import PortfolioRun, ProjectStatus
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
from addin.outputs.dashboard.resource_data import resource_page
from addin.rag import vac_pct
from addin.resources import load_of

#: How many milestone slippages the chart shows.
WORST_SLIPPAGES = 10
#: Label of projects without a programme.
NO_PROGRAMME = "(no programme)"
#: Label of projects without a project manager.
NO_MANAGER = "(no project manager)"

RAGS = (Rag.RED.value, Rag.AMBER.value, Rag.GREEN.value)


def rag_rank(value: Any) -> int:
    """Rank of a RAG word for sorting: Red 2, Amber 1, Green 0, anything else -1."""
    return RAG_ORDER.get(Rag(value), -1) if value in RAGS else -1


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
                budget=_sum(rows, "budget"),
                eac=_sum(rows, "eac"),
            )
        )
    return tuple(out)


def _matrix(projects: Sequence[ProjectStatus]) -> tuple[MatrixRow, ...]:
    rows = [
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
        )
        for p in projects
    ]
    rows.sort(
        key=lambda r: (
            -rag_rank(r.overall),
            -rag_rank(r.schedule),
            -rag_rank(r.cost),
            -rag_rank(r.risk),
            r.project_id,
        )
    )
    return tuple(rows)


def _exceptions(portfolio: PortfolioRun, matrix: Sequence[MatrixRow]) -> tuple[ExceptionRow, ...]:
    by_id = {_text(p.project_id): p for p in portfolio.projects}
    out: list[ExceptionRow] = []
    for kind in ("Red", "Optimism", "Stale"):
        for m in matrix:
            hit = {"Red": m.overall == "Red", "Optimism": m.optimism, "Stale": m.stale}[kind]
            if not hit:
                continue
            p = by_id.get(m.project_id)
            status = p.status_date if p is not None else None
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
                    age_days=(portfolio.as_of - status).days if status is not None else None,
                    reasons=p.reasons if p is not None else (),
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
    ahead_days: int = AHEAD_DAYS,
    worst_slippages: int = WORST_SLIPPAGES,
) -> DashboardData:
    """Compute everything the dashboard shows from a portfolio (pure; no I/O).

    Args:
        portfolio: The consolidated portfolio (its Projects rows carry the engine's RAGs).
        settings: Settings (severity scores for open risks, currency).
        previous: The previous portfolio, for the trend; None for no trend.
        ahead_days: Milestones forecast within this many days of as-of are listed.
        worst_slippages: How many milestone slippages the chart shows.
    """
    programmes = _programmes(portfolio.projects)
    matrix = _matrix(portfolio.projects)
    quality_projects, quality_managers, unloaded = _quality(portfolio)
    return DashboardData(
        name=portfolio.name or settings.portfolio_name,
        as_of=portfolio.as_of,
        tiles=_tiles(portfolio, len(programmes)),
        programmes=programmes,
        slippages=slippages(portfolio, worst_slippages),
        matrix=matrix,
        exceptions=_exceptions(portfolio, matrix),
        milestones=milestones_ahead(portfolio, ahead_days),
        top_risks=top_risks(portfolio, settings),
        quality_projects=quality_projects,
        quality_managers=quality_managers,
        unloaded=unloaded,
        trend=_trend(portfolio, previous, matrix) if previous is not None else None,
        resources=resource_page(load, settings) if (load := load_of(portfolio)) else None,
        currency=settings.currency,
        ahead_days=ahead_days,
        generated=portfolio.generated,
    )
