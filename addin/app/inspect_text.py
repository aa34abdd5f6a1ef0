"""``pmo inspect`` as text: one screen for an ordinary tracker, then the mapping block.

Cell text may hold anything (escapes, line breaks): every line passes
:func:`~addin.core.words.terminal_safe`, and the caller prints it as it is.
"""

from __future__ import annotations

import textwrap

from addin.app.inspect import Inspection, TableSeen
from addin.core.words import counted, one_line, terminal_safe

_WIDTH = 100
_FROM = {
    "block": "the Project block",
    "label": "a Project label",
    "title": "a title cell",
    "content": "the sheet names",
    "filename": "the file name",
}


def _s(text: str) -> str:
    return terminal_safe(one_line(text))


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, _WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent]


def _table(t: TableSeen) -> list[str]:
    head = f"  {t.kind} on '{_s(t.sheet)}': header row {t.header_row}, {t.rows} rows"
    if t.layout == "matrix":
        return [head + " (a wide plan: one column a period)"]
    cols = [
        f"{c.column} '{_s(c.header)}' -> {c.field}"
        + ("" if c.strength == "canonical" else f" ({c.strength})")
        for c in t.columns
        if c.field
    ]
    lines = [head, *_wrap("; ".join(cols), "      ")]
    if t.unmapped:
        unmapped = ", ".join(f"{c.column} '{_s(c.header)}'" for c in t.unmapped)
        lines += _wrap(f"not mapped: {unmapped}", "      ")
    return lines


def render_inspection(ins: Inspection) -> str:
    """The text report of :func:`addin.app.inspect.inspect`."""
    counts = f"{counted(ins.errors, 'error')}, {counted(ins.warnings, 'warning')}"
    lines = [f"{_s(ins.file)}  {ins.status}  ({counts})"]
    if ins.reason:
        lines += _wrap(_s(ins.reason), "  ")
    if not ins.sheets and not ins.tables:  # not opened (damaged, not a workbook): no more to say
        return "\n".join(lines)
    where = f" at {_s(ins.identity_cell)}" if ins.identity_cell else ""
    lines += _wrap(
        f"Project: {_s(ins.project_name) or '(none)'}  ID {_s(ins.project_id) or '(none)'}"
        f"  (name from {_FROM.get(ins.name_from, ins.name_from or '-')}{where}, "
        f"ID from {_FROM.get(ins.id_from, ins.id_from or '-')})",
        "",
    )
    if ins.block_sheet:
        labels = ", ".join(f"{k} {v}" for k, v in ins.block.items())
        lines += _wrap(f"Project block on '{_s(ins.block_sheet)}': {labels}", "  ")
    lines.append("Sheets:")
    width = min(30, max((len(_s(s.name)) for s in ins.sheets), default=0))
    for s in ins.sheets:
        what = ", ".join(s.kinds) if s.kinds else s.use
        line = f"  {_s(s.name):<{width}}  {what}"
        if s.reason:
            lines += textwrap.wrap(
                f"{line}: {_s(s.reason)}", _WIDTH, subsequent_indent=" " * (width + 4)
            )
        else:
            lines.append(line)
    if ins.tables:
        lines.append("Tables (column 'header seen' -> field (strength)):")
        for t in ins.tables:
            lines += _table(t)
    if ins.mapped:
        lines.append("Mapping of pmo.toml:")
        for m in ins.mapped:
            lines += _wrap(_s(m), "  ")
    if ins.mapping:
        lines.append("")
        lines.append("# pmo.toml mapping block: reproduces this reading; edit what is wrong.")
        lines += [terminal_safe(line) for line in ins.mapping.rstrip("\n").splitlines()]
    return "\n".join(lines)
