"""``pmo upgrade-tracker``: bring a tracker to the current template version (1.0 -> 1.1).

Adds what the new version has and the tracker lacks (:mod:`.plan`): the Resources and
Lessons sheets, the new Tasks columns, the Template Version; copied from a fresh
template (:mod:`.copying`), so they look and validate exactly as in a new tracker.
Nothing else changes: every value, formula, format, validation, defined name, table and
macro (``.xlsm``) stays, which the save checks cell by cell against the original
(:class:`~addin.outputs.bookfile.BookFile`). The template's own Instructions sheet is
replaced by the new version's.

A copy ``name.upgraded.xlsx`` is written beside the tracker by default (it repeats the
tracker's Project ID, so a folder scan skips it: replace the tracker with it). With
``in_place`` the tracker itself is replaced, after a verified byte-for-byte backup, and
only when nothing would be lost. A tracker at the current version is left untouched:
no copy, no backup.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from addin import TEMPLATE_VERSION
from addin.core.errors import OutputError, os_reason
from addin.core.kinds import Layout, kind
from addin.core.ours import TEMPLATE_PROPERTY
from addin.core.settings import Settings
from addin.outputs.bookfile import BookFile
from addin.outputs.template import INSTRUCTIONS_SHEET, TITLE, write_tracker
from addin.outputs.template.instructions import template_kinds
from addin.outputs.upgrade.copying import (
    Lists,
    add_columns,
    copy_sheet,
    last_header_col,
    set_value,
    table_bottom,
)
from addin.outputs.upgrade.plan import UpgradePlan, plan_upgrade
from addin.read import read_tracker


def upgraded_path(path: Path) -> Path:
    """Where a copy goes: ``name.upgraded.xlsx`` (``.xlsm`` kept) beside the tracker."""
    return path.with_name(f"{path.stem}.upgraded{path.suffix.lower()}")


@dataclass(frozen=True)
class Upgrade:
    """What upgrading one tracker did.

    Attributes:
        file: The tracker.
        written: The file written (the tracker itself in place); None when nothing was.
        backup: The backup of an in-place upgrade.
        changes: What was added, one line each ("" when the tracker was at the version).
        missing: What a copy could not carry over from the tracker (nothing, normally).
    """

    file: Path
    written: Path | None = None
    backup: Path | None = None
    changes: tuple[str, ...] = ()
    missing: tuple[str, ...] = field(default=())

    @property
    def current(self) -> bool:
        """True when the tracker was at the current version already (nothing written)."""
        return self.written is None


class _Book(BookFile):
    what = "upgrade"
    done = "upgraded"


def _changes(plan: UpgradePlan) -> list[str]:
    out = [f"added sheet {name}" for name in plan.sheets]
    tasks = kind("Tasks")
    for cols in plan.columns:
        headers = ", ".join(tasks.field(f).header for f in cols.fields)
        out.append(f"added {cols.sheet} columns {headers}")
    if plan.version_cell is not None:
        out.append(f"Template Version {plan.version_cell[3]} -> {TEMPLATE_VERSION}")
    out += [f"kept the tracker's own sheet {name} (its {name} not added)" for name in plan.kept]
    return out


def _apply(book: _Book, plan: UpgradePlan, template: Path) -> None:
    import openpyxl

    wb, tpl = book.book, openpyxl.load_workbook(template)
    lists = Lists(wb, tpl)
    ours = INSTRUCTIONS_SHEET in wb.sheetnames and wb[INSTRUCTIONS_SHEET]["A1"].value == TITLE
    if ours:  # the template's own guidance: the new version's replaces it
        index = wb.sheetnames.index(INSTRUCTIONS_SHEET)
        wb.remove(wb[INSTRUCTIONS_SHEET])
        book.replaced.add(INSTRUCTIONS_SHEET)
        copy_sheet(tpl[INSTRUCTIONS_SHEET], wb, lists, index)
    for name in plan.sheets:
        after = max(
            (wb.sheetnames.index(s) for s in wb.sheetnames if s in tpl.sheetnames), default=-1
        )
        copy_sheet(tpl[name], wb, lists, after + 1)
    tasks = kind("Tasks")
    for cols in plan.columns:
        headers = [tasks.field(f).header for f in cols.fields]
        cells = add_columns(
            wb[cols.sheet],
            tpl["Tasks"],
            headers,
            cols.header_row,
            cols.first_col,
            cols.last_row,
            lists,
        )
        book.ignored.setdefault(cols.sheet, set()).update(cells)
    if plan.version_cell is not None:
        sheet, row, col, _ = plan.version_cell
        set_value(wb[sheet], row, col, TEMPLATE_VERSION)
        book.ignored.setdefault(sheet, set()).add((row, col))
    _version_property(wb)


def _version_property(wb: Any) -> None:
    """Raise the ``PMO Template Version`` property, where the tracker has one."""
    from openpyxl.packaging.custom import StringProperty

    props = wb.custom_doc_props
    if TEMPLATE_PROPERTY in props.names:
        del props[TEMPLATE_PROPERTY]
        props.append(StringProperty(name=TEMPLATE_PROPERTY, value=TEMPLATE_VERSION))


def upgrade_tracker(
    path: Path,
    settings: Settings,
    *,
    in_place: bool = False,
    out: Path | None = None,
    people: Mapping[str, Sequence[str]] | None = None,
) -> Upgrade:
    """Upgrade one tracker (see the module docstring).

    Args:
        path: The tracker (``.xlsx`` or ``.xlsm``).
        settings: Effective settings (the new sheets' dropdowns, date format, protection).
        in_place: Replace the tracker itself (after a verified backup).
        out: Where the copy goes (default :func:`upgraded_path`).
        people: The capacity list's names for the Resources dropdowns.

    Raises:
        OutputError: not a tracker, or it cannot be upgraded safely; the tracker is left
            as it was (one line saying why).
    """
    read = read_tracker(path, settings)
    if not read.status.read_as_tracker:
        raise OutputError(f"{path}: not upgraded: {read.reason}")
    book = _Book(path)
    if in_place and book.missing:  # refused before anything is written
        raise OutputError(book.refusal("not upgraded in place", book.missing))
    ws_of = book.book

    def header_end(sheet: str, row: int) -> int:
        return last_header_col(ws_of[sheet], row)

    def last_row(sheet: str) -> int:
        lay = read.layout("Tasks", sheet)
        return table_bottom(ws_of[sheet], lay.header_row if lay else 0)

    new_kinds = [k for k in template_kinds() if k.since > "1.0" and k.layout is not Layout.KEYVALUE]
    plan = plan_upgrade(read, book.book.sheetnames, new_kinds, header_end, last_row)
    if plan.empty:
        return Upgrade(path)
    with tempfile.TemporaryDirectory(prefix="pmo-upgrade-") as folder:
        try:
            template = write_tracker(Path(folder) / "template.xlsx", None, settings, people=people)
        except OutputError as exc:  # its message names a temporary file the user never sees
            why = os_reason(exc.__cause__ or exc)
            raise OutputError(
                f"{path}: not upgraded: the template's new sheets could not be made in a "
                f"temporary folder ({why}); the file was left as it was"
            ) from None
        _apply(book, plan, template)
    if in_place:
        written = book.save_in_place(refused="not upgraded in place")
        return Upgrade(path, written, book.backup, tuple(_changes(plan)))
    written, missing = book.save(out or upgraded_path(path))
    return Upgrade(path, written, None, tuple(_changes(plan)), tuple(missing))


__all__ = ["Upgrade", "UpgradePlan", "upgrade_tracker", "upgraded_path"]
