"""Reading trackers: open safely, find sheets and headers, coerce values, keep cell addresses."""

from addin.read.source import WORKBOOK_SUFFIXES, Workbook, is_lock_file, sniff
from addin.read.tracker import Layout, ProjectLayout, ReadResult, TableLayout, read_tracker

__all__ = [
    "WORKBOOK_SUFFIXES",
    "Layout",
    "ProjectLayout",
    "ReadResult",
    "TableLayout",
    "Workbook",
    "is_lock_file",
    "read_tracker",
    "sniff",
]
