"""Reading trackers: open safely, find each kind's sheets and headers, type values, keep cells."""

from addin.read.grid import Grid, GridSource, grid_from_values
from addin.read.result import BlockLayout, ReadResult, SheetLayout
from addin.read.sniffing import WORKBOOK_SUFFIXES, is_lock_file, sniff
from addin.read.source import Workbook
from addin.read.workbook import read_source, read_tracker

__all__ = [
    "WORKBOOK_SUFFIXES",
    "BlockLayout",
    "Grid",
    "GridSource",
    "ReadResult",
    "SheetLayout",
    "Workbook",
    "grid_from_values",
    "is_lock_file",
    "read_source",
    "read_tracker",
    "sniff",
]
