"""Print the dashboard workbook to PDF with LibreOffice headless (:mod:`addin.outputs.office`)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from addin.core.errors import OutputError, os_reason
from addin.outputs.atomic import atomic_path
from addin.outputs.office import convert_to_pdf, failure_reason, soffice

__all__ = ["NOT_INSTALLED", "export_pdf", "soffice"]

NOT_INSTALLED = (
    "LibreOffice is not installed: install libreoffice-calc (Debian: apt-get install "
    "libreoffice-calc-nogui) or open the .xlsx and print to PDF"
)


def export_pdf(xlsx: Path, pdf: Path, *, timeout: float = 180) -> Path:
    """Print a workbook to PDF through LibreOffice headless, atomically.

    Every visible sheet is printed with its own page setup; the dashboard's first
    sheet (Dashboard) is page 1. LibreOffice runs with a private, temporary
    profile, so parallel runs and a desktop LibreOffice do not interfere.

    Args:
        xlsx: The workbook to print.
        pdf: The PDF to write; a previous file is replaced only on success.
        timeout: Seconds LibreOffice may take before it is stopped.

    Returns:
        ``pdf``.

    Raises:
        OutputError: LibreOffice is not installed, failed, or took too long.
    """
    exe = soffice()
    if exe is None:
        raise OutputError(NOT_INSTALLED)
    if not xlsx.is_file():
        raise OutputError(f"{xlsx}: no such workbook to print")
    with tempfile.TemporaryDirectory(prefix="pmo-pdf-") as work:
        outdir = Path(work) / "out"
        outdir.mkdir()
        try:
            proc = convert_to_pdf(exe, [xlsx], outdir, timeout)
        except subprocess.TimeoutExpired:
            raise OutputError(
                f"{xlsx}: LibreOffice did not finish printing to PDF within {timeout:g} s"
            ) from None
        except OSError as exc:
            raise OutputError(f"{xlsx}: could not start LibreOffice ({os_reason(exc)})") from exc
        made = outdir / f"{xlsx.stem}.pdf"
        if proc.returncode != 0 or not made.is_file() or made.stat().st_size == 0:
            raise OutputError(
                f"{xlsx}: LibreOffice could not print it to PDF ({failure_reason(proc)})"
            )
        try:
            with atomic_path(pdf) as tmp:
                shutil.copyfile(made, tmp)
        except OSError as exc:
            raise OutputError(f"{pdf}: could not write the PDF ({os_reason(exc)})") from exc
    return pdf
