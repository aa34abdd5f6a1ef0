"""A failed write says why in the system's words, once, in one line.

``io_reason`` finds the operating system's words in what a library raised (an
``OSError``, XlsxWriter's ``FileCreateError`` around one, lxml's ``IO_ENOSPC``), without
Python's ``[Errno 28]`` or a temporary file's name; ``failure_reason`` finds LibreOffice's
own line in what it printed, not the last line of the stack it prints when it crashes.
"""

from __future__ import annotations

import errno
import subprocess

import pytest
from xlsxwriter.exceptions import FileCreateError

from addin.core.errors import OutputError, io_reason, os_reason
from addin.outputs.office import failure_reason

FULL = OSError(errno.ENOSPC, "No space left on device", "/tmp/.p.1234.tmp.xlsx")


def _from(inner: BaseException) -> BaseException:
    try:
        raise OutputError("p.xlsx: could not write") from inner
    except OutputError as exc:
        return exc


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (FULL, "No space left on device"),
        (OSError(errno.EFBIG, "File too large"), "File too large"),
        (FileCreateError(FULL), "No space left on device"),  # XlsxWriter's wrapper
        (_from(FULL), "No space left on device"),  # raise ... from error
        (Exception("IO_ENOSPC"), "No space left on device"),  # lxml's serialiser
        (Exception("IO_EDQUOT"), "Disk quota exceeded"),
        (Exception("IO_NOT_A_CODE"), None),
        (Exception("IO_ENOTANERRNO"), None),
        (ValueError("bad value"), None),
        (OSError("no errno"), None),
        (_from(ValueError("x")), None),
    ],
)
def test_io_reason_finds_the_systems_words(exc: BaseException, words: str | None) -> None:
    assert io_reason(exc) == words


def test_os_reason_says_the_rest_as_it_reads() -> None:
    assert os_reason(FULL) == "No space left on device"
    assert os_reason(ValueError("a sheet named twice")) == "a sheet named twice"
    assert "Errno" not in os_reason(FileCreateError(FULL))


def test_io_reason_stops_at_a_loop_of_wrappers() -> None:
    a, b = Exception(), Exception()
    a.__cause__, b.__cause__ = b, a
    assert io_reason(a) is None


CRASH = """Warning: failed to launch javaldx - java may not function correctly


Fatal exception: Signal 25
Stack:
/usr/lib/libreoffice/program/libuno_sal.so.3(+0x37722)[0x7fe9b057c722]
/lib/x86_64-linux-gnu/libc.so.6(__write+0x4f)[0x7fe9ac11638f]
/usr/lib/libreoffice/program/soffice.bin(+0x10b1)[0x56362ea930b1]
"""


@pytest.mark.parametrize(
    ("stderr", "stdout", "code", "said"),
    [
        (CRASH, "", 134, "Fatal exception: Signal 25"),  # not the stack's last frame
        ("Warning: x\nError: source file could not be loaded\n", "", 1, "Error: source file"),
        ("/usr/lib/libreoffice/program/soffice.bin(+0x10b1)[0x56362ea930b1]\n", "", 1, "exit"),
        ("", "convert /x.xlsx -> /x.pdf using filter\n", 1, "convert /x.xlsx"),
        ("", "", 77, "exit code 77"),
    ],
)
def test_libreoffices_failure_in_its_own_line(
    stderr: str, stdout: str, code: int, said: str
) -> None:
    reason = failure_reason(subprocess.CompletedProcess([], code, stdout, stderr))
    assert reason.startswith(said)
    assert "\n" not in reason and "0x" not in reason
