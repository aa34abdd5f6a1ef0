"""The steering pack, read back from its XML: slides, titles, tables, chart series, notes, fit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest
from pptx import Presentation

from addin.app.consolidate import consolidate
from addin.app.find import find_trackers
from addin.app.pack import steering_pack, trends_from_previous
from addin.core.errors import OutputError
from addin.core.settings import Settings
from addin.demo import SAMPLES_AS_OF, write_samples
from addin.engine.run import PortfolioRun
from addin.outputs.dashboard.summary import NO_PROGRAMME, summarise
from addin.outputs.pack import Hotspot, Hotspots, write_pack
from addin.outputs.palette import RAG_COLOURS
from addin.outputs.slides.style import NO_DATA_COLOURS
from tests.runs import run_from_rows
from tests.slides_check import overflows, parts, slides

AS_OF = SAMPLES_AS_OF


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> PortfolioRun:
    folder = tmp_path_factory.mktemp("samples")
    write_samples(folder)
    files = find_trackers([folder]).files
    return consolidate(files, Settings(), as_of=AS_OF, for_workbook=False)


@pytest.fixture(scope="module")
def deck(sample_run: PortfolioRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack") / "steering.pptx"
    assert write_pack(out, sample_run, Settings()) == out
    return out


def _hex(word: str) -> str:
    return RAG_COLOURS[word][0].lstrip("#")


def test_the_pack_has_every_section_in_order(deck: Path, sample_run: PortfolioRun) -> None:
    programmes = sorted({p.programme for p in sample_run.projects if p.programme})
    assert [s.title for s in slides(deck)] == [
        "PMO Portfolio",
        "Portfolio summary",
        "Portfolio by programme",
        "Exceptions",
        *(f"Programme: {p}" for p in programmes),
        "Milestones: overdue and due in the next 30 days",
        "Slipping milestones",
        "Top risks and issues",
        "Data quality",
    ]


def test_the_summary_matrix_is_the_portfolio_worst_first(
    deck: Path, sample_run: PortfolioRun
) -> None:
    summary = slides(deck)[1]
    (table,) = summary.tables
    header, *rows = table
    assert header[:8] == [
        "Project ID",
        "Project",
        "Programme",
        "Schedule",
        "Cost",
        "Risk",
        "Overall",
        "Reported",
    ]
    rank = {"Red": 0, "Amber": 1, "Green": 2}
    expected = sorted(
        sample_run.projects,
        key=lambda p: (
            rank[p.overall_rag],
            rank[p.schedule_rag],
            rank[p.cost_rag],
            rank[p.risk_rag],
            p.project_id,
        ),
    )
    assert [r[0] for r in rows] == [p.project_id for p in expected]
    assert [tuple(r[3:8]) for r in rows] == [
        (p.schedule_rag, p.cost_rag, p.risk_rag, p.overall_rag, p.reported_rag or "")
        for p in expected
    ]
    fills = slides(deck)[1].fills[0]
    for row, colours in zip(rows, fills[1:], strict=True):
        for word, colour in zip(row[3:7], colours[3:7], strict=True):
            assert colour == _hex(word), (row[0], word)  # the word, on its colour


def test_kpi_tiles_say_the_portfolio_numbers(deck: Path, sample_run: PortfolioRun) -> None:
    texts = slides(deck)[1].texts
    reds = sum(1 for p in sample_run.projects if p.overall_rag == "Red")
    assert str(len(sample_run.projects)) in texts and "Projects" in texts
    assert texts[texts.index("Red") - 2] == str(reds)
    budget = sum(p.budget or 0 for p in sample_run.projects)
    assert f"£{budget / 1e6:.1f}m" in texts


def test_programme_chart_series_are_the_portfolio_counts(
    deck: Path, sample_run: PortfolioRun
) -> None:
    by_programme = slides(deck)[2]
    rags, money = by_programme.charts
    names = by_programme.categories[0]
    for word in ("Red", "Amber", "Green"):
        counted = Counter(p.programme for p in sample_run.projects if p.overall_rag == word)
        assert rags[word] == [float(counted[n]) for n in names]
    budgets = {
        n: sum(p.budget or 0 for p in sample_run.projects if p.programme == n) for n in names
    }
    assert money["Budget"] == pytest.approx([budgets[n] for n in names])
    assert sum(sum(v) for v in rags.values()) == len(sample_run.projects)


def test_every_programme_slide_lists_its_projects_once(
    deck: Path, sample_run: PortfolioRun
) -> None:
    listed = []
    for s in slides(deck):
        if s.title.startswith("Programme: "):
            programme = s.title.removeprefix("Programme: ")
            rows = s.tables[0][1:]
            ids = {p.project_id for p in sample_run.projects if p.programme == programme}
            assert {r[0] for r in rows} == ids
            listed += [r[0] for r in rows]
    assert sorted(listed) == sorted(p.project_id for p in sample_run.projects)


def test_exceptions_have_their_reasons(deck: Path, sample_run: PortfolioRun) -> None:
    exceptions = slides(deck)[3]
    rows = exceptions.tables[0][1:]
    reds = [p for p in sample_run.projects if p.overall_rag == "Red"]
    assert [r[0] for r in rows[: len(reds)]] == [
        m.project_id for m in summarise(sample_run, Settings()).matrix if m.overall == "Red"
    ]
    stale = {p.project_id for p in sample_run.projects if p.stale}
    optimistic = {p.project_id for p in sample_run.projects if p.optimism}
    assert {r[0] for r in rows} == {p.project_id for p in reds} | stale | optimistic
    for row in rows:
        p = next(q for q in sample_run.projects if q.project_id == row[0])
        assert row[6].split("\n")[0] == p.reasons[0]
        for reason in p.reasons:
            assert reason in exceptions.notes


def test_notes_give_the_reasons_behind_every_rag_on_a_slide(
    deck: Path, sample_run: PortfolioRun
) -> None:
    for s in slides(deck):
        for table in s.tables:
            for row in table[1:]:
                p = next((q for q in sample_run.projects if q.project_id == row[0]), None)
                if p is None or not any(cell in ("Red", "Amber", "Green") for cell in row):
                    continue
                assert f"{p.project_id} {p.project_name}: Overall {p.overall_rag}" in s.notes
                for dim in ("Schedule", "Cost", "Risk"):
                    word = getattr(p, f"{dim.lower()}_rag")
                    assert f"  {dim} {word}: " in s.notes, (s.title, p.project_id, dim)


def test_milestone_and_risk_lists_are_the_dashboards(deck: Path, sample_run: PortfolioRun) -> None:
    data = summarise(sample_run, Settings())
    pages = slides(deck)
    ahead = next(s for s in pages if s.title.startswith("Milestones"))
    assert [(r[0], r[1]) for r in ahead.tables[0][1:]] == [
        (m.when, m.project_id) for m in data.milestones
    ]
    slipping = next(s for s in pages if s.title == "Slipping milestones")
    assert slipping.charts[0]["Slippage (days)"] == [float(x.days) for x in data.slippages]
    risks = next(s for s in pages if s.title == "Top risks and issues")
    assert [(r[0], r[1], r[3]) for r in risks.tables[0][1:]] == [
        (r.severity, r.project_id, r.raid_id) for r in data.top_risks
    ]
    quality = pages[-1]
    chart = quality.charts[0]
    managers = [q for q in data.quality_managers if q.errors or q.warnings]
    assert chart["Errors"] == [float(q.errors) for q in managers]


def test_nothing_overflows_and_nothing_leaves_the_slide(deck: Path) -> None:
    assert overflows(deck) == []


def test_the_charts_are_native_and_editable(deck: Path) -> None:
    found = parts(deck)
    charts = [n for n in found if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)]
    embedded = [n for n in found if n.startswith("ppt/embeddings/")]
    assert len(charts) >= 5 and len(embedded) == len(charts)  # each chart carries its data
    assert not [n for n in found if n.startswith("ppt/media/")]  # no pictures of charts


def _hostile_run() -> PortfolioRun:
    evil = '=HYPERLINK("http://evil.example","click")'
    return run_from_rows(
        name="Portfolio \u202ereversed",
        as_of=AS_OF,
        projects=[
            {
                "project_id": "PRJ-0001",
                "project_name": evil,
                "programme": "http://programme.example",
                "project_manager": "@mention",
                "status_date": AS_OF,
                "budget": 1000.0,
                "eac": 1200.0,
                "schedule_rag": "Red",
                "cost_rag": "Green",
                "risk_rag": "Green",
                "overall_rag": "Red",
                "rag_reasons": "Schedule Red: SPI 0.50 < 0.85; Schedule Red: =cmd|' /C calc'!A0",
                "source_file": "x.xlsx",
            }
        ],
    )


def test_text_from_trackers_is_text_never_a_field_link_or_formula(tmp_path: Path) -> None:
    out = write_pack(tmp_path / "p.pptx", _hostile_run(), Settings())
    everything = parts(out)
    ours = ("ppt/slides/", "ppt/notesSlides/", "ppt/charts/")  # the template's own parts aside
    xml = b"".join(body for name, body in everything.items() if name.startswith(ours))
    assert b"hlinkClick" not in xml and b"<a:fld" not in xml
    assert b'=HYPERLINK("http://evil.example","click")' in xml
    assert "\u202e".encode() not in xml  # a bidi override is shown, not obeyed
    assert b"\\u202e" in xml
    for name, body in everything.items():
        if name.startswith("ppt/embeddings/"):
            import io
            import zipfile

            with zipfile.ZipFile(io.BytesIO(body)) as book:
                sheet = book.read("xl/worksheets/sheet1.xml")
            assert b"<f>" not in sheet and b"hyperlink" not in sheet, name
    rels = b"".join(body for name, body in everything.items() if name.endswith(".rels"))
    assert b'TargetMode="External"' not in rels


def _no_data_run() -> PortfolioRun:
    base = {
        "programme": "Alpha",
        "status_date": AS_OF,
        "source_file": "a.xlsx",
        "budget": 100.0,
        "eac": 100.0,
    }
    return run_from_rows(
        name="RAG v2",
        as_of=AS_OF,
        projects=[
            {
                **base,
                "project_id": "PRJ-0001",
                "project_name": "Evidence-free",
                "schedule_rag": "No data",
                "cost_rag": "No data",
                "risk_rag": "Green",
                "overall_rag": "No data",
                "rag_reasons": "Schedule No data: no dated tasks; Cost No data: no budget lines",
            },
            {
                **base,
                "project_id": "PRJ-0002",
                "project_name": "Fine",
                "schedule_rag": "Green",
                "cost_rag": "Green",
                "risk_rag": "Green",
                "overall_rag": "Green",
            },
        ],
    )


def test_no_data_is_drawn_grey_with_its_word_and_is_an_exception(tmp_path: Path) -> None:
    out = write_pack(tmp_path / "p.pptx", _no_data_run(), Settings())
    pages = slides(out)
    summary = pages[1]
    # The matrix's order is the dashboard's (summary.rag_rank); the row is found by its ID.
    index = next(i for i, r in enumerate(summary.tables[0]) if r[0] == "PRJ-0001")
    row = summary.tables[0][index]
    assert row[:7] == [
        "PRJ-0001",
        "Evidence-free",
        "Alpha",
        "No data",
        "No data",
        "Green",
        "No data",
    ]
    grey = NO_DATA_COLOURS[0].lstrip("#")
    assert summary.fills[0][index][3] == grey and summary.fills[0][index][6] == grey
    assert "No data" in summary.texts  # its own KPI tile
    chart = pages[2].charts[0]
    assert chart["No data"] == [1.0] and chart["Green"] == [1.0]
    exceptions = pages[3].tables[0][1:]
    assert [(r[0], r[2]) for r in exceptions] == [("PRJ-0001", "No data")]
    assert "Schedule No data: no dated tasks" in pages[3].notes
    assert overflows(out) == []


def _big_run(n: int) -> PortfolioRun:
    rags = ["Red", "Amber", "Green"]
    return run_from_rows(
        name="Big",
        as_of=AS_OF,
        projects=[
            {
                "project_id": f"PRJ-{i:04d}",
                "project_name": f"Project number {i} with a name long enough to need shortening "
                "on the slide, which it will be, with the whole of it in the notes",
                "programme": "One" if i % 4 else "",
                "status_date": AS_OF,
                "schedule_rag": rags[i % 3],
                "cost_rag": "Green",
                "risk_rag": "Green",
                "overall_rag": rags[i % 3],
                "rag_reasons": f"Schedule {rags[i % 3]}: SPI 0.80 < 0.85" if i % 3 < 2 else "",
                "source_file": f"{i}.xlsx",
            }
            for i in range(1, n + 1)
        ],
    )


def test_long_lists_are_paged_and_long_names_go_whole_to_the_notes(tmp_path: Path) -> None:
    run = _big_run(60)
    out = write_pack(tmp_path / "p.pptx", run, Settings())
    pages = slides(out)
    one = [s for s in pages if s.title.startswith("Programme: One")]
    assert len(one) > 1
    assert [s.title for s in one] == [
        f"Programme: One (page {i} of {len(one)})" for i in range(1, len(one) + 1)
    ]
    none = [s for s in pages if s.title.startswith(f"Programme: {NO_PROGRAMME}")]
    listed = [r[0] for s in one + none for r in s.tables[0][1:]]
    assert sorted(listed) == sorted(p.project_id for p in run.projects)
    first = one[0]
    pid, shown = first.tables[0][1][:2]
    assert shown.endswith("…") and len(shown) < 60
    whole = next(p.project_name for p in run.projects if p.project_id == pid)
    assert f"Project: {whole}" in first.notes  # the whole name
    exceptions = [s for s in pages if s.title.startswith("Exceptions")]
    reds = sum(1 for p in run.projects if p.overall_rag == "Red")
    assert sum(len(s.tables[0]) - 1 for s in exceptions) == reds == 20
    assert overflows(out) == []


def test_trends_and_movers_from_a_previous_portfolio(
    sample_run: PortfolioRun, tmp_path: Path
) -> None:
    first = sample_run.projects[0]
    second = sample_run.projects[1]
    previous = dataclasses.replace(
        sample_run,
        as_of=AS_OF - dt.timedelta(days=7),
        projects=[
            dataclasses.replace(
                first, overall_rag="Green" if first.overall_rag != "Green" else "Red"
            ),
            *sample_run.projects[1:],
        ],
    )
    milestones = previous.table("Milestones")
    moved = dataclasses.replace(milestones, columns=dict(milestones.columns))
    forecasts = list(moved.columns["forecast_date"])
    index = next(i for i, d in enumerate(forecasts) if d is not None)
    forecasts[index] = forecasts[index] - dt.timedelta(days=20)
    moved.columns["forecast_date"] = forecasts
    previous.tables = {**previous.tables, "Milestones": moved}
    trends = trends_from_previous(sample_run, previous, Settings())
    assert [m.project_id for m in trends.movers] == [first.project_id]
    assert [m.moved_days for m in trends.moved_milestones] == [20]
    out = steering_pack(sample_run, tmp_path / "p.pptx", Settings(), previous=previous)
    pages = slides(out)
    trend = next(s for s in pages if s.title.startswith("Trends since"))
    counts = trend.charts[0]
    now = Counter(p.overall_rag for p in sample_run.projects)
    assert {w: v[1] for w, v in counts.items()} == {w: float(n) for w, n in now.items()}
    movers = next(s for s in pages if s.title == "Movers")
    assert [r[0] for r in movers.tables[0][1:]] == [first.project_id]
    slipping = next(s for s in pages if s.title == "Slipping milestones")
    assert any("+20 d" in row for row in slipping.tables[0])
    del second
    assert overflows(out) == []


def test_resource_hot_spots_when_given(sample_run: PortfolioRun, tmp_path: Path) -> None:
    hotspots = Hotspots(
        (
            Hotspot("Ann Example", "2026-12", 1.45, "Red", ("CUS-0201", "CUS-0202")),
            Hotspot("Data engineers", "2027-01", 1.1, "Amber", ("FIN-0301",)),
        )
    )
    out = write_pack(tmp_path / "p.pptx", sample_run, Settings(), hotspots=hotspots)
    page = next(s for s in slides(out) if s.title == "Resource hot spots")
    assert page.charts[0]["Load (% of capacity)"] == [145.0, 110.0]
    assert [r[:4] for r in page.tables[0][1:]] == [
        ["Ann Example", "2026-12", "145%", "Red"],
        ["Data engineers", "2027-01", "110%", "Amber"],
    ]
    assert "Resource hot spots" not in [
        s.title for s in slides(write_pack(tmp_path / "q.pptx", sample_run, Settings()))
    ]


# --- the PMO's own template ---------------------------------------------------------------------


def _template(path: Path, *, rename: dict[str, str] | None = None) -> Path:
    prs = Presentation()  # 4:3, unlike our default
    for layout in prs.slide_layouts:
        if rename and layout.name in rename:
            layout.name = rename[layout.name]
    prs.slides.add_slide(prs.slide_layouts[0]).shapes.title.text = "Their own sample slide"
    prs.save(str(path))
    return path


def test_a_template_gives_its_master_and_layouts(sample_run: PortfolioRun, tmp_path: Path) -> None:
    template = _template(tmp_path / "corporate.pptx")
    before = hashlib.sha256(template.read_bytes()).digest()
    out = write_pack(tmp_path / "p.pptx", sample_run, Settings(), template=template)
    deck = Presentation(str(out))
    assert (deck.slide_width, deck.slide_height) == (9144000, 6858000)  # theirs
    names = [s.slide_layout.name for s in deck.slides]
    assert names[0] == "Title Slide" and set(names[1:]) == {"Title Only"}
    assert "Their own sample slide" not in [s.title for s in slides(out)]
    assert hashlib.sha256(template.read_bytes()).digest() == before  # an input, untouched
    assert overflows(out) == []


def test_a_template_without_a_layout_is_refused_in_one_line(
    sample_run: PortfolioRun, tmp_path: Path
) -> None:
    template = _template(tmp_path / "corporate.pptx", rename={"Title Only": "Heading"})
    with pytest.raises(OutputError) as err:
        write_pack(tmp_path / "p.pptx", sample_run, Settings(), template=template)
    message = str(err.value)
    assert message.startswith(f"{template}: the template has no slide layout named 'Title Only'")
    assert "'Heading'" in message and "\n" not in message
    assert not (tmp_path / "p.pptx").exists()


def test_a_potx_template_is_used_and_junk_is_refused(
    sample_run: PortfolioRun, tmp_path: Path
) -> None:
    import zipfile

    pptx = _template(tmp_path / "t.pptx")
    potx = tmp_path / "t.potx"
    with zipfile.ZipFile(pptx) as src, zipfile.ZipFile(potx, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "[Content_Types].xml":
                body = body.replace(b"presentation.main+xml", b"template.main+xml")
            dst.writestr(item, body)
    assert write_pack(tmp_path / "p.pptx", sample_run, Settings(), template=potx).is_file()
    junk = tmp_path / "junk.pptx"
    junk.write_bytes(b"not a deck")
    with pytest.raises(OutputError, match=r"junk.pptx: not a PowerPoint template"):
        write_pack(tmp_path / "q.pptx", sample_run, Settings(), template=junk)


def test_a_failed_write_leaves_the_previous_pack(sample_run: PortfolioRun, tmp_path: Path) -> None:
    out = tmp_path / "steering.pptx"
    out.write_bytes(b"last week")
    junk = tmp_path / "junk.pptx"
    junk.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(OutputError):
        write_pack(out, sample_run, Settings(), template=junk)
    assert out.read_bytes() == b"last week"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.pptx", "steering.pptx"]
