"""Reading trackers: open safely, find sheets and headers, coerce values, keep cell addresses."""

from addin.read.source import (
    WORKBOOK_SUFFIXES,
    Grid,
    GridSource,
    Workbook,
    grid_from_values,
    is_lock_file,
    sniff,
)
from addin.read.tracker import (
    Layout,
    ProjectLayout,
    ReadResult,
    TableLayout,
    read_source,
    read_tracker,
)

__all__ = [
    "WORKBOOK_SUFFIXES",
    "Grid",
    "GridSource",
    "Layout",
    "ProjectLayout",
    "ReadResult",
    "TableLayout",
    "Workbook",
    "grid_from_values",
    "is_lock_file",
    "read_source",
    "read_tracker",
    "sniff",
]
