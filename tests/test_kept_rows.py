"""Rows rendered last time are kept in the cache and taken back on a re-run, only when they
can be nothing but the rows we write for that very result (issue 17: a warm re-run; issue
10: a tampered cache never becomes a formula)."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

import addin.core.timing as timing
import addin.engine.cached_result as cached_result
import addin.outputs.portfolio.block_store as block_store
from addin.app.consolidate import consolidate
from addin.core.settings import Settings
from addin.engine.cache import Key, ResultCache
from addin.engine.pipeline import TrackerResult, check_tracker
from addin.ooxml.parts import sheet_parts
from addin.ooxml.pieces import Piece, inflate
from addin.ooxml.sheetxml import Style
from addin.outputs.portfolio import write_portfolio
from addin.outputs.portfolio.block_store import KeptRows
from addin.outputs.portfolio.prerender import RowBlock
from addin.outputs.portfolio.writer import prerender_for, style_map
from tests.builders import write_projects
from tests.hostile.make import entry_crc

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_projects(tmp_path_factory.mktemp("trackers"), [f"PRJ-010{i}" for i in range(1, 4)])


@pytest.fixture(scope="module")
def result(folder: Path) -> TrackerResult:
    return check_tracker(folder / "p1.xlsx", Settings())


def _data_sheets(path: Path) -> dict[str, bytes]:
    """Each sheet's part by sheet name, but Load Log and About (which say where each result
    came from, and when)."""
    with zipfile.ZipFile(path) as zf:
        return {
            name: zf.read(part)
            for name, part in sheet_parts(zf).items()
            if name not in ("Load Log", "About")
        }


def _run(
    folder: Path, out: Path, cache: Path | None
) -> tuple[Path, dict[str, float], dict[str, float]]:
    """The portfolio written, the phases its workers spent time in, and the run's own."""
    before = timing.totals()
    run = consolidate(
        sorted(folder.iterdir()), Settings(), as_of=AS_OF, jobs=1, cache=cache, for_workbook=True
    )
    here = timing.since(before, timing.totals())
    write_portfolio(out, run, Settings())
    return out, run.phases.workers, here


def test_a_re_run_takes_its_rows_back_and_writes_the_same_sheets(
    folder: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "c.sqlite"
    cold, cold_phases, _ = _run(folder, tmp_path / "cold.xlsx", None)
    _run(folder, tmp_path / "fill.xlsx", cache)
    warm, phases, here = _run(folder, tmp_path / "warm.xlsx", cache)
    assert "render rows" in cold_phases
    assert "reuse rows" in here and "render rows" not in {**phases, **here}  # none rendered again
    assert "cache load" not in phases  # this user's sealed entries: taken in the run's process
    sheets = _data_sheets(warm)
    assert "Tasks" in sheets and sheets == _data_sheets(cold)


def test_a_re_run_takes_sealed_entries_back_without_checking_them_again(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries this user's ``pmo`` sealed are what it wrote: neither the result nor its rows
    are checked again (the checks, made here to refuse everything, are never asked)."""
    cache = tmp_path / "c.sqlite"
    cold, _, _ = _run(folder, tmp_path / "cold.xlsx", None)
    _run(folder, tmp_path / "fill.xlsx", cache)
    monkeypatch.setattr(cached_result, "checked_result", lambda value, path: None)
    monkeypatch.setattr(block_store, "inflate", lambda packed, limit: None)
    warm, phases, here = _run(folder, tmp_path / "warm.xlsx", cache)
    assert "reuse rows" in here and not {"render rows", "map"} & {*phases, *here}
    assert _data_sheets(warm) == _data_sheets(cold)


def test_entries_another_user_sealed_are_checked(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another key (another user sharing the cache's folder): every entry is checked, and
    when the checks refuse them (as they are made to here) every file is read again."""
    cache = tmp_path / "c.sqlite"
    cold, _, _ = _run(folder, tmp_path / "cold.xlsx", None)
    monkeypatch.setenv("PMO_HOME", str(tmp_path / "someone"))
    _run(folder, tmp_path / "fill.xlsx", cache)
    monkeypatch.setenv("PMO_HOME", str(tmp_path / "me"))
    monkeypatch.setattr(cached_result, "checked_result", lambda value, path: None)
    warm, phases, _ = _run(folder, tmp_path / "warm.xlsx", cache)
    assert "cache load" in phases and "map" in phases and "render rows" in phases
    assert _data_sheets(warm) == _data_sheets(cold)


def test_entries_another_user_sealed_are_checked_and_their_rows_taken_back_in_the_worker(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked in a worker and found sound, another user's entries give their rows back
    there: nothing is read or rendered again."""
    cache = tmp_path / "c.sqlite"
    cold, _, _ = _run(folder, tmp_path / "cold.xlsx", None)
    monkeypatch.setenv("PMO_HOME", str(tmp_path / "someone"))
    _run(folder, tmp_path / "fill.xlsx", cache)
    monkeypatch.setenv("PMO_HOME", str(tmp_path / "me"))
    warm, phases, here = _run(folder, tmp_path / "warm.xlsx", cache)
    assert "cache load" in phases and "reuse rows" in phases
    assert not {"map", "render rows"} & {*phases, *here}
    assert _data_sheets(warm) == _data_sheets(cold)


def _rewrite_rows(cache: Path, change: Callable[[bytes], bytes]) -> None:
    """Change every entry's kept rows, with the digest that ties them to the result and the
    entry's CRC kept right (what someone who edits the cache can do)."""
    with sqlite3.connect(cache) as db:
        for path, blob, kept in db.execute(
            "SELECT path, payload, prepared FROM results"
        ).fetchall():
            link = hashlib.sha256(blob).digest()[:16]
            assert kept[:16] == link
            new = link + change(kept[16:])
            crc = entry_crc(blob, new)  # the entry's CRC made to match too
            db.execute("UPDATE results SET prepared = ?, crc = ? WHERE path = ?", (new, crc, path))
    db.close()


def _formula_rows(kept: bytes) -> bytes:
    """Each block's rows with a formula cell in the first row."""
    rows = KeptRows(style_map(Settings()))
    blocks = rows._parse(kept)
    assert blocks
    bad = {}
    for key, (packed, count, styles, _) in blocks.items():
        xml = inflate(packed, 1 << 30)
        assert xml is not None
        xml = xml.replace(b"</row>", b'<c><f>HYPERLINK("http://x")</f></c></row>', 1)
        bad[key] = RowBlock.of(xml, count, styles)
    packed = rows.pack(bad)
    assert packed is not None
    return packed


def test_kept_rows_edited_into_a_formula_are_rendered_again(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "c.sqlite"
    cold, _, _ = _run(folder, tmp_path / "cold.xlsx", cache)
    _rewrite_rows(cache, _formula_rows)
    warm, phases, _ = _run(folder, tmp_path / "warm.xlsx", cache)
    assert "render rows" in phases  # the kept rows were refused
    assert "map" not in phases  # and only they: the result was taken from the cache
    assert not any(b"<f>" in x for x in _data_sheets(warm).values())
    assert _data_sheets(warm) == _data_sheets(cold)  # rendered again from the result


def test_rows_are_not_taken_back_for_a_result_that_changed(tmp_path: Path) -> None:
    """The cache returns kept bytes only with the result bytes they were stored with."""
    cache = ResultCache(tmp_path / "c.sqlite", "f")
    key = Key("a.xlsx", 1, 1, "0" * 64)
    cache.put_many([(key, {"v": 1}, b"rows")])
    assert cache.entry(key) is not None and cache.entry(key)[1] == b"rows"  # type: ignore[index]
    cache.close()
    with sqlite3.connect(tmp_path / "c.sqlite") as db:
        (blob, kept) = db.execute("SELECT payload, prepared FROM results").fetchone()
        changed = blob + b"\x00"  # by someone who knows the format: its CRC made to match
        crc = entry_crc(changed, kept)
        db.execute("UPDATE results SET payload = ?, crc = ?", (changed, crc))
    db.close()
    again = ResultCache(tmp_path / "c.sqlite", "f")
    found = again.entry(key)
    assert found is not None and found[1] is None  # the result is there, its rows are not
    again.close()


def _repacked(result: TrackerResult, change: Callable[[bytes], bytes]) -> bytes:
    rows = KeptRows(style_map(Settings()))
    made = {k: RowBlock.of(change(b.xml), b.count, b.styles) for k, b in rows(result).items()}
    packed = rows.pack(made)
    assert packed is not None
    return packed


REFUSED: dict[str, Callable[[bytes], bytes]] = {
    "a formula": lambda x: x.replace(b"<c/>", b"<c><f>1+1</f><v>2</v></c>", 1),
    "a shared string": lambda x: x.replace(b"<c/>", b'<c t="s"><v>0</v></c>', 1),
    "a formula's text result": lambda x: x.replace(b"<c/>", b'<c t="str"><v>=A1</v></c>', 1),
    "a character reference": lambda x: x.replace(b"<t>", b"<t>&#27;[2J", 1),
    "an attribute we never write": lambda x: x.replace(b"<c/>", b'<c r="A1"/>', 1),
    "a style index the workbook lacks": lambda x: x.replace(b"<c/>", b'<c s="999"><v>1</v></c>', 1),
    "a row number": lambda x: x.replace(b"<row>", b'<row r="7">', 1),
    "one row too many": lambda x: x + b"<row></row>",
    "an element inside text": lambda x: x.replace(b"<t>", b"<t><b/>", 1),
    "an escape left open": lambda x: x.replace(b"<t>", b"<t>&amp", 1),
    "a boolean neither 0 nor 1": lambda x: x.replace(b"<c/>", b'<c t="b"><v>2</v></c>', 1),
    "an error value": lambda x: x.replace(b"<c/>", b'<c t="e"><v>#REF!</v></c>', 1),
    "a styled empty cell": lambda x: x.replace(b"<c/>", b'<c s="1"/>', 1),
    "a number cut short": lambda x: x.replace(b"<c/>", b"<c><v>1.</v></c>", 1),
    "a number with an exponent cut short": lambda x: x.replace(b"<c/>", b"<c><v>1e</v></c>", 1),
}


TAKEN: dict[str, Callable[[bytes], bytes]] = {
    "a negative number with an exponent": lambda x: x.replace(
        b"<c/>", b"<c><v>-1.5E+10</v></c>", 1
    ),
    "text kept with its spaces and escapes": lambda x: x.replace(
        b"<c/>", b'<c t="inlineStr"><is><t xml:space="preserve"> a &lt;b&gt; &amp; </t></is></c>', 1
    ),
    "a boolean": lambda x: x.replace(b"<c/>", b'<c t="b"><v>1</v></c>', 1),
}


@pytest.mark.parametrize("change", list(TAKEN))
def test_rows_in_any_form_we_write_are_taken(result: TrackerResult, change: str) -> None:
    rows = KeptRows(style_map(Settings()))
    assert rows.unpack(_repacked(result, TAKEN[change]), result) is not None


@pytest.mark.parametrize("change", list(REFUSED))
def test_rows_that_are_not_what_we_write_are_refused(result: TrackerResult, change: str) -> None:
    rows = KeptRows(style_map(Settings()))
    assert rows.unpack(_repacked(result, lambda x: x), result) is not None  # as made: taken
    assert rows.unpack(_repacked(result, REFUSED[change]), result) is None


def test_blocks_that_do_not_fit_the_result_are_refused(result: TrackerResult) -> None:
    rows = KeptRows(style_map(Settings()))
    made = rows(result)
    packed = rows.pack(made)
    assert packed is not None
    other_styles = KeptRows({s: i + 40 for s, i in style_map(Settings()).items()})
    assert other_styles.unpack(packed, result) is None  # rendered for another workbook
    fewer = rows.pack(dict(list(made.items())[1:]))
    assert fewer is not None and rows.unpack(fewer, result) is None  # a kind left out
    first = next(iter(made))
    short = rows.pack({**made, first: RowBlock(made[first].piece, 1, made[first].styles)})
    assert short is not None and rows.unpack(short, result) is None  # another row count
    assert rows.unpack(packed[:-5], result) is None  # cut short
    assert rows.unpack(b"garbage" + packed, result) is None
    assert rows.pack({"Tasks": "not a block"}) is None
    for number in (6, 255):  # a style slot no writer has: refused, not a crash
        block = made[first]
        marked = ((Style.TEXT, 7), *block.styles[1:])  # a pair found by its bytes below
        data = rows.pack({**made, first: RowBlock(block.piece, block.count, marked)})
        pair = struct.pack("<BI", 0, 7)
        assert data is not None and data.count(pair) == 1
        data = data.replace(pair, struct.pack("<BI", number, 7))
        assert rows.unpack(data, result) is None and rows.unpack(data, result, sealed=True) is None


def test_sealed_rows_are_taken_as_recorded_for_the_same_kinds_rows_and_styles(
    result: TrackerResult,
) -> None:
    rows = KeptRows(style_map(Settings()))
    made = rows(result)
    packed = rows.pack(made)
    assert packed is not None
    assert rows.unpack(packed, result, sealed=True) == made  # data, length, CRC: as made
    other_styles = KeptRows({s: i + 40 for s, i in style_map(Settings()).items()})
    assert other_styles.unpack(packed, result, sealed=True) is None
    fewer = rows.pack(dict(list(made.items())[1:]))
    assert fewer is not None and rows.unpack(fewer, result, sealed=True) is None


def test_rows_whose_recorded_length_or_crc_is_wrong_are_refused(result: TrackerResult) -> None:
    rows = KeptRows(style_map(Settings()))
    made = rows(result)
    first = next(iter(made))
    p = made[first].piece
    for piece in (
        Piece(p.packed, p.size, p.crc ^ 1, p.shift),
        Piece(p.packed, p.size + 1, p.crc, 0),
    ):
        packed = rows.pack({**made, first: RowBlock(piece, made[first].count, made[first].styles)})
        assert packed is not None and rows.unpack(packed, result) is None


def test_a_block_that_inflates_past_its_bound_is_refused(result: TrackerResult) -> None:
    rows = KeptRows(style_map(Settings()))
    made = rows(result)
    first = next(iter(made))
    block = made[first]
    huge = b'<row><c t="inlineStr"><is><t>' + b"a" * (64 << 20) + b"</t></is></c></row>"
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = deflater.compress(huge) + deflater.flush(zlib.Z_SYNC_FLUSH)
    bomb = RowBlock(Piece(packed, len(huge), 0, 0), block.count, block.styles)
    packed = rows.pack({**made, first: bomb})
    assert packed is not None and len(packed) < 1 << 20  # small in the cache
    assert rows.unpack(packed, result) is None


def test_the_writer_step_keeps_its_rows() -> None:
    assert isinstance(prerender_for(Settings()), KeptRows)


def test_findings_rows_cut_at_the_status_date_are_kept_and_taken_back_together(
    tmp_path: Path,
) -> None:
    from addin.core.tracker import replace
    from addin.outputs.portfolio.finding_blocks import FINDINGS, FINDINGS_AFTER
    from tests.builders import base_project, base_tracker, write

    project = replace(base_project(), sponsor=None, project_manager=None)  # above Status Date
    tasks = [replace(t, status=f"odd {i}") for i, t in enumerate(base_tracker().tasks)]
    path = write(tmp_path / "cut.xlsx", base_tracker(project=project, tasks=tasks))
    result = check_tracker(path, Settings())
    rows = KeptRows(style_map(Settings()))
    made = rows(result)
    head, rest = made[FINDINGS], made[FINDINGS_AFTER]
    assert head.count == 2 and head.count + rest.count == len(result.findings)
    packed = rows.pack(made)
    assert packed is not None
    assert rows.unpack(packed, result) == made == rows.unpack(packed, result, sealed=True)

    alone = {k: b for k, b in made.items() if k != FINDINGS}  # the rest without its head
    moved = {**made, FINDINGS: RowBlock(head.piece, head.count - 1, head.styles)}
    for wrong in (alone, moved):
        kept = rows.pack(wrong)
        assert kept is not None
        assert rows.unpack(kept, result) is None and rows.unpack(kept, result, sealed=True) is None
