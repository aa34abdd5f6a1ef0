"""The decks open in a real presentation program: LibreOffice Impress prints every slide.

Page count = slide count; the first page renders to a non-blank PNG; ``pmo report --format
pdf`` prints one page per project.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from addin.app.demo import run_demo
from addin.cli import app
from tests.slides_check import slides
from tests.soffice import PDFTOPPM, SOFFICE, convert, png_pages

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed"),
]


def _pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return run_demo(tmp_path_factory.mktemp("demo"), echo=lambda _: None)


def test_every_slide_of_the_pack_prints(demo: dict[str, Path], tmp_path: Path) -> None:
    pack = demo["steering pack"]
    pdf = convert(pack, "pdf", tmp_path)
    assert _pages(pdf) == len(slides(pack))
    if PDFTOPPM is not None:
        (png,) = png_pages(pdf, tmp_path, resolution=40, first=2, last=2)
        image = Image.open(png).convert("L")
        dark = sum(image.histogram()[:128])
        assert dark > 500  # the summary slide has its tiles and matrix on it


def test_pmo_report_prints_one_page_per_project(demo: dict[str, Path], tmp_path: Path) -> None:
    trackers = sorted(demo["sample trackers"].glob("*.xlsx"))[:3]
    out = tmp_path / "pdf"
    result = CliRunner().invoke(
        app,
        [
            "report",
            *map(str, trackers),
            "-o",
            str(out),
            "--format",
            "pdf",
            "--as-of",
            "2026-11-20",
        ],
    )
    assert result.exit_code == 0, result.output
    pdfs = sorted(out.glob("*.pdf"))
    assert [p.name for p in pdfs] == [f"{t.stem} status report.pdf" for t in trackers]
    assert all(_pages(p) == 1 for p in pdfs)
    assert not list(out.glob("*.pptx"))  # the decks were only the way to the PDF
    text = subprocess.run(
        ["pdftotext", str(pdfs[0]), "-"], capture_output=True, text=True, check=False
    ).stdout
    if text:
        assert "status report" in text and "Milestones" in text
