"""Normalised, comparable views of everything ``pmo`` writes, for the golden files.

Each view is plain JSON data: two runs that would look and behave the same to a
person give equal views, whatever the bytes. What legitimately changes from run to
run is masked: absolute paths become paths relative to the input folder, and the
moment of the run (the portfolio's "Generated" stamp, the Load Log's seconds, the
annotation caption's time) becomes a fixed token.

The views build on :func:`tests.normalise.normalise` (cells, formats, validations,
conditional formats, tables, page setup) and add what that leaves out: notes,
hyperlinks and charts (type, title and series references, read from the chart
parts themselves, because openpyxl does not load charts).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as ET
from openpyxl import load_workbook

from tests.normalise import normalise

_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
MASK = "<masked>"


def plain(value: Any) -> Any:
    """A JSON-safe, type-preserving form of a cell value (dates tagged so they stay dates)."""
    if isinstance(value, dt.datetime):
        return f"datetime:{value.isoformat()}"
    if isinstance(value, dt.date):
        return f"date:{value.isoformat()}"
    if isinstance(value, dt.time):
        return f"time:{value.isoformat()}"
    if isinstance(value, float) and value.is_integer():
        return value  # json keeps 3.0 as 3.0
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _relative(text: str, root: Path) -> str:
    for prefix in (str(root.resolve()) + "/", str(root) + "/"):
        text = text.replace(prefix, "")
    return text


def _charts(path: Path) -> list[dict[str, Any]]:
    out = []
    with zipfile.ZipFile(path) as z:
        names = sorted(
            (n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)),
            key=lambda n: int(re.sub(r"\D", "", n)),
        )
        for name in names:
            root = ET.fromstring(z.read(name))
            plot = root.find(f"{_C}chart/{_C}plotArea")
            kinds = (
                [] if plot is None else [el.tag.replace(_C, "") for el in plot if "Chart" in el.tag]
            )
            title = "".join(t.text or "" for t in root.iter(f"{_A}t"))
            series = []
            for ser in root.iter(f"{_C}ser"):
                refs = {
                    part: (ser.find(f"{_C}{part}//{_C}f").text or "")  # type: ignore[union-attr]
                    for part in ("tx", "cat", "val")
                    if ser.find(f"{_C}{part}//{_C}f") is not None
                }
                series.append(refs)
            out.append({"part": name, "kinds": kinds, "title": title, "series": series})
    return out


def _notes_and_links(path: Path) -> dict[str, Any]:
    wb = load_workbook(path)
    try:
        out: dict[str, Any] = {}
        for ws in wb.worksheets:
            notes = {}
            links = {}
            for row in ws.iter_rows():
                for cell in row:
                    if cell.comment is not None:
                        notes[cell.coordinate] = cell.comment.text
                    if cell.hyperlink is not None:
                        h = cell.hyperlink
                        links[cell.coordinate] = h.target or f"#{h.location}"
            if notes or links:
                out[ws.title] = {"notes": notes, "links": links}
        return out
    finally:
        wb.close()


def workbook_view(path: Path, root: Path) -> dict[str, Any]:
    """The normalised view of a workbook we wrote, with notes, links and charts."""
    view = normalise(path)
    view["extras"] = _notes_and_links(path)
    view["charts"] = _charts(path)
    text = json.dumps(plain(view), ensure_ascii=False, sort_keys=True)
    return json.loads(_relative(text, root))  # type: ignore[no-any-return]


def mask_portfolio(view: dict[str, Any]) -> dict[str, Any]:
    """Mask the run's moment: About's Generated stamp and the Load Log's seconds."""
    about = view["sheet"].get("About", {}).get("values", {})
    for ref, value in list(about.items()):
        if value == "Generated":
            about["B" + ref[1:]] = MASK
        if isinstance(value, str) and value.startswith("pmo-addin "):
            about[ref] = MASK  # the engine version
    for name, sheet in view["sheet"].items():
        if not name.startswith("Load Log"):
            continue
        values = sheet["values"]
        col = next((ref[0] for ref, v in values.items() if v == "Seconds" and ref[1:] == "1"), None)
        if col is not None:
            for ref in list(values):
                if ref[0] == col and ref[1:] != "1":
                    values[ref] = MASK
    return view


_CAPTION = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}\. Re-run")


def mask_annotated(view: dict[str, Any]) -> dict[str, Any]:
    """Mask the time in the Validation sheet's caption."""
    sheet = view["sheet"].get("Validation")
    if sheet is not None:
        for ref, value in sheet["values"].items():
            if isinstance(value, str):
                sheet["values"][ref] = _CAPTION.sub(f"{MASK}. Re-run", value)
    return view


def mask_dashboard(view: dict[str, Any]) -> dict[str, Any]:
    """Mask the engine version wherever the dashboard prints it."""
    text = json.dumps(view, ensure_ascii=False)
    text = re.sub(r"pmo-addin \d+\.\d+\.\d+[^\s\"]*", f"pmo-addin {MASK}", text)
    return json.loads(text)  # type: ignore[no-any-return]


def report_view(report: dict[str, Any], root: Path) -> dict[str, Any]:
    """The JSON report of ``pmo validate`` with file paths relative to the input folder."""
    text = json.dumps(report, ensure_ascii=False, sort_keys=True)
    return json.loads(_relative(text, root))  # type: ignore[no-any-return]
