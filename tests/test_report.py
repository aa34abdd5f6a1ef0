"""The one-page status report: its data, its slide read back from XML, the folder run, the CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from addin.app.report import report_of, report_paths, status_reports
from addin.cli import app
from addin.core.settings import Settings
from addin.demo import SAMPLES_AS_OF, write_samples
from addin.engine.pipeline import check_tracker
from addin.outputs.report import StatusReport, write_report
from addin.outputs.report.pdf import NOT_INSTALLED
from tests.slides_check import overflows, parts, slides

AS_OF = SAMPLES_AS_OF


@pytest.fixture(scope="module")
def trackers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("samples")
    write_samples(folder)
    return folder


def _copy(trackers: Path, stem: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(trackers / f"{stem}.xlsx", folder / f"{stem}.xlsx"))


def _report(path: Path) -> StatusReport:
    report, why = report_of(check_tracker(path, Settings()), Settings(), AS_OF)
    assert report is not None, why
    return report


def test_the_report_data_is_the_engines(trackers: Path) -> None:
    report = _report(trackers / "CUS-0202_CRM_Consolidation.xlsx")
    p = report.project
    assert p.project_id == "CUS-0202"
    assert [(d.name, d.rag) for d in report.dimensions] == [
        ("Overall", p.overall_rag),
        ("Schedule", p.schedule_rag),
        ("Cost", p.cost_rag),
        ("Risk", p.risk_rag),
    ]
    assert report.dimensions[2].reasons == p.dimension_reasons("Cost")
    assert report.comment.startswith("Data migration effort twice the estimate")
    assert report.earned == p.pct_complete
    assert report.planned is not None and 0 < report.planned <= 1
    assert report.planned * (p.spi or 0) == pytest.approx(report.earned, rel=1e-6)  # SPI = EV/PV
    not_achieved = [m for m in report.milestones if m.status != "Achieved"]
    assert report.milestones[: len(not_achieved)] == tuple(not_achieved)  # open ones first
    assert all(n.when > report.status_date for n in report.next_days)
    assert all((n.when - report.status_date).days <= 30 for n in report.next_days)
    severities = [r.severity for r in report.risks]
    order = ["Critical", "High", "Medium", "Low", "—"]
    assert severities == sorted(severities, key=order.index)


@pytest.fixture(scope="module")
def deck(trackers: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, StatusReport]:
    report = _report(trackers / "EST-0402_LED_Lighting_Retrofit.xlsx")
    out = tmp_path_factory.mktemp("report") / "r.pptx"
    assert write_report(out, report, Settings()) == out
    return out, report


def test_one_slide_with_every_block(deck: tuple[Path, StatusReport]) -> None:
    path, report = deck
    (page,) = slides(path)
    assert page.title == "LED Lighting Retrofit - status report"
    rag, milestones, risks = page.tables
    assert [r[:2] for r in rag] == [
        ["", "RAG"],
        ["Overall", report.project.overall_rag],
        ["Schedule", report.project.schedule_rag],
        ["Cost", report.project.cost_rag],
        ["Risk", report.project.risk_rag],
    ]
    assert rag[4][2] == "; ".join(report.project.dimension_reasons("Risk"))
    assert milestones[0] == ["Milestone", "Baseline", "Forecast", "Status", "Slip"]
    assert [r[0] for r in milestones[1:]] == [m.milestone for m in report.milestones][
        : len(milestones) - 1
    ]
    assert [r[1] for r in risks[1:]] == [x.raid_id for x in report.risks][: len(risks) - 1]
    (chart,) = page.charts
    assert chart["% of the plan"] == [
        round((report.planned or 0) * 100, 1),
        round((report.earned or 0) * 100, 1),
    ]
    headings = " | ".join(page.texts)
    for block in ("Project manager's comment", "Progress: planned vs earned", "Key findings"):
        assert block in headings
    assert "Next 30 days" in headings
    assert "No RAG comment in the tracker." in page.texts  # EST-0402 left it blank
    assert f"{report.errors} validation errors" in headings
    assert "Why each RAG:" in page.notes
    assert f"Risk {report.project.risk_rag}: " in page.notes


def test_every_sample_report_fits(trackers: Path, tmp_path: Path) -> None:
    files = sorted(trackers.glob("*.xlsx"))
    targets = report_paths(files, tmp_path, "pptx", folder=True)
    outcomes = status_reports(files, targets, Settings(), as_of=AS_OF, jobs=2)
    assert [o.output for o in outcomes] == targets
    for target in targets:
        assert overflows(target) == [], target.name
        assert len(slides(target)) == 1
        xml = b"".join(b for n, b in parts(target).items() if n.startswith("ppt/slides/"))
        assert b"hlinkClick" not in xml and b"<a:fld" not in xml


def test_a_folder_with_a_bad_file_reports_the_rest(trackers: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    good = [
        _copy(trackers, s, folder) for s in ("DWP-0101_M365_Migration", "FIN-0302_P2P_Automation")
    ]
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    before = {p: hashlib.sha256(p.read_bytes()).digest() for p in folder.iterdir()}
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["report", str(folder), "-o", str(out), "--as-of", AS_OF.isoformat()]
    )
    assert result.exit_code == 3, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{p.stem} status report.pptx" for p in good
    )
    assert "not written: " in result.output and "broken.xlsx" in result.output
    assert "2 status reports of 3 trackers" in result.output
    assert {p: hashlib.sha256(p.read_bytes()).digest() for p in folder.iterdir()} == before


def test_one_tracker_to_one_file(trackers: Path, tmp_path: Path) -> None:
    source = _copy(trackers, "DWP-0102_Laptop_Refresh", tmp_path)
    out = tmp_path / "laptops.pptx"
    result = CliRunner().invoke(app, ["report", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out} (DWP-0102: " in result.output
    assert slides(out)[0].title == "Laptop Refresh 2026 - status report"
    bad = CliRunner().invoke(app, ["report", str(source), "-o", str(tmp_path / "x.docx")])
    assert bad.exit_code == 2


def test_pdf_without_libreoffice_is_one_line(
    trackers: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda *a, **k: None)
    source = _copy(trackers, "DWP-0102_Laptop_Refresh", tmp_path)
    result = CliRunner().invoke(
        app, ["report", str(source), "-o", str(tmp_path / "r.pdf"), "--format", "pdf"]
    )
    assert result.exit_code == 2
    assert result.output.strip() == f"pmo: {NOT_INSTALLED}"
    assert not (tmp_path / "r.pdf").exists()


def test_our_own_outputs_are_skipped_and_non_trackers_get_no_report(
    trackers: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.xlsx"
    notes.write_text("just text", encoding="utf-8")
    report, why = report_of(check_tracker(notes, Settings()), Settings(), AS_OF)
    assert report is None and why
    folder = tmp_path / "in"
    source = _copy(trackers, "DWP-0101_M365_Migration", folder)
    runner = CliRunner()
    day = ["--as-of", AS_OF.isoformat()]
    made = runner.invoke(
        app, ["consolidate", str(folder), "-o", str(folder / "portfolio.xlsx"), *day]
    )
    assert made.exit_code == 0, made.output
    result = runner.invoke(app, ["report", str(folder), "-o", str(tmp_path / "out"), *day])
    assert result.exit_code == 0, result.output  # our own portfolio is no problem
    assert "skipped: " in result.output and "portfolio.xlsx" in result.output
    assert "1 status report of 1 tracker" in result.output
    assert (tmp_path / "out" / f"{source.stem} status report.pptx").is_file()


def test_report_names_never_collide() -> None:
    files = [Path("a/x.xlsx"), Path("b/x.xlsx"), Path("c/X.xlsx")]
    assert [p.name for p in report_paths(files, Path("out"), "pdf", folder=True)] == [
        "x status report.pdf",
        "x status report (2).pdf",
        "X status report (3).pdf",
    ]
    assert report_paths(files[:1], Path("r.pptx"), "pptx", folder=False) == [Path("r.pptx")]


def test_a_tracker_with_no_status_date_is_judged_on_the_as_of(trackers: Path) -> None:
    report = _report(trackers / "FIN-0303_Close_Acceleration.xlsx")
    assert report.status_date == (report.project.status_date or report.as_of)
    assert isinstance(report.status_date, dt.date)
