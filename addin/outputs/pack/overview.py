"""The opening slides: title, portfolio summary (KPI tiles and the RAG matrix), programmes."""

from __future__ import annotations

from collections import Counter

from pptx.slide import Slide

from addin.core.words import counted
from addin.outputs.dashboard.book import money_format
from addin.outputs.dashboard.data import Tile
from addin.outputs.dashboard.summary import NO_PROGRAMME
from addin.outputs.pack.context import NO_DATA, Pack, rag_words
from addin.outputs.slides.charts import Series, add_bar_chart
from addin.outputs.slides.formats import long_date
from addin.outputs.slides.geometry import Box
from addin.outputs.slides.shapes import add_text, add_tile
from addin.outputs.slides.style import (
    MUTED_COLOUR,
    SMALL_PT,
    TILE_FILL,
    TITLE_COLOUR,
    one_line,
    rag_colours,
)
from addin.outputs.slides.tables import (
    Column,
    add_table,
    rag_column,
    rows_per_page,
    table_height,
)

#: Most programmes a chart shows by name; the rest are one bar, "Other programmes".
CHART_PROGRAMMES = 14
OTHERS = "Other programmes"


def title_slide(pack: Pack) -> None:
    """Portfolio name, as-of date, and what the pack covers."""
    data = pack.data
    n = len(data.matrix)
    lines = [
        f"Steering committee pack · as of {long_date(data.as_of)}",
        f"{counted(n, 'project')} in {counted(len(data.programmes), 'programme')}",
        "Every RAG is computed from the project trackers; the reasons are in the speaker notes.",
    ]
    notes = [
        f"Generated {data.generated or 'now'} by pmo-addin from the portfolio workbook.",
        "RAG per project: Schedule, Cost and Risk from the trackers' data; Overall is the worst"
        " of them, and a stale report is at least Amber.",
    ]
    pack.deck.title_slide(data.name, lines, notes)


def _tile_text(pack: Pack, tile: Tile) -> tuple[str, str]:
    number = pack.money(tile.value) if tile.kind == "money" else f"{tile.value:,.0f}"
    note = f"{tile.share:.0%} of projects" if tile.share is not None else tile.note
    return number, note


def _tiles(pack: Pack, slide: Slide, box: Box) -> list[str]:
    tiles = list(pack.data.tiles)
    other = sum(1 for m in pack.data.matrix if m.overall not in ("Red", "Amber", "Green"))
    if other:
        share = other / len(pack.data.matrix)
        tiles.insert(4, Tile("no_data", NO_DATA, other, share=share, rag=NO_DATA))
    per_row = (len(tiles) + 1) // 2
    cut: list[str] = []
    for row, band in enumerate(box.rows([1, 1], gap=6)):
        for tile, spot in zip(
            tiles[row * per_row : (row + 1) * per_row],
            band.columns([1] * per_row, gap=6),
            strict=False,
        ):
            number, note = _tile_text(pack, tile)
            fill, font = rag_colours(tile.rag) if tile.rag else (TILE_FILL, TITLE_COLOUR)
            cut += add_tile(slide, spot, number, tile.label, note, fill=fill, font=font)
    return cut


MATRIX_COLUMNS = (
    Column("Project ID", width=70),
    Column("Project", 3),
    Column("Programme", 2.4),
    rag_column("Schedule"),
    rag_column("Cost"),
    rag_column("Risk"),
    rag_column("Overall"),
    rag_column("Reported"),
    Column("Flags", width=64),
    Column("Top reason", 3.6),
)


def flags(stale: bool, optimism: bool) -> str:
    """``Stale``, ``Optimism``, both or ""."""
    return ", ".join(w for w, on in (("Stale", stale), ("Optimism", optimism)) if on)


def summary_slide(pack: Pack) -> None:
    """KPI tiles, then the worst-first RAG matrix: as many projects as fit, worst first."""
    data = pack.data
    slide = pack.deck.slide("Portfolio summary")
    area = pack.deck.content
    tiles = area.top(min(130.0, area.h * 0.3))
    cut = _tiles(pack, slide, tiles)
    rest = area.below(tiles.h, 10)
    table = Box(rest.x, rest.y, rest.w, rest.h - 18)
    fit = rows_per_page(table, MATRIX_COLUMNS)
    shown = data.matrix[:fit]
    caption = Box(rest.x, rest.y + table_height(MATRIX_COLUMNS, len(shown)) + 3, rest.w, 16)
    rows = [
        (
            m.project_id,
            m.project_name,
            m.programme,
            m.schedule,
            m.cost,
            m.risk,
            m.overall,
            m.reported,
            flags(m.stale, m.optimism),
            m.top_reason,
        )
        for m in shown
    ]
    cut += add_table(slide, table, MATRIX_COLUMNS, rows)
    more = len(data.matrix) - len(shown)
    words = (
        f"The {len(shown)} worst of {counted(len(data.matrix), 'project')}, worst first; "
        "every project is on its programme's slides. "
        if more
        else "Every project, worst first. "
    )
    add_text(
        slide,
        caption,
        words + "Overall is the worst of Schedule, Cost and Risk; a stale report is at least "
        "Amber. The word is in every cell; colours are colour-blind safe.",
        size=SMALL_PT,
        colour=MUTED_COLOUR,
    )
    tiles_notes = [
        f"{t.label}: {_tile_text(pack, t)[0]} ({_tile_text(pack, t)[1]})" for t in data.tiles
    ]
    pack.deck.notes(
        slide,
        ["KPI tiles:", *tiles_notes],
        ["Shortened on the slide:", *cut] if cut else [],
        pack.why([m.project_id for m in shown]),
    )


def _programme_counts(pack: Pack) -> tuple[list[str], dict[str, list[int]]]:
    """Programme names and, per RAG word, the Overall counts of each programme.

    Red, Amber and Green come from the dashboard's programme rows; any other word
    (``No data``) is counted here, the same way, over the same programme names.
    """
    names = [p.programme for p in pack.data.programmes]
    words = rag_words(pack.run.projects)
    counts: dict[str, list[int]] = {
        "Red": [p.red for p in pack.data.programmes],
        "Amber": [p.amber for p in pack.data.programmes],
        "Green": [p.green for p in pack.data.programmes],
    }
    others = [w for w in words if w not in counts]
    if others:
        tally = Counter(
            ((p.programme or "").strip() or NO_PROGRAMME, p.overall_rag or NO_DATA)
            for p in pack.run.projects
        )
        for word in others:
            counts[word] = [tally[(name, word)] for name in names]
    return names, counts


def _top(
    names: list[str], columns: dict[str, list[float]]
) -> tuple[list[str], dict[str, list[float]]]:
    """At most :data:`CHART_PROGRAMMES` bars: the rest are added up as one."""
    if len(names) <= CHART_PROGRAMMES:
        return names, columns
    keep = CHART_PROGRAMMES - 1
    rest = len(names) - keep
    out = {k: [*v[:keep], sum(v[keep:])] for k, v in columns.items()}
    return [*names[:keep], f"{OTHERS} ({rest})"], out


def programmes_slide(pack: Pack) -> None:
    """Two native charts: projects by Overall RAG per programme; Budget and EAC per programme."""
    slide = pack.deck.slide("Portfolio by programme")
    left, right = pack.deck.content.columns([1, 1], gap=18)
    names, counts = _programme_counts(pack)
    shown, stacked = _top(names, {k: [float(x) for x in v] for k, v in counts.items()})
    series = [Series(word, values, rag_colours(word)[0]) for word, values in stacked.items()]
    cut = add_bar_chart(
        slide,
        left,
        shown,
        series,
        title="Projects by Overall RAG",
        stacked=True,
        number_format="0",
    )
    money = {
        "Budget": [p.budget for p in pack.data.programmes],
        "EAC": [p.eac for p in pack.data.programmes],
    }
    shown, money_top = _top(names, money)
    largest = max((v for values in money.values() for v in values), default=0.0)
    cut += add_bar_chart(
        slide,
        right,
        shown,
        [
            Series("Budget", money_top["Budget"], "#1F3864"),
            Series("EAC", money_top["EAC"], "#56B4E9"),
        ],
        title=f"Budget and EAC ({pack.data.currency})",
        number_format=money_format(pack.data.currency, largest),
    )
    lines = [
        f"{one_line(p.programme)}: {p.projects} projects ({p.red} Red, {p.amber} Amber, "
        f"{p.green} Green); budget {pack.money(p.budget)}, EAC {pack.money(p.eac)}"
        for p in pack.data.programmes
    ]
    pack.deck.notes(slide, ["Per programme:", *lines], ["Shortened:", *cut] if cut else [])
