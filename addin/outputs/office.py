"""LibreOffice headless: print our workbooks and decks to PDF.

One private, temporary profile per run (parallel runs and a desktop LibreOffice do not
interfere), a time limit after which LibreOffice and everything it started are killed,
and many files converted by one LibreOffice start. Used by the dashboard's ``--pdf``
(:mod:`addin.outputs.dashboard.pdf`) and the status reports' ``--format pdf``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path


def soffice() -> str | None:
    """The LibreOffice executable on PATH (``soffice`` or ``libreoffice``), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def run_killable(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run ``command``; on timeout kill it and everything it started, then raise."""
    posix = os.name == "posix"
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=posix,
    ) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            if posix:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
            proc.communicate()
            raise
        return subprocess.CompletedProcess(command, proc.returncode, out, err)


def convert_to_pdf(
    exe: str, sources: Sequence[Path], outdir: Path, timeout: float
) -> subprocess.CompletedProcess[str]:
    """Convert ``sources`` to PDF into ``outdir`` with one LibreOffice start.

    Each ``name.ext`` becomes ``outdir/name.pdf`` (the caller checks which were made).

    Raises:
        subprocess.TimeoutExpired: LibreOffice took longer than ``timeout`` (it was killed).
        OSError: LibreOffice could not be started.
    """
    with tempfile.TemporaryDirectory(prefix="pmo-lo-profile-") as work:
        profile = Path(work) / "profile"
        command = [
            exe,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *(str(s.resolve()) for s in sources),
        ]
        return run_killable(command, timeout)


def failure_reason(proc: subprocess.CompletedProcess[str]) -> str:
    """What LibreOffice said of its failure in one line, or its exit code.

    Its last line, unless it crashed: then the line that names the crash (``Fatal
    exception: Signal 25``), not the last of the stack it prints after it.
    """
    detail = [line.strip() for line in (proc.stderr or proc.stdout).splitlines() if line.strip()]
    fatal = [line for line in detail if line.startswith("Fatal exception")]
    if fatal:
        return fatal[0]
    said = [line for line in detail if not _STACK_FRAME.search(line) and line != "Stack:"]
    return said[-1] if said else f"exit code {proc.returncode}"


#: A line of the stack LibreOffice prints when it crashes: ``lib.so(+0x37722)[0x7fe9b057c722]``.
_STACK_FRAME = re.compile(r"\(\S*\+0x[0-9a-f]+\)\s*\[0x[0-9a-f]+\]$")
