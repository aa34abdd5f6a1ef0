"""The cache is ours or nothing: it never destroys a file, never injects, never crashes a run.

* A ``--cache`` path must be absent or a cache ``pmo`` made; anything else (a tracker, a
  text file, another program's SQLite database, any link) is refused with one line and
  exit 2, and left byte for byte. A damaged cache of ours is rebuilt.
* The cache holds checked values, never rendered SpreadsheetML: a tampered entry cannot
  put a formula into the portfolio, and an entry of the wrong shape is a miss (the file is
  read again), never a traceback.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lz4.block  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

from addin.cli import EXIT_OK, EXIT_USAGE, app
from addin.core.findings import Finding
from addin.core.severity import Severity
from addin.engine.cache_payload import dumps, loads
from addin.engine.packed import PackedColumn
from tests.hostile import make

AS_OF = ["--as-of", "2026-11-20"]
runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    trackers = tmp_path / "trackers"
    trackers.mkdir()
    make.good(trackers / "a.xlsx", "PRJ-0801")
    return trackers


def _run(folder: Path, out: Path, cache: Path) -> Any:
    return runner.invoke(
        app, ["consolidate", str(folder), "-o", str(out), "--cache", str(cache), *AS_OF]
    )


def _refused(folder: Path, tmp_path: Path, cache: Path, *keep: Path) -> str:
    before = {p: p.read_bytes() for p in keep}
    result = _run(folder, tmp_path / "p.xlsx", cache)
    assert result.exit_code == EXIT_USAGE, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("pmo: "), result.stderr
    assert {p: p.read_bytes() for p in keep} == before
    assert not (tmp_path / "p.xlsx").exists()
    return lines[0]


def test_a_workbook_or_text_file_given_as_the_cache_is_refused_and_kept(
    folder: Path, tmp_path: Path
) -> None:
    other = make.good(tmp_path / "someone-else.xlsx", "PRJ-0809")
    assert "not a pmo cache" in _refused(folder, tmp_path, other, other)
    notes = tmp_path / "notes.txt"
    notes.write_text("minutes of the steering committee\n")
    _refused(folder, tmp_path, notes, notes)


def test_another_programs_sqlite_database_is_never_written_even_through_a_link(
    folder: Path, tmp_path: Path
) -> None:
    theirs = tmp_path / "crm.sqlite"
    with sqlite3.connect(theirs) as db:
        db.execute("CREATE TABLE customers (name TEXT)")
        db.execute("INSERT INTO customers VALUES ('ACME')")
    db.close()
    _refused(folder, tmp_path, theirs, theirs)
    link = tmp_path / "cache.sqlite"
    link.symlink_to(theirs)
    assert "link" in _refused(folder, tmp_path, link, theirs)
    assert link.is_symlink()


def test_a_link_to_our_own_cache_is_refused_too(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "real.sqlite"
    assert _run(folder, tmp_path / "first.xlsx", cache).exit_code == EXIT_OK
    link = tmp_path / "link.sqlite"
    link.symlink_to(cache)
    _refused(folder, tmp_path, link, cache)


def test_a_damaged_cache_of_ours_is_rebuilt(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    assert _run(folder, tmp_path / "first.xlsx", cache).exit_code == EXIT_OK
    data = bytearray(cache.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)  # our header kept, every page destroyed
    cache.write_bytes(bytes(data))
    again = _run(folder, tmp_path / "p.xlsx", cache)
    assert again.exit_code == EXIT_OK, again.output
    assert "(1 read, 0 from cache)" in again.stdout
    third = _run(folder, tmp_path / "p.xlsx", cache)
    assert "(0 read, 1 from cache)" in third.stdout


# --- what a cache entry may hold ------------------------------------------------------------


def _tamper(cache: Path, change: Callable[[Any], Any]) -> None:
    """Change the entry's result as someone who knows the format would: its CRC to match."""
    with sqlite3.connect(cache) as db:
        (path, blob, prepared) = db.execute(
            "SELECT path, payload, prepared FROM results"
        ).fetchone()
        new = dumps(change(loads(blob)))
        db.execute(
            "UPDATE results SET payload = ?, crc = ? WHERE path = ?",
            (new, make.entry_crc(new, prepared), path),
        )
    db.close()


def _damage(cache: Path, column: str, change: Callable[[bytes], bytes]) -> None:
    """Change bytes of the entry's ``column`` as a disk or a bad copy would: nothing else."""
    with sqlite3.connect(cache) as db:
        (path, blob) = db.execute(f"SELECT path, {column} FROM results").fetchone()
        db.execute(f"UPDATE results SET {column} = ? WHERE path = ?", (change(blob), path))
    db.close()


def _flip(at: int) -> Callable[[bytes], bytes]:
    return lambda b: b[:at] + bytes([b[at] ^ 0x20]) + b[at + 1 :]


def _formulas(portfolio: Path) -> list[str]:
    with zipfile.ZipFile(portfolio) as zf:
        return [
            n
            for n in zf.namelist()
            if n.startswith("xl/worksheets/") and (b"<f>" in zf.read(n) or b"<f " in zf.read(n))
        ]


def _tasks_sheet(portfolio: Path) -> list[list[Any]]:
    import python_calamine as calamine

    book = calamine.CalamineWorkbook.from_path(str(portfolio))
    return book.get_sheet_by_name("Tasks").to_python()  # type: ignore[no-any-return]


def _tasks(portfolio: Path) -> int:
    return len(_tasks_sheet(portfolio)) - 1


def _with(result: Any, **changes: Any) -> Any:
    return dataclasses.replace(result, **changes)


def _table(result: Any, key: str, **changes: Any) -> Any:
    """The entry with one of its tables changed."""
    return _with(
        result, tables={**result.tables, key: dataclasses.replace(result.tables[key], **changes)}
    )


def _column(result: Any, key: str, change: Callable[[list[Any]], Any]) -> Any:
    """The entry with the first column of one table changed (``change`` gets its values)."""
    columns = dict(result.tables[key].columns)
    first = next(iter(columns))
    columns[first] = change(list(columns[first]))
    return _table(result, key, columns=columns)


class _RunsCode:
    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, ("echo tampered",))


def _compressed(raw: bytes, size: int) -> PackedColumn:
    return PackedColumn(lz4.block.compress(raw, store_size=True), size)


TAMPERED: dict[str, Callable[[Any], Any]] = {
    "a table of another kind": lambda r: _table(r, "Tasks", kind="Milestones"),
    "a column missing": lambda r: _table(
        r, "Tasks", columns=dict(list(r.tables["Tasks"].columns.items())[1:])
    ),
    "a column shorter than its rows": lambda r: _column(r, "Milestones", lambda c: c[:-1]),
    "a column that is text": lambda r: _column(r, "Milestones", lambda c: "x" * len(c)),
    "a column that is a list, not packed": lambda r: _column(r, "Milestones", lambda c: c),
    "a packed column shorter than its rows": lambda r: _column(
        r, "Milestones", lambda c: PackedColumn.of(c[:-1])
    ),
    "a packed column that claims its rows' length": lambda r: _column(
        r, "Milestones", lambda c: PackedColumn(PackedColumn.of(c[:-1]).data, len(c))
    ),
    "a packed column of a foreign type": lambda r: _column(
        r, "Milestones", lambda c: PackedColumn.of([b"bytes"] * len(c))
    ),
    "a packed column that would run code": lambda r: _column(
        r, "Milestones", lambda c: _compressed(pickle.dumps([_RunsCode()] * len(c)), len(c))
    ),
    "a packed column that is not compressed": lambda r: _column(
        r, "Milestones", lambda c: PackedColumn(b"\x10\x00\x00\x00not compressed", len(c))
    ),
    "a packed column that decompresses past any cell": lambda r: _column(
        r, "Milestones", lambda c: _compressed(b"\0" * (len(c) + 1) * 140_000, len(c))
    ),
    "a packed column that is text": lambda r: _column(
        r,
        "Milestones",
        lambda c: PackedColumn("text", len(c)),  # type: ignore[arg-type]
    ),
    "a cell value of a foreign type": lambda r: _column(
        r, "Milestones", lambda c: [b"bytes"] * len(c)
    ),
    "rows that are not row numbers": lambda r: _table(
        r, "Tasks", rows=["1"] * len(r.tables["Tasks"].rows)
    ),
    "a project that is a list": lambda r: _with(r, project=["PRJ-0801"]),
    "findings that are numbers": lambda r: _with(r, findings=[1, 2]),
    "a finding whose message is not text": lambda r: _with(
        r,
        findings=[Finding("task.x", Severity.ERROR, ["not text"], r.file)],  # type: ignore[arg-type]
    ),
    "a finding of one item too many": lambda r: _with(
        r, findings=[tuple.__new__(Finding, ("task.x", Severity.ERROR, "m", r.file, *[""] * 6))]
    ),
    # Findings are kept as plain tuples, made Findings again: a row of another length is not one.
    "a finding row of three items": lambda r: _with(r, findings=[("task.x", Severity.ERROR, "m")]),
    "a finding row that is text": lambda r: _with(r, findings=["task.x"]),
    "another file's entry": lambda r: _with(r, file=r.file + "x"),
    # The run looks dimensions up by name (a damaged name crashed it: KeyError 'Schedule').
    "a dimension under another name": lambda r: _with(
        r,
        dims=dataclasses.replace(
            r.dims, judged=(("Sched{le", r.dims.judged[0][1]), *r.dims.judged[1:])
        ),
    ),
    "a dimension missing": lambda r: _with(
        r, dims=dataclasses.replace(r.dims, judged=r.dims.judged[1:])
    ),
}


@pytest.mark.parametrize("change", list(TAMPERED))
def test_a_tampered_cache_entry_is_a_miss_never_a_formula_or_a_traceback(
    folder: Path, tmp_path: Path, change: str
) -> None:
    cache, first = tmp_path / "cache.sqlite", tmp_path / "first.xlsx"
    assert _run(folder, first, cache).exit_code == EXIT_OK
    _tamper(cache, TAMPERED[change])
    out = tmp_path / "p.xlsx"
    again = _run(folder, out, cache)
    assert again.exit_code == EXIT_OK, f"{again.output}\n{again.exception!r}"
    assert "(1 read, 0 from cache)" in again.stdout  # the entry was not used
    assert _formulas(out) == []
    assert _tasks(out) == _tasks(first)


def test_an_entry_damaged_by_accident_is_a_miss_never_a_changed_value(
    folder: Path, tmp_path: Path
) -> None:
    # A damaged byte in a name passes every field check (it is still text), so only the
    # entry's CRC can tell: fuzzing the cache file put 'Ad\x1dyemi' in a portfolio.
    cache, first = tmp_path / "cache.sqlite", tmp_path / "first.xlsx"
    assert _run(folder, first, cache).exit_code == EXIT_OK
    (header, *rows) = _tasks_sheet(first)
    owner = max((str(row[header.index("Owner")]) for row in rows), key=len)
    assert len(owner) >= 3
    damaged = owner[:2] + "\x1d" + owner[3:]
    _damage(cache, "payload", lambda b: b.replace(owner.encode(), damaged.encode()))
    out = tmp_path / "p.xlsx"
    again = _run(folder, out, cache)
    assert again.exit_code == EXIT_OK, again.output
    assert "(1 read, 0 from cache)" in again.stdout
    assert _tasks_sheet(out) == _tasks_sheet(first)


@pytest.mark.parametrize("column", ["payload", "prepared"])
@pytest.mark.parametrize("where", [0.3, 0.6, 0.9])
def test_a_byte_flipped_in_an_entry_is_a_miss(
    folder: Path, tmp_path: Path, column: str, where: float
) -> None:
    cache, first = tmp_path / "cache.sqlite", tmp_path / "first.xlsx"
    assert _run(folder, first, cache).exit_code == EXIT_OK
    with sqlite3.connect(cache) as db:
        (size,) = db.execute(f"SELECT length({column}) FROM results").fetchone()
    db.close()
    _damage(cache, column, _flip(int(size * where)))
    out = tmp_path / "p.xlsx"
    again = _run(folder, out, cache)
    assert again.exit_code == EXIT_OK, again.output
    assert "(1 read, 0 from cache)" in again.stdout
    assert _tasks_sheet(out) == _tasks_sheet(first)


def test_formula_text_planted_in_the_cache_is_written_as_text(folder: Path, tmp_path: Path) -> None:
    cache, first = tmp_path / "cache.sqlite", tmp_path / "first.xlsx"
    assert _run(folder, first, cache).exit_code == EXIT_OK
    planted = "=cmd|' /C calc'!A0"
    _tamper(cache, lambda r: _column(r, "Tasks", lambda c: PackedColumn.of([planted] * len(c))))
    out = tmp_path / "p.xlsx"
    again = _run(folder, out, cache)
    assert again.exit_code == EXIT_OK and "(0 read, 1 from cache)" in again.stdout
    assert _formulas(out) == []
    (_header, *rows) = _tasks_sheet(out)
    assert rows and {row[1] for row in rows} == {planted}  # the value, shown as the text it is


def test_every_type_a_result_holds_may_be_loaded_from_the_cache() -> None:
    """The unpickler's allow-list follows the result's types (a moved class would make
    every entry holding one a miss, silently: a cache that never hits)."""
    import enum
    import typing

    from addin.engine import cache_payload as cache
    from addin.engine.pipeline import TrackerResult

    seen: set[type] = set()

    def walk(hint: Any) -> None:
        for arg in typing.get_args(hint):
            walk(arg)
        if not isinstance(hint, type) or hint in seen:
            return
        seen.add(hint)
        if dataclasses.is_dataclass(hint):
            for sub in typing.get_type_hints(hint).values():
                walk(sub)

    walk(TrackerResult)
    ours = {(t.__module__, t.__qualname__) for t in seen if t.__module__.startswith("addin.")}
    assert ours - cache._ALLOWED_ENGINE == set()
    assert {t for t in seen if issubclass(t, enum.Enum)} <= {
        t for t in seen if (t.__module__, t.__qualname__) in cache._ALLOWED_ENGINE
    }


def test_what_the_unpickler_refuses_stays_refused_after_what_it_allows() -> None:
    """It remembers the classes it found (every entry names the same ones), never a refusal:
    a class outside the allow-list is refused however often it is asked for."""
    import datetime as dt

    from addin.engine import cache_payload as cache

    finding = Finding("task.x", Severity.ERROR, "m", "f.xlsx", "Tasks", 1, 2)
    value = {"when": dt.date(2026, 1, 1), "findings": [finding]}
    for _ in range(2):
        assert cache.loads(cache.dumps(value)) == value
        with pytest.raises(pickle.UnpicklingError, match="refusing to load"):
            cache.loads(pickle.dumps(_RunsCode()))
    assert ("addin.core.findings", "Finding") in cache._FOUND
    assert all(name != "system" for _module, name in cache._FOUND)
