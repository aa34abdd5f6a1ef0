"""Files that are not files, files too big to touch, parsers that panic: one line each.

* Only regular files are read or hashed (after following links): a FIFO or a link to
  ``/dev/zero`` named ``x.xlsx`` is one Load Log line, never a hang; a file over
  ``limits.max_file_mb`` is refused before a byte of it is read (for the cache too).
* A Rust panic in the parser and openpyxl's warnings never reach the terminal: the
  panic becomes the file's one-line reason.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from addin.core.findings import FileStatus
from addin.core.settings import Settings
from addin.engine.consolidate import consolidate
from tests.hostile import make
from tests.hostile.run import no_traceback, pmo

AS_OF = "2026-11-20"


def test_a_fifo_or_a_device_named_like_a_workbook_is_one_line_never_a_hang(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    make.good(folder / "good.xlsx", "PRJ-1001")
    os.mkfifo(folder / "pipe.xlsx")
    (folder / "zero.xlsx").symlink_to("/dev/zero")
    out = tmp_path / "p.xlsx"
    result = pmo("consolidate", folder, "-o", out, "--as-of", AS_OF, timeout=120)
    no_traceback(result)
    said = result.stdout.decode()
    assert f"unreadable: {folder / 'pipe.xlsx'}: not a regular file (a FIFO)" in said
    assert f"unreadable: {folder / 'zero.xlsx'}: not a regular file (a character device)" in said
    assert out.exists()


def _bytes_read() -> int:
    text = Path("/proc/self/io").read_text()
    return int(re.search(r"^rchar: (\d+)$", text, re.M)[1])  # type: ignore[index]


def test_a_file_over_the_size_limit_is_never_read_not_even_to_key_the_cache(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    good = make.good(folder / "good.xlsx", "PRJ-1002")
    huge = folder / "huge.xlsx"
    with huge.open("wb") as fh:  # sparse: 64 MB that cost nothing on disk
        fh.truncate(64 * 1024 * 1024)
    settings = Settings.model_validate({"limits": {"max_file_mb": 1}})
    before = _bytes_read()
    result = consolidate(
        [good, huge], settings, as_of=dt.date(2026, 11, 20), cache_path=tmp_path / "c.sqlite"
    )
    read = _bytes_read() - before
    assert read < 16 * 1024 * 1024, f"{read:,} bytes read in the main process"
    status = {Path(r.file).name: (r.status, r.reason) for r in result.reports}
    assert status["huge.xlsx"] == (FileStatus.UNREADABLE, "refused: file is 64.0 MB (limit 1 MB)")
    assert status["good.xlsx"][0] is FileStatus.VALID


def _panicking(path: Path) -> Path:
    """A tracker whose first date cell holds -1e20: the parser's date conversion panics."""
    make.good(path, "PRJ-1003")
    part = make.sheet_part(path, "Tasks")
    xml = make.parts_of(path)[part]
    assert isinstance(xml, bytes)
    cell = re.search(rb'(<c r="[A-Z]+\d+" s="\d+"><v>)(4\d{4})(</v></c>)', xml)
    assert cell is not None
    return make.with_part(path, path, part, xml.replace(cell[0], cell[1] + b"-1e20" + cell[3]))


def _with_x14_validation(path: Path) -> Path:
    """A tracker openpyxl warns about when it loads it (an x14 data validation)."""
    make.good(path, "PRJ-1004")
    part = make.sheet_part(path, "Tasks")
    xml = make.parts_of(path)[part]
    assert isinstance(xml, bytes)
    ext = (
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b'<x14:dataValidations count="0"/></ext></extLst></worksheet>'
    )
    return make.with_part(path, path, part, xml.replace(b"</worksheet>", ext))


def test_parser_panics_and_library_warnings_never_reach_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    panics = _panicking(folder / "panics.xlsx")
    _with_x14_validation(folder / "warns.xlsx")
    for args in (
        ("validate", folder, "--annotate"),
        ("consolidate", folder, "-o", tmp_path / "p.xlsx"),
    ):
        result = pmo(*args, "--as-of", AS_OF)
        no_traceback(result)
        err = result.stderr.decode()
        assert "panicked" not in err and "Warning" not in err, err
        said = result.stdout.decode()
        assert "internal error" not in said and "cannot parse workbook" in said, said
    assert panics.exists()
