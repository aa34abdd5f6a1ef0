"""An independent, strict reader of vbaProject.bin, written from [MS-CFB] and [MS-OVBA].

It shares no code with ``addin.excel.vba`` (the writer): nothing here imports it.
Every violation of a MUST it checks raises :class:`SpecError` naming the section.
"""

from __future__ import annotations


class SpecError(AssertionError):
    """The file breaks a rule of the specification (the message names the section)."""
