"""Where things stand on the Dashboard sheet: a grid of equal narrow columns, and its rows.

Tiles, charts and the matrix are placed on the same :data:`GRID` columns so they line
up; :mod:`addin.outputs.dashboard.front` draws the page on it.
"""

from __future__ import annotations

#: Equal columns of the Dashboard grid, and their width in characters: eleven KPI tiles of
#: three columns (Projects; Red, Amber, Green, No data; Budget, EAC; overdue milestones,
#: open High/Critical, stale, optimism), three charts of eleven.
GRID = 33
GRID_WIDTH = 4.43
#: Pixels of one grid column (XlsxWriter: width x 7 + 5, rounded).
GRID_PX = int(GRID_WIDTH * 7 + 0.5) + 5
#: Columns per KPI tile.
TILE_SPAN = 3
#: Columns per chart (three side by side).
CHART_SPAN = GRID // 3
#: Rows of the tiles, the chart band and the matrix (0-based).
TILE_ROW = 4
CHART_ROW = 8
CHART_ROWS = 14
CHART_ROW_PX = 20
MATRIX_TITLE_ROW = CHART_ROW + CHART_ROWS + 1
MATRIX_HEADER_ROW = MATRIX_TITLE_ROW + 1
