"""What the steering dashboard shows, as plain data computed from a :class:`Portfolio`.

:func:`summarise` is pure: it reads the Projects rows (whose RAGs, flags and
metrics the RAG engine computed), the Milestones and RAID rows, the findings and
the load log, and returns a :class:`DashboardData`. It never recomputes a RAG or
a project metric; it counts, sums, sorts and selects. The portfolio's VAC % is
:func:`addin.rag.vac_pct`, RAG order is :data:`addin.model.RAG_ORDER`, open risks
and their effective severity come from :func:`addin.consolidate.open_risks`.
Per-milestone slippage and overdue status come from the engine (addin.rag) through
:func:`slippage_days` (its per-project maximum is the engine's Max Slippage).

The data classes live in :mod:`addin.dashboard.data`; the workbook writer
(:mod:`addin.dashboard.writer`) only lays them out, so tests can assert the
workbook against them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from addin.config import Settings
from addin.consolidate import open_risks
from addin.dashboard.data import (
    AHEAD_DAYS,
    ARROW_BETTER,
    ARROW_NEW,
    ARROW_SAME,
    ARROW_WORSE,
    DashboardData,
    ExceptionRow,
    MatrixRow,
    MilestoneRow,
    ProgrammeRow,
    QualityRow,
    RiskRow,
    Slippage,
    Tile,
    Trend,
    TrendRow,
    UnloadedFile,
)
from addin.model import RAG_ORDER, Rag
from addin.portfolio import Portfolio
from addin.rag import milestone_overdue, milestone_slippage, vac_pct

#: How many milestone slippages the chart shows.
WORST_SLIPPAGES = 10
#: Severities listed on the Top risks sheet, worst first.
TOP_SEVERITIES = ("Critical", "High")
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


def _yes(value: Any) -> bool:
    return value == "Yes" or value is True


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value != value:  # NaN
        return None
    return float(value)


def _int(value: Any) -> int:
    n = _number(value)
    return int(n) if n is not None else 0


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def reasons_of(joined: Any) -> tuple[str, ...]:
    """A project's RAG reasons, split from the Projects sheet's ``; ``-joined text."""
    return tuple(r.strip() for r in _text(joined).split("; ") if r.strip())


def top_reason(joined: Any) -> str:
    """The first of a project's RAG reasons ("" when it has none)."""
    reasons = reasons_of(joined)
    return reasons[0] if reasons else ""


# --- computing it ----------------------------------------------------------------------------


def _share(n: int, total: int) -> float:
    return n / total if total else 0.0


def _sum(rows: Iterable[Mapping[str, Any]], key: str) -> float:
    return sum(v for v in (_number(r.get(key)) for r in rows) if v is not None)


def _tiles(portfolio: Portfolio, programmes: int) -> tuple[Tile, ...]:
    projects = portfolio.projects
    n = len(projects)
    count = {rag: sum(1 for p in projects if p.get("overall_rag") == rag) for rag in RAGS}
    budget = _sum(projects, "budget")
    eac = _sum(projects, "eac")
    missing_eac = sum(1 for p in projects if _number(p.get("eac")) is None)
    both = [p for p in projects if _number(p.get("eac")) is not None and _number(p.get("budget"))]
    variance = vac_pct(_sum(both, "eac"), _sum(both, "budget")) if both else None
    if missing_eac:
        eac_note = f"no EAC for {missing_eac} project{'s' if missing_eac > 1 else ''}"
    elif variance is not None:
        eac_note = f"{variance * 100:+.1f}% vs budget"
    else:
        eac_note = ""
    stale = sum(1 for p in projects if _yes(p.get("stale")))
    optimism = sum(1 for p in projects if _yes(p.get("optimism")))
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
            sum(_int(p.get("overdue_milestones")) for p in projects),
            note="before status date",
            link="Milestones ahead",
        ),
        Tile(
            "open_high_critical",
            "Open High/Critical",
            sum(_int(p.get("open_high_risks")) for p in projects),
            note="risks and issues",
            link="Top risks",
        ),
        Tile("stale", "Stale reports", stale, share=_share(stale, n), link="Exceptions"),
        Tile("optimism", "Optimism flags", optimism, share=_share(optimism, n), link="Exceptions"),
    )


def _programmes(projects: Sequence[Mapping[str, Any]]) -> tuple[ProgrammeRow, ...]:
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for p in projects:
        groups[_text(p.get("programme")).strip() or NO_PROGRAMME].append(p)
    out = []
    for name in sorted(groups, key=lambda g: (g == NO_PROGRAMME, g.casefold())):
        rows = groups[name]
        out.append(
            ProgrammeRow(
                programme=name,
                projects=len(rows),
                red=sum(1 for p in rows if p.get("overall_rag") == "Red"),
                amber=sum(1 for p in rows if p.get("overall_rag") == "Amber"),
                green=sum(1 for p in rows if p.get("overall_rag") == "Green"),
                budget=_sum(rows, "budget"),
                eac=_sum(rows, "eac"),
            )
        )
    return tuple(out)


def _matrix(projects: Sequence[Mapping[str, Any]]) -> tuple[MatrixRow, ...]:
    rows = [
        MatrixRow(
            project_id=_text(p.get("project_id")),
            project_name=_text(p.get("project_name")),
            programme=_text(p.get("programme")),
            project_manager=_text(p.get("project_manager")),
            schedule=_text(p.get("schedule_rag")),
            cost=_text(p.get("cost_rag")),
            risk=_text(p.get("risk_rag")),
            overall=_text(p.get("overall_rag")),
            reported=_text(p.get("reported_rag")),
            stale=_yes(p.get("stale")),
            optimism=_yes(p.get("optimism")),
            top_reason=top_reason(p.get("rag_reasons")),
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


def _exceptions(portfolio: Portfolio, matrix: Sequence[MatrixRow]) -> tuple[ExceptionRow, ...]:
    by_id = {_text(p.get("project_id")): p for p in portfolio.projects}
    out: list[ExceptionRow] = []
    for kind in ("Red", "Optimism", "Stale"):
        for m in matrix:
            hit = {"Red": m.overall == "Red", "Optimism": m.optimism, "Stale": m.stale}[kind]
            if not hit:
                continue
            p = by_id.get(m.project_id, {})
            status = _date(p.get("status_date"))
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
                    reasons=reasons_of(p.get("rag_reasons")),
                )
            )
    return tuple(out)


def slippage_days(milestone: Mapping[str, Any]) -> int | None:
    """Slippage of one milestone row as RAG_RULES v1 defines it, or None.

    Forecast Date - Baseline Date in days, over milestones not Achieved (None when
    Achieved or a date is missing). The per-project maximum of this is the
    engine's ``max_slippage_days``.
    """
    return milestone_slippage(
        milestone.get("status"),
        _date(milestone.get("baseline_date")),
        _date(milestone.get("forecast_date")),
    )


def _slippages(portfolio: Portfolio, limit: int) -> tuple[Slippage, ...]:
    items = []
    for ms in portfolio.milestones:
        days = slippage_days(ms)
        if days is not None and days > 0:
            items.append(
                Slippage(
                    _text(ms.get("project_id")),
                    _text(ms.get("milestone_id")),
                    _text(ms.get("milestone")),
                    days,
                )
            )
    items.sort(key=lambda s: (-s.days, s.project_id, s.milestone_id))
    return tuple(items[:limit])


def _milestones(portfolio: Portfolio, ahead_days: int) -> tuple[MilestoneRow, ...]:
    projects = {_text(p.get("project_id")): p for p in portfolio.projects}
    as_of = portfolio.as_of
    out = []
    for ms in portfolio.milestones:
        if ms.get("status") == "Achieved":
            continue
        forecast = _date(ms.get("forecast_date"))
        if forecast is None:
            continue
        project = projects.get(_text(ms.get("project_id")), {})
        d = _date(project.get("status_date")) or as_of
        if milestone_overdue(ms.get("status"), forecast, d):
            when = "Overdue"
        elif forecast < as_of:
            when = "Passed since report"
        elif (forecast - as_of).days <= ahead_days:  # no date arithmetic past 9999-12-31
            when = "Due soon"
        else:
            continue
        out.append(
            MilestoneRow(
                when=when,
                project_id=_text(ms.get("project_id")),
                project_name=_text(project.get("project_name")),
                milestone_id=_text(ms.get("milestone_id")),
                milestone=_text(ms.get("milestone")),
                owner=_text(ms.get("owner")),
                status=_text(ms.get("status")),
                baseline=_date(ms.get("baseline_date")),
                forecast=forecast,
                slippage_days=slippage_days(ms),
                days_from_as_of=(forecast - as_of).days,
            )
        )
    order = {"Overdue": 0, "Passed since report": 1, "Due soon": 2}
    out.sort(key=lambda m: (order[m.when], m.forecast, m.project_id, m.milestone_id))
    return tuple(out)


def _top_risks(portfolio: Portfolio, settings: Settings) -> tuple[RiskRow, ...]:
    names = {_text(p.get("project_id")): _text(p.get("project_name")) for p in portfolio.projects}
    rank = {s: i for i, s in enumerate(TOP_SEVERITIES)}
    rows = [r for r in open_risks(portfolio, settings) if r["effective_severity"] in rank]
    rows.sort(
        key=lambda r: (
            rank[r["effective_severity"]],
            _date(r.get("due")) is None,
            _date(r.get("due")) or dt.date.max,
            _text(r.get("project_id")),
            _text(r.get("raid_id")),
        )
    )
    return tuple(
        RiskRow(
            severity=r["effective_severity"],
            project_id=_text(r.get("project_id")),
            project_name=names.get(_text(r.get("project_id")), ""),
            raid_id=_text(r.get("raid_id")),
            type=_text(r.get("type")),
            title=_text(r.get("title")),
            owner=_text(r.get("owner")),
            due=_date(r.get("due")),
            status=_text(r.get("status")),
            mitigation=_text(r.get("mitigation")),
        )
        for r in rows
    )


def _league(rows: Iterable[QualityRow]) -> tuple[QualityRow, ...]:
    return tuple(sorted(rows, key=lambda q: (-q.errors, -q.warnings, -q.files, q.name)))


def _quality(
    portfolio: Portfolio,
) -> tuple[tuple[QualityRow, ...], tuple[QualityRow, ...], tuple[UnloadedFile, ...]]:
    files: dict[str, int] = defaultdict(int)
    for entry in portfolio.load_log:
        files[_text(entry.get("project_id"))] += 1
    projects = []
    managers: dict[str, list[QualityRow]] = defaultdict(list)
    for p in portfolio.projects:
        pid = _text(p.get("project_id"))
        row = QualityRow(
            name=pid,
            detail=_text(p.get("project_name")),
            errors=_int(p.get("errors")),
            warnings=_int(p.get("warnings")),
            files=max(files.get(pid, 0), 1) if pid else 1,
        )
        projects.append(row)
        managers[_text(p.get("project_manager")).strip() or NO_MANAGER].append(row)
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
    loaded = {_text(p.get("source_file")) for p in portfolio.projects}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for f in portfolio.findings:
        counts[(_text(f.get("file")), _text(f.get("severity")))] += 1
    unloaded = tuple(
        UnloadedFile(
            file=_text(e.get("file")),
            status=_text(e.get("status")),
            reason=_text(e.get("reason")),
            errors=counts[(_text(e.get("file")), "error")],
            warnings=counts[(_text(e.get("file")), "warning")],
        )
        for e in portfolio.load_log
        if _text(e.get("file")) not in loaded
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


def _trend(portfolio: Portfolio, previous: Portfolio, matrix: Sequence[MatrixRow]) -> Trend:
    before = {_text(p.get("project_id")): _text(p.get("overall_rag")) for p in previous.projects}
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
    portfolio: Portfolio,
    settings: Settings,
    previous: Portfolio | None = None,
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
        slippages=_slippages(portfolio, worst_slippages),
        matrix=matrix,
        exceptions=_exceptions(portfolio, matrix),
        milestones=_milestones(portfolio, ahead_days),
        top_risks=_top_risks(portfolio, settings),
        quality_projects=quality_projects,
        quality_managers=quality_managers,
        unloaded=unloaded,
        trend=_trend(portfolio, previous, matrix) if previous is not None else None,
        currency=settings.currency,
        ahead_days=ahead_days,
        generated=portfolio.generated,
    )
