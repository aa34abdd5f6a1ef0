"""A tracker's identity: its project's name and ID, and where each came from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    """A tracker's project name and ID, and where each came from.

    Attributes:
        name: The project's name ("" when none could be found at all).
        project_id: The Project ID ("" when none).
        name_from: ``block``, ``label``, ``title``, ``content`` or ``filename``.
        id_from: ``block`` or ``filename``.
        sheet: The sheet of the cell the name came from ("" for the file name).
        row: 0-based row of that cell (None for the file name).
        col: 0-based column of that cell (None for the file name).
    """

    name: str
    project_id: str
    name_from: str
    id_from: str
    sheet: str = ""
    row: int | None = None
    col: int | None = None

    @property
    def inferred(self) -> bool:
        """True when the name or the ID did not come from the Project block."""
        return self.name_from != "block" or self.id_from != "block"
