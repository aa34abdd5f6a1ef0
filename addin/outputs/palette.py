"""Colours shared by every workbook we write.

RAG fills use the Okabe-Ito colour-blind-safe palette (vermillion, yellow,
bluish green), which differ in lightness as well as hue; the word is always in
the cell as well, so status never depends on colour alone.
"""

from __future__ import annotations

#: RAG -> (fill, font colour).
RAG_COLOURS: dict[str, tuple[str, str]] = {
    "Red": ("#D55E00", "#FFFFFF"),
    "Amber": ("#F0E442", "#000000"),
    "Green": ("#009E73", "#FFFFFF"),
}

HEADER_FILL = "#1F3864"
HEADER_FONT = "#FFFFFF"
TITLE_FONT = "#1F3864"
MUTED_FONT = "#595959"
FINDING_FILL = "#FFD8B1"
