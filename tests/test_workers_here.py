"""Work known safe and small is done in the run's own process, the rest in workers.

:func:`~addin.engine.workers.run_isolated` takes a ``here`` call: for an item it gives a
call, that item is done in the parent (a result this user sealed, say: see
:mod:`addin.engine.file_task`), a few items ahead of the workers; any other item, or one
whose call declines or fails, goes to a worker with every guarantee a worker gives.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest

from addin.engine import workers
from addin.engine.workers import run_isolated

Done = tuple[str, int, int]  # (where, pid, item)


def _in_worker(item: int) -> Done:
    if item < 0:
        time.sleep(30)  # hangs: the run's timeout stops it
    return ("worker", os.getpid(), item)


def _here_for(even: bool, made: list[int]) -> Callable[[int], Callable[[], Done | None] | None]:
    """A ``here`` that takes the even items (or none), noting each item it is asked about."""

    def here(item: int) -> Callable[[], Done | None] | None:
        made.append(item)
        if not even or item % 2:
            return None
        return lambda: ("here", os.getpid(), item)

    return here


def test_items_taken_here_are_done_in_this_process_and_the_rest_in_workers() -> None:
    asked: list[int] = []
    items = list(range(40))
    outcomes = list(run_isolated(items, _in_worker, jobs=2, here=_here_for(True, asked)))
    assert sorted(o.index for o in outcomes) == items  # each item once
    assert all(o.value is not None and not o.error for o in outcomes)
    done = {o.index: o.value for o in outcomes if o.value is not None}
    for i, (where, pid, item) in done.items():
        assert item == i
        assert (where, pid == os.getpid()) == (("here", True) if i % 2 == 0 else ("worker", False))
    assert sorted(asked) == items  # asked once about each


def test_a_call_that_declines_or_fails_sends_its_item_to_a_worker() -> None:
    def here(item: int) -> Callable[[], Done | None] | None:
        if item == 1:
            return lambda: None  # declines: e.g. an entry that does not load after all
        if item == 2:
            return lambda: 1 // 0  # type: ignore[return-value]  # fails
        return lambda: ("here", os.getpid(), item)

    outcomes = {o.index: o for o in run_isolated([0, 1, 2, 3], _in_worker, jobs=1, here=here)}
    assert sorted(outcomes) == [0, 1, 2, 3]
    where = {i: o.value[0] for i, o in outcomes.items() if o.value is not None}
    assert where == {0: "here", 1: "worker", 2: "worker", 3: "here"}


def test_items_are_taken_only_a_few_ahead_of_the_work() -> None:
    """An item taken here holds what it needs (a cache entry) until done: never all at once."""
    asked: list[int] = []
    most = 0
    outcomes = run_isolated(list(range(200)), _in_worker, jobs=2, here=_here_for(True, asked))
    for done, _ in enumerate(outcomes, 1):
        most = max(most, len(asked) - done)  # asked about, not yet done
    assert len(asked) == 200 and most <= 2 * workers.AHEAD + 2  # here, queued, in workers


def test_a_hanging_task_times_out_while_items_are_done_here() -> None:
    items = [-1, *range(0, 60, 2)]  # one hangs in a worker, the rest are done here
    outcomes = {
        o.index: o
        for o in run_isolated(items, _in_worker, jobs=1, timeout=1.0, here=_here_for(True, []))
    }
    assert sorted(outcomes) == list(range(len(items)))
    assert "timed out" in outcomes[0].error
    assert all(o.value is not None and o.value[0] == "here" for i, o in outcomes.items() if i)


@pytest.mark.parametrize("jobs", [1, 2])
def test_with_nothing_for_the_workers_every_item_is_done_here(jobs: int) -> None:
    outcomes = list(
        run_isolated(list(range(0, 50, 2)), _in_worker, jobs=jobs, here=_here_for(True, []))
    )
    assert len(outcomes) == 25 and all(o.value is not None for o in outcomes)
    assert {o.value[0] for o in outcomes if o.value is not None} == {"here"}
