"""The trend over snapshots (RAG_RULES v2 "Trend"), computed from frames: no database."""

from __future__ import annotations

import datetime as dt

from addin.engine.trend import CHANGED, NEW_RED, RECOVERED, STALE_AGAIN, WORSENED
from addin.history.frames import frame_of
from addin.history.trend import trend_data
from tests.history.weeks import WEEK1, WEEK2, WEEK3, milestone, project, week

D = dt.date


def _frames(*runs):  # type: ignore[no-untyped-def]
    return [frame_of(r) for r in runs]


def test_movers_new_red_worsened_recovered_stale_again_with_reasons_and_deltas() -> None:
    before = week(
        WEEK1,
        [
            project(
                "P-001",
                "Amber",
                schedule_rag="Amber",
                spi=0.9,
                rag_reasons="Schedule Amber: SPI 0.90 < 0.95",
            ),
            project("P-002", "Green", spi=1.0),
            project(
                "P-003", "Red", cost_rag="Red", cpi=0.8, rag_reasons="Cost Red: CPI 0.80 < 0.85"
            ),
            project("P-004", "Amber", schedule_rag="Amber"),
            project("P-005", "Green"),
            project("P-006", "Green"),
        ],
    )
    now = week(
        WEEK2,
        [
            project(
                "P-001",
                "Red",
                schedule_rag="Red",
                spi=0.8,
                rag_reasons="Schedule Red: SPI 0.80 < 0.85",
            ),
            project(
                "P-002",
                "Amber",
                risk_rag="Amber",
                spi=1.0,
                rag_reasons="Risk Amber: 1 open High risk/issue",
            ),
            project("P-003", "Green", cpi=0.97),
            project("P-004", "Amber", schedule_rag="Amber"),
            project(
                "P-005",
                "Amber",
                stale="Yes",
                rag_reasons="Stale: Status Date is 20 days old (> 14)",
            ),
            project("P-006", "Green"),
            project("P-007", "Red", risk_rag="Red", rag_reasons="Risk Red: 1 open Critical"),
        ],
    )
    t = trend_data(_frames(before, now))
    assert [(m.kind, m.project_id, m.before, m.now) for m in t.movers] == [
        (NEW_RED, "P-001", "Amber", "Red"),
        (NEW_RED, "P-007", None, "Red"),
        (WORSENED, "P-002", "Green", "Amber"),
        (WORSENED, "P-005", "Green", "Amber"),
        (RECOVERED, "P-003", "Red", "Green"),
    ]
    by = {m.project_id: m for m in t.movers}
    assert by["P-001"].reason == "Schedule Amber → Red: SPI 0.80 < 0.85"
    assert by["P-001"].spi_change is not None and round(by["P-001"].spi_change, 2) == -0.1
    assert by["P-007"].reason == "new in the portfolio; Risk new → Red: 1 open Critical"
    assert by["P-002"].reason == "Risk Green → Amber: 1 open High risk/issue"
    assert by["P-005"].reason == "Stale: Status Date is 20 days old (> 14)"
    assert by["P-003"].reason == "Cost Red → Green (was: CPI 0.80 < 0.85)"
    assert by["P-003"].cpi_change is not None and round(by["P-003"].cpi_change, 2) == 0.17
    assert t.previous_as_of == WEEK1
    assert t.count(NEW_RED) == 2


def test_stale_again_when_overall_does_not_move() -> None:
    before = week(WEEK1, [project("P-001", "Amber", schedule_rag="Amber")])
    now = week(
        WEEK2,
        [
            project(
                "P-001",
                "Amber",
                schedule_rag="Amber",
                stale="Yes",
                rag_reasons="Stale: Status Date is 21 days old (> 14)",
            )
        ],
    )
    (m,) = trend_data(_frames(before, now)).movers
    assert (m.kind, m.reason) == (STALE_AGAIN, "Status Date is 21 days old (> 14)")


def test_a_rag_word_without_a_rank_moves_a_project_only_as_changed() -> None:
    """RAG v2's "No data" (or any later word) is neither better nor worse than a colour."""
    before = week(WEEK1, [project("P-001", "Green"), project("P-002", "No data")])
    now = week(
        WEEK2,
        [
            project("P-001", "No data", rag_reasons="Schedule No data: no SPI, no milestones"),
            project("P-002", "Amber", schedule_rag="Amber"),
        ],
    )
    t = trend_data(_frames(before, now))
    assert [(m.kind, m.project_id, m.before, m.now) for m in t.movers] == [
        (CHANGED, "P-001", "Green", "No data"),  # worst first, as the dashboard sorts:
        (CHANGED, "P-002", "No data", "Amber"),  # No data before Amber
    ]
    assert t.movers[0].reason.startswith("Overall Green → No data")
    assert [(x.red, x.amber, x.green, x.other) for x in t.mix] == [(0, 0, 1, 1), (0, 1, 0, 1)]


def test_rag_mix_strips_and_window() -> None:
    weeks = [
        week(
            D(2026, 1, 2) + dt.timedelta(days=7 * i),
            [project("P-001", rag), project("P-002", "Green")],
        )
        for i, rag in enumerate(["Green"] * 10 + ["Amber", "Red", "Red", "Amber"])
    ]
    t = trend_data(_frames(*weeks))
    assert len(t.dates) == 12 and t.dates[-1] == weeks[-1].as_of  # the last 12 of 14
    assert [m.red for m in t.mix][-4:] == [0, 1, 1, 0]
    assert t.strip_dates == t.dates[-8:]
    first = t.strips[0]
    assert (first.project_id, first.rags) == (
        "P-001",
        ("Green", "Green", "Green", "Green", "Amber", "Red", "Red", "Amber"),
    )
    assert [s.project_id for s in t.strips] == ["P-001", "P-002"]  # the mover first


def test_a_project_missing_from_a_snapshot_has_a_gap_in_its_strip() -> None:
    t = trend_data(
        _frames(
            week(WEEK1, [project("P-001", "Green")]),
            week(WEEK2, [project("P-002", "Green")]),
            week(WEEK3, [project("P-001", "Amber"), project("P-002", "Green")]),
        )
    )
    strips = {s.project_id: s.rags for s in t.strips}
    assert strips == {"P-001": ("Green", None, "Amber"), "P-002": (None, "Green", "Green")}


def test_spi_and_cpi_lines_of_the_worst_now() -> None:
    spis = {f"P-{i:03d}": 0.5 + i / 100 for i in range(1, 15)}
    runs = [
        week(day, [project(pid, "Green", spi=spi, cpi=1.0 - spi / 10) for pid, spi in spis.items()])
        for day in (WEEK1, WEEK2)
    ]
    runs[1].projects = [p for p in runs[1].projects if p.project_id != "P-014"]
    t = trend_data(_frames(*runs))
    assert [line.project_id for line in t.spi] == [f"P-{i:03d}" for i in range(1, 11)]
    assert t.spi[0].values == (0.51, 0.51)
    assert next(line.project_id for line in t.cpi) == "P-013"  # highest SPI, lowest CPI
    assert t.dropped == ("P-014",)  # in the previous snapshot, not in the latest


def test_milestone_trend_takes_those_that_slipped_most_and_counts_slipping() -> None:
    base = D(2027, 3, 1)
    runs = [
        week(
            day,
            [project("P-001", "Green")],
            milestones=[
                milestone("P-001", "M-01", base, base + dt.timedelta(days=slip)),
                milestone("P-001", "M-02", base, base + dt.timedelta(days=slip // 4)),
                milestone("P-001", "M-03", base, base),
            ],
        )
        for day, slip in ((WEEK1, 0), (WEEK2, 10), (WEEK3, 30))
    ]
    t = trend_data(_frames(*runs))
    assert [(m.milestone_id, m.moved_days) for m in t.milestones] == [("M-01", 30), ("M-02", 7)]
    assert t.milestones[0].forecasts == (
        base,
        base + dt.timedelta(days=10),
        base + dt.timedelta(days=30),
    )
    assert t.slipping == 1  # M-01 moved 20 days since WEEK2; M-02 moved 5
    assert [(s.milestone_id, s.milestone, s.before, s.moved_days) for s in t.slips] == [
        ("M-01", "Milestone M-01", base + dt.timedelta(days=10), 20)
    ]


def test_one_snapshot_has_no_movers() -> None:
    t = trend_data(_frames(week(WEEK1, [project("P-001", "Red")])))
    assert (t.movers, t.previous_as_of, t.slipping) == ((), None, 0)
    assert [m.red for m in t.mix] == [1]
