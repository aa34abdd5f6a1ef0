"""LibreOffice headless, the real spreadsheet client our tests open workbooks in.

``convert(path, "pdf")`` runs ``soffice --headless --convert-to`` with a private
profile directory (so parallel runs never share one) and a timeout, and returns
the output path. ``png_pages(pdf)`` renders pages with ``pdftoppm``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")


class LibreOfficeError(RuntimeError):
    """LibreOffice failed to open or convert a file."""


def convert(path: Path, fmt: str = "pdf", outdir: Path | None = None, timeout: float = 180) -> Path:
    """Convert ``path`` with LibreOffice headless and return the output file."""
    if SOFFICE is None:
        raise LibreOfficeError("soffice not found: apt-get install libreoffice-calc-nogui")
    outdir = outdir or path.parent
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        proc = subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                fmt,
                "--outdir",
                str(outdir),
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    out = outdir / f"{path.stem}.{fmt.split(':')[0]}"
    if proc.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        raise LibreOfficeError(
            f"LibreOffice could not convert {path.name} to {fmt} (exit {proc.returncode}): "
            f"{proc.stderr.strip() or proc.stdout.strip()}"
        )
    return out


def png_pages(
    pdf: Path, outdir: Path, resolution: int = 60, first: int = 1, last: int = 1
) -> list[Path]:
    """Render pages ``first..last`` of a PDF to PNG files with pdftoppm."""
    if PDFTOPPM is None:
        raise LibreOfficeError("pdftoppm not found: apt-get install poppler-utils")
    prefix = outdir / "page"
    subprocess.run(
        [
            PDFTOPPM,
            "-png",
            "-r",
            str(resolution),
            "-f",
            str(first),
            "-l",
            str(last),
            str(pdf),
            str(prefix),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(outdir.glob("page*.png"))
