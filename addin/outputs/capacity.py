"""``pmo new-capacity``: the governed template of the PMO's capacity list.

A workbook with an ``Instructions``-like note, a ``Capacity`` table (Person, Role,
Team, FTE, Start, End, Non-project %) and a ``Holidays`` table (Date, Name), written
from the declarations in :mod:`addin.core.capacity` with the tracker template's
styles, validation and protection, so the PMO keeps it the way trackers are kept.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from addin.core.capacity import CAPACITY, CAPACITY_VERSION, HOLIDAYS, CapacityEntry, Holiday
from addin.core.errors import OutputError, os_reason
from addin.core.ours import OUTPUT_PROPERTY, OutputKind
from addin.core.settings import Settings
from addin.outputs.atomic import atomic_path
from addin.outputs.cells import SAFE_OPTIONS
from addin.outputs.template.styles import Lists, Styles
from addin.outputs.template.writer import write_table

#: Custom document property naming the capacity list's layout version.
CAPACITY_PROPERTY = "PMO Capacity List"


def write_capacity_list(
    path: str | os.PathLike[str],
    settings: Settings | None = None,
    *,
    people: Sequence[CapacityEntry] = (),
    holidays: Sequence[Holiday] = (),
    created: dt.datetime | None = None,
) -> Path:
    """Write a capacity list workbook, empty (the template) or filled, atomically.

    Raises:
        OutputError: the file could not be written (the previous file is intact).
    """
    settings = settings or Settings()
    target = Path(path)
    stamp = created or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    try:
        with atomic_path(target) as tmp:
            wb = xlsxwriter.Workbook(str(tmp), dict(SAFE_OPTIONS))
            try:
                styles, lists = Styles(wb, settings), Lists(settings)
                write_table(
                    wb.add_worksheet(CAPACITY.key), CAPACITY, people, settings, styles, lists
                )
                write_table(
                    wb.add_worksheet(HOLIDAYS.key), HOLIDAYS, holidays, settings, styles, lists
                )
                wb.set_properties(
                    {
                        "title": "PMO capacity list",
                        "subject": "Who works on projects, how much, from when to when",
                        "comments": "Keep the sheet names and headers; pmo consolidate "
                        "--capacity reads it.",
                        "created": stamp,
                    }
                )
                wb.set_custom_property(CAPACITY_PROPERTY, CAPACITY_VERSION)
                wb.set_custom_property(OUTPUT_PROPERTY, OutputKind.CAPACITY.value)
                wb.worksheets()[0].activate()
            finally:
                wb.close()
    except (OSError, XlsxWriterException) as exc:
        raise OutputError(f"{target}: cannot write the capacity list ({os_reason(exc)})") from exc
    return target


def new_capacity(path: str | os.PathLike[str], settings: Settings | None = None) -> Path:
    """Write the empty capacity list template (``pmo new-capacity``)."""
    return write_capacity_list(path, settings)
