"""An interrupted command cleans up on the way out and says in one line what it wrote.

Ctrl-C and SIGTERM become :class:`addin.core.interrupt.Interrupted`, a ``BaseException``: the
clean-up of every writer must see it (``except Exception`` would not). The real signals,
sent to a real ``pmo``, are in ``tests/hostile/test_interrupt.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
from pathlib import Path

import pytest

from addin import cli
from addin.core import interrupt
from addin.core.interrupt import Interrupted
from addin.core.settings import Settings
from addin.engine.consolidate import consolidate
from addin.outputs.atomic import atomic_path
from addin.outputs.portfolio import write_portfolio, writer
from tests.builders import write


def test_interrupted_carries_the_exit_code_shells_use() -> None:
    assert (Interrupted(signal.SIGINT).exit_code, Interrupted(signal.SIGINT).name) == (
        130,
        "SIGINT",
    )
    assert (Interrupted(signal.SIGTERM).exit_code, Interrupted(signal.SIGTERM).name) == (
        143,
        "SIGTERM",
    )
    assert not isinstance(Interrupted(signal.SIGTERM), Exception)


def test_sigterm_becomes_interrupted_and_a_second_signal_waits() -> None:
    before = {s: signal.getsignal(s) for s in interrupt.SIGNALS}
    try:
        interrupt.install()
        with pytest.raises(Interrupted) as caught:
            os.kill(os.getpid(), signal.SIGTERM)  # the handler runs before kill() returns
        assert caught.value.exit_code == 143
        # The clean-up that follows must not be cut short by another Ctrl-C.
        assert all(signal.getsignal(s) is signal.SIG_IGN for s in interrupt.SIGNALS)
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


def test_an_interrupted_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"previous")
    with pytest.raises(Interrupted), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise Interrupted(signal.SIGTERM)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]
    assert target.read_bytes() == b"previous"


def test_an_interrupted_portfolio_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracker = write(tmp_path / "t.xlsx")
    result = consolidate([tracker], Settings(), as_of=dt.date(2026, 11, 20), jobs=1)

    def interrupted(*args: object) -> None:
        raise Interrupted(signal.SIGINT)

    monkeypatch.setattr(writer, "splice", interrupted)
    with pytest.raises(Interrupted):
        write_portfolio(tmp_path / "p.xlsx", result, Settings())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


@pytest.mark.parametrize(
    ("written", "annotating", "line"),
    [
        ([], False, "pmo: interrupted (SIGTERM); nothing was written"),
        (
            ["p.xlsx"],
            False,
            "pmo: interrupted (SIGTERM); wrote only p.xlsx; nothing else was written",
        ),
        (
            ["a", "b", "c", "d", "e"],
            False,
            "pmo: interrupted (SIGTERM); wrote only a, b, c and 2 more; nothing else was written",
        ),
        (
            [],
            True,
            "pmo: interrupted (SIGTERM) while annotating: trackers annotated before it are "
            "complete, none was left half-written",
        ),
    ],
)
def test_the_line_says_what_was_written(
    written: list[str], annotating: bool, line: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.WRITTEN, "paths", [Path(p) for p in written])
    monkeypatch.setattr(cli.WRITTEN, "annotating", annotating)
    assert cli.interrupted_line(Interrupted(signal.SIGTERM)) == line
