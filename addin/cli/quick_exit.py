"""Leave the process once a command is done, without tearing the interpreter down.

When ``pmo`` returns, Python frees every object and module it made before the process
ends: 40 of the 300 ms a ``pmo validate`` takes from a cold shell, more after a
consolidation that held a portfolio. The operating system reclaims all of it anyway.
:func:`quick_exit` does what an ordinary exit does that anyone could notice - waits for
the threads an ordinary exit waits for, runs the ``atexit`` handlers (temporary files,
logging, ``weakref.finalize``), flushes standard output and error - and then ends the
process at once (``os._exit``), as mypy's command line does.

Only the console entry point uses it: code that calls :func:`addin.cli.main` (tests,
an embedding program) gets an ordinary ``SystemExit`` back.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn

#: The status CPython exits with when flushing standard output fails at exit.
FLUSH_FAILED = 120


def exit_status(code: object) -> int:
    """The process status ``sys.exit(code)`` ends with: None 0, a number itself, else 1.

    (Python also prints a code that is not a number; :func:`addin.cli.run` does too.)
    """
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    return 1


def quick_exit(status: int) -> NoReturn:
    """End the process with ``status`` after what an exit must do, skipping the teardown."""
    main = threading.main_thread()
    for t in threading.enumerate():  # an exit waits for every thread that is not a daemon
        if t is not main and not t.daemon:
            t.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe, or a stream closed by its owner
            if status == 0 and stream is sys.stdout:
                status = FLUSH_FAILED
    os._exit(status)
