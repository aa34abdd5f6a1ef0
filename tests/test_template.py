"""The governed tracker template: structure, validations, protection, safety, round trip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from addin import SPEC_VERSION, TEMPLATE_VERSION
from addin.core.cells import column_letter
from addin.core.errors import OutputError
from addin.core.kinds import KINDS as ALL_KINDS
from addin.core.kinds import Field as FieldSpec
from addin.core.kinds import Project, RaidItem, Task
from addin.core.kinds import SheetKind as SheetSpec
from addin.core.kinds import ValueType as Kind
from addin.core.kinds import kind as sheet
from addin.core.settings import Settings
from addin.core.tracker import Tracker
from addin.demo import sample_trackers, standard_tracker
from addin.ooxml.sheetxml import MAX_CELL_CHARS as MAX_CELL_TEXT
from addin.outputs.atomic import atomic_path
from addin.outputs.template import (
    DATE_MAX,
    DATE_MIN,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    SPEC_PROPERTY,
    VERSION_PROPERTY,
    bounds,
    new_tracker,
    template_fields,
    write_tracker,
)
from addin.outputs.template.instructions import template_kinds
from addin.outputs.template.styles import MONEY_FORMAT, PERCENT_FORMAT
from tests.conftest import ROOT
from tests.normalise import diff, normalise

#: The kinds the template writes: those of its version (TEMPLATE_VERSION 1.1: every kind,
#: Resources and Lessons included; a v1.0 template has neither).
KINDS = tuple(k for k in ALL_KINDS if k.since <= TEMPLATE_VERSION)
TABLE_KEYS = tuple(k.key for k in KINDS if k.key != "Project")
TABLE_ROWS = {k.key: k.template_rows for k in KINDS if k.key != "Project"}

CREATED = dt.datetime(2026, 11, 20, 9, 0, 0)
COMMITTED = ROOT / "workbooks" / "PMO_Tracker_Template.xlsx"


def serial(day: dt.date) -> str:
    """Excel's date serial as XlsxWriter writes it in a validation formula."""
    return str((day - dt.date(1899, 12, 30)).days)


def write(tmp_path: Path, tracker: Tracker | None = None, settings: Settings | None = None) -> Path:
    return write_tracker(
        tmp_path / "tracker.xlsx", tracker, settings or Settings(), created=CREATED
    )


def table_fields() -> list[tuple[SheetSpec, int, FieldSpec]]:
    return [
        (sheet(key), i, f) for key in TABLE_KEYS for i, f in enumerate(template_fields(sheet(key)))
    ]


def validation_at(view: dict[str, Any], sheet_name: str, sqref: str) -> dict[str, Any]:
    found = [v for v in view["sheet"][sheet_name]["validations"] if v["sqref"] == sqref]
    assert len(found) == 1, f"{sheet_name}!{sqref}: {found}"
    result: dict[str, Any] = found[0]
    return result


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="module")
def view(template: Path) -> dict[str, Any]:
    return normalise(template)


# --- structure ------------------------------------------------------------------------------


def test_sheets_are_instructions_then_the_spec_sheets(view: dict[str, Any]) -> None:
    assert view["sheets"] == [INSTRUCTIONS_SHEET, *[s.key for s in KINDS]]
    assert [s.key for s in template_kinds()] == view["sheets"][1:]
    assert view["sheet_states"] == {}


def test_tables_have_the_spec_headers_in_order(view: dict[str, Any]) -> None:
    for key in TABLE_KEYS:
        spec = sheet(key)
        last = column_letter(len(template_fields(spec)) - 1)
        n = TABLE_ROWS[key]
        (table,) = view["sheet"][key]["tables"]
        assert table["name"] == key
        assert table["headers"] == [f.header for f in template_fields(spec)]
        assert table["ref"] == f"A1:{last}{n + 1}"
        assert table["autofilter"] == table["ref"]
        assert view["sheet"][key]["freeze_panes"] == "A2"


def test_table_column_widths_come_from_the_model(view: dict[str, Any]) -> None:
    for spec, i, f in table_fields():
        width = view["sheet"][spec.key]["widths"][column_letter(i)]
        assert int(width) == f.width, (spec.key, f.header)


def test_project_block_lists_labels_values_and_guidance(
    template: Path, view: dict[str, Any]
) -> None:
    spec = sheet("Project")
    values = view["sheet"]["Project"]["values"]
    assert [values[f"A{r + 1}"] for r in range(len(template_fields(spec)))] == [
        f.header for f in template_fields(spec)
    ]
    version_row = [f.header for f in template_fields(spec)].index("Template Version") + 1
    assert values[f"B{version_row}"] == TEMPLATE_VERSION
    for r, f in enumerate(template_fields(spec), start=1):
        assert values[f"C{r}"], f.header  # guidance for every line
        if f.note:
            assert f.note in values[f"C{r}"]
    assert all(not k.startswith("B") for k in values if k != f"B{version_row}")


def test_instructions_name_the_version_and_every_sheet(view: dict[str, Any]) -> None:
    text = " ".join(str(v) for v in view["sheet"][INSTRUCTIONS_SHEET]["values"].values())
    assert f"Template version {TEMPLATE_VERSION}" in text
    for spec in KINDS:
        assert f"{spec.key} sheet" in text
    assert "Project ID does not follow the portfolio's pattern." in text  # from the rule registry


def test_version_is_a_custom_and_a_core_property(template: Path, view: dict[str, Any]) -> None:
    assert view["custom_properties"] == {
        VERSION_PROPERTY: TEMPLATE_VERSION,
        SPEC_PROPERTY: SPEC_VERSION,
    }
    wb = load_workbook(template)
    assert wb.properties.title == "PMO Project Tracker"
    assert TEMPLATE_VERSION in (wb.properties.description or "")
    assert wb.properties.created == CREATED


def test_print_setup_is_landscape_fit_to_width_with_header_titles(view: dict[str, Any]) -> None:
    for key in TABLE_KEYS:
        page = view["sheet"][key]["page"]
        assert page["orientation"] == "landscape"
        assert page["fit_to_page"] and page["fit_to_height"] == 0
        assert page["print_title_rows"] == "$1:$1"
    assert view["sheet"]["Project"]["page"]["orientation"] == "landscape"


# --- validations ----------------------------------------------------------------------------


def test_every_choice_column_has_a_stop_dropdown_from_settings(tmp_path: Path) -> None:
    settings = Settings().with_changes(
        {
            "allowed.task_status": ["Not Started", "Doing", "Done", "Parked"],
            "allowed.severity": ["Minor", "Major", "Severe"],
        }
    )
    view = normalise(write(tmp_path, settings=settings))
    choice_fields = [(s, i, f) for s, i, f in table_fields() if f.type is Kind.CHOICE]
    assert {f.choices for _, _, f in choice_fields} >= {
        "task_status",
        "severity",
        "raid_type",
    }
    for spec, i, f in choice_fields:
        letter, n = column_letter(i), TABLE_ROWS[spec.key]
        dv = validation_at(view, spec.key, f"{letter}2:{letter}{n + 1}")
        assert f.choices is not None
        allowed = settings.allowed.of(f.choices)
        assert dv["type"] == "list"
        assert dv["formula1"] == '"' + ",".join(allowed) + '"'
        assert dv["error_style"] in (None, "stop")  # None is the file format's default: stop
        assert dv["show_error"] and dv["show_input"] and dv["allow_blank"]
        assert dv["error"] and ", ".join(allowed) in dv["error"]
        assert dv["prompt_title"] == f.header and dv["prompt"]


def test_date_percent_score_and_money_columns_are_validated(view: dict[str, Any]) -> None:
    for spec, i, f in table_fields():
        letter, n = column_letter(i), TABLE_ROWS[spec.key]
        sqref = f"{letter}2:{letter}{n + 1}"
        if f.type is Kind.TEXT:
            dv = validation_at(view, spec.key, sqref)
            assert dv["type"] is None and dv["prompt"]  # input message only
            continue
        dv = validation_at(view, spec.key, sqref)
        assert dv["error"] and dv["prompt"] and dv["error_style"] in (None, "stop")
        if f.type is Kind.DATE:
            assert (dv["type"], dv["operator"]) == ("date", None)  # None = between
            assert (dv["formula1"], dv["formula2"]) == (serial(DATE_MIN), serial(DATE_MAX))
        elif f.type is Kind.PERCENT and f.le is None:  # an FTE: a role row may be 3 people
            assert (dv["type"], dv["operator"], dv["formula1"]) == (
                "decimal",
                "greaterThanOrEqual",
                "0",
            )
        elif f.type is Kind.PERCENT:
            assert (dv["type"], dv["formula1"], dv["formula2"]) == ("decimal", "0", "1")
        elif f.type is Kind.INTEGER:
            assert (dv["type"], dv["formula1"], dv["formula2"]) == ("whole", "1", "5")
        elif f.type is Kind.NUMBER:
            assert (dv["type"], dv["operator"], dv["formula1"]) == (
                "decimal",
                "greaterThanOrEqual",
                "0",
            )


def test_integer_bounds_are_read_from_the_model() -> None:
    raid = sheet("RAID")
    assert bounds(raid, raid.field("probability")) == (1, 5)
    assert bounds(raid, raid.field("impact")) == (1, 5)
    tasks = sheet("Tasks")
    assert bounds(tasks, tasks.field("pct_complete")) == (0, 1)
    assert bounds(tasks, tasks.field("budget")) == (0, None)


def test_project_values_are_validated(view: dict[str, Any]) -> None:
    settings = Settings()
    spec = sheet("Project")
    row = {f.name: r for r, f in enumerate(template_fields(spec), start=1)}
    phase = validation_at(view, "Project", f"B{row['phase']}")
    assert phase["formula1"] == '"' + ",".join(settings.allowed.phase) + '"'
    rag = validation_at(view, "Project", f"B{row['reported_rag']}")
    assert rag["formula1"] == '"' + ",".join(settings.allowed.rag) + '"'
    for f in template_fields(spec):
        if f.type is Kind.DATE:
            assert validation_at(view, "Project", f"B{row[f.name]}")["type"] == "date"
    budget = validation_at(view, "Project", f"B{row['budget']}")
    assert (budget["type"], budget["operator"], budget["formula1"]) == (
        "decimal",
        "greaterThanOrEqual",
        "0",
    )
    fills = {
        cf["formula"][0]: cf["fill"]["bg"] for cf in view["sheet"]["Project"]["conditional_formats"]
    }
    assert set(fills) == {f'"{v}"' for v in settings.allowed.rag}


def test_long_dropdown_lists_move_to_a_hidden_sheet(tmp_path: Path) -> None:
    settings = Settings().with_changes(
        {"allowed.task_status": [f"Status number {i}, with a comma" for i in range(20)]}
    )
    view = normalise(write(tmp_path, settings=settings))
    assert view["sheets"][-1] == LISTS_SHEET and view["sheet_states"] == {LISTS_SHEET: "hidden"}
    status_col = column_letter([f.header for f in template_fields(sheet("Tasks"))].index("Status"))
    dv = validation_at(view, "Tasks", f"{status_col}2:{status_col}{TABLE_ROWS['Tasks'] + 1}")
    assert dv["formula1"] == f"{LISTS_SHEET}!$A$2:$A$21"
    assert "Lists" not in normalise(write(tmp_path))["sheets"]


# --- formats and protection -----------------------------------------------------------------


def test_number_formats_follow_settings(tmp_path: Path) -> None:
    settings = Settings(date_format="yyyy-mm-dd")
    view = normalise(write(tmp_path, settings=settings))
    expected = {Kind.DATE: "yyyy-mm-dd", Kind.NUMBER: MONEY_FORMAT, Kind.PERCENT: PERCENT_FORMAT}
    for spec, i, f in table_fields():
        if f.type in expected:
            letter, n = column_letter(i), TABLE_ROWS[spec.key]
            assert (
                view["sheet"][spec.key]["number_formats"][f"{letter}2:{letter}{n + 1}"]
                == expected[f.type]
            )


def test_headers_locked_and_bodies_unlocked(view: dict[str, Any]) -> None:
    for key in TABLE_KEYS:
        spec = sheet(key)
        n = TABLE_ROWS[key]
        unlocked = view["sheet"][key]["unlocked"]
        assert unlocked == [
            f"{column_letter(i)}2:{column_letter(i)}{n + 1}"
            for i in range(len(template_fields(spec)))
        ]
    version_row = sheet("Project").headers.index("Template Version") + 1
    n = len(template_fields(sheet("Project")))
    assert view["sheet"]["Project"]["unlocked"] == [f"B1:B{version_row - 1}"] + (
        [f"B{version_row + 1}:B{n}"] if version_row < n else []
    )


def test_sheets_are_protected_but_allow_formatting_sorting_filtering(view: dict[str, Any]) -> None:
    for name in view["sheets"]:
        protection = view["sheet"][name]["protection"]
        assert protection["sheet"] is True
        assert protection["password"] is False
        assert {"formatColumns", "formatRows", "sort", "autoFilter"} <= set(protection["allows"])
        assert "insertRows" not in protection["allows"]


def test_protection_password_and_switch_come_from_settings(tmp_path: Path) -> None:
    settings = Settings().with_changes({"template.password": "pmo"})
    view = normalise(write(tmp_path, settings=settings))
    assert all(view["sheet"][n]["protection"]["password"] for n in view["sheets"])
    settings = settings.with_changes({"template.protect_sheets": False})
    view = normalise(write(tmp_path, settings=settings))
    assert not any(view["sheet"][n]["protection"]["sheet"] for n in view["sheets"])


# --- the committed template -----------------------------------------------------------------


def test_committed_template_equals_a_fresh_regeneration(view: dict[str, Any]) -> None:
    assert COMMITTED.exists(), "run: python scripts/make_samples.py"
    assert diff(normalise(COMMITTED), view) == []


def test_regeneration_is_byte_stable(tmp_path: Path, template: Path) -> None:
    assert write(tmp_path).read_bytes() == template.read_bytes()


# --- filled trackers ------------------------------------------------------------------------


def _cell_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def read_back(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Rows of every table as header -> value, read with openpyxl (blank rows dropped)."""
    wb = load_workbook(path)
    out: dict[str, list[dict[str, Any]]] = {}
    for key in TABLE_KEYS:
        rows = list(wb[key].iter_rows(values_only=True))
        headers = rows[0]
        out[key] = [
            {str(h): _cell_value(v) for h, v in zip(headers, row, strict=True)}
            for row in rows[1:]
            if any(v is not None for v in row)
        ]
    project = {
        str(row[0]): _cell_value(row[1]) for row in wb["Project"].iter_rows(values_only=True)
    }
    out["Project"] = [project]
    return out


def test_a_filled_tracker_round_trips_its_values(tmp_path: Path) -> None:
    _, tracker = sample_trackers()[0]
    back = read_back(write(tmp_path, tracker))
    for key in TABLE_KEYS:
        spec = sheet(key)
        expected = [
            {f.header: getattr(r, f.name) for f in template_fields(spec)} for r in tracker.rows(key)
        ]
        assert back[key] == expected, key
    project = back["Project"][0]
    for f in template_fields(sheet("Project")):
        want = (
            TEMPLATE_VERSION if f.name == "template_version" else getattr(tracker.project, f.name)
        )
        assert project[f.header] == want, f.header


def test_percentages_are_fractions_with_a_percent_format(tmp_path: Path) -> None:
    tracker = Tracker.build(tasks=[Task(task_id="T-1", task_name="x", pct_complete=0.35)])
    path = write(tmp_path, tracker)
    ws = load_workbook(path)["Tasks"]
    cell = ws.cell(2, sheet("Tasks").headers.index("% Complete") + 1)
    assert (cell.value, cell.number_format) == (0.35, PERCENT_FORMAT)


def test_formula_like_text_stays_text(tmp_path: Path) -> None:
    risky = [
        "=SUM(A1:A9)",
        "+44 20 7946 0000",
        "-5 days slip",
        "@Finance to confirm",
        '=HYPERLINK("x")',
    ]
    tracker = Tracker.build(
        Project(project_name="=1+1", rag_comment="-see below"),
        tasks=[Task(task_id=f"T-{i}", task_name=text, notes=text) for i, text in enumerate(risky)],
        raid=[RaidItem(raid_id="R-1", title="https://example.com/risk")],
    )
    path = write(tmp_path, tracker)
    view = normalise(path)
    assert all(view["sheet"][name]["formulas"] == {} for name in view["sheets"])
    ws = load_workbook(path)["Tasks"]
    names = [ws.cell(r, 3) for r in range(2, 2 + len(risky))]
    assert [c.value for c in names] == risky
    assert {c.data_type for c in names} == {"s"}
    assert load_workbook(path)["RAID"]["C2"].hyperlink is None


def test_text_longer_than_a_cell_is_truncated(tmp_path: Path) -> None:
    tracker = Tracker.build(
        tasks=[Task(task_id="T-1", task_name="x", notes="n" * (MAX_CELL_TEXT + 10))]
    )
    ws = load_workbook(write(tmp_path, tracker))["Tasks"]
    notes = [f.name for f in template_fields(sheet("Tasks"))].index("notes") + 1
    assert len(str(ws.cell(2, notes).value)) == MAX_CELL_TEXT


def test_blank_values_stay_blank(tmp_path: Path) -> None:
    tracker = Tracker.build(tasks=[Task(task_id="T-1", task_name="x")])
    ws = load_workbook(write(tmp_path, tracker))["Tasks"]
    assert [c.value for c in ws[2]][2:] == ["x"] + [None] * (
        len(template_fields(sheet("Tasks"))) - 3
    )


def test_tables_grow_to_the_data_and_validations_follow(tmp_path: Path) -> None:
    import random

    rows = TABLE_ROWS["Tasks"] + 50
    tracker = standard_tracker(random.Random(1), "BEN-0001", dt.date(2026, 11, 16), tasks=rows)
    view = normalise(write(tmp_path, tracker))
    last = column_letter(len(template_fields(sheet("Tasks"))) - 1)
    assert view["sheet"]["Tasks"]["tables"][0]["ref"] == f"A1:{last}{rows + 1}"
    assert validation_at(view, "Tasks", f"A2:A{rows + 1}")["prompt_title"] == "Task ID"


def test_pass_through_columns_are_kept_after_the_spec_columns(tmp_path: Path) -> None:
    tracker = Tracker.build(
        tasks=[
            Task(task_id="T-1", task_name="a", extra={"Predecessors": "T-0", "Status": "x"}),
            Task(task_id="T-2", task_name="b", extra={"RAG Trend": "up"}),
        ],
        project=Project(project_name="P", extra={"Benefits Owner": "Jo"}),
    )
    view = normalise(write(tmp_path, tracker))
    headers = view["sheet"]["Tasks"]["tables"][0]["headers"]
    tasks = [f.header for f in template_fields(sheet("Tasks"))]
    assert headers == [*tasks, "Predecessors", "Status (2)", "RAG Trend"]
    n = len(template_fields(sheet("Project")))
    assert view["sheet"]["Project"]["values"][f"A{n + 1}"] == "Benefits Owner"
    assert view["sheet"]["Project"]["values"][f"B{n + 1}"] == "Jo"


def test_new_tracker_prefills_the_project_block(tmp_path: Path) -> None:
    path = new_tracker(
        tmp_path / "new.xlsx",
        Settings(),
        project_id="PRJ-0042",
        name="Data Centre Exit",
        manager="Sam Lee",
        programme="Estates",
        created=CREATED,
    )
    project = read_back(path)["Project"][0]
    assert project["Project ID"] == "PRJ-0042"
    assert project["Project Name"] == "Data Centre Exit"
    assert project["Project Manager"] == "Sam Lee"
    assert project["Programme"] == "Estates"
    assert project["Sponsor"] is None
    assert load_workbook(path).properties.title == "PMO Project Tracker: PRJ-0042 Data Centre Exit"


# --- writing atomically ---------------------------------------------------------------------


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "tracker.xlsx"
    target.write_bytes(b"old")

    def boom(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("addin.outputs.template.writer._fill_workbook", boom)
    with pytest.raises(RuntimeError):
        write_tracker(target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["tracker.xlsx"]


def test_an_unwritable_target_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="missing"):
        write_tracker(tmp_path / "missing" / "tracker.xlsx")


def test_atomic_path_renames_on_success_and_cleans_up_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".csv" and tmp.name.startswith(".")
        assert not tmp.exists()
        tmp.write_text("new")
    assert target.read_text() == "new"
    with pytest.raises(ValueError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise ValueError("stop")
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    with pytest.raises(FileNotFoundError), atomic_path(target):
        pass
    assert target.read_text() == "new"
