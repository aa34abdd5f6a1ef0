"""The dashboard prints: LibreOffice headless turns it into a PDF whose page 1 is the Dashboard.

Page 1 is rendered with ``pdftoppm -gray`` to a PGM (trivial to parse, no imaging
library needed) and must not be blank. Printed on its own, the Dashboard sheet is
exactly one page, for ten projects and for three hundred.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from addin.core.settings import Settings
from addin.outputs.dashboard import export_pdf, write_dashboard
from tests.soffice import PDFTOPPM, SOFFICE, png_pages
from tests.test_dashboard import build_portfolio, previous_portfolio

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed"),
]


def page_count(pdf: Path) -> int:
    """Pages of a PDF (its ``/Type /Page`` objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))


def grey_page(pdf: Path, outdir: Path, page: int = 1) -> tuple[int, int, bytes]:
    """Render one page to an 8-bit grey PGM and return (width, height, pixels)."""
    assert PDFTOPPM is not None, "pdftoppm not found: apt-get install poppler-utils"
    prefix = outdir / "grey"
    subprocess.run(
        [PDFTOPPM, "-gray", "-r", "50", "-f", str(page), "-l", str(page), str(pdf), str(prefix)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    (pgm,) = outdir.glob("grey*.pgm")
    data = pgm.read_bytes()
    match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert match, "not a binary PGM"
    width, height, maxval = (int(g) for g in match.groups())
    assert maxval == 255
    pixels = data[match.end() : match.end() + width * height]
    assert len(pixels) == width * height
    return width, height, pixels


def variance(pixels: bytes) -> float:
    n = len(pixels)
    mean = sum(pixels) / n
    return sum((p - mean) ** 2 for p in pixels) / n


def only_dashboard(xlsx: Path, out: Path) -> Path:
    """A copy of the workbook with every sheet but the Dashboard hidden (so not printed)."""

    def hide(match: re.Match[str]) -> str:
        tag = match.group(0)
        if 'name="Dashboard"' in tag or "state=" in tag:
            return tag
        return tag.replace("<sheet ", '<sheet state="hidden" ', 1)

    with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = re.sub(r"<sheet [^>]*/>", hide, data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    return out


def test_dashboard_prints_and_page_one_is_the_dashboard(tmp_path: Path) -> None:
    portfolio = build_portfolio()
    xlsx = write_dashboard(
        tmp_path / "dashboard.xlsx", portfolio, Settings(), previous=previous_portfolio(portfolio)
    )
    (tmp_path / "out").mkdir()
    pdf = export_pdf(xlsx, tmp_path / "out" / "dashboard.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert page_count(pdf) >= 7  # Dashboard + six detail sheets; Chart Data is hidden
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["dashboard.pdf"]

    width, height, pixels = grey_page(pdf, tmp_path)
    assert width > height  # landscape
    dark = sum(1 for p in pixels if p < 200) / len(pixels)
    assert variance(pixels) > 1000, "page 1 is (nearly) blank"
    assert dark > 0.05, f"only {dark:.1%} of page 1 is ink"

    pngs = png_pages(pdf, tmp_path)
    assert len(pngs) == 1 and pngs[0].stat().st_size > 10_000

    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(
            [pdftotext, "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        assert "Acme & Co PMO — Portfolio dashboard" in text
        assert "As of 20/11/2026" in text
        assert "RAG matrix — worst first" in text
        assert "Ledger Upgrade" in text


@pytest.mark.parametrize("extra", [0, 290])
def test_dashboard_alone_is_one_page(tmp_path: Path, extra: int) -> None:
    xlsx = write_dashboard(
        tmp_path / "dashboard.xlsx", build_portfolio(extra_projects=extra), Settings()
    )
    alone = only_dashboard(xlsx, tmp_path / "alone.xlsx")
    pdf = export_pdf(alone, tmp_path / "alone.pdf")
    assert page_count(pdf) == 1
