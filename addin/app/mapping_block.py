"""A ``[[mapping]]`` block for ``pmo.toml`` that reproduces what the reader made of a file.

``pmo inspect`` prints it: every sheet read as one table with its kind and header row,
every column with the field it fed (``header text = field header``), and the sheets not
read as comments with the reason. Pasted into ``pmo.toml`` it reads the file the same
way; a PMO edits only what is wrong (see docs/onboarding.md). A sheet holding several
tables, or a wide plan, is left to detection (said in a comment): one sheet -> one kind
cannot say it.
"""

from __future__ import annotations

import json
import re

from addin.core.kinds import Layout, kind
from addin.core.rules import RuleId
from addin.core.settings.mapping import IGNORE
from addin.core.words import one_line
from addin.read import ReadResult, SheetLayout
from addin.read.overrides import header_key
from addin.read.scale_key import KEY_REASON

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_GLOB = re.compile(r"([\[\]*?])")


def _q(text: str) -> str:
    """A TOML string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _key(text: str) -> str:
    return text if _BARE.fullmatch(text) else _q(text)


def glob_of(name: str) -> str:
    """A glob matching exactly this file name (``[``, ``*`` and ``?`` escaped)."""
    return _GLOB.sub(r"[\1]", name)


def _columns(key: str, layouts: list[SheetLayout]) -> tuple[dict[str, str], list[str]]:
    """Header text -> field header of a kind's tables; and the texts read differently by sheet.

    A header mapped on one sheet and read as another field (or none) on another is left to
    detection: one line for the whole kind could not say both.
    """
    uses: dict[str, set[str]] = {}
    first: dict[str, str] = {}
    for lay in layouts:
        by_col = {c: n for n, c in lay.columns.items()}
        for col, text in sorted(lay.headers.items()):
            folded = header_key(text)
            first.setdefault(folded, text)
            uses.setdefault(folded, set()).add(by_col.get(col, ""))
    spec = kind(key)
    columns = {
        first[f]: spec.field(next(iter(u))).header
        for f, u in uses.items()
        if len(u) == 1 and "" not in u
    }
    mixed = [first[f] for f, u in uses.items() if len(u) > 1 and u != {""}]
    return columns, mixed


def mapping_block(read: ReadResult, name: str) -> str:
    """The ``[[mapping]]`` block of a read file named ``name`` (its file name)."""
    per_sheet: dict[str, list[tuple[str, int, Layout]]] = {}
    for key, layouts in read.layouts.items():
        for lay in layouts:
            per_sheet.setdefault(lay.sheet, []).append((key, lay.header_row, lay.layout))
    sheets: list[str] = []
    rows: list[str] = []
    for sheet in read.sheet_order:
        found = per_sheet.get(sheet)
        if found is None:
            continue
        if len(found) > 1 or found[0][2] is Layout.MATRIX:
            what = "a wide plan" if found[0][2] is Layout.MATRIX else "several tables"
            sheets.append(f"# {_q(sheet)} holds {what}: left to detection")
            continue
        key, row, _ = found[0]
        sheets.append(f"{_q(sheet)} = {_q(key)}")
        rows.append(f"{_q(sheet)} = {row + 1}")
    if read.block is not None and read.block.sheet not in per_sheet:
        sheets.append(f"{_q(read.block.sheet)} = {_q('Project')}")
    why = {
        f.sheet: f.message
        for f in read.findings
        if f.rule in (RuleId.SHEET_IGNORED, RuleId.RESOURCE_NOT_READ) and f.sheet
    }
    for sheet, reason in why.items():
        if sheet in per_sheet:
            continue
        said = one_line(reason)
        if said.endswith(KEY_REASON):  # its words are read: "ignore" would lose them
            sheets.append(f"# {_q(sheet)}: {said}")
        else:
            sheets.append(f"{_q(sheet)} = {_q(IGNORE)}  # {said}")
    lines = ["[[mapping]]", f"files = {_q(glob_of(name))}", "", "[mapping.sheets]", *sheets]
    if rows:
        lines += ["", "[mapping.header_rows]", *rows]
    for key, layouts in read.layouts.items():
        columns, mixed = _columns(key, [lay for lay in layouts if lay.layout is Layout.TABLE])
        if columns or mixed:
            lines += ["", f"[mapping.columns.{_key(key)}]"]
            lines += [f"{_q(text)} = {_q(header)}" for text, header in columns.items()]
            lines += [f"# {_q(text)}: read differently on different sheets" for text in mixed]
    return "\n".join(lines) + "\n"
