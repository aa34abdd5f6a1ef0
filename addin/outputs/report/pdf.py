"""Status reports as PDF: the decks printed by LibreOffice headless, many per start."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from addin.core.errors import OutputError
from addin.outputs.atomic import atomic_path
from addin.outputs.office import convert_to_pdf, failure_reason, soffice

NOT_INSTALLED = (
    "LibreOffice is not installed: install libreoffice-impress (Debian: apt-get install "
    "libreoffice-impress-nogui) or ask for --format pptx and save the decks as PDF"
)
#: What LibreOffice says when it has no Impress to open a deck with.
_NO_IMPRESS = "no export filter"
#: Seconds LibreOffice may take: a start, then this much per deck.
START_SECONDS, SECONDS_PER_DECK = 60.0, 10.0


def decks_to_pdf(jobs: Sequence[tuple[Path, Path]]) -> dict[Path, str]:
    """Print decks to PDF: each ``(deck, pdf)`` pair, with one LibreOffice start.

    Each PDF is written atomically; a PDF that could not be made keeps its previous file.

    Returns:
        PDF -> the one-line reason it was not written (empty when every one was).

    Raises:
        OutputError: LibreOffice is not installed (nothing was written).
    """
    if not jobs:
        return {}
    exe = soffice()
    if exe is None:
        raise OutputError(NOT_INSTALLED)
    failed: dict[Path, str] = {}
    with tempfile.TemporaryDirectory(prefix="pmo-report-pdf-") as work:
        outdir = Path(work) / "out"
        outdir.mkdir()
        timeout = START_SECONDS + SECONDS_PER_DECK * len(jobs)
        try:
            proc = convert_to_pdf(exe, [deck for deck, _ in jobs], outdir, timeout)
            why = failure_reason(proc)
        except subprocess.TimeoutExpired:
            why = f"LibreOffice did not finish printing within {timeout:g} s"
        except OSError as exc:
            why = f"could not start LibreOffice ({exc})"
        if _NO_IMPRESS in why:
            why = "this LibreOffice cannot open decks: install libreoffice-impress-nogui"
        for deck, pdf in jobs:
            made = outdir / f"{deck.stem}.pdf"
            if not made.is_file() or made.stat().st_size == 0:
                failed[pdf] = f"LibreOffice could not print it to PDF ({why})"
                continue
            try:
                with atomic_path(pdf) as tmp:
                    shutil.copyfile(made, tmp)
            except (OSError, OutputError) as exc:
                failed[pdf] = f"could not write the PDF ({exc})"
    return failed
