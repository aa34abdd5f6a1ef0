r"""The PMO log, ``~/.pmo/pmo.log``: one line per button action and error, for support.

Python and the add-in's VBA append to the same file on Windows
(``%USERPROFILE%\.pmo\pmo.log``); on macOS the VBA runs in Excel's sandbox and
writes ``~/Library/Containers/com.microsoft.Excel/Data/.pmo/pmo.log`` (see
``macros/PMOSupport.bas``). A line is ``YYYY-MM-DD HH:MM:SS python <text>``; text
is kept on one line and free of control characters, so a tracker's sheet name
cannot forge lines or send terminal escapes to whoever reads the file.
Writing the log never fails an action: an unwritable log is ignored.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from addin.core.words import one_line, printable

__all__ = ["LOG_NAME", "log", "log_path"]

LOG_NAME = "pmo.log"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def log_path(home: Path | None = None) -> Path:
    """``<home>/.pmo/pmo.log`` (``home`` defaults to the user's home folder)."""
    return (home if home is not None else Path.home()) / ".pmo" / LOG_NAME


def log(text: str, *, home: Path | None = None) -> None:
    """Append one line to the PMO log; never raises.

    Args:
        text: What happened, e.g. ``button pmoValidate: done``.
        home: The home folder (tests); default the user's.
    """
    line = _CONTROL.sub("?", printable(one_line(text)))
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    try:
        path = log_path(home)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as file:
            file.write(f"{stamp} python {line}\n")
    except (OSError, RuntimeError):  # no home folder, read-only disk: the action goes on
        pass
