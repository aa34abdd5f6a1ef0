"""Colours shared by every workbook we write.

RAG fills use the Okabe-Ito colour-blind-safe palette (vermillion, yellow,
bluish green), which differ in lightness as well as hue; the word is always in
the cell as well, so status never depends on colour alone. ``No data`` (RAG_RULES
v2) is a neutral grey whose lightness (CIE L* 72) sits between the green and
vermillion (L* 54-58) and the yellow (L* 89), with black text (contrast 9.7:1).
"""

from __future__ import annotations

#: RAG -> (fill, font colour).
RAG_COLOURS: dict[str, tuple[str, str]] = {
    "Red": ("#D55E00", "#FFFFFF"),
    "Amber": ("#F0E442", "#000000"),
    "Green": ("#009E73", "#FFFFFF"),
    "No data": ("#B0B0B0", "#000000"),
}

HEADER_FILL = "#1F3864"
HEADER_FONT = "#FFFFFF"
TITLE_FONT = "#1F3864"
MUTED_FONT = "#595959"
FINDING_FILL = "#FFD8B1"
