"""A normalised, comparable view of an .xlsx file (for golden-file and regeneration tests).

``normalise(path)`` opens a workbook with openpyxl and returns plain data (dicts,
lists, strings, numbers, dates) that two workbooks share when they would look and
behave the same in Excel, whatever the bytes: XlsxWriter and Excel order XML
differently, compress differently and stamp times, but the view is equal.

The view::

    {
      "sheets": ["Instructions", "Project", ...],       # in workbook order
      "sheet_states": {"Lists": "hidden"},               # only sheets not visible
      "defined_names": {"Name": "Sheet!$A$1", ...},      # workbook-scoped
      "custom_properties": {"PMO Template Version": "1.0"},
      "sheet": {
        "Tasks": {
          "values": {"A2": "T-001", "E2": datetime(...)},  # non-empty cells
          "formulas": {"F2": "=SUM(A1:A3)"},                # formula cells, apart from values
          "number_formats": {"E2:E201": "dd/mm/yyyy"},      # non-General formats, runs per column
          "unlocked": ["A2:A201", ...],                     # cells whose protection is unlocked
          "validations": [{type, operator, formula1, formula2, sqref, error_style,
                           allow_blank, show_error, show_input, error_title, error,
                           prompt_title, prompt}, ...],
          "conditional_formats": [{range, type, operator, formula, fill}, ...],
          "tables": [{name, ref, headers, style, autofilter}, ...],
          "freeze_panes": "A2",
          "protection": {"sheet": True, "password": False, "allows": ["formatColumns", ...]},
          "merged": ["A1:C1"],
          "widths": {"A": 10.71, ...},                     # explicit column widths
          "page": {orientation, fit_to_width, fit_to_height, print_title_rows, print_area},
          "hidden_gridlines": bool,
        }, ...
      },
    }

Cells are A1 references; runs of equal formats or unlocked cells in one column
are collapsed into ``A2:A201`` ranges so a 200-row table gives a short view and a
readable diff. Pass ``values=False`` to leave cell values out (structure only).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

_PROTECTION_FLAGS = (
    "objects",
    "scenarios",
    "formatCells",
    "formatColumns",
    "formatRows",
    "insertColumns",
    "insertRows",
    "insertHyperlinks",
    "deleteColumns",
    "deleteRows",
    "selectLockedCells",
    "selectUnlockedCells",
    "sort",
    "autoFilter",
    "pivotTables",
)


def runs(cells: Iterable[tuple[int, int]]) -> list[str]:
    """Collapse (row, col) pairs (1-based) into A1 ranges: contiguous rows per column."""
    by_col: dict[int, list[int]] = defaultdict(list)
    for row, col in cells:
        by_col[col].append(row)
    out: list[str] = []
    for col in sorted(by_col):
        letter = get_column_letter(col)
        rows = sorted(set(by_col[col]))
        spans: list[list[int]] = []
        for row in rows:
            if spans and row == spans[-1][1] + 1:
                spans[-1][1] = row
            else:
                spans.append([row, row])
        out += [f"{letter}{a}" if a == b else f"{letter}{a}:{letter}{b}" for a, b in spans]
    return out


def _sheet(ws: Worksheet, values: bool) -> dict[str, Any]:
    cell_values: dict[str, Any] = {}
    formulas: dict[str, str] = {}
    formats: dict[str, list[tuple[int, int]]] = defaultdict(list)
    unlocked: list[tuple[int, int]] = []
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell, Cell):
                continue
            if cell.data_type == "f":
                formulas[cell.coordinate] = str(cell.value)
            elif cell.value is not None and values:
                cell_values[cell.coordinate] = cell.value
            if cell.number_format != "General":
                formats[cell.number_format].append((cell.row, cell.column))
            if cell.has_style and cell.protection.locked is False:
                unlocked.append((cell.row, cell.column))
    number_formats = {ref: fmt for fmt, cells in formats.items() for ref in runs(cells)}
    out: dict[str, Any] = {
        "values": cell_values,
        "formulas": formulas,
        "number_formats": dict(sorted(number_formats.items())),
        "unlocked": runs(unlocked),
        "validations": _validations(ws),
        "conditional_formats": _conditional_formats(ws),
        "tables": _tables(ws),
        "freeze_panes": ws.freeze_panes,
        "protection": _protection(ws),
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "widths": _widths(ws),
        "page": {
            "orientation": ws.page_setup.orientation,
            "paper_size": ws.page_setup.paperSize,
            "fit_to_page": bool(
                ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage
            ),
            "fit_to_width": ws.page_setup.fitToWidth,
            "fit_to_height": ws.page_setup.fitToHeight,
            "print_title_rows": ws.print_title_rows,
            "print_area": ws.print_area,
        },
        "hidden_gridlines": not ws.sheet_view.showGridLines,
    }
    return out


def _widths(ws: Worksheet) -> dict[str, float]:
    """Explicit column widths, one entry per column (a ``<col min max>`` span is expanded)."""
    out: dict[int, float] = {}
    for dim in ws.column_dimensions.values():
        if dim.customWidth and dim.width and dim.min is not None and dim.max is not None:
            for idx in range(dim.min, dim.max + 1):
                out[idx] = round(dim.width, 2)
    return {get_column_letter(i): w for i, w in sorted(out.items())}


def _validations(ws: Worksheet) -> list[dict[str, Any]]:
    out = []
    for dv in ws.data_validations.dataValidation:
        out.append(
            {
                "sqref": str(dv.sqref),
                "type": dv.type,
                "operator": dv.operator,
                "formula1": dv.formula1,
                "formula2": dv.formula2,
                "error_style": dv.errorStyle,
                "allow_blank": bool(dv.allow_blank),
                "show_error": bool(dv.showErrorMessage),
                "show_input": bool(dv.showInputMessage),
                "error_title": dv.errorTitle,
                "error": dv.error,
                "prompt_title": dv.promptTitle,
                "prompt": dv.prompt,
            }
        )
    return sorted(out, key=lambda d: (d["sqref"], str(d["type"])))


def _colour(colour: Any) -> str | None:
    if colour is None:
        return None
    rgb = getattr(colour, "rgb", None)
    if isinstance(rgb, str):
        return rgb
    theme = getattr(colour, "theme", None)
    return f"theme:{theme}" if theme is not None else None


def _conditional_formats(ws: Worksheet) -> list[dict[str, Any]]:
    out = []
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            fill = rule.dxf.fill if rule.dxf is not None else None
            out.append(
                {
                    "range": str(cf.sqref),
                    "type": rule.type,
                    "operator": rule.operator,
                    "formula": list(rule.formula or []),
                    "priority": rule.priority,
                    "stop": bool(rule.stopIfTrue),
                    "fill": None
                    if fill is None
                    else {"bg": _colour(fill.bgColor), "fg": _colour(fill.fgColor)},
                    "font": None
                    if rule.dxf is None or rule.dxf.font is None
                    else {"colour": _colour(rule.dxf.font.color), "bold": rule.dxf.font.b},
                }
            )
    return sorted(out, key=lambda d: (d["range"], d["priority"] or 0))


def _tables(ws: Worksheet) -> list[dict[str, Any]]:
    out = []
    for table in ws.tables.values():
        out.append(
            {
                "name": table.name,
                "display_name": table.displayName,
                "ref": table.ref,
                "headers": [c.name for c in table.tableColumns],
                "style": table.tableStyleInfo.name if table.tableStyleInfo else None,
                "banded_rows": bool(table.tableStyleInfo.showRowStripes)
                if table.tableStyleInfo
                else None,
                "autofilter": table.autoFilter.ref if table.autoFilter is not None else None,
                "totals_row": bool(table.totalsRowCount),
            }
        )
    return sorted(out, key=lambda d: d["name"])


def _protection(ws: Worksheet) -> dict[str, Any]:
    """Sheet protection in plain terms: on?, password?, and what a user may still do.

    In the file format each flag set to true *forbids* its action once the sheet
    is protected; ``allows`` lists the actions whose flag is false.
    """
    p = ws.protection
    return {
        "sheet": bool(p.sheet),
        "password": bool(p.password),
        "allows": sorted(name for name in _PROTECTION_FLAGS if not getattr(p, name)),
    }


def _defined_names(wb: Workbook) -> dict[str, str]:
    return {name: str(dn.attr_text) for name, dn in sorted(wb.defined_names.items())}


def _custom_properties(wb: Workbook) -> dict[str, Any]:
    props = getattr(wb, "custom_doc_props", None)
    if props is None:
        return {}
    return {p.name: p.value for p in props.props}


def normalise(path: str | Path, *, values: bool = True) -> dict[str, Any]:
    """Return the normalised view of the workbook at ``path`` (see the module docstring).

    Args:
        path: An .xlsx file.
        values: Include cell values (False: structure only, e.g. for a template
            whose data differs by design).
    """
    wb = load_workbook(path, data_only=False)
    try:
        return {
            "sheets": list(wb.sheetnames),
            "sheet_states": {
                ws.title: ws.sheet_state for ws in wb.worksheets if ws.sheet_state != "visible"
            },
            "defined_names": _defined_names(wb),
            "custom_properties": _custom_properties(wb),
            "sheet": {ws.title: _sheet(ws, values) for ws in wb.worksheets},
        }
    finally:
        wb.close()


def diff(left: dict[str, Any], right: dict[str, Any], path: str = "") -> list[str]:
    """Return readable differences between two normalised views (empty when equal)."""
    out: list[str] = []
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right), key=str):
            where = f"{path}/{key}"
            if key not in left:
                out.append(f"{where}: only on the right: {right[key]!r}"[:300])
            elif key not in right:
                out.append(f"{where}: only on the left: {left[key]!r}"[:300])
            else:
                out.extend(diff(left[key], right[key], where))
    elif left != right:
        out.append(f"{path}: {left!r} != {right!r}"[:300])
    return out
