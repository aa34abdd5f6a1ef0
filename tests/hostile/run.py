"""Run ``pmo`` in a subprocess the way a scheduler would, bounded in memory and time.

The child gets an address-space limit (``RLIMIT_AS``) before it starts, so a file that
makes the engine allocate without bound kills the child (and fails the test) instead of
the machine; ``timeout`` fails a hang. With ``as_user=True`` the child runs without the
privilege to ignore file permissions: for root that means dropping the two capabilities
that let root read and write any file (``CAP_DAC_OVERRIDE``, ``CAP_DAC_READ_SEARCH``),
so permission tests mean the same as root (CI containers) as for a normal user.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

#: Address-space limit of the ``pmo`` process (its reader workers inherit it).
MEMORY_BYTES = 1536 * 1024 * 1024
#: A run that takes longer has hung.
TIMEOUT_SECONDS = 300

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE = 1
_CAP_DAC_READ_SEARCH = 2


def _drop_root_override() -> None:
    """Remove root's power to bypass file permissions from this process and its children."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) refused")


def _limits(as_user: bool, file_bytes: int | None = None) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    if as_user and os.geteuid() == 0:
        _drop_root_override()
    if file_bytes is not None:  # a write past it fails with EFBIG, as a full disk's with ENOSPC
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # (instead of killing the process)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))


def permissions_apply(scratch: Path) -> bool:
    """Whether a child run with ``as_user=True`` is refused a file with mode 000.

    True for a normal user; for root, when its override capabilities can be dropped.
    """
    secret = scratch / "mode-000.probe"
    secret.write_text("secret")
    secret.chmod(0)
    try:
        probe = subprocess.run(
            [sys.executable, "-c", f"open({str(secret)!r}).read()"],
            preexec_fn=lambda: _limits(True),
            capture_output=True,
            check=False,
        )
    except subprocess.SubprocessError:  # the capabilities could not be dropped
        return False
    finally:
        secret.unlink()
    return b"PermissionError" in probe.stderr


def pmo(
    *args: str | Path,
    as_user: bool = False,
    timeout: float = TIMEOUT_SECONDS,
    file_bytes: int | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m addin ARGS`` (the ``pmo`` command) with the memory limit and a timeout.

    ``file_bytes``: no file the run writes may grow past this many bytes (``RLIMIT_FSIZE``),
    which fails its writes the way a full disk does, at a point the test chooses.
    """
    env = {**os.environ, "COLUMNS": "200", "PYTHONUNBUFFERED": "1"}
    if file_bytes is not None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # a compiled module is no output of the run
    return subprocess.run(
        [sys.executable, "-m", "addin", *map(os.fspath, args)],
        preexec_fn=lambda: _limits(as_user, file_bytes),
        cwd=cwd,
        capture_output=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def no_traceback(result: subprocess.CompletedProcess[bytes]) -> None:
    """Assert the run ended in words, not a Python traceback (nor a crash of a worker)."""
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err[-3000:]
    assert result.returncode >= 0, f"pmo was killed by signal {-result.returncode}: {err[-2000:]}"
