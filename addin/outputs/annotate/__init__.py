"""Write validation findings into a workbook, so a project manager sees them in Excel.

Two halves, kept apart so the ribbon's Validate button (a live workbook through
xlwings) and ``pmo validate --annotate`` (a file through openpyxl) mark the same
cells:

* *what to mark* - :func:`plan` turns findings into :class:`Mark` s (one per
  cell, all its messages in one note) and the rows of a ``Validation`` sheet;
* *how to write it* - a :class:`Target` applies a plan. :class:`FileTarget`
  works on a file with openpyxl.

Marks never overwrite what the project manager made: the highlight is a
conditional-format rule (the cell's own fill is untouched), a note is added
beside any existing comment text, and both are recognisable, so re-annotating
first removes the previous run's marks instead of stacking them.
"""

from addin.outputs.annotate.file_target import FileTarget
from addin.outputs.annotate.files import (
    Annotation,
    AnnotationResult,
    annotate_file,
    annotate_reports,
    annotate_task,
    annotate_workbook,
    checked_path,
)
from addin.outputs.annotate.marks import (
    MARK_FORMULA,
    NOTE_AUTHOR,
    NOTE_MARKER,
    VALIDATION_HEADERS,
    VALIDATION_SHEET,
    VALIDATION_TITLE,
    WARNING_FILL,
    Mark,
    Plan,
    Target,
    apply,
    plan,
    strip_note,
    validation_caption,
)

__all__ = [
    "MARK_FORMULA",
    "NOTE_AUTHOR",
    "NOTE_MARKER",
    "VALIDATION_HEADERS",
    "VALIDATION_SHEET",
    "VALIDATION_TITLE",
    "WARNING_FILL",
    "Annotation",
    "AnnotationResult",
    "FileTarget",
    "Mark",
    "Plan",
    "Target",
    "annotate_file",
    "annotate_reports",
    "annotate_task",
    "annotate_workbook",
    "apply",
    "checked_path",
    "plan",
    "strip_note",
    "validation_caption",
]
