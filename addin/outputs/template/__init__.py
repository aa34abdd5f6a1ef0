"""The governed tracker template: guidance, validation, formats and the workbook writer."""

from addin.outputs.template.guidance import DATE_MAX, DATE_MIN, bounds, guidance, validation
from addin.outputs.template.instructions import (
    INSTRUCTIONS_SHEET,
    TITLE,
    instructions,
    template_fields,
)
from addin.outputs.template.styles import LISTS_SHEET, RAG_FILLS
from addin.outputs.template.writer import (
    SPEC_PROPERTY,
    VERSION_PROPERTY,
    new_tracker,
    write_tracker,
    write_value,
)

__all__ = [
    "DATE_MAX",
    "DATE_MIN",
    "INSTRUCTIONS_SHEET",
    "LISTS_SHEET",
    "RAG_FILLS",
    "SPEC_PROPERTY",
    "TITLE",
    "VERSION_PROPERTY",
    "bounds",
    "guidance",
    "instructions",
    "new_tracker",
    "template_fields",
    "validation",
    "write_tracker",
    "write_value",
]
