"""The ribbon's handlers, through the file backend (no Excel needed).

The key promise: the Validate button marks a tracker exactly as
``pmo validate --annotate`` does - same cells, same highlight rule, same note
text, same Validation sheet rows - because both go through ``addin.outputs.annotate``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import platform
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import xlwings
from openpyxl import load_workbook
from typer.testing import CliRunner

from addin import SPEC_VERSION, TEMPLATE_VERSION, __version__
from addin.cli import app
from addin.core.findings import FileStatus
from addin.core.settings import CONFIG_FILENAME, Settings, load_settings
from addin.demo import SAMPLE_CASES, SAMPLES_AS_OF, sample_trackers, write_drifted
from addin.engine.validate import check_file
from addin.excel import ribbon
from addin.excel.book import CONFIG_ENV, Book, FileBook, FileHost, written_by_pmo
from addin.outputs.annotate import MARK_FORMULA, NOTE_MARKER, VALIDATION_TITLE
from addin.outputs.portfolio import read_portfolio
from addin.outputs.template import write_tracker
from addin.read import read_tracker

MACROS = Path(__file__).resolve().parents[2] / "macros"
AS_OF = SAMPLES_AS_OF
_NS = {"ui": "http://schemas.microsoft.com/office/2009/07/customui"}


@pytest.fixture(autouse=True)
def _no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every sample tracker by stem, written once for the module (copy before changing)."""
    out = tmp_path_factory.mktemp("samples")
    paths = {}
    for stem, tracker in sample_trackers():
        path = out / f"{stem}.xlsx"
        if SAMPLE_CASES[stem].layout == "drifted":
            write_drifted(path, tracker)
        else:
            write_tracker(path, tracker)
        paths[stem] = path
    return paths


def _copy(src: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(src, folder / src.name))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- every button has a handler -----------------------------------------------------------------


def _ribbon_buttons() -> dict[str, str]:
    root = ElementTree.parse(MACROS / "customUI14.xml").getroot()
    return {b.get("id", ""): b.get("onAction", "") for b in root.iterfind(".//ui:button", _NS)}


def _ribbon_attributes(name: str) -> dict[str, str | None]:
    root = ElementTree.parse(MACROS / "customUI14.xml").getroot()
    return {b.get("id", ""): b.get(name) for b in root.iterfind(".//ui:button", _NS)}


def test_every_ribbon_button_has_a_handler_and_every_handler_a_button() -> None:
    buttons = _ribbon_buttons()
    assert len(buttons) == len(set(buttons)) == 11
    assert set(buttons) == set(ribbon.HANDLERS) == set(ribbon.BUTTONS)
    assert set(buttons.values()) == {"PMO_OnAction"}  # which passes the id to dispatch
    labels = _ribbon_attributes("label")
    assert {key: b.label for key, b in ribbon.BUTTONS.items()} == labels


def test_a_buttons_tag_matches_what_its_handler_takes() -> None:
    """tag="folder": the VBA asks for a folder and passes folder=...; the handler takes it.
    tag="workbook": the handler works on the active workbook and says so when there is none."""
    tags = _ribbon_attributes("tag")
    assert set(tags.values()) <= {None, "folder", "workbook"}
    for control_id, button in ribbon.BUTTONS.items():
        takes_folder = "folder" in inspect.signature(button.handler).parameters
        assert takes_folder == (tags[control_id] == "folder"), control_id
    for control_id, tag in tags.items():
        if tag == "workbook":
            text = ribbon.dispatch(control_id, host=FileHost())
            assert "no workbook" in text.lower() or "open a project tracker" in text.lower()


def test_the_vba_calls_dispatch() -> None:
    bas = (MACROS / "PMO.bas").read_text(encoding="utf-8")
    assert "import addin.excel.ribbon as r; r.dispatch(" in bas


@pytest.mark.parametrize("control_id", sorted(_ribbon_buttons()))
def test_every_handler_works_through_the_file_backend(
    control_id: str, samples: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "trackers"
    for stem in ("DWP-0101_M365_Migration", "EST-0401_HQ_Consolidation"):
        _copy(samples[stem], folder)
    host = FileHost(folder / "EST-0401_HQ_Consolidation.xlsx")
    kwargs: dict[str, Any] = {"folder": str(folder)} if control_id == "pmoConsolidate" else {}
    text = ribbon.dispatch(control_id, host=host, **kwargs)
    assert isinstance(text, str) and text
    assert host.messages == [text]
    assert "did not finish" not in text
    assert host.statuses[-1] == ""  # the status bar is handed back


def test_unknown_button_gives_a_message(tmp_path: Path) -> None:
    host = FileHost()
    text = ribbon.dispatch("pmoLaunchRocket", host=host)
    assert "'pmoLaunchRocket' has no action" in text
    assert "pmoValidate" in text
    assert host.messages == [text]


def test_without_excel_dispatch_says_so() -> None:
    text = ribbon.dispatch("pmoAbout")
    assert text.startswith("PMO: cannot reach Excel")


def test_a_failing_handler_gives_a_message(tmp_path: Path) -> None:
    fake = tmp_path / "Projects.xlsx"
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(fake))
    wb.add_worksheet("Projects").write(0, 0, "Something else")
    wb.close()
    host = FileHost(fake)
    text = ribbon.dispatch("pmoDashboard", host=host)
    assert text.startswith("PMO Dashboard did not finish: not a portfolio workbook")
    assert host.messages == [text]


# --- Validate -----------------------------------------------------------------------------------


def _marks(path: Path) -> dict[str, Any]:
    """What a validation left in a workbook: highlighted cells, our notes, Validation rows."""
    wb = load_workbook(path)
    rules: set[tuple[str, str, str]] = set()
    notes: dict[tuple[str, str], str] = {}
    rows: list[tuple[Any, ...]] = []
    for ws in wb.worksheets:
        for cf in ws.conditional_formatting:
            for rule in cf.rules:
                if MARK_FORMULA in (rule.formula or []):
                    fill = rule.dxf.fill
                    colour = f"{fill.fgColor.rgb}/{fill.bgColor.rgb}"
                    rules.add((ws.title, str(cf.sqref), colour))
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None and NOTE_MARKER in cell.comment.text:
                    notes[(ws.title, cell.coordinate)] = cell.comment.text
        if ws["A1"].value == VALIDATION_TITLE:
            rows.extend(ws.iter_rows(min_row=4, values_only=True))
            links = [c.hyperlink.target or c.hyperlink.location for c in ws["C"][4:] if c.hyperlink]
            rows.append(("links", *links))
    return {"rules": rules, "notes": notes, "rows": rows, "sheets": wb.sheetnames}


VALIDATE_CASES = [
    "EST-0401_HQ_Consolidation",  # data errors
    "EST-0402_LED_Lighting_Retrofit",  # data errors in RAID and Budget
    "FIN-0302_P2P_Automation",  # drifted layout
    "DWP-0103_Intranet_Replatform",  # stale: a dated finding
    "DWP-0101_M365_Migration",  # clean
]


@pytest.mark.parametrize("stem", VALIDATE_CASES)
def test_validate_marks_the_same_cells_as_the_command_line(
    stem: str, samples: dict[str, Path], tmp_path: Path
) -> None:
    by_cli = _copy(samples[stem], tmp_path / "cli")
    by_button = _copy(samples[stem], tmp_path / "button")

    run = CliRunner().invoke(
        app, ["validate", "--annotate", "--as-of", AS_OF.isoformat(), str(by_cli)]
    )
    assert run.exit_code in (0, 1), run.output
    checked = by_cli.with_name(f"{by_cli.stem}.checked.xlsx")

    host = FileHost(by_button)
    text = ribbon.dispatch("pmoValidate", host=host, as_of=AS_OF)
    assert "did not finish" not in text

    expected, got = _marks(checked), _marks(by_button)
    assert got == expected
    report = check_file(samples[stem], Settings(), as_of=AS_OF)
    located = {(f.sheet, f.cell) for f in report.findings if f.row is not None}
    assert {(s, c) for s, c, _ in got["rules"]} == located
    assert set(got["notes"]) == located
    assert len(got["rows"]) == 1 + len(report.findings) + 1  # header, findings, links
    assert f"{report.errors} error" in text
    if report.findings:
        assert got["rules"], "a tracker with findings gets marks"


def test_validate_again_replaces_its_marks(samples: dict[str, Path], tmp_path: Path) -> None:
    path = _copy(samples["EST-0401_HQ_Consolidation"], tmp_path)
    host = FileHost(path)
    ribbon.dispatch("pmoValidate", host=host, as_of=AS_OF)
    first = _marks(path)
    ribbon.dispatch("pmoValidate", host=host, as_of=AS_OF)
    assert _marks(path) == first  # nothing stacked: one rule, one note, one Validation sheet
    assert first["sheets"].count("Validation") == 1
    backups = sorted(tmp_path.glob("*.bak.xlsx"))
    assert backups, "the previous version is kept"
    assert read_tracker(path, Settings()).status is not FileStatus.UNREADABLE


def test_validate_keeps_the_file_when_marks_would_lose_parts(
    samples: dict[str, Path], tmp_path: Path
) -> None:
    import zipfile

    path = _copy(samples["EST-0401_HQ_Consolidation"], tmp_path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/charts/chart1.xml", "<chartSpace/>")
    before = _digest(path)
    text = ribbon.dispatch("pmoValidate", host=FileHost(path), as_of=AS_OF)
    assert "charts" in text and "marks not saved" in text
    assert _digest(path) == before


def test_validate_says_what_to_do(tmp_path: Path) -> None:
    assert "Open a project tracker" in ribbon.dispatch("pmoValidate", host=FileHost())
    notes = tmp_path / "notes.xlsx"
    notes.write_text("just text", encoding="utf-8")
    text = ribbon.dispatch("pmoValidate", host=FileHost(notes))
    assert text.startswith("notes.xlsx was not validated: ")


def test_validate_uses_the_settings_beside_the_tracker(
    samples: dict[str, Path], tmp_path: Path
) -> None:
    path = _copy(samples["EST-0401_HQ_Consolidation"], tmp_path)
    (tmp_path / CONFIG_FILENAME).write_text(
        '[rules]\n"task.finish_before_start" = "off"\n', encoding="utf-8"
    )
    text = ribbon.dispatch("pmoValidate", host=FileHost(path), as_of=AS_OF)
    assert text.startswith(f"{path.name}: 3 errors")
    (tmp_path / CONFIG_FILENAME).write_text("[rag]\nstale_days = 'soon'\n", encoding="utf-8")
    text = ribbon.dispatch("pmoValidate", host=FileHost(path), as_of=AS_OF)
    assert text.startswith("PMO Validate did not finish: pmo.toml: rag.stale_days")


# --- New Tracker --------------------------------------------------------------------------------


def test_new_tracker_beside_the_active_workbook(samples: dict[str, Path], tmp_path: Path) -> None:
    active = _copy(samples["DWP-0101_M365_Migration"], tmp_path)
    before = _digest(active)
    host = FileHost(active)
    first = ribbon.dispatch("pmoNewTracker", host=host)
    second = ribbon.dispatch("pmoNewTracker", host=host)
    made = [tmp_path / "New Tracker.xlsx", tmp_path / "New Tracker (2).xlsx"]
    assert host.opened == made
    assert str(made[0]) in first and str(made[1]) in second
    for path in made:
        result = read_tracker(path, Settings())
        assert result.status is FileStatus.VALID  # read as a tracker (validation not yet run)
        assert result.block is not None and "Tasks" in result.layouts
    assert _digest(active) == before


def test_new_tracker_goes_home_without_a_workbook(tmp_path: Path) -> None:
    host = FileHost()
    ribbon.dispatch("pmoNewTracker", host=host)
    assert host.opened == [tmp_path / "home" / "New Tracker.xlsx"]
    assert host.opened[0].is_file()


# --- Consolidate --------------------------------------------------------------------------------


def _tracker_folder(samples: dict[str, Path], folder: Path, count: int = 4) -> list[Path]:
    paths = [_copy(p, folder) for p in list(samples.values())[:count]]
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    return [*paths, folder / "broken.xlsx"]


def test_consolidate_writes_a_portfolio_and_leaves_trackers_alone(
    samples: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "trackers"
    files = _tracker_folder(samples, folder)
    before = {p: (_digest(p), p.stat().st_mtime_ns) for p in files}
    host = FileHost()
    text = ribbon.dispatch("pmoConsolidate", host=host, folder=str(folder), as_of=AS_OF)
    output = folder / "portfolio.xlsx"
    assert host.opened == [output]
    assert host.active == output
    portfolio = read_portfolio(output)
    assert len(portfolio.projects) == 4
    assert portfolio.as_of == AS_OF
    assert written_by_pmo(output)
    assert {p: (_digest(p), p.stat().st_mtime_ns) for p in files} == before
    assert "Consolidated 5 files" in text and "4 projects" in text and "1 unreadable" in text
    assert "broken.xlsx: " in text
    assert f"Wrote {output}" in text

    again = ribbon.dispatch("pmoConsolidate", host=host, folder=str(folder), as_of=AS_OF)
    assert "Consolidated 5 files" in again  # its own portfolio is not read as a tracker
    assert not (folder / "portfolio (2).xlsx").exists()  # and is replaced
    assert {p: _digest(p) for p in files} == {p: d for p, (d, _) in before.items()}


def test_consolidate_never_overwrites_a_tracker_called_portfolio(
    samples: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "trackers"
    _tracker_folder(samples, folder, count=2)
    named = folder / "portfolio.xlsx"
    shutil.copy2(samples["EST-0403_Fire_Safety_Works"], named)
    before = _digest(named)
    host = FileHost()
    text = ribbon.dispatch("pmoConsolidate", host=host, folder=str(folder), as_of=AS_OF)
    assert _digest(named) == before
    assert host.opened == [folder / "portfolio (2).xlsx"]
    assert len(read_portfolio(folder / "portfolio (2).xlsx").projects) == 3  # it is read too
    assert "3 projects" in text


@pytest.mark.parametrize(
    ("folder", "words"),
    [(None, "Choose the folder"), ("", "Choose the folder"), ("{missing}", "is not a folder")],
)
def test_consolidate_needs_a_folder(folder: str | None, words: str, tmp_path: Path) -> None:
    if folder == "{missing}":
        folder = str(tmp_path / "nowhere")
    host = FileHost()
    assert words in ribbon.dispatch("pmoConsolidate", host=host, folder=folder)
    assert host.opened == []


def test_consolidate_an_empty_folder(tmp_path: Path) -> None:
    text = ribbon.dispatch("pmoConsolidate", host=FileHost(), folder=str(tmp_path))
    assert text.startswith("No workbooks")


# --- Dashboard ----------------------------------------------------------------------------------


def test_dashboard_refuses_a_tracker(samples: dict[str, Path], tmp_path: Path) -> None:
    tracker = _copy(samples["DWP-0101_M365_Migration"], tmp_path)
    host = FileHost(tracker)
    text = ribbon.dispatch("pmoDashboard", host=host)
    assert f"{tracker.name} is not a portfolio workbook" in text
    assert "Consolidate" in text
    assert host.opened == []
    assert not (tmp_path / "dashboard.xlsx").exists()
    assert "No workbook is open" in ribbon.dispatch("pmoDashboard", host=FileHost())


def test_dashboard_from_a_consolidated_portfolio(samples: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "trackers"
    _tracker_folder(samples, folder)
    host = FileHost()
    ribbon.dispatch("pmoConsolidate", host=host, folder=str(folder), as_of=AS_OF)
    text = ribbon.dispatch("pmoDashboard", host=host)
    dashboard = folder / "dashboard.xlsx"
    assert host.opened[-1] == dashboard
    assert written_by_pmo(dashboard)
    assert "4 projects" in text and "20 Nov 2026" in text
    # The next Consolidate does not read the dashboard (or the portfolio) as a tracker.
    again = ribbon.dispatch("pmoConsolidate", host=FileHost(), folder=str(folder), as_of=AS_OF)
    assert "Consolidated 5 files" in again


def test_consolidate_keeps_history_and_dashboard_shows_the_trend(
    samples: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "trackers"
    _tracker_folder(samples, folder)
    host = FileHost()
    week_before = ribbon.dispatch(
        "pmoConsolidate", host=host, folder=str(folder), as_of="2026-11-13"
    )
    assert (
        f"History: saved the snapshot of 2026-11-13 in {folder / 'pmo-history.sqlite'}"
        in week_before
    )
    ribbon.dispatch("pmoConsolidate", host=host, folder=str(folder), as_of=AS_OF)
    text = ribbon.dispatch("pmoDashboard", host=host)
    assert "History not read" not in text
    book = load_workbook(folder / "dashboard.xlsx")
    assert {"Trends", "RAG History"} <= set(book.sheetnames)


def test_resources_rewrites_the_dashboard_with_its_trends_page(
    samples: dict[str, Path], tmp_path: Path
) -> None:
    """Resources and Dashboard write the same dashboard.xlsx: neither drops the other's pages."""
    folder = tmp_path / "trackers"
    _tracker_folder(samples, folder)
    host = FileHost()
    ribbon.dispatch("pmoConsolidate", host=host, folder=str(folder), as_of="2026-11-13")
    ribbon.dispatch("pmoConsolidate", host=host, folder=str(folder), as_of=AS_OF)
    ribbon.dispatch("pmoDashboard", host=FileHost(folder / "portfolio.xlsx"))
    text = ribbon.dispatch("pmoResources", host=FileHost(folder / "portfolio.xlsx"))
    assert "History not read" not in text and "Resources page" in text
    book = load_workbook(folder / "dashboard.xlsx")
    assert {"Trends", "RAG History", "Resources"} <= set(book.sheetnames)
    assert not (folder / "dashboard (2).xlsx").exists()  # our own dashboard is replaced


# --- Steering pack and Status report ------------------------------------------------------------


def test_steering_pack_from_a_consolidated_portfolio(
    samples: dict[str, Path], tmp_path: Path
) -> None:
    from tests.slides_check import slides

    folder = tmp_path / "trackers"
    _tracker_folder(samples, folder)
    host = FileHost()
    ribbon.dispatch("pmoConsolidate", host=host, folder=str(folder), as_of=AS_OF)
    portfolio = folder / "portfolio.xlsx"
    before = _digest(portfolio)
    text = ribbon.dispatch("pmoSteeringPack", host=host)
    deck = folder / "steering.pptx"
    assert host.opened[-1] == deck
    assert text.startswith(f"Wrote {deck}: 4 projects, as of 20 Nov 2026.")
    assert [s.title for s in slides(deck)][:2] == ["PMO Portfolio", "Portfolio summary"]
    assert _digest(portfolio) == before
    ribbon.dispatch("pmoSteeringPack", host=FileHost(portfolio))
    assert not (folder / "steering (2).pptx").exists()  # our own deck is replaced
    again = ribbon.dispatch("pmoConsolidate", host=FileHost(), folder=str(folder), as_of=AS_OF)
    assert "Consolidated 5 files" in again  # a deck is never read as a tracker


def test_steering_pack_has_the_trends_of_the_history_beside_the_portfolio(
    samples: dict[str, Path], tmp_path: Path
) -> None:
    from tests.slides_check import slides

    folder = tmp_path / "trackers"
    _tracker_folder(samples, folder)
    host = FileHost()
    ribbon.dispatch("pmoConsolidate", host=host, folder=str(folder), as_of="2026-11-13")
    ribbon.dispatch("pmoConsolidate", host=host, folder=str(folder), as_of=AS_OF)
    text = ribbon.dispatch("pmoSteeringPack", host=host)
    assert "History not read" not in text
    titles = [s.title for s in slides(folder / "steering.pptx")]
    assert "Trends since 13/11/2026" in titles and "Movers" in titles
    (folder / "pmo-history.sqlite").write_bytes(b"not a database" * 100)
    text = ribbon.dispatch("pmoSteeringPack", host=FileHost(folder / "portfolio.xlsx"))
    assert text.startswith(f"Wrote {folder / 'steering.pptx'}")
    assert text.splitlines()[-1].startswith("History not read (no trends slides): ")
    assert not any(s.title.startswith("Trends") for s in slides(folder / "steering.pptx"))


def test_steering_pack_never_replaces_someone_elses_deck(
    samples: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "trackers"
    _tracker_folder(samples, folder, count=2)
    ribbon.dispatch("pmoConsolidate", host=FileHost(), folder=str(folder), as_of=AS_OF)
    theirs = folder / "steering.pptx"
    theirs.write_bytes(b"someone's own deck")
    host = FileHost(folder / "portfolio.xlsx")
    ribbon.dispatch("pmoSteeringPack", host=host)
    assert theirs.read_bytes() == b"someone's own deck"
    assert host.opened == [folder / "steering (2).pptx"]


def test_steering_pack_refuses_a_tracker(samples: dict[str, Path], tmp_path: Path) -> None:
    tracker = _copy(samples["DWP-0101_M365_Migration"], tmp_path)
    text = ribbon.dispatch("pmoSteeringPack", host=FileHost(tracker))
    assert f"{tracker.name} is not a portfolio workbook" in text and "Consolidate" in text
    assert not list(tmp_path.glob("*.pptx"))


def test_status_report_beside_the_active_tracker(samples: dict[str, Path], tmp_path: Path) -> None:
    from tests.slides_check import slides

    tracker = _copy(samples["CUS-0202_CRM_Consolidation"], tmp_path)
    before = _digest(tracker)
    host = FileHost(tracker)
    text = ribbon.dispatch("pmoStatusReport", host=host, as_of=AS_OF)
    deck = tmp_path / "CUS-0202_CRM_Consolidation status report.pptx"
    assert host.opened == [deck]
    assert text == f"Wrote {deck}: the one-page status report of {tracker.name}."
    assert slides(deck)[0].title == "CRM Consolidation - status report"
    assert _digest(tracker) == before
    notes = tmp_path / "notes.xlsx"
    notes.write_text("just text", encoding="utf-8")
    text = ribbon.dispatch("pmoStatusReport", host=FileHost(notes))
    assert text.startswith("notes.xlsx: no status report (")


# --- Settings and About -------------------------------------------------------------------------


def test_settings_creates_a_commented_file_that_loads(
    samples: dict[str, Path], tmp_path: Path
) -> None:
    active = _copy(samples["DWP-0101_M365_Migration"], tmp_path)
    host = FileHost(active)
    text = ribbon.dispatch("pmoSettings", host=host)
    config = tmp_path / CONFIG_FILENAME
    assert host.opened == [config]
    assert host.active == active  # a text file does not become the active workbook
    assert load_settings(config) == Settings()
    assert config.read_text(encoding="utf-8").startswith("# pmo.toml")
    assert str(config) in text and "new:" in text

    config.write_text("[rag]\nstale_days = 21\n", encoding="utf-8")
    text = ribbon.dispatch("pmoSettings", host=host)
    assert config.read_text(encoding="utf-8") == "[rag]\nstale_days = 21\n"  # never replaced
    assert "new:" not in text
    config.write_text("[rag]\nstale_days = -1\n", encoding="utf-8")
    assert "It has a problem: pmo.toml: rag.stale_days" in ribbon.dispatch("pmoSettings", host=host)


def test_settings_without_a_workbook_uses_home(tmp_path: Path) -> None:
    host = FileHost()
    ribbon.dispatch("pmoSettings", host=host)
    assert host.opened == [tmp_path / "home" / CONFIG_FILENAME]


def test_about_names_the_versions_and_settings(
    samples: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    active = _copy(samples["DWP-0101_M365_Migration"], tmp_path)
    text = ribbon.dispatch("pmoAbout", host=FileHost(active))
    assert text.startswith("PMO.xlam: not reported (called from Python")
    assert f"pmo-addin {__version__} (tracker standard v{SPEC_VERSION}, " in text
    assert f"template {TEMPLATE_VERSION})" in text
    assert f"xlwings {xlwings.__version__}\n" in text
    assert f"Python {platform.python_version()} ({sys.executable})" in text
    assert "built-in defaults" in text
    assert f"Log: {tmp_path / 'home' / '.pmo' / 'pmo.log'}" in text
    reported = ribbon.dispatch(
        "pmoAbout",
        host=FileHost(active),
        addin_version=__version__,
        xlwings_version=xlwings.__version__,
    )
    assert reported.splitlines()[0] == (
        f"PMO.xlam {__version__}, with the VBA of xlwings {xlwings.__version__}"
    )
    (tmp_path / CONFIG_FILENAME).write_text("", encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "udf.toml"))
    text = ribbon.dispatch("pmoAbout", host=FileHost(active))
    assert f"Settings: {tmp_path / CONFIG_FILENAME}" in text
    assert f"Worksheet functions' settings: {tmp_path / 'udf.toml'}" in text


# --- the file backend itself --------------------------------------------------------------------


def test_file_book_is_a_book_and_reads_like_the_command_line(
    samples: dict[str, Path], tmp_path: Path
) -> None:
    from addin.read import read_source

    path = _copy(samples["FIN-0302_P2P_Automation"], tmp_path)
    book = FileBook(path)
    assert isinstance(book, Book)
    by_book = read_source(book, str(path), Settings())
    by_file = read_tracker(path, Settings())
    assert by_book.tracker == by_file.tracker
    assert by_book.findings == by_file.findings
    assert book.save() is None  # nothing marked, nothing written
    book.close()


def test_importing_the_excel_layer_needs_no_excel() -> None:
    code = (
        "import sys, addin.excel.ribbon, addin.excel.book; "
        "assert 'xlwings' not in sys.modules, 'ribbon imports xlwings eagerly'; "
        "import addin.excel.udfs; print(addin.excel.udfs.PMO_RAG('spi', 0.9))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "Amber"


def test_as_of_decides_the_dated_findings(samples: dict[str, Path], tmp_path: Path) -> None:
    path = _copy(samples["DWP-0101_M365_Migration"], tmp_path)
    host = FileHost(path)
    on_time = ribbon.dispatch("pmoValidate", host=host, as_of=AS_OF.isoformat())
    assert on_time.startswith(f"{path.name}: 0 errors, 0 warnings.")
    later = ribbon.dispatch("pmoValidate", host=host, as_of=AS_OF + dt.timedelta(days=60))
    assert not later.startswith(f"{path.name}: 0 errors, 0 warnings.")  # now stale
    assert "PMO Validate did not finish" in ribbon.dispatch("pmoValidate", host=host, as_of="soon")


# --- the version guard and the log --------------------------------------------------------------


@pytest.mark.parametrize(
    ("addin_version", "xlwings_version", "words"),
    [
        ("0.0.1", None, ["PMO.xlam was built by pmo-addin 0.0.1", f"has pmo-addin {__version__}"]),
        (None, "0.30.0", ["carries the VBA of xlwings 0.30.0", "has xlwings "]),
        ("", "", ["built by pmo-addin (unknown)", "xlwings (unknown)"]),
    ],
)
def test_a_version_mismatch_stops_every_button_before_anything_runs(
    addin_version: str | None,
    xlwings_version: str | None,
    words: list[str],
    tmp_path: Path,
) -> None:
    versions = {
        "addin_version": __version__ if addin_version is None else addin_version,
        "xlwings_version": xlwings.__version__ if xlwings_version is None else xlwings_version,
    }
    for control_id in ribbon.BUTTONS:
        host = FileHost()
        text = ribbon.dispatch(control_id, host=host, folder=str(tmp_path), **versions)
        assert text.startswith("PMO.xlam and its Python do not match:"), control_id
        assert all(w in text for w in words), text
        assert "pmo addin install" in text
        assert host.messages == [text] and host.opened == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]  # nothing written
    assert not (tmp_path / "home" / CONFIG_FILENAME).exists()


def test_matching_versions_run_the_button(tmp_path: Path) -> None:
    host = FileHost()
    text = ribbon.dispatch(
        "pmoNewTracker",
        host=host,
        addin_version=__version__,
        xlwings_version=xlwings.__version__,
    )
    assert text.startswith("Created ")
    assert host.opened == [tmp_path / "home" / "New Tracker.xlsx"]


def test_a_folder_escaped_by_the_vba_arrives_whole(
    samples: dict[str, Path], tmp_path: Path
) -> None:
    """PMO_PyString writes characters beyond U+FFFF as two \\u escapes (UTF-16 halves);
    dispatch joins them, so the folder named with an emoji is found."""
    folder = tmp_path / "Zoë 😀 $HOME `x` 100%"
    _copy(samples["DWP-0101_M365_Migration"], folder)
    literal = str(folder).replace("😀", "\ud83d\ude00")  # what Python reads from the VBA
    assert literal != str(folder)  # two lone surrogates stand for the emoji
    text = ribbon.dispatch("pmoConsolidate", host=FileHost(), folder=literal, as_of=AS_OF)
    assert text.startswith("Consolidated 1 file from "), text
    assert (folder / "portfolio.xlsx").exists()


def test_each_action_and_error_is_logged(tmp_path: Path) -> None:
    log = tmp_path / "home" / ".pmo" / "pmo.log"
    ribbon.dispatch("pmoDashboard", host=FileHost())
    ribbon.dispatch("pmoNewTracker", host=FileHost(), addin_version="0.0.0", xlwings_version="x")
    lines = log.read_text(encoding="utf-8").splitlines()
    assert [line.split(" ", 3)[2:] for line in lines][:2] == [
        ["python", "button pmoDashboard: no options"],
        [
            "python",
            "button pmoDashboard: No workbook is open: Dashboard works on a portfolio "
            "(a workbook with a Projects sheet). Click Consolidate to build one from a folder of "
            "trackers, then click Dashboard with the portfolio open.",
        ],
    ]
    assert (
        lines[-1]
        .split(" ", 3)[3]
        .startswith(
            "button pmoNewTracker: PMO.xlam and its Python do not match: PMO.xlam was built by"
        )
    )
